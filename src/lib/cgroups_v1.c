/* Resource limits on a cgroup v1 hierarchy. */
#include <fcntl.h>
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

int scute_cgroup_v1_apply(const struct scute_cgroup_dir *d, const struct scute_resources *r,
			  struct scute_err *err)
{
	if (scute_cgroup_has(d, "memory") && r->has_memory_limit &&
	    write_value(d, "memory.limit_in_bytes", r->memory_limit, err) < 0)
		return -1;
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
