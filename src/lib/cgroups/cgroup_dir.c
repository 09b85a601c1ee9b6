#include "cgroup_dir.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsutil.h"
#include "values.h"

bool scute_cgroup_has(const struct scute_cgroup_dir *d, const char *controller)
{
	char list[256], want[40];

	snprintf(list, sizeof(list), ",%s,", d->controllers);
	snprintf(want, sizeof(want), ",%s,", controller);
	return strstr(list, want) != NULL;
}

int scute_cgroup_write(const struct scute_cgroup_dir *d, const char *file, struct scute_err *err,
		       const char *fmt, ...)
{
	char path[PATH_MAX + 64], value[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(value, sizeof(value), fmt, ap);
	va_end(ap);
	snprintf(path, sizeof(path), "%s/%s", d->path, file);
	return scute_write_at(AT_FDCWD, path, value, err);
}

int scute_cgroup_read(const struct scute_cgroup_dir *d, const char *file, char *buf, size_t len,
		      struct scute_err *err)
{
	char path[PATH_MAX + 64];

	snprintf(path, sizeof(path), "%s/%s", d->path, file);
	return scute_read_at(AT_FDCWD, path, buf, len, err) < 0 ? -1 : 0;
}

bool scute_cgroup_file_exists(const struct scute_cgroup_dir *d, const char *file)
{
	char path[PATH_MAX + 64];

	snprintf(path, sizeof(path), "%s/%s", d->path, file);
	return access(path, F_OK) == 0;
}

int scute_cgroup_check_memory(const struct scute_cgroup_dir *d, const struct scute_resources *r,
			      const char *usage_file, struct scute_err *err)
{
	char buf[64];
	unsigned long long usage;
	int64_t v;

	if (!r->update || !r->check_before_update || !r->has_memory_limit || r->memory_limit < 0)
		return 0;
	if (scute_cgroup_read(d, usage_file, buf, sizeof(buf), err) < 0)
		return -1;
	if (!scute_parse_line_u63(buf, INT64_MAX, &v))
		return scute_err_set(err, EIO, "%s/%s: not a number: \"%.20s\"", d->path,
				     usage_file, buf);
	usage = (unsigned long long)v;
	if ((unsigned long long)r->memory_limit < usage)
		return scute_err_set(err, EBUSY,
				     "linux.resources.memory.limit: %lld is below the "
				     "container's current usage of %llu bytes "
				     "(checkBeforeUpdate)",
				     (long long)r->memory_limit, usage);
	return 0;
}
