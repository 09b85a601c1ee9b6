/* linux.resources of config.json, and of the update verb's input. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "spec_walk.h"
#include "values.h"

static int parse_device_rule(struct spec_walk *w, json_t *item, const char *path,
			     struct scute_device_rule *r)
{
	auto_free char *type = NULL;
	auto_free char *access = NULL;
	bool has;

	if (!json_is_object(item))
		return walk_fail(w, path, "expected an object");
	json_t *allow = json_object_get(item, "allow");
	if (!json_is_boolean(allow))
		return walk_fail(w, path, "allow: required, true or false");
	r->allow = json_is_true(allow);
	if (walk_string(w, item, path, "type", false, &type) < 0 ||
	    walk_string(w, item, path, "access", false, &access) < 0 ||
	    walk_int(w, item, path, "major", -1, 4095, &has, &r->major) < 0)
		return -1;
	if (!has)
		r->major = -1;
	if (walk_int(w, item, path, "minor", -1, 1048575, &has, &r->minor) < 0)
		return -1;
	if (!has)
		r->minor = -1;
	r->type = (char)(type ? type[0] : 'a');
	if (type && (strlen(type) != 1 || !strchr("acb", type[0])))
		return walk_fail(w, path, "type: \"%s\" is not a, c or b", type);
	snprintf(r->access, sizeof(r->access), "%s", access ? access : "rwm");
	if (!*r->access || strspn(r->access, "rwm") != strlen(r->access) ||
	    (access && strlen(access) > 3))
		return walk_fail(w, path, "access: \"%s\" is not a combination of r, w and m",
				 access ? access : "");
	return 0;
}

static int parse_device_rules(struct spec_walk *w, json_t *res, struct scute_resources *r)
{
	json_t *arr, *item;
	char path[64];
	size_t i;

	if (walk_array(w, res, "linux.resources", "devices", false, &arr) < 0)
		return -1;
	if (!arr)
		return 0;
	r->has_devices = true;
	r->devices = calloc(json_array_size(arr) + 1, sizeof(*r->devices));
	if (!r->devices)
		return scute_err_set(w->err, ENOMEM, "out of memory");
	json_array_foreach(arr, i, item)
	{
		snprintf(path, sizeof(path), "linux.resources.devices[%zu]", i);
		if (parse_device_rule(w, item, path, &r->devices[i]) < 0)
			return -1;
		r->n_devices = i + 1;
	}
	return 0;
}

static int parse_resource_object(struct spec_walk *w, json_t *res, struct scute_resources *r);

int spec_parse_resources(struct spec_walk *w, json_t *lx, struct scute_resources *r)
{
	json_t *res;

	if (walk_object(w, lx, "linux", "resources", false, &res) < 0)
		return -1;
	return res ? parse_resource_object(w, res, r) : 0;
}

int scute_resources_parse(json_t *res, const char *origin, struct scute_resources *r,
			  struct scute_err *err)
{
	struct spec_walk w = { .origin = origin, .err = err };

	memset(r, 0, sizeof(*r));
	if (!json_is_object(res))
		return scute_err_set(err, EINVAL, "%s: expected a JSON object", origin);
	return parse_resource_object(&w, res, r);
}

static int parse_memory(struct spec_walk *w, json_t *mem, struct scute_resources *r)
{
	static const char *const known[] = {
		"limit",     "reservation",	 "swap",	 "swappiness",	      "kernel",
		"kernelTCP", "disableOOMKiller", "useHierarchy", "checkBeforeUpdate", NULL
	};
	const char *p = "linux.resources.memory";
	json_t *hierarchy = json_object_get(mem, "useHierarchy");
	json_t *kernel = json_object_get(mem, "kernel");
	int64_t swappiness;

	if (walk_refuse_unknown(w, mem, p, known) < 0 ||
	    walk_int(w, mem, p, "limit", -1, INT64_MAX, &r->has_memory_limit, &r->memory_limit) <
		    0 ||
	    walk_int(w, mem, p, "reservation", -1, INT64_MAX, &r->has_memory_reservation,
		     &r->memory_reservation) < 0 ||
	    walk_int(w, mem, p, "swap", -1, INT64_MAX, &r->has_memory_swap, &r->memory_swap) < 0 ||
	    walk_int(w, mem, p, "swappiness", 0, 100, &r->has_memory_swappiness, &swappiness) < 0 ||
	    walk_int(w, mem, p, "kernelTCP", -1, INT64_MAX, &r->has_kernel_tcp, &r->kernel_tcp) <
		    0 ||
	    walk_bool(w, mem, p, "disableOOMKiller", &r->disable_oom_killer) < 0 ||
	    walk_bool(w, mem, p, "checkBeforeUpdate", &r->check_before_update) < 0)
		return -1;
	/* Kernel memory is charged to the memory limit since Linux 5.16, whose
	 * memory.kmem.limit_in_bytes takes a value and ignores it. */
	if (kernel && !json_is_null(kernel) &&
	    !(json_is_integer(kernel) && json_integer_value(kernel) <= 0 &&
	      json_integer_value(kernel) >= -1))
		return walk_fail(w, "linux.resources.memory.kernel",
				 "a separate kernel memory limit is not enforced by Linux 5.16 "
				 "and later (kernel memory counts against memory.limit)");
	if (json_is_false(hierarchy))
		return walk_fail(w, "linux.resources.memory.useHierarchy",
				 "false is not possible: the kernel always accounts memory "
				 "hierarchically");
	if (hierarchy && !json_is_boolean(hierarchy) && !json_is_null(hierarchy))
		return walk_fail(w, "linux.resources.memory.useHierarchy",
				 "expected true or false");
	r->has_kernel_tcp &= r->kernel_tcp != 0;
	r->memory_swappiness = (int)swappiness;
	return 0;
}

static int parse_cpu(struct spec_walk *w, json_t *cpu, struct scute_resources *r)
{
	static const char *const known[] = { "shares", "quota", "period",	   "cpus",
					     "mems",   "burst", "realtimeRuntime", "realtimePeriod",
					     "idle",   NULL };
	const char *p = "linux.resources.cpu";

	if (walk_refuse_unknown(w, cpu, p, known) < 0 ||
	    walk_uint64(w, cpu, p, "shares", &r->has_cpu_shares, &r->cpu_shares) < 0 ||
	    walk_int(w, cpu, p, "quota", -1, INT64_MAX, &r->has_cpu_quota, &r->cpu_quota) < 0 ||
	    walk_uint64(w, cpu, p, "period", &r->has_cpu_period, &r->cpu_period) < 0 ||
	    walk_string(w, cpu, p, "cpus", false, &r->cpus) < 0 ||
	    walk_string(w, cpu, p, "mems", false, &r->mems) < 0 ||
	    walk_uint64(w, cpu, p, "burst", &r->has_cpu_burst, &r->cpu_burst) < 0 ||
	    walk_int(w, cpu, p, "realtimeRuntime", -1, INT64_MAX, &r->has_cpu_rt_runtime,
		     &r->cpu_rt_runtime) < 0 ||
	    walk_uint64(w, cpu, p, "realtimePeriod", &r->has_cpu_rt_period, &r->cpu_rt_period) <
		    0 ||
	    walk_int(w, cpu, p, "idle", 0, 1, &r->has_cpu_idle, &r->cpu_idle) < 0)
		return -1;
	/* The kernel would refuse a bad list too, but only after the cgroup
	 * exists, and without the field's name. */
	if (r->cpus && scute_parse_cpu_list(r->cpus, w->err) < 0)
		return scute_err_prefix(w->err, "%s: %s.cpus", w->origin, p);
	if (r->mems && scute_parse_cpu_list(r->mems, w->err) < 0)
		return scute_err_prefix(w->err, "%s: %s.mems", w->origin, p);
	r->has_cpu_rt_runtime &= r->cpu_rt_runtime != 0;
	r->has_cpu_rt_period &= r->cpu_rt_period != 0;
	return 0;
}

/* hugepageLimits: [{pageSize: "2MB", limit: N}]; the size as the hugetlb
 * files name it, a number and KB, MB or GB. */
static int parse_hugepages(struct spec_walk *w, json_t *res, struct scute_resources *r)
{
	json_t *arr, *item;
	char path[64];
	size_t i;

	if (walk_object_array(w, res, "linux.resources", "hugepageLimits", sizeof(*r->hugepages),
			      &arr, (void **)&r->hugepages) < 0)
		return -1;
	json_array_foreach(arr, i, item)
	{
		struct scute_hugepage_limit *h = &r->hugepages[i];
		auto_free char *size = NULL;
		size_t digits;
		snprintf(path, sizeof(path), "linux.resources.hugepageLimits[%zu]", i);
		if (walk_string(w, item, path, "pageSize", true, &size) < 0 ||
		    walk_uint64(w, item, path, "limit", NULL, &h->limit) < 0)
			return -1;
		digits = strspn(size, "0123456789");
		if (!digits || digits > 8 || size[0] == '0' ||
		    (strcmp(size + digits, "KB") && strcmp(size + digits, "MB") &&
		     strcmp(size + digits, "GB")))
			return walk_fail(w, path, "pageSize: \"%s\" is not a size like \"2MB\"",
					 size);
		snprintf(h->page_size, sizeof(h->page_size), "%s", size);
		r->n_hugepages = i + 1;
	}
	return 0;
}

/* A name the kernel could hold: printable, no space or slash. */
static bool plain_name(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (!n || n > max || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || *s == '/' || *s == 0x7f)
			return false;
	return true;
}

static int parse_priorities(struct spec_walk *w, json_t *arr, struct scute_resources *r)
{
	json_t *item;
	char path[80];
	int64_t v;
	size_t i;

	r->net_priorities = calloc(json_array_size(arr), sizeof(*r->net_priorities));
	if (!r->net_priorities)
		return scute_err_set(w->err, ENOMEM, "out of memory");
	json_array_foreach(arr, i, item)
	{
		struct scute_net_priority *np = &r->net_priorities[i];
		json_t *name = json_object_get(item, "name");
		snprintf(path, sizeof(path), "linux.resources.network.priorities[%zu]", i);
		if (!json_is_object(item))
			return walk_fail(w, path, "expected an object");
		if (!json_is_string(name) || !plain_name(json_string_value(name), 15))
			return walk_fail(w, path, "name: required, an interface name");
		if (walk_int(w, item, path, "priority", 0, UINT32_MAX, NULL, &v) < 0)
			return -1;
		snprintf(np->name, sizeof(np->name), "%s", json_string_value(name));
		np->priority = (uint32_t)v;
		r->n_net_priorities = i + 1;
	}
	return 0;
}

static int parse_network(struct spec_walk *w, json_t *res, struct scute_resources *r)
{
	static const char *const known[] = { "classID", "priorities", NULL };
	const char *p = "linux.resources.network";
	json_t *net, *arr;
	int64_t v;

	if (walk_object(w, res, "linux.resources", "network", false, &net) < 0)
		return -1;
	if (!net)
		return 0;
	if (walk_refuse_unknown(w, net, p, known) < 0 ||
	    walk_int(w, net, p, "classID", 0, UINT32_MAX, &r->has_net_class_id, &v) < 0 ||
	    walk_array(w, net, p, "priorities", false, &arr) < 0)
		return -1;
	r->net_class_id = (uint32_t)v;
	r->has_net_class_id &= v != 0;
	return arr && json_array_size(arr) ? parse_priorities(w, arr, r) : 0;
}

/* rdma: {"mlx5_1": {"hcaHandles": 3, "hcaObjects": 10000}}. */
static int parse_rdma(struct spec_walk *w, json_t *res, struct scute_resources *r)
{
	static const char *const known[] = { "hcaHandles", "hcaObjects", NULL };
	json_t *obj, *item;
	const char *name;
	char path[128];
	int64_t v;
	size_t i = 0;

	if (walk_object(w, res, "linux.resources", "rdma", false, &obj) < 0)
		return -1;
	if (!obj || !json_object_size(obj))
		return 0;
	r->rdma = calloc(json_object_size(obj), sizeof(*r->rdma));
	if (!r->rdma)
		return scute_err_set(w->err, ENOMEM, "out of memory");
	json_object_foreach(obj, name, item)
	{
		struct scute_rdma_limit *l = &r->rdma[i];
		snprintf(path, sizeof(path), "linux.resources.rdma.%.60s", name);
		if (!plain_name(name, sizeof(l->name) - 1))
			return walk_fail(w, path, "not an RDMA device name");
		if (!json_is_object(item))
			return walk_fail(w, path, "expected an object");
		if (walk_refuse_unknown(w, item, path, known) < 0 ||
		    walk_int(w, item, path, "hcaHandles", 0, INT32_MAX, &l->has_handles, &v) < 0)
			return -1;
		l->handles = (uint32_t)v;
		if (walk_int(w, item, path, "hcaObjects", 0, INT32_MAX, &l->has_objects, &v) < 0)
			return -1;
		l->objects = (uint32_t)v;
		snprintf(l->name, sizeof(l->name), "%s", name);
		r->n_rdma = ++i;
	}
	return 0;
}

/* unified: cgroup v2 files by name, each a plain file name in the
 * container's cgroup directory. */
static int parse_unified(struct spec_walk *w, json_t *res, struct scute_resources *r)
{
	json_t *obj, *v;
	const char *key;
	char path[320];
	size_t i = 0;

	if (walk_object(w, res, "linux.resources", "unified", false, &obj) < 0)
		return -1;
	if (!obj || !json_object_size(obj))
		return 0;
	r->unified = calloc(2 * json_object_size(obj) + 1, sizeof(char *));
	if (!r->unified)
		return scute_err_set(w->err, ENOMEM, "out of memory");
	json_object_foreach(obj, key, v)
	{
		snprintf(path, sizeof(path), "linux.resources.unified.%s", key);
		if (!json_is_string(v))
			return walk_fail(w, path, "expected a string");
		if (!*key || strchr(key, '/') || key[0] == '.' || !strchr(key, '.'))
			return walk_fail(w, path, "not a cgroup file name");
		r->unified[i++] = strdup(key);
		r->unified[i++] = strdup(json_string_value(v));
		r->n_unified = i / 2;
		if (!r->unified[i - 2] || !r->unified[i - 1])
			return scute_err_set(w->err, ENOMEM, "out of memory");
	}
	return 0;
}

static int parse_resource_object(struct spec_walk *w, json_t *res, struct scute_resources *r)
{
	json_t *mem, *cpu, *pids, *bio;

	if (parse_device_rules(w, res, r) < 0 || parse_unified(w, res, r) < 0 ||
	    parse_hugepages(w, res, r) < 0 || parse_network(w, res, r) < 0 ||
	    parse_rdma(w, res, r) < 0)
		return -1;
	if (walk_object(w, res, "linux.resources", "memory", false, &mem) < 0 ||
	    walk_object(w, res, "linux.resources", "cpu", false, &cpu) < 0 ||
	    walk_object(w, res, "linux.resources", "pids", false, &pids) < 0 ||
	    walk_object(w, res, "linux.resources", "blockIO", false, &bio) < 0)
		return -1;
	if (parse_memory(w, mem, r) < 0 || parse_cpu(w, cpu, r) < 0 ||
	    spec_parse_block_io(w, bio, r) < 0 ||
	    walk_int(w, pids, "linux.resources.pids", "limit", -1, INT64_MAX, &r->has_pids_limit,
		     &r->pids_limit) < 0)
		return -1;
	/* Zero means "not set" (engines send zeroes for what they leave alone,
	 * as runc reads them): nothing is written, so update leaves it be. */
	r->has_memory_limit &= r->memory_limit != 0;
	r->has_memory_reservation &= r->memory_reservation != 0;
	r->has_memory_swap &= r->memory_swap != 0;
	r->has_cpu_shares &= r->cpu_shares != 0;
	r->has_cpu_quota &= r->cpu_quota != 0;
	r->has_cpu_period &= r->cpu_period != 0;
	r->has_pids_limit &= r->pids_limit != 0;
	if (r->cpus && !*r->cpus) {
		free(r->cpus);
		r->cpus = NULL;
	}
	if (r->mems && !*r->mems) {
		free(r->mems);
		r->mems = NULL;
	}
	return 0;
}

void scute_resources_free(struct scute_resources *r)
{
	free(r->devices);
	free(r->cpus);
	free(r->mems);
	free(r->throttles);
	free(r->weight_devices);
	free(r->hugepages);
	free(r->net_priorities);
	free(r->rdma);
	free_string_array(r->unified, 2 * r->n_unified);
}
