/* `update` with a limit for a v1 hierarchy the container was left out of at
 * create (cgroups.c makes only the hierarchies something needs): make the
 * directory, write the limit, then move every process of the container in.
 *
 * Nothing may escape the move: the container is frozen meanwhile, so none
 * of its processes forks past the list that is read; each pid is held by a
 * pidfd and checked to be the container's, so a pid recycled by a host
 * process is never moved in; and the list is read again until every
 * process is inside (an `exec` may add one). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <unistd.h>

#include "cgroups.h"
#include "cleanup.h"
#include "fsutil.h"
#include "values.h"

/* Whether the kernel lists pid in d's cgroup.procs. Not /proc/PID/cgroup:
 * a thread group whose leader has exited shows there the leader's cgroup,
 * which a move of the live threads does not change. */
static bool listed(pid_t pid, const struct scute_cgroup_dir *d)
{
	char path[PATH_MAX + 32], line[32];
	auto_fclose FILE *f = NULL;

	snprintf(path, sizeof(path), "%s/cgroup.procs", d->path);
	f = fopen(path, "re");
	while (f && fgets(line, sizeof(line), f)) {
		int64_t v;
		if (scute_parse_line_u63(line, INT32_MAX, &v) && v == (int64_t)pid)
			return true;
	}
	return false;
}

/* Move one process: 1 when it was moved, 0 when there was nothing to do
 * (already inside, gone, or no longer the container's). */
static int move_one(pid_t pid, const struct scute_cgroup_dir *from,
		    const struct scute_cgroup_dir *to, struct scute_err *err)
{
	char path[PATH_MAX + 32], value[16];
	auto_fd int pidfd = pidfd_open(pid, 0);

	if (pidfd < 0)
		return errno == ESRCH ? 0 : scute_err_sys(err, "pidfd_open %d", (int)pid);
	/* Checked after the pidfd is taken and found alive after the check:
	 * the listings read were that process's, as its pid cannot be
	 * reused while it lives. */
	bool inside = listed(pid, to), ours = listed(pid, from);
	if (pidfd_send_signal(pidfd, 0, NULL, 0) < 0 || inside || !ours)
		return 0;
	snprintf(path, sizeof(path), "%s/cgroup.procs", to->path);
	snprintf(value, sizeof(value), "%d", (int)pid);
	if (scute_write_at(AT_FDCWD, path, value, err) < 0)
		return pidfd_send_signal(pidfd, 0, NULL, 0) < 0 ? 0 : -1;
	return 1;
}

static int move_all(const struct scute_cgroup *cg, const struct scute_cgroup_dir *to,
		    struct scute_err *err)
{
	const struct scute_cgroup_dir *from = scute_cgroup_procs_dir(cg);

	if (!from)
		return scute_err_set(err, ENOENT, "the container has no cgroup to list");
	for (int round = 0; round < 100; round++) {
		auto_free pid_t *pids = NULL;
		size_t n;
		bool moved = false;

		if (scute_cgroup_pids(cg, &pids, &n, err) < 0)
			return -1;
		for (size_t k = 0; k < n; k++) {
			int rc = move_one(pids[k], from, to, err);
			if (rc < 0)
				return -1;
			moved |= rc > 0;
		}
		if (!moved)
			return 0;
	}
	return scute_err_set(err, EAGAIN, "%s: the container's processes did not settle", to->path);
}

int scute_cgroup_grow(struct scute_cgroup *cg, int i, const struct scute_resources *res,
		      struct scute_err *err)
{
	struct scute_cgroup_dir *d = &cg->dirs[i];
	auto_free char *made = NULL;
	bool frozen;
	int rc;

	if (scute_cgroup_frozen(cg, &frozen) < 0)
		return scute_err_set(err, ENOTSUP,
				     "the container has no cgroup in the v1 %s hierarchy, and "
				     "without a freezer its processes cannot be moved in safely",
				     d->controllers);
	if (scute_cgroup_make_dir(d, &made, err) < 0)
		return -1;
	d->created = made != NULL;
	if (!d->created && scute_cgroup_dir_populated(d))
		return scute_err_set(err, EBUSY, "cgroup %s already holds processes", d->path);
	/* d stays absent until the end: it is neither the list of the
	 * container's processes nor its freezer until they are all in. */
	if (scute_cgroup_apply(cg, i, res, err) < 0 ||
	    (!frozen && scute_cgroup_freeze(cg, true, err) < 0)) {
		if (made)
			scute_cgroup_remove_up_to(d->path, made);
		return -1;
	}
	rc = move_all(cg, d, err);
	/* A failed move's error is the one reported, not the thaw's. */
	struct scute_err thaw_err;
	if (!frozen && scute_cgroup_freeze(cg, false, &thaw_err) < 0 && rc == 0) {
		*err = thaw_err;
		rc = -1;
	}
	d->absent = false; /* processes may be inside: the state must record it */
	return rc;
}
