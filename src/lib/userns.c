#include "userns.h"

#include <errno.h>
#include <stdio.h>

#include "fsutil.h"

int scute_idmap_format(const struct scute_idmap *maps, size_t n, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		int w = snprintf(buf + used, len - used, "%u %u %u\n", maps[i].container_id,
				 maps[i].host_id, maps[i].size);
		if (w < 0 || (size_t)w >= len - used)
			return -1;
		used += (size_t)w;
	}
	return 0;
}

static int write_map(int procfd, pid_t pid, const char *file, const struct scute_idmap *maps,
		     size_t n, struct scute_err *err)
{
	char path[64], buf[4096];

	if (scute_idmap_format(maps, n, buf, sizeof(buf)) < 0)
		return scute_err_set(err, E2BIG, "%s: too many mappings", file);
	snprintf(path, sizeof(path), "%d/%s", pid, file);
	return scute_proc_write(procfd, path, buf, err);
}

int scute_userns_write_maps(int procfd, pid_t pid, const struct scute_spec *spec,
			    struct scute_err *err)
{
	if (write_map(procfd, pid, "uid_map", spec->uid_maps, spec->n_uid_maps, err) < 0)
		return scute_err_prefix(err, "linux.uidMappings");
	if (write_map(procfd, pid, "gid_map", spec->gid_maps, spec->n_gid_maps, err) < 0)
		return scute_err_prefix(err, "linux.gidMappings");
	return 0;
}
