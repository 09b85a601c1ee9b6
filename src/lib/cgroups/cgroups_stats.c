/* Container statistics and OOM kills from its cgroups, in runc's `events`
 * shape: {"cpu":{"usage":{...}},"memory":{"usage":{...}},"pids":{...}}. */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroups.h"
#include "fsutil.h"
#include "values.h"

static const struct scute_cgroup_dir *dir_with(const struct scute_cgroup *cg, const char *ctl)
{
	for (int i = 0; i < cg->n; i++)
		if (scute_cgroup_live(&cg->dirs[i]) && scute_cgroup_has(&cg->dirs[i], ctl))
			return &cg->dirs[i];
	return NULL;
}

/* A file holding one number ("max" reads as 0 with *unlimited set). */
static unsigned long long read_number(const struct scute_cgroup_dir *d, const char *file)
{
	char path[PATH_MAX + 64], buf[64];
	struct scute_err ignored;

	if (!d)
		return 0;
	snprintf(path, sizeof(path), "%s/%s", d->path, file);
	int64_t v;

	if (scute_read_at(AT_FDCWD, path, buf, sizeof(buf), &ignored) <= 0 ||
	    !scute_parse_line_u63(buf, INT64_MAX, &v))
		return 0; /* missing, or "max" */
	return (unsigned long long)v;
}

/* "key value" lines (cpuacct.stat, cpu.stat, memory.events, oom_control). */
static unsigned long long read_key(const struct scute_cgroup_dir *d, const char *file,
				   const char *key)
{
	char path[PATH_MAX + 64], buf[4096], *p;
	struct scute_err ignored;
	size_t klen = strlen(key);

	if (!d)
		return 0;
	snprintf(path, sizeof(path), "%s/%s", d->path, file);
	if (scute_read_at(AT_FDCWD, path, buf, sizeof(buf), &ignored) <= 0)
		return 0;
	for (p = buf; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (strncmp(p, key, klen) == 0 && p[klen] == ' ') {
			int64_t v;
			return scute_parse_line_u63(p + klen + 1, INT64_MAX, &v)
				       ? (unsigned long long)v
				       : 0;
		}
	return 0;
}

unsigned long long scute_cgroup_oom_kills(const struct scute_cgroup *cg)
{
	const struct scute_cgroup_dir *d = dir_with(cg, "memory");

	if (!d)
		return 0;
	return d->v2 ? read_key(d, "memory.events", "oom_kill")
		     : read_key(d, "memory.oom_control", "oom_kill");
}

static json_t *cpu_stats(const struct scute_cgroup *cg)
{
	const struct scute_cgroup_dir *d = dir_with(cg, "cpuacct");
	unsigned long long total, user, kernel;

	if (d) { /* v1: nanoseconds, and USER_HZ ticks in cpuacct.stat */
		long hz = 100;
		total = read_number(d, "cpuacct.usage");
		user = read_key(d, "cpuacct.stat", "user") *
		       (1000000000ULL / (unsigned long long)hz);
		kernel = read_key(d, "cpuacct.stat", "system") *
			 (1000000000ULL / (unsigned long long)hz);
	} else { /* v2: microseconds in cpu.stat (a core file: without a v1
		  * cpuacct directory, cgroup2 still counts the container's time) */
		d = dir_with(cg, "cpu");
		const struct scute_cgroup_dir *v2 = d;
		for (int i = 0; !v2 && i < cg->n; i++)
			if (cg->dirs[i].v2 && scute_cgroup_live(&cg->dirs[i]))
				v2 = &cg->dirs[i];
		total = read_key(v2, "cpu.stat", "usage_usec") * 1000;
		user = read_key(v2, "cpu.stat", "user_usec") * 1000;
		kernel = read_key(v2, "cpu.stat", "system_usec") * 1000;
	}
	return json_pack("{s:{s:I, s:I, s:I}}", "usage", "total", (json_int_t)total, "usermode",
			 (json_int_t)user, "kernel", (json_int_t)kernel);
}

static json_t *memory_stats(const struct scute_cgroup *cg)
{
	const struct scute_cgroup_dir *d = dir_with(cg, "memory");
	unsigned long long usage, max, limit, failcnt;

	if (!d)
		return json_object();
	if (d->v2) {
		usage = read_number(d, "memory.current");
		max = read_number(d, "memory.peak");
		limit = read_number(d, "memory.max");
		failcnt = read_key(d, "memory.events", "max");
	} else {
		usage = read_number(d, "memory.usage_in_bytes");
		max = read_number(d, "memory.max_usage_in_bytes");
		limit = read_number(d, "memory.limit_in_bytes");
		failcnt = read_number(d, "memory.failcnt");
	}
	return json_pack("{s:{s:I, s:I, s:I, s:I}, s:I}", "usage", "usage", (json_int_t)usage,
			 "max", (json_int_t)max, "limit", (json_int_t)limit, "failcnt",
			 (json_int_t)failcnt, "oomKills", (json_int_t)scute_cgroup_oom_kills(cg));
}

json_t *scute_cgroup_stats(const struct scute_cgroup *cg)
{
	const struct scute_cgroup_dir *p = dir_with(cg, "pids");

	return json_pack("{s:o, s:o, s:{s:I, s:I}}", "cpu", cpu_stats(cg), "memory",
			 memory_stats(cg), "pids", "current",
			 (json_int_t)read_number(p, "pids.current"), "limit",
			 (json_int_t)read_number(p, "pids.max"));
}
