/* Resource limits on the cgroup v2 hierarchy, with the controllers enabled
 * down the path so the container's directory can hold them. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "cgroup_limits.h"
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

/* Limits with no v2 file are refused rather than dropped. */
static int refuse_v1_only(const struct scute_resources *r, struct scute_err *err)
{
	if (r->has_memory_swappiness)
		return scute_err_set(err, ENOTSUP,
				     "linux.resources.memory.swappiness: cgroup v2 "
				     "has no per-cgroup swappiness");
	if (r->disable_oom_killer)
		return scute_err_set(err, ENOTSUP,
				     "linux.resources.memory.disableOOMKiller: "
				     "cgroup v2 cannot disable the OOM killer");
	if (r->has_kernel_tcp)
		return scute_err_set(err, ENOTSUP,
				     "linux.resources.memory.kernelTCP: cgroup v2 "
				     "has no separate TCP memory limit (it counts "
				     "against memory.max)");
	return 0;
}

/* "max" for -1 (unlimited), else the number. */
static int write_limit(const struct scute_cgroup_dir *d, const char *file, int64_t v,
		       struct scute_err *err)
{
	return v < 0 ? scute_cgroup_write(d, file, err, "max")
		     : scute_cgroup_write(d, file, err, "%lld", (long long)v);
}

static int apply_memory(const struct scute_cgroup_dir *d, const struct scute_resources *r,
			struct scute_err *err)
{
	char buf[64];

	if (refuse_v1_only(r, err) < 0 ||
	    scute_cgroup_check_memory(d, r, "memory.current", err) < 0)
		return -1;
	if (!r->has_memory_limit && !r->has_memory_reservation && !r->has_memory_swap)
		return 0;
	if (enable_controller(d->path, "memory", err) < 0)
		return -1;
	if (r->has_memory_limit && write_limit(d, "memory.max", r->memory_limit, err) < 0)
		return -1;
	if (r->has_memory_reservation &&
	    write_limit(d, "memory.low", r->memory_reservation, err) < 0)
		return -1;
	if (r->has_memory_swap) {
		if (scute_swap_to_v2(r->has_memory_limit ? r->memory_limit : 0, r->memory_swap, buf,
				     sizeof(buf)) < 0)
			return scute_err_set(err, EINVAL,
					     "linux.resources.memory.swap: %lld needs a "
					     "memory limit no larger than it",
					     (long long)r->memory_swap);
		if (scute_cgroup_write(d, "memory.swap.max", err, "%s", buf) < 0)
			return -1;
	}
	return 0;
}

static int apply_cpu(const struct scute_cgroup_dir *d, const struct scute_resources *r,
		     struct scute_err *err)
{
	if (r->has_cpu_rt_runtime || r->has_cpu_rt_period)
		return scute_err_set(err, ENOTSUP,
				     "linux.resources.cpu.realtimeRuntime/"
				     "realtimePeriod: cgroup v2 has no realtime "
				     "group scheduling");
	if (!r->has_cpu_shares && !r->has_cpu_quota && !r->has_cpu_period && !r->has_cpu_burst &&
	    !r->has_cpu_idle)
		return 0;
	if (enable_controller(d->path, "cpu", err) < 0)
		return -1;
	if (r->has_cpu_shares &&
	    scute_cgroup_write(d, "cpu.weight", err, "%llu",
			       (unsigned long long)scute_shares_to_weight(r->cpu_shares)) < 0)
		return -1;
	if (r->has_cpu_quota || r->has_cpu_period) {
		unsigned long long period = r->has_cpu_period ? r->cpu_period : 100000;
		int rc = r->has_cpu_quota && r->cpu_quota >= 0
				 ? scute_cgroup_write(d, "cpu.max", err, "%lld %llu",
						      (long long)r->cpu_quota, period)
				 : scute_cgroup_write(d, "cpu.max", err, "max %llu", period);
		if (rc < 0)
			return -1;
	}
	if (r->has_cpu_burst && scute_cgroup_write(d, "cpu.max.burst", err, "%llu",
						   (unsigned long long)r->cpu_burst) < 0)
		return -1;
	if (r->has_cpu_idle &&
	    scute_cgroup_write(d, "cpu.idle", err, "%lld", (long long)r->cpu_idle) < 0)
		return -1;
	return 0;
}

/* Controllers whose limits have their own writer: enabled first. */
static int enable_for(const struct scute_cgroup_dir *d, bool wanted, const char *name,
		      struct scute_err *err)
{
	return wanted && scute_cgroup_has(d, name) ? enable_controller(d->path, name, err) : 0;
}

int scute_cgroup_v2_apply(const struct scute_cgroup_dir *d, const struct scute_resources *r,
			  bool devices, struct scute_err *err)
{
	if (devices && (!r->update || r->has_devices) && scute_cgroup_v2_devices(d, r, err) < 0)
		return -1;
	if (scute_cgroup_has(d, "memory") && apply_memory(d, r, err) < 0)
		return -1;
	if (scute_cgroup_has(d, "cpu") && apply_cpu(d, r, err) < 0)
		return -1;
	if ((r->cpus || r->mems) && scute_cgroup_has(d, "cpuset")) {
		if (enable_controller(d->path, "cpuset", err) < 0 ||
		    (r->cpus && scute_cgroup_write(d, "cpuset.cpus", err, "%s", r->cpus) < 0) ||
		    (r->mems && scute_cgroup_write(d, "cpuset.mems", err, "%s", r->mems) < 0))
			return -1;
	}
	if (enable_for(d,
		       r->n_throttles || r->has_blkio_weight || r->n_weight_devices ||
			       r->has_blkio_leaf_weight,
		       "io", err) < 0 ||
	    (scute_cgroup_has(d, "io") && scute_cgroup_v2_io(d, r, err) < 0))
		return -1;
	if (enable_for(d, r->n_hugepages, "hugetlb", err) < 0 ||
	    (scute_cgroup_has(d, "hugetlb") && scute_cgroup_hugetlb(d, r, err) < 0))
		return -1;
	if (enable_for(d, r->n_rdma, "rdma", err) < 0 ||
	    (scute_cgroup_has(d, "rdma") && scute_cgroup_rdma(d, r, err) < 0))
		return -1;
	for (size_t i = 0; i < r->n_unified; i++) {
		/* The controller a file belongs to is its name's first part. */
		const char *key = r->unified[2 * i];
		char controller[32];
		snprintf(controller, sizeof(controller), "%.*s", (int)strcspn(key, "."), key);
		if (enable_for(d, true, controller, err) < 0 ||
		    scute_cgroup_write(d, key, err, "%s", r->unified[2 * i + 1]) < 0)
			return scute_err_prefix(err, "linux.resources.unified.%s", key);
	}
	if (r->has_pids_limit && scute_cgroup_has(d, "pids") &&
	    (enable_controller(d->path, "pids", err) < 0 ||
	     write_limit(d, "pids.max", r->pids_limit, err) < 0))
		return -1;
	return 0;
}
