/* Resource limits on the cgroup v2 hierarchy, with the controllers enabled
 * down the path so the container's directory can hold them. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "cgroups.h"
#include "cgroups_convert.h"
#include "fsutil.h"

static int enable_controller(const char *leaf, const char *name, struct scute_err *err)
{
	char dir[PATH_MAX], path[PATH_MAX + 32], avail[512], want[40], list[520];
	char *slash;

	snprintf(dir, sizeof(dir), "%s", leaf);
	/* Walk up to find the hierarchy root (the first directory whose parent
	 * lists no such controller), then enable downwards. */
	slash = strrchr(dir, '/');
	if (!slash)
		return 0;
	*slash = '\0';
	snprintf(path, sizeof(path), "%s/cgroup.controllers", dir);
	if (scute_read_at(AT_FDCWD, path, avail, sizeof(avail), err) < 0)
		return -1;
	avail[strcspn(avail, "\n")] = '\0';
	snprintf(list, sizeof(list), " %s ", avail);
	snprintf(want, sizeof(want), " %s ", name);
	if (!strstr(list, want)) {
		if (enable_controller(dir, name, err) < 0)
			return -1;
	}
	snprintf(path, sizeof(path), "%s/cgroup.subtree_control", dir);
	snprintf(want, sizeof(want), "+%s", name);
	if (scute_write_at(AT_FDCWD, path, want, err) < 0)
		return scute_err_prefix(err, "enable the %s controller", name);
	return 0;
}

static int write_str(const struct scute_cgroup_dir *d, const char *file, const char *value,
		     struct scute_err *err)
{
	char path[PATH_MAX + 32];

	snprintf(path, sizeof(path), "%s/%s", d->path, file);
	return scute_write_at(AT_FDCWD, path, value, err);
}

/* Limits with no v2 file are refused rather than dropped. */
static int refuse_v1_only(const struct scute_resources *r, struct scute_err *err)
{
	if (r->has_memory_swappiness)
		return scute_err_set(err, ENOTSUP, "linux.resources.memory.swappiness: cgroup v2 "
						   "has no per-cgroup swappiness");
	if (r->disable_oom_killer)
		return scute_err_set(err, ENOTSUP, "linux.resources.memory.disableOOMKiller: "
						   "cgroup v2 cannot disable the OOM killer");
	return 0;
}

static int refuse_v1_only_cpu(const struct scute_resources *r, struct scute_err *err)
{
	if (r->has_cpu_rt_runtime || r->has_cpu_rt_period)
		return scute_err_set(err, ENOTSUP, "linux.resources.cpu.realtimeRuntime/"
						   "realtimePeriod: cgroup v2 has no realtime "
						   "group scheduling");
	return 0;
}

static int apply_v2_extra(const struct scute_cgroup_dir *d, const struct scute_resources *r,
			  struct scute_err *err)
{
	char buf[64];

	/* Only where cgroup2 holds the memory controller (not on hybrid). */
	if (scute_cgroup_has(d, "memory") && refuse_v1_only(r, err) < 0)
		return -1;
	if (r->has_memory_reservation && scute_cgroup_has(d, "memory")) {
		snprintf(buf, sizeof(buf), "%lld", (long long)r->memory_reservation);
		if (write_str(d, "memory.low", r->memory_reservation < 0 ? "max" : buf, err) < 0)
			return -1;
	}
	if (r->has_memory_swap && scute_cgroup_has(d, "memory")) {
		if (scute_swap_to_v2(r->has_memory_limit ? r->memory_limit : 0, r->memory_swap, buf,
				     sizeof(buf)) < 0)
			return scute_err_set(err, EINVAL, "linux.resources.memory.swap: %lld needs a "
							  "memory limit no larger than it",
					     (long long)r->memory_swap);
		if (write_str(d, "memory.swap.max", buf, err) < 0)
			return -1;
	}
	if (scute_cgroup_has(d, "cpu")) {
		if (refuse_v1_only_cpu(r, err) < 0)
			return -1;
		if (r->has_cpu_burst) {
			snprintf(buf, sizeof(buf), "%llu", (unsigned long long)r->cpu_burst);
			if (enable_controller(d->path, "cpu", err) < 0 ||
			    write_str(d, "cpu.max.burst", buf, err) < 0)
				return -1;
		}
		if (r->has_cpu_idle) {
			snprintf(buf, sizeof(buf), "%lld", (long long)r->cpu_idle);
			if (enable_controller(d->path, "cpu", err) < 0 ||
			    write_str(d, "cpu.idle", buf, err) < 0)
				return -1;
		}
	}
	if ((r->cpus || r->mems) && scute_cgroup_has(d, "cpuset")) {
		if (enable_controller(d->path, "cpuset", err) < 0 ||
		    (r->cpus && write_str(d, "cpuset.cpus", r->cpus, err) < 0) ||
		    (r->mems && write_str(d, "cpuset.mems", r->mems, err) < 0))
			return -1;
	}
	for (size_t i = 0; i < r->n_unified; i++)
		if (write_str(d, r->unified[2 * i], r->unified[2 * i + 1], err) < 0)
			return scute_err_prefix(err, "linux.resources.unified.%s", r->unified[2 * i]);
	/* io.max takes one device per write: "MAJ:MIN rbps=N". */
	static const char *const io_keys[] = { "rbps", "wbps", "riops", "wiops" };
	for (size_t i = 0; i < r->n_throttles && scute_cgroup_has(d, "io"); i++) {
		const struct scute_throttle *t = &r->throttles[i];
		snprintf(buf, sizeof(buf), "%lld:%lld %s=%llu", (long long)t->major,
			 (long long)t->minor, io_keys[t->kind], (unsigned long long)t->rate);
		if (enable_controller(d->path, "io", err) < 0 || write_str(d, "io.max", buf, err) < 0)
			return scute_err_prefix(err, "linux.resources.blockIO throttle");
	}
	if (r->has_blkio_weight && scute_cgroup_has(d, "io")) {
		snprintf(buf, sizeof(buf), "default %llu",
			 (unsigned long long)scute_blkio_to_io_weight(r->blkio_weight));
		if (enable_controller(d->path, "io", err) < 0 || write_str(d, "io.weight", buf, err) < 0)
			return -1;
	}
	return 0;
}

int scute_cgroup_v2_apply(const struct scute_cgroup_dir *d, const struct scute_resources *r,
			  struct scute_err *err)
{
	char buf[64];

	if (r->has_memory_limit && scute_cgroup_has(d, "memory")) {
		if (enable_controller(d->path, "memory", err) < 0)
			return -1;
		if (r->memory_limit < 0)
			snprintf(buf, sizeof(buf), "max");
		else
			snprintf(buf, sizeof(buf), "%lld", (long long)r->memory_limit);
		if (write_str(d, "memory.max", buf, err) < 0)
			return -1;
	}
	if ((r->has_cpu_shares || r->has_cpu_quota || r->has_cpu_period) &&
	    scute_cgroup_has(d, "cpu")) {
		if (enable_controller(d->path, "cpu", err) < 0)
			return -1;
		if (r->has_cpu_shares) {
			snprintf(buf, sizeof(buf), "%llu",
				 (unsigned long long)scute_shares_to_weight(r->cpu_shares));
			if (write_str(d, "cpu.weight", buf, err) < 0)
				return -1;
		}
		if (r->has_cpu_quota || r->has_cpu_period) {
			unsigned long long period = r->has_cpu_period ? r->cpu_period : 100000;
			if (r->has_cpu_quota && r->cpu_quota >= 0)
				snprintf(buf, sizeof(buf), "%lld %llu", (long long)r->cpu_quota,
					 period);
			else
				snprintf(buf, sizeof(buf), "max %llu", period);
			if (write_str(d, "cpu.max", buf, err) < 0)
				return -1;
		}
	}
	if (apply_v2_extra(d, r, err) < 0)
		return -1;
	if (r->has_pids_limit && scute_cgroup_has(d, "pids")) {
		if (enable_controller(d->path, "pids", err) < 0)
			return -1;
		if (r->pids_limit < 0)
			snprintf(buf, sizeof(buf), "max");
		else
			snprintf(buf, sizeof(buf), "%lld", (long long)r->pids_limit);
		if (write_str(d, "pids.max", buf, err) < 0)
			return -1;
	}
	return 0;
}
