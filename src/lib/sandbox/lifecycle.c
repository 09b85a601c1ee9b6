/* The verbs on an existing container, parent side: load, start, kill,
 * delete, forget, pause and resume, update; and following a process of the
 * container until its exec. create is container.c. */
#include "container.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/sched.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/pidfd.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "cgroups.h"
#include "cleanup.h"
#include "coverage.h"
#include "fdpass.h"
#include "fsutil.h"
#include "init.h"
#include "hooks_run.h"
#include "inherit.h"
#include "log.h"
#include "lsm.h"
#include "namespaces.h"
#include "process.h"
#include "seccomp.h"
#include "selfexec.h"
#include "seccomp_cache.h"
#include "seccomp_listener.h"
#include "spec.h"
#include "state_root.h"
#include "sync.h"
#include "sysctl.h"
#include "terminal.h"
#include "userns.h"

/* What create holds while it works; undone in reverse on failure. */

/* The checked state root for a verb on container ID (state_root.h): a
 * missing root holds no container. */
static int open_root(const char *root, const char *id, struct scute_err *err)
{
	/* A bad id is named as such, before anything else is looked at. */
	if (scute_state_check_id(id, err) < 0)
		return -1;
	int fd = scute_state_root_open(root, false, err);

	if (fd < 0 && err->code == ENOENT)
		scute_err_set(err, ENOENT, "container \"%s\" does not exist", id);
	return fd;
}

int scute_container_load(const char *root, const char *id, struct scute_state *st,
			 struct scute_err *err)
{
	auto_fd int rootfd = open_root(root, id, err);

	if (rootfd < 0)
		return -1;
	return scute_state_load_at(rootfd, id, st, err);
}

/* Open a locked state directory and read the state. */
static int open_locked(int rootfd, const char *id, struct scute_state *st, struct scute_err *err)
{
	auto_fd int dirfd = scute_state_dir_open(rootfd, id, err);

	if (dirfd < 0)
		return -1;
	if (flock(dirfd, LOCK_EX) < 0) {
		/* -1 spelled out: the analyzer cannot see scute_err_sys's
		 * return, and the caller reads *st when this is an fd. */
		scute_err_sys(err, "lock container \"%s\"", id);
		return -1;
	}
	/* removed by the holder of the lock while this waited for it */
	if (!scute_state_dir_current(rootfd, id, dirfd)) {
		scute_err_set(err, ENOENT, "container \"%s\" does not exist", id);
		return -1;
	}
	if (scute_state_read(dirfd, st, err) < 0)
		return -1;
	return scute_take_fd(&dirfd);
}

/* open_root, then open_locked; the root's fd is left in *keep_root for a
 * caller that works in it, else closed. */
static int open_root_locked(const char *root, const char *id, int *keep_root,
			    struct scute_state *st, struct scute_err *err)
{
	auto_fd int rootfd = open_root(root, id, err);
	int dirfd;

	if (rootfd < 0)
		return -1;
	dirfd = open_locked(rootfd, id, st, err);
	if (dirfd >= 0 && keep_root)
		*keep_root = scute_take_fd(&rootfd);
	return dirfd;
}

/* The init's "ERRNO:message" about its exec; the code is ENOEXEC when the
 * message carries none. */
static int exec_failure(const char *msg, struct scute_err *err)
{
	char *end;
	long code = strtol(msg, &end, 10);

	if (end == msg || *end != ':' || code <= 0 || code > 4095)
		scute_err_set(err, ENOEXEC, "%s", msg);
	else
		scute_err_set(err, (int)code, "%s", end + 1);
	err->program = true;
	return -1;
}

/* What the init sends until it has exec'd: a seccomp listener to act on
 * ("G": let its own exec through; "L": hand to the agent), or the reason
 * its exec failed. End of stream means the exec happened. */
int scute_container_follow_exec(int conn, const struct scute_state *st, pid_t pid,
				struct scute_err *err)
{
	char msg[SCUTE_ERR_MSG_MAX];
	int fd, rc, limit_ms = 0;
	ssize_t n;

	for (;;) {
		if (scute_wait_unless_stopped_for(conn, pid, "start", limit_ms, err) < 0)
			return limit_ms ? scute_err_prefix(err, "seccomp agent at %s",
							   st->listener_path)
					: -1;
		if ((n = scute_recv_fd(conn, msg, sizeof(msg), &fd, err)) <= 0)
			break;
		if (fd >= 0 && strcmp(msg, "G") == 0) {
			/* The exec's notification is waited for as the message
			 * was: an init stopped between the two fails start. */
			rc = scute_wait_unless_stopped(fd, pid, "start", err);
			if (rc == 0)
				rc = scute_seccomp_guard_exec(fd, pid, err);
		} else if (fd >= 0 && strcmp(msg, "L") == 0 && st->listener_path) {
			auto_json json_t *state = scute_state_to_oci(st);
			rc = scute_seccomp_send_to_agent(fd, st->listener_path,
							 st->listener_metadata, pid, state, err);
			/* From here the init's way to its exec may wait on the
			 * agent's answers: a silent agent must not hang start
			 * (and, through the lock start holds, delete). */
			limit_ms = SCUTE_AGENT_TIMEOUT_MS;
		} else {
			rc = exec_failure(msg, err);
		}
		/* By hand, here: with the guard, every later exec fails from
		 * this point on, before the next wait. */
		if (fd >= 0)
			close(fd);
		if (rc < 0)
			return -1;
	}
	return n < 0 ? -1 : 0;
}

static int kill_remaining(const struct scute_state *st, struct scute_err *err);

/* Run the poststart or poststop hooks the state kept from the config. */
static int stored_hooks(const struct scute_state *st, enum scute_hook_kind kind,
			struct scute_err *err)
{
	struct scute_hooks hooks;
	auto_free char *state = NULL;
	int rc;

	if (!st->hooks)
		return 0;
	if (scute_hooks_parse(st->hooks, "state.json", &hooks, err) < 0)
		return -1;
	state = scute_state_hook_text(st);
	rc = state ? scute_hooks_run(&hooks, kind, state, err)
		   : scute_err_set(err, ENOMEM, "out of memory");
	scute_hooks_free(&hooks);
	return rc;
}

/* The init execs on the message start sends (the state, for the
 * startContainer hooks); the connection closes on a successful exec
 * (close-on-exec) and carries the reason otherwise. */
static int start_exec(int conn, const struct scute_state *st, const char *id, struct scute_err *err)
{
	auto_free char *state = scute_state_init_hook_text(st);

	if (!state)
		return scute_err_set(err, ENOMEM, "start container \"%s\": out of memory", id);
	if (scute_sync_send_text(conn, state, err) < 0)
		return scute_err_prefix(err, "start container \"%s\"", id);
	return scute_container_follow_exec(conn, st, st->pid, err);
}

/* The start of a created container whose state directory `dirfd` the
 * caller holds locked, with its state `st` (start, and create for run). */
int scute_container_start_locked(int dirfd, struct scute_state *st, struct scute_err *err)
{
	/* No connection: the init was not told, the state stays "created". */
	int conn = scute_start_socket(dirfd, false, err);
	int rc;

	if (conn < 0)
		return -1;
	rc = start_exec(conn, st, st->id, err);
	close(conn);
	scute_debug("start %s: exec done", st->id);
	unlinkat(dirfd, SCUTE_START_SOCKET, 0);
	st->stored = rc == 0 ? SCUTE_RUNNING : SCUTE_STOPPED;
	if (scute_state_write(dirfd, st, rc == 0 ? err : &(struct scute_err){ 0 }) < 0)
		rc = -1;
	if (rc == 0 && stored_hooks(st, SCUTE_HOOK_POSTSTART, err) < 0) {
		/* As runc: a failed poststart hook fails start, and the
		 * container does not go on running half-started. */
		kill_remaining(st, &(struct scute_err){ 0 });
		rc = -1;
	}
	return rc;
}

int scute_container_start(const char *root, const char *id, struct scute_err *err)
{
	struct scute_state st;
	auto_fd int dirfd = open_root_locked(root, id, NULL, &st, err);
	int rc;

	if (dirfd < 0)
		return -1;
	if (scute_state_status(&st) != SCUTE_CREATED)
		rc = scute_err_set(err, EINVAL, "container \"%s\" is %s, not created: cannot start",
				   id, scute_status_name(scute_state_status(&st)));
	else
		rc = scute_container_start_locked(dirfd, &st, err);
	scute_state_free(&st);
	return rc;
}

/* A pidfd for the state's init, or -1 when it is gone; the start time check
 * after opening makes sure the pid was not reused. */
int scute_container_init_pidfd(const struct scute_state *st)
{
	bool zombie;
	auto_fd int fd = pidfd_open(st->pid, 0);

	if (fd < 0)
		return -1;
	if (scute_pid_starttime(st->pid, &zombie) != st->starttime)
		return -1;
	return scute_take_fd(&fd);
}

static bool listed(const pid_t *pids, size_t n, pid_t pid)
{
	for (size_t i = 0; i < n; i++)
		if (pids[i] == pid)
			return true;
	return false;
}

/* kill --all with a signal other than KILL (which cgroup.kill or the
 * cgroup's teardown makes safe): every pid of the cgroup is pinned with a
 * pidfd, and signalled only if the cgroup still lists it after the pin. A
 * pid that a process outside the container took over meanwhile is not
 * listed, so it is never hit; nothing is frozen, the state is unchanged. */
static int signal_all_pinned(const struct scute_cgroup *cg, int sig, struct scute_err *err)
{
	auto_free pid_t *before = NULL;
	auto_free pid_t *after = NULL;
	auto_free int *fds = NULL;
	size_t nb, na = 0;
	int rc = 0;

	if (scute_cgroup_pids(cg, &before, &nb, err) < 0)
		return err->code == ENOENT ? 0 : -1; /* the cgroup is gone */
	fds = malloc((nb ? nb : 1) * sizeof(int));
	if (!fds)
		return scute_err_set(err, ENOMEM, "out of memory");
	for (size_t i = 0; i < nb; i++)
		fds[i] = pidfd_open(before[i], 0);
	if (scute_cgroup_pids(cg, &after, &na, err) < 0)
		rc = err->code == ENOENT ? 0 : -1;
	for (size_t i = 0; i < nb; i++) {
		if (rc == 0 && fds[i] >= 0 && listed(after, na, before[i]) &&
		    pidfd_send_signal(fds[i], sig, NULL, 0) < 0 && errno != ESRCH)
			scute_debug("kill %d: %s", before[i], strerror(errno));
		if (fds[i] >= 0)
			close(fds[i]);
	}
	/* auto_free (cleanup.h); clang-tidy 14 does not run cleanups */
	/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc) */
	return rc;
}

int scute_container_kill(const char *root, const char *id, int sig, bool all, struct scute_err *err)
{
	struct scute_state st;
	enum scute_status s;
	int rc = 0;
	auto_fd int pidfd = -1;

	if (scute_container_load(root, id, &st, err) < 0)
		return -1;
	s = scute_state_status(&st);
	if (all && sig != SIGKILL) {
		rc = signal_all_pinned(&st.cgroup, sig, err);
	} else if (all) {
		rc = scute_cgroup_signal_all(&st.cgroup, sig, err);
	} else if (s != SCUTE_CREATED && s != SCUTE_RUNNING && s != SCUTE_PAUSED) {
		rc = scute_err_set(err, ESRCH, "container \"%s\" is not running", id);
	} else if ((pidfd = scute_container_init_pidfd(&st)) < 0) {
		rc = scute_err_set(err, ESRCH, "container \"%s\" is not running", id);
	} else {
		if (pidfd_send_signal(pidfd, sig, NULL, 0) < 0)
			rc = scute_err_sys(err, "send signal %d to container \"%s\"", sig, id);
	}
	scute_state_free(&st);
	return rc;
}

/* Wait (up to ~10 s) for a process we are not the parent of to exit. */
static void wait_exit(int pidfd)
{
	struct pollfd p = { .fd = pidfd, .events = POLLIN };

	while (poll(&p, 1, 10000) < 0 && errno == EINTR)
		;
}

/* Kill whatever is left and wait for it: the init first (in its own pid
 * namespace that takes every process with it), then the cgroup. */
static int kill_remaining(const struct scute_state *st, struct scute_err *err)
{
	struct timespec pause = { 0, 1000L * 1000 };
	auto_fd int pidfd = scute_container_init_pidfd(st);

	if (pidfd >= 0) {
		pidfd_send_signal(pidfd, SIGKILL, NULL, 0);
		wait_exit(pidfd);
	}
	for (int i = 0; i < 5000 && scute_cgroup_populated(&st->cgroup); i++) {
		if (scute_cgroup_signal_all(&st->cgroup, SIGKILL, err) < 0)
			return -1;
		nanosleep(&pause, NULL);
	}
	return 0;
}

int scute_container_delete(const char *root, const char *id, bool force, struct scute_err *err)
{
	struct scute_state st;
	enum scute_status s;
	auto_fd int rootfd = -1;
	auto_fd int dirfd = -1; /* closed first: the lock goes before the root */
	int rc = 0;

	/* The hooks run are those of the state read below the checked root,
	 * by fd: never of a directory swapped in by path. */
	dirfd = open_root_locked(root, id, &rootfd, &st, err);
	if (dirfd < 0)
		return -1;
	s = scute_state_status(&st);
	if ((s == SCUTE_RUNNING || s == SCUTE_PAUSED) && !force) {
		rc = scute_err_set(err, EBUSY,
				   "container \"%s\" is running: stop it first or use "
				   "delete --force",
				   id);
	} else {
		/* Frozen processes die only once thawed. */
		if (s == SCUTE_PAUSED)
			scute_cgroup_freeze(&st.cgroup, false, &(struct scute_err){ 0 });
		rc = kill_remaining(&st, err);
		scute_debug("delete %s: processes gone", id);
		if (rc == 0)
			rc = scute_cgroup_destroy(&st.cgroup, err);
		scute_debug("delete %s: cgroups removed", id);
		if (rc == 0)
			rc = scute_state_remove(rootfd, id, err);
		struct scute_err hook_err = { 0 };
		st.stored = SCUTE_STOPPED;
		if (rc == 0 && stored_hooks(&st, SCUTE_HOOK_POSTSTOP, &hook_err) < 0)
			scute_warn("%s", hook_err.msg);
	}
	scute_state_free(&st);
	return rc;
}

int scute_container_forget(const char *root, const char *id, struct scute_err *err)
{
	struct scute_state st;
	auto_fd int rootfd = open_root(root, id, err);
	int dirfd, rc;

	if (rootfd < 0)
		return -1;
	dirfd = scute_state_dir_open(rootfd, id, err);
	if (dirfd < 0 && err->code == ENOENT)
		return -1;
	if (dirfd >= 0) {
		rc = scute_state_read(dirfd, &st, err);
		close(dirfd);
		if (rc == 0) {
			scute_state_free(&st);
			return scute_err_set(err, EEXIST, "container \"%s\" has a readable state",
					     id);
		}
	}
	scute_warn("container \"%s\": state unreadable, removed without cleanup", id);
	return scute_state_remove(rootfd, id, err);
}

int scute_container_pause(const char *root, const char *id, bool pause, struct scute_err *err)
{
	enum scute_status want = pause ? SCUTE_RUNNING : SCUTE_PAUSED;
	struct scute_state st;
	auto_fd int dirfd = -1;
	int rc;

	dirfd = open_root_locked(root, id, NULL, &st, err);
	if (dirfd < 0)
		return -1;
	if (scute_state_status(&st) != want)
		rc = scute_err_set(err, EINVAL, "container \"%s\" is %s, not %s", id,
				   scute_status_name(scute_state_status(&st)),
				   scute_status_name(want));
	else
		rc = scute_cgroup_freeze(&st.cgroup, pause, err);
	if (rc == 0) {
		st.stored = pause ? SCUTE_PAUSED : SCUTE_RUNNING;
		rc = scute_state_write(dirfd, &st, err);
	}
	scute_state_free(&st);
	return rc;
}

/* The limits are parsed (and refused, naming the field) before the state
 * root is touched. */
int scute_container_update(const char *root, const char *id, json_t *resources, const char *where,
			   struct scute_err *err)
{
	struct scute_resources res;
	struct scute_state st;
	enum scute_status s;
	bool grown = false;
	auto_fd int dirfd = -1;
	int rc;

	if (scute_resources_parse(resources, where, &res, err) < 0) {
		scute_resources_free(&res);
		return -1;
	}
	dirfd = open_root_locked(root, id, NULL, &st, err);
	if (dirfd < 0) {
		scute_resources_free(&res);
		return -1;
	}
	s = scute_state_status(&st);
	res.update = true;
	if (s == SCUTE_STOPPED || s == SCUTE_CREATING)
		rc = scute_err_set(err, EINVAL, "container \"%s\" is %s: nothing to update", id,
				   scute_status_name(s));
	else
		rc = scute_cgroup_update(&st.cgroup, &res, &grown, err);
	/* A hierarchy made now (the container was left out of it at create). */
	struct scute_err write_err;
	if (grown && scute_state_write(dirfd, &st, &write_err) < 0 && rc == 0) {
		*err = write_err;
		rc = -1;
	}
	scute_state_free(&st);
	scute_resources_free(&res);
	return rc;
}
