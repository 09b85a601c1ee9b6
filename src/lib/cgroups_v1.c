/* Resource limits on a cgroup v1 hierarchy. */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>

#include "cgroups.h"
#include "fsutil.h"

static int write_value(const struct scute_cgroup_dir *d, const char *file, long long value,
		       struct scute_err *err)
{
	char path[4200], buf[32];

	snprintf(path, sizeof(path), "%s/%s", d->path, file);
	snprintf(buf, sizeof(buf), "%lld", value);
	return scute_write_at(AT_FDCWD, path, buf, err);
}

/* The devices every container gets (those scute creates in /dev), before
 * the config's rules so that a config can still deny one of them. */
static const struct scute_device_rule default_devices[] = {
	{ true, 'c', 1, 3, "rwm" },   /* null */
	{ true, 'c', 1, 5, "rwm" },   /* zero */
	{ true, 'c', 1, 7, "rwm" },   /* full */
	{ true, 'c', 1, 8, "rwm" },   /* random */
	{ true, 'c', 1, 9, "rwm" },   /* urandom */
	{ true, 'c', 5, 0, "rwm" },   /* tty */
	{ true, 'c', 5, 1, "rwm" },   /* console */
	{ true, 'c', 5, 2, "rwm" },   /* ptmx */
	{ true, 'c', 136, -1, "rwm" }, /* pts */
	/* Making nodes (CAP_MKNOD decides who may) but not using them: the
	 * runtime makes linux.devices nodes from inside the cgroup. */
	{ true, 'c', -1, -1, "m" },
	{ true, 'b', -1, -1, "m" },
};

static void format_rule(const struct scute_device_rule *r, char *buf, size_t len)
{
	char maj[16] = "*", min[16] = "*";

	if (r->type == 'a') {
		snprintf(buf, len, "a");
		return;
	}
	if (r->major >= 0)
		snprintf(maj, sizeof(maj), "%lld", (long long)r->major);
	if (r->minor >= 0)
		snprintf(min, sizeof(min), "%lld", (long long)r->minor);
	snprintf(buf, len, "%c %s:%s %s", r->type, maj, min, r->access);
}

static int write_rule(const struct scute_cgroup_dir *d, const struct scute_device_rule *r,
		      struct scute_err *err)
{
	char path[4200], rule[64];

	format_rule(r, rule, sizeof(rule));
	snprintf(path, sizeof(path), "%s/devices.%s", d->path, r->allow ? "allow" : "deny");
	return scute_write_at(AT_FDCWD, path, rule, err);
}

/* Deny everything, allow the default devices, then the config's rules in
 * order (a later rule overrides an earlier one, as in the runtime-spec). */
static int apply_devices(const struct scute_cgroup_dir *d, const struct scute_resources *r,
			 struct scute_err *err)
{
	const struct scute_device_rule deny_all = { false, 'a', -1, -1, "rwm" };

	if (write_rule(d, &deny_all, err) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(default_devices) / sizeof(default_devices[0]); i++)
		if (write_rule(d, &default_devices[i], err) < 0)
			return -1;
	for (size_t i = 0; i < r->n_devices; i++)
		if (write_rule(d, &r->devices[i], err) < 0)
			return scute_err_prefix(err, "linux.resources.devices[%zu]", i);
	return 0;
}

static int write_str(const struct scute_cgroup_dir *d, const char *file, const char *value,
		     struct scute_err *err)
{
	char path[4200];

	snprintf(path, sizeof(path), "%s/%s", d->path, file);
	return scute_write_at(AT_FDCWD, path, value, err);
}

/* memsw (memory + swap) must stay at or above the memory limit at every
 * step, so the order of the two writes depends on the direction. */
static int apply_memory(const struct scute_cgroup_dir *d, const struct scute_resources *r,
			struct scute_err *err)
{
	struct scute_err first;

	if (r->has_memory_swap) {
		char path[4200];
		snprintf(path, sizeof(path), "%s/memory.memsw.limit_in_bytes", d->path);
		if (access(path, F_OK) != 0)
			return scute_err_set(err, ENOTSUP, "linux.resources.memory.swap: this host "
							   "has no swap accounting (memory.memsw.*)");
	}
	if (r->has_memory_limit &&
	    write_value(d, "memory.limit_in_bytes", r->memory_limit, &first) < 0) {
		if (!r->has_memory_swap)
			return *err = first, -1;
		if (write_value(d, "memory.memsw.limit_in_bytes", r->memory_swap, err) < 0 ||
		    write_value(d, "memory.limit_in_bytes", r->memory_limit, err) < 0)
			return -1;
	} else if (r->has_memory_swap &&
		   write_value(d, "memory.memsw.limit_in_bytes", r->memory_swap, err) < 0) {
		return -1;
	}
	if (r->has_memory_reservation &&
	    write_value(d, "memory.soft_limit_in_bytes", r->memory_reservation, err) < 0)
		return -1;
	if (r->has_memory_swappiness &&
	    write_value(d, "memory.swappiness", r->memory_swappiness, err) < 0)
		return -1;
	if (r->disable_oom_killer && write_value(d, "memory.oom_control", 1, err) < 0)
		return -1;
	return 0;
}

static int apply_throttles(const struct scute_cgroup_dir *d, const struct scute_resources *r,
			   struct scute_err *err)
{
	static const char *const files[] = { "blkio.throttle.read_bps_device",
					     "blkio.throttle.write_bps_device",
					     "blkio.throttle.read_iops_device",
					     "blkio.throttle.write_iops_device" };
	char value[64];

	for (size_t i = 0; i < r->n_throttles; i++) {
		const struct scute_throttle *t = &r->throttles[i];
		snprintf(value, sizeof(value), "%lld:%lld %llu", (long long)t->major,
			 (long long)t->minor, (unsigned long long)t->rate);
		if (write_str(d, files[t->kind], value, err) < 0)
			return scute_err_prefix(err, "linux.resources.blockIO throttle %s", value);
	}
	return 0;
}

int scute_cgroup_v1_apply(const struct scute_cgroup_dir *d, const struct scute_resources *r,
			  struct scute_err *err)
{
	if (scute_cgroup_has(d, "devices") && (!r->update || r->has_devices) &&
	    apply_devices(d, r, err) < 0)
		return -1;
	if (scute_cgroup_has(d, "memory") && apply_memory(d, r, err) < 0)
		return -1;
	if (scute_cgroup_has(d, "cpuset") && ((r->cpus && write_str(d, "cpuset.cpus", r->cpus, err) < 0) ||
					      (r->mems && write_str(d, "cpuset.mems", r->mems, err) < 0)))
		return -1;
	if (scute_cgroup_has(d, "blkio") && apply_throttles(d, r, err) < 0)
		return -1;
	if (scute_cgroup_has(d, "blkio") && r->has_blkio_weight &&
	    write_value(d, "blkio.weight", r->blkio_weight, err) < 0) {
		if (err->code == ENOENT)
			scute_err_set(err, ENOTSUP, "linux.resources.blockIO.weight: this host's "
						    "I/O scheduler has no blkio.weight");
		return -1;
	}
	if (scute_cgroup_has(d, "cpu")) {
		if (r->has_cpu_shares && write_value(d, "cpu.shares", (long long)r->cpu_shares,
						     err) < 0)
			return -1;
		/* The period first: a quota is checked against the current period. */
		if (r->has_cpu_period &&
		    write_value(d, "cpu.cfs_period_us", (long long)r->cpu_period, err) < 0)
			return -1;
		if (r->has_cpu_quota && write_value(d, "cpu.cfs_quota_us", r->cpu_quota, err) < 0)
			return -1;
		if (r->has_cpu_burst &&
		    write_value(d, "cpu.cfs_burst_us", (long long)r->cpu_burst, err) < 0)
			return -1;
		/* The realtime period first, as for the quota. */
		if (r->has_cpu_rt_period &&
		    write_value(d, "cpu.rt_period_us", (long long)r->cpu_rt_period, err) < 0)
			return -1;
		if (r->has_cpu_rt_runtime &&
		    write_value(d, "cpu.rt_runtime_us", r->cpu_rt_runtime, err) < 0)
			return -1;
		if (r->has_cpu_idle && write_value(d, "cpu.idle", r->cpu_idle, err) < 0)
			return -1;
	}
	if (scute_cgroup_has(d, "pids") && r->has_pids_limit) {
		char path[4200];
		snprintf(path, sizeof(path), "%s/pids.max", d->path);
		if (r->pids_limit < 0)
			return scute_write_at(AT_FDCWD, path, "max", err);
		return write_value(d, "pids.max", r->pids_limit, err);
	}
	return 0;
}
