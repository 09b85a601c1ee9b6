/* linux.resources of config.json, and of the update verb's input. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec_walk.h"

static int parse_device_rule(struct spec_walk *w, json_t *item, const char *path,
			     struct scute_device_rule *r)
{
	char *type = NULL, *access = NULL;
	bool has;
	int rc = -1;

	if (!json_is_object(item))
		return walk_fail(w, path, "expected an object");
	json_t *allow = json_object_get(item, "allow");
	if (!json_is_boolean(allow))
		return walk_fail(w, path, "allow: required, true or false");
	r->allow = json_is_true(allow);
	if (walk_string(w, item, path, "type", false, &type) < 0 ||
	    walk_string(w, item, path, "access", false, &access) < 0 ||
	    walk_int(w, item, path, "major", -1, 4095, &has, &r->major) < 0)
		goto out;
	if (!has)
		r->major = -1;
	if (walk_int(w, item, path, "minor", -1, 1048575, &has, &r->minor) < 0)
		goto out;
	if (!has)
		r->minor = -1;
	r->type = type ? type[0] : 'a';
	if (type && (strlen(type) != 1 || !strchr("acb", type[0]))) {
		walk_fail(w, path, "type: \"%s\" is not a, c or b", type);
		goto out;
	}
	snprintf(r->access, sizeof(r->access), "%s", access ? access : "rwm");
	if (!*r->access || strspn(r->access, "rwm") != strlen(r->access) ||
	    (access && strlen(access) > 3)) {
		walk_fail(w, path, "access: \"%s\" is not a combination of r, w and m",
			  access ? access : "");
		goto out;
	}
	rc = 0;
out:
	free(type);
	free(access);
	return rc;
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
	json_array_foreach(arr, i, item) {
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

/* Resources this build enforces; every other field set to a value is
 * refused by name. */
/* Keys of a resource section this build writes; any other key set to a
 * value is refused by name. */
static int refuse_others(struct spec_walk *w, json_t *obj, const char *path,
			 const char *const *known)
{
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v) {
		bool ok = false;
		for (const char *const *k = known; *k && !ok; k++)
			ok = strcmp(key, *k) == 0;
		if (!ok && walk_refuse_set(w, obj, path, key) < 0)
			return -1;
	}
	return 0;
}

static int parse_memory(struct spec_walk *w, json_t *mem, struct scute_resources *r)
{
	static const char *const known[] = { "limit", "reservation", "swap", "swappiness",
					     "disableOOMKiller", NULL };
	const char *p = "linux.resources.memory";
	int64_t swappiness;

	if (refuse_others(w, mem, p, known) < 0 ||
	    walk_int(w, mem, p, "limit", -1, INT64_MAX, &r->has_memory_limit, &r->memory_limit) < 0 ||
	    walk_int(w, mem, p, "reservation", -1, INT64_MAX, &r->has_memory_reservation,
		     &r->memory_reservation) < 0 ||
	    walk_int(w, mem, p, "swap", -1, INT64_MAX, &r->has_memory_swap, &r->memory_swap) < 0 ||
	    walk_int(w, mem, p, "swappiness", 0, 100, &r->has_memory_swappiness, &swappiness) < 0 ||
	    walk_bool(w, mem, p, "disableOOMKiller", &r->disable_oom_killer) < 0)
		return -1;
	r->memory_swappiness = (int)swappiness;
	return 0;
}

static int parse_cpu(struct spec_walk *w, json_t *cpu, struct scute_resources *r)
{
	static const char *const known[] = { "shares", "quota", "period", "cpus", "mems", "burst",
					     "realtimeRuntime", "realtimePeriod", "idle", NULL };
	const char *p = "linux.resources.cpu";

	if (refuse_others(w, cpu, p, known) < 0 ||
	    walk_uint64(w, cpu, p, "shares", &r->has_cpu_shares, &r->cpu_shares) < 0 ||
	    walk_int(w, cpu, p, "quota", -1, INT64_MAX, &r->has_cpu_quota, &r->cpu_quota) < 0 ||
	    walk_uint64(w, cpu, p, "period", &r->has_cpu_period, &r->cpu_period) < 0 ||
	    walk_string(w, cpu, p, "cpus", false, &r->cpus) < 0 ||
	    walk_string(w, cpu, p, "mems", false, &r->mems) < 0 ||
	    walk_uint64(w, cpu, p, "burst", &r->has_cpu_burst, &r->cpu_burst) < 0 ||
	    walk_int(w, cpu, p, "realtimeRuntime", -1, INT64_MAX, &r->has_cpu_rt_runtime,
		     &r->cpu_rt_runtime) < 0 ||
	    walk_uint64(w, cpu, p, "realtimePeriod", &r->has_cpu_rt_period, &r->cpu_rt_period) < 0 ||
	    walk_int(w, cpu, p, "idle", 0, 1, &r->has_cpu_idle, &r->cpu_idle) < 0)
		return -1;
	r->has_cpu_rt_runtime &= r->cpu_rt_runtime != 0;
	r->has_cpu_rt_period &= r->cpu_rt_period != 0;
	return 0;
}

static const char *const throttle_keys[] = { "throttleReadBpsDevice", "throttleWriteBpsDevice",
					      "throttleReadIOPSDevice", "throttleWriteIOPSDevice" };

static int parse_throttles(struct spec_walk *w, json_t *bio, struct scute_resources *r)
{
	json_t *arr, *item;
	char path[128];
	size_t total = 0, i;

	for (int k = 0; k < 4; k++)
		total += json_array_size(json_object_get(bio, throttle_keys[k]));
	if (!total)
		return 0;
	r->throttles = calloc(total, sizeof(*r->throttles));
	if (!r->throttles)
		return scute_err_set(w->err, ENOMEM, "out of memory");
	for (int k = 0; k < 4; k++) {
		if (walk_array(w, bio, "linux.resources.blockIO", throttle_keys[k], false, &arr) < 0)
			return -1;
		json_array_foreach(arr, i, item) {
			struct scute_throttle *t = &r->throttles[r->n_throttles];
			snprintf(path, sizeof(path), "linux.resources.blockIO.%s[%zu]", throttle_keys[k],
				 i);
			if (!json_is_object(item))
				return walk_fail(w, path, "expected an object");
			t->kind = k;
			if (walk_int(w, item, path, "major", 0, 4095, NULL, &t->major) < 0 ||
			    walk_int(w, item, path, "minor", 0, 1048575, NULL, &t->minor) < 0 ||
			    walk_uint64(w, item, path, "rate", NULL, &t->rate) < 0)
				return -1;
			r->n_throttles++;
		}
	}
	return 0;
}

static int parse_block_io(struct spec_walk *w, json_t *bio, struct scute_resources *r)
{
	static const char *const known[] = { "weight", "throttleReadBpsDevice",
					     "throttleWriteBpsDevice", "throttleReadIOPSDevice",
					     "throttleWriteIOPSDevice", NULL };
	const char *p = "linux.resources.blockIO";
	int64_t weight;

	if (refuse_others(w, bio, p, known) < 0 || parse_throttles(w, bio, r) < 0 ||
	    walk_int(w, bio, p, "weight", 0, 1000, &r->has_blkio_weight, &weight) < 0)
		return -1;
	if (r->has_blkio_weight && weight && weight < 10)
		return walk_fail(w, "linux.resources.blockIO.weight", "%lld is below 10",
				 (long long)weight);
	r->blkio_weight = (unsigned)weight;
	r->has_blkio_weight &= weight != 0;
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
	json_object_foreach(obj, key, v) {
		snprintf(path, sizeof(path), "linux.resources.unified.%s", key);
		if (!json_is_string(v))
			return walk_fail(w, path, "expected a string");
		if (!*key || strchr(key, '/') || key[0] == '.' || !strchr(key, '.'))
			return walk_fail(w, path, "not a cgroup file name");
		r->unified[i++] = strdup(key);
		r->unified[i++] = strdup(json_string_value(v));
		r->n_unified = i / 2;
	}
	return 0;
}

static int parse_resource_object(struct spec_walk *w, json_t *res, struct scute_resources *r)
{
	static const char *const refused[] = { "hugepageLimits", "network", "rdma" };
	json_t *mem, *cpu, *pids, *bio;

	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		if (walk_refuse_set(w, res, "linux.resources", refused[i]) < 0)
			return -1;
	if (parse_device_rules(w, res, r) < 0 || parse_unified(w, res, r) < 0)
		return -1;
	if (walk_object(w, res, "linux.resources", "memory", false, &mem) < 0 ||
	    walk_object(w, res, "linux.resources", "cpu", false, &cpu) < 0 ||
	    walk_object(w, res, "linux.resources", "pids", false, &pids) < 0 ||
	    walk_object(w, res, "linux.resources", "blockIO", false, &bio) < 0)
		return -1;
	if (parse_memory(w, mem, r) < 0 || parse_cpu(w, cpu, r) < 0 ||
	    parse_block_io(w, bio, r) < 0 ||
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
	free_string_array(r->unified, 2 * r->n_unified);
}
