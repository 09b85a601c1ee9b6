#include "userns.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

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

/* Only the caller's own id, once: what a user may map without help. */
static bool own_id_only(const struct scute_idmap *maps, size_t n, unsigned int id)
{
	return n == 1 && maps[0].size == 1 && maps[0].host_id == id;
}

/* newuidmap/newgidmap (setuid, from the uidmap package) map the ranges
 * /etc/subuid and /etc/subgid give the user. */
static int run_helper(const char *helper, pid_t pid, const struct scute_idmap *maps, size_t n,
		      const char *field, struct scute_err *err)
{
	char *argv[3 + 3 * 64 + 1], nums[3 * 64 + 1][16];
	int status, k = 0;
	pid_t child;

	if (n > 64)
		return scute_err_set(err, E2BIG, "%s: too many mappings", field);
	argv[k++] = (char *)helper;
	snprintf(nums[0], sizeof(nums[0]), "%d", pid);
	argv[k++] = nums[0];
	for (size_t i = 0; i < n; i++) {
		const uint32_t v[3] = { maps[i].container_id, maps[i].host_id, maps[i].size };
		for (int j = 0; j < 3; j++) {
			snprintf(nums[1 + 3 * i + (size_t)j], sizeof(nums[0]), "%u", v[j]);
			argv[k++] = nums[1 + 3 * i + (size_t)j];
		}
	}
	argv[k] = NULL;
	child = fork();
	if (child < 0)
		return scute_err_sys(err, "%s: fork", field);
	if (child == 0) {
		execvp(helper, argv);
		_exit(errno == ENOENT ? 127 : 126);
	}
	if (waitpid(child, &status, 0) < 0)
		return scute_err_sys(err, "%s: wait for %s", field, helper);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return scute_err_set(err, ENOENT,
				     "%s: mapping more than your own id needs %s "
				     "(apt-get install uidmap) and ranges in "
				     "/etc/subuid and /etc/subgid",
				     field, helper);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return scute_err_set(err, EPERM,
				     "%s: %s refused the mapping (are the ranges "
				     "yours in /etc/subuid and /etc/subgid?)",
				     field, helper);
	return 0;
}

int scute_userns_write_maps(int procfd, pid_t pid, const struct scute_spec *spec,
			    struct scute_err *err)
{
	char path[64];

	if (geteuid() == 0) {
		if (write_map(procfd, pid, "uid_map", spec->uid_maps, spec->n_uid_maps, err) < 0)
			return scute_err_prefix(err, "linux.uidMappings");
		if (write_map(procfd, pid, "gid_map", spec->gid_maps, spec->n_gid_maps, err) < 0)
			return scute_err_prefix(err, "linux.gidMappings");
		return 0;
	}
	/* Rootless: the user's own uid and gid it may map itself (for the
	 * gid, setgroups must be denied first); anything more goes through
	 * the setuid helpers. */
	if (own_id_only(spec->uid_maps, spec->n_uid_maps, geteuid())) {
		if (write_map(procfd, pid, "uid_map", spec->uid_maps, spec->n_uid_maps, err) < 0)
			return scute_err_prefix(err, "linux.uidMappings");
	} else if (run_helper("newuidmap", pid, spec->uid_maps, spec->n_uid_maps,
			      "linux.uidMappings", err) < 0) {
		return -1;
	}
	if (own_id_only(spec->gid_maps, spec->n_gid_maps, getegid())) {
		snprintf(path, sizeof(path), "%d/setgroups", pid);
		if (scute_proc_write(procfd, path, "deny", err) < 0 ||
		    write_map(procfd, pid, "gid_map", spec->gid_maps, spec->n_gid_maps, err) < 0)
			return scute_err_prefix(err, "linux.gidMappings");
	} else if (run_helper("newgidmap", pid, spec->gid_maps, spec->n_gid_maps,
			      "linux.gidMappings", err) < 0) {
		return -1;
	}
	return 0;
}
