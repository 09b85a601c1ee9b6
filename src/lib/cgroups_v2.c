/* Resource limits on the cgroup v2 hierarchy, with the controllers enabled
 * down the path so the container's directory can hold them. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "cgroups.h"
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

/* cpu.shares (2..262144) onto cpu.weight (1..10000), as runc and crun do. */
static unsigned long long shares_to_weight(unsigned long long shares)
{
	if (shares < 2)
		shares = 2;
	if (shares > 262144)
		shares = 262144;
	return 1 + ((shares - 2) * 9999) / 262142;
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
			snprintf(buf, sizeof(buf), "%llu", shares_to_weight(r->cpu_shares));
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
