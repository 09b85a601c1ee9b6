/* create, parent side: validate, make the cgroup, spawn the init (through an
 * intermediate when namespaces are joined by path), run the create hooks,
 * write the state. The other verbs are lifecycle.c. */
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
struct creation {
	const struct scute_create_opts *o;
	struct scute_spec *spec;
	struct scute_bpf bpf;
	struct scute_state st;
	int rootfd, dirfd, sync[2], start_fd, console_fd;
	pid_t pid;
	bool cgroup_made;
};

static void now_rfc3339(char *buf, size_t len)
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	size_t n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, len - n, ".%09ldZ", ts.tv_nsec);
}

/* The start socket lives in the state directory; it is bound (by create)
 * or connected (by start) relative to the directory fd, so the state
 * root's length never matters. */

/* Join one namespace given by path, through one fd: the file checked is
 * the file joined. A namespace whose sysctls the config sets must not be
 * the runtime's own (the parse checked the path; this checks the fd). */
static int join_one(const struct scute_spec *s, enum scute_ns_type t, int procfd,
		    struct scute_err *err)
{
	const char *path = s->ns[t].path, *key = scute_sysctl_needing(s, t);
	struct stat st;
	/* O_NONBLOCK: a FIFO named as a namespace must fail setns, not hang.
	 * Closed on return, so before the init is cloned. */
	auto_fd int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return scute_err_sys(err, "linux.namespaces: open %s", path);
	if (key && (fstat(fd, &st) < 0 || scute_sysctl_is_runtime_ns(&st, t)))
		return scute_err_set(err, EINVAL,
				     "config.json: linux.sysctl.%s: the %s namespace %s is the "
				     "runtime's own: it would change the host",
				     key, scute_ns_name(t), path);
	if (t == SCUTE_NS_PID && scute_ns_pid_check_tracers(procfd, fd, path, err) < 0)
		return -1;
	if (setns(fd, scute_ns_clone_flag(t)) < 0)
		return scute_err_sys(err, "linux.namespaces: join %s namespace %s",
				     scute_ns_name(t), path);
	return 0;
}

/* Run in the intermediate process, never in the runtime: the namespaces
 * given by path (except user, which the init joins first thing, so that
 * the namespaces it makes are owned by it) are joined with the runtime's
 * privileges; pid and time apply to children only, so the init cloned
 * next is born in them. A new time namespace gets its offsets before the
 * init is born into it. */
static int parent_namespaces(struct creation *c, int procfd, struct scute_err *err)
{
	const struct scute_spec *s = c->spec;
	char offsets[128];

	scute_ns_warn_shared(s);
	for (int t = 0; t < SCUTE_NS_COUNT; t++)
		/* The mount namespace is joined by the init itself, after it
		 * took its procfs handle (init.c enter_namespaces). */
		if (s->ns[t].path && t != SCUTE_NS_USER && t != SCUTE_NS_MNT &&
		    join_one(s, t, procfd, err) < 0)
			return -1;
	if (s->ns[SCUTE_NS_TIME].present && !s->ns[SCUTE_NS_TIME].path) {
		if (unshare(CLONE_NEWTIME) < 0)
			return scute_err_sys(err, "create a time namespace");
		if (s->has_time_offsets) {
			snprintf(offsets, sizeof(offsets), "monotonic %lld %u\nboottime %lld %u\n",
				 (long long)s->monotonic_secs, s->monotonic_nsecs,
				 (long long)s->boottime_secs, s->boottime_nsecs);
			if (scute_proc_self_write(procfd, "timens_offsets", offsets, err) < 0)
				return scute_err_prefix(err, "linux.timeOffsets");
		}
	}
	return 0;
}

/* Which new namespaces come with clone3 and which the init unshares. */
static void split_namespaces(const struct scute_spec *s, uint64_t *clone_flags, int *unshare_flags)
{
	bool user_path = s->ns[SCUTE_NS_USER].path != NULL;

	*clone_flags = 0;
	*unshare_flags = 0;
	for (int t = 0; t < SCUTE_NS_COUNT; t++) {
		if (!s->ns[t].present || s->ns[t].path || t == SCUTE_NS_TIME)
			continue;
		if (t == SCUTE_NS_USER || t == SCUTE_NS_PID)
			*clone_flags |= (uint64_t)scute_ns_clone_flag(t);
		else if (t == SCUTE_NS_CGROUP)
			continue; /* by the init, once it is in its cgroup */
		else if (user_path)
			/* with a joined user namespace: so that it owns them */
			*unshare_flags |= scute_ns_clone_flag(t);
		else
			*clone_flags |= (uint64_t)scute_ns_clone_flag(t);
	}
}

/* clone3 straight into the cgroup2 cgroup when there is one (no grace
 * period either); kernels without CLONE_INTO_CGROUP get the pid written.
 * With CLONE_PARENT (from the intermediate) the init is the runtime's
 * child; it then takes the caller's exit signal, and clone3 wants 0. */
static int clone_init(struct creation *c, uint64_t flags, const struct scute_cgroup_fds *fds,
		      bool *v2_pending, struct scute_err *err)
{
	struct clone_args args = { .flags = flags,
				   .exit_signal = (flags & CLONE_PARENT) ? 0 : SIGCHLD };

	*v2_pending = false;
	if (fds->v2_dir >= 0) {
		args.flags |= CLONE_INTO_CGROUP;
		args.cgroup = (__u64)(unsigned int)fds->v2_dir;
	}
	c->pid = (pid_t)syscall(SYS_clone3, &args, sizeof(args));
	if (c->pid < 0 && fds->v2_dir >= 0 && (errno == EINVAL || errno == E2BIG)) {
		args.flags &= ~(uint64_t)CLONE_INTO_CGROUP;
		*v2_pending = true;
		c->pid = (pid_t)syscall(SYS_clone3, &args, sizeof(args));
	}
	if (c->pid < 0)
		return scute_err_sys(err, "clone the container init");
	return 0;
}

/* The init stopped before pivot_root: prestart and createRuntime run here,
 * in the runtime's namespaces; then the init gets the state for
 * createContainer. */
static int create_hooks(struct creation *c, struct scute_err *err)
{
	bool zombie;
	auto_free char *state = NULL;
	int rc;

	c->st.pid = c->pid;
	c->st.starttime = scute_pid_starttime(c->pid, &zombie);
	state = scute_state_hook_text(&c->st);
	if (!state)
		return scute_err_set(err, ENOMEM, "out of memory");
	rc = scute_hooks_run(&c->spec->hooks, SCUTE_HOOK_PRESTART, state, err);
	if (rc == 0)
		rc = scute_hooks_run(&c->spec->hooks, SCUTE_HOOK_CREATE_RUNTIME, state, err);
	free(scute_take_ptr(&state));
	state = rc == 0 ? scute_state_init_hook_text(&c->st) : NULL;
	if (rc == 0 && !state)
		rc = scute_err_set(err, ENOMEM, "out of memory");
	if (rc == 0 && (scute_sync_send(c->sync[0], SCUTE_SYNC_HOOKS_DONE, NULL, err) < 0 ||
			scute_sync_send_text(c->sync[0], state, err) < 0))
		rc = scute_err_prefix(err, "hand the state to the container init");
	return rc;
}

/* In the child just cloned: the state directory's lock must not outlive
 * create in the init, nor the state root's fd reach the container (the
 * init's close step closes them too); then the init's own sequence. */
__attribute__((noreturn)) static void become_init(struct creation *c,
						  const struct scute_init_args *a, int procfd)
{
	close(c->dirfd);
	close(c->rootfd);
	close(c->sync[0]);
	close(procfd);
	scute_init_main(a);
}

/* What the intermediate reports: the init's pid (as the runtime sees it),
 * or why it could not make it. One write, shorter than PIPE_BUF. */
struct spawn_reply {
	pid_t pid;
	bool v2_pending;
	struct scute_err err;
};

/* The intermediate: a child of the runtime that joins the namespaces given
 * by path and clones the init with CLONE_PARENT, then exits. So the
 * runtime never changes its own namespaces: hooks it runs later are in
 * the runtime's namespaces (runtime-spec), and no process of it is ever
 * visible in a pid namespace shared with other containers. */
__attribute__((noreturn)) static void intermediate(struct creation *c,
						   const struct scute_init_args *a,
						   const struct scute_cgroup_fds *fds,
						   uint64_t flags, int procfd, int reply)
{
	struct spawn_reply r = { .pid = -1 };

	scute_coverage_keep_root();
	if (parent_namespaces(c, procfd, &r.err) == 0 &&
	    clone_init(c, flags | CLONE_PARENT, fds, &r.v2_pending, &r.err) == 0) {
		if (c->pid == 0) {
			close(reply);
			become_init(c, a, procfd);
		}
		r.pid = c->pid;
	}
	if (write(reply, &r, sizeof(r)) != (ssize_t)sizeof(r))
		r.pid = -1;
	scute_coverage_dump();
	_exit(r.pid > 0 ? 0 : 1);
}

static int spawn_via_intermediate(struct creation *c, const struct scute_init_args *a,
				  const struct scute_cgroup_fds *fds, uint64_t flags, int procfd,
				  bool *v2_pending, struct scute_err *err)
{
	struct spawn_reply r = { .pid = -1 };
	int pipefd[2], status;
	ssize_t n;
	pid_t mid;

	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return scute_err_sys(err, "create a pipe");
	auto_fd int rd = pipefd[0];
	auto_fd int wr = pipefd[1];
	mid = fork();
	if (mid < 0)
		return scute_err_sys(err, "fork the process that joins the namespaces");
	if (mid == 0) {
		/* The intermediate never returns: these cleanups do not run in
		 * it, and it holds only the write end from here on. */
		close(rd);
		intermediate(c, a, fds, flags, procfd, wr);
	}
	/* Ours goes now, so the read sees the end if the intermediate dies. */
	close(scute_take_fd(&wr));
	do
		n = read(rd, &r, sizeof(r));
	while (n < 0 && errno == EINTR);
	close(scute_take_fd(&rd));
	while (waitpid(mid, &status, 0) < 0 && errno == EINTR)
		;
	if (n != (ssize_t)sizeof(r))
		return scute_err_set(err, EPIPE, "the process joining the namespaces exited");
	if (r.pid <= 0) {
		r.err.msg[sizeof(r.err.msg) - 1] = '\0';
		*err = r.err;
		return -1;
	}
	c->pid = r.pid;
	*v2_pending = r.v2_pending;
	return 0;
}

/* The intermediate is there to join namespaces (and make a time
 * namespace) without the runtime changing its own; with none of that to
 * do, the runtime clones the init itself: one process start less. */
static bool needs_intermediate(const struct scute_spec *s)
{
	for (int t = 0; t < SCUTE_NS_COUNT; t++)
		if (s->ns[t].path && t != SCUTE_NS_USER && t != SCUTE_NS_MNT)
			return true;
	return s->ns[SCUTE_NS_TIME].present && !s->ns[SCUTE_NS_TIME].path;
}

/* The init as the runtime's own child, with the closes the intermediate
 * makes before scute_init_main (intermediate above). */
static int spawn_directly(struct creation *c, const struct scute_init_args *a,
			  const struct scute_cgroup_fds *fds, uint64_t flags, int procfd,
			  bool *v2_pending, struct scute_err *err)
{
	scute_ns_warn_shared(c->spec);
	if (clone_init(c, flags, fds, v2_pending, err) < 0)
		return -1;
	if (c->pid == 0)
		become_init(c, a, procfd);
	return 0;
}

static int spawn_init(struct creation *c, int procfd, struct scute_err *err)
{
	struct scute_init_args a = { .spec = c->spec,
				     .sync_fd = c->sync[1],
				     .start_fd = c->start_fd,
				     .console_fd = c->console_fd,
				     .preserve_fds = c->o->listen_fds + c->o->preserve_fds,
				     .new_userns = c->spec->ns[SCUTE_NS_USER].present &&
						   !c->spec->ns[SCUTE_NS_USER].path,
				     .new_cgroupns = c->spec->ns[SCUTE_NS_CGROUP].present &&
						     !c->spec->ns[SCUTE_NS_CGROUP].path,
				     .no_pivot = c->o->no_pivot,
				     .no_new_keyring = c->o->no_new_keyring,
				     .bpf = c->spec->seccomp ? &c->bpf : NULL };
	struct scute_cgroup_fds fds;
	uint64_t clone_flags;
	bool v2_pending = false;
	int rc;

	/* Opened here, in the runtime's namespaces, before any join. */
	if (scute_cgroup_open_fds(&c->st.cgroup, &fds, err) < 0)
		return -1;
	a.cgroup_fds = fds.tasks;
	a.n_cgroup_fds = fds.n_tasks;
	a.cgroup = &c->st.cgroup;
	split_namespaces(c->spec, &clone_flags, &a.unshare_flags);
	if (needs_intermediate(c->spec))
		rc = spawn_via_intermediate(c, &a, &fds, clone_flags, procfd, &v2_pending, err);
	else
		rc = spawn_directly(c, &a, &fds, clone_flags, procfd, &v2_pending, err);
	scute_cgroup_close_fds(&fds);
	if (rc < 0)
		return -1;
	scute_debug("create %s: init cloned", c->o->id);
	close(c->sync[1]);
	c->sync[1] = -1;
	if (a.new_userns && scute_userns_write_maps(procfd, c->pid, c->spec, err) < 0)
		return -1;
	if (v2_pending && scute_cgroup_enter(&c->st.cgroup, c->pid, true, err) < 0)
		return -1;
	if (scute_sync_send(c->sync[0], SCUTE_SYNC_GO, NULL, err) < 0)
		return scute_err_prefix(err, "signal the container init");
	for (;;) {
		if (scute_wait_unless_stopped(c->sync[0], c->pid, "create", err) < 0)
			return -1;
		int type = scute_sync_recv(c->sync[0], err);
		if (type == SCUTE_SYNC_READY)
			break;
		if (type < 0)
			return -1;
		if (type != SCUTE_SYNC_HOOKS)
			return scute_err_set(err, EPROTO,
					     "sync: expected READY or HOOKS from the container "
					     "init, got %s",
					     scute_sync_name(type));
		if (create_hooks(c, err) < 0)
			return -1;
	}
	scute_debug("create %s: init ready", c->o->id);
	return 0;
}

static int start_init(struct creation *c, struct scute_err *err)
{
	auto_fd int procfd = scute_proc_open("/proc", err);

	if (procfd < 0)
		return -1;
	return spawn_init(c, procfd, err);
}

/* The pid is written to a new file of a random name beside PATH (O_EXCL,
 * O_NOFOLLOW: nothing planted there is followed or reused), then renamed
 * over PATH. */
int scute_write_pid_file(const char *path, pid_t pid, struct scute_err *err)
{
	char tmp[PATH_MAX], value[32];
	uint64_t nonce;
	int fd, n;

	if (!path)
		return 0;
	if (getrandom(&nonce, sizeof(nonce), 0) != sizeof(nonce))
		return scute_err_sys(err, "--pid-file %s: random name", path);
	n = snprintf(tmp, sizeof(tmp), "%s.%016llx.tmp", path, (unsigned long long)nonce);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		return scute_err_set(err, ENAMETOOLONG, "--pid-file %s: path too long", path);
	snprintf(value, sizeof(value), "%d", pid);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return scute_err_sys(err, "--pid-file %s", path);
	ssize_t w = write(fd, value, strlen(value));
	int saved = w < 0 ? errno : EIO;
	if (close(fd) < 0 && w == (ssize_t)strlen(value))
		saved = errno;
	else if (w == (ssize_t)strlen(value))
		saved = 0;
	if (saved) {
		unlink(tmp);
		errno = saved;
		return scute_err_sys(err, "--pid-file %s", path);
	}
	if (rename(tmp, path) < 0) {
		unlink(tmp);
		return scute_err_sys(err, "--pid-file %s", path);
	}
	return 0;
}

static void undo_creation(struct creation *c)
{
	struct scute_err ignored;
	int status;

	if (c->pid > 0) {
		kill(c->pid, SIGKILL);
		waitpid(c->pid, &status, 0);
	}
	if (c->cgroup_made)
		scute_cgroup_destroy(&c->st.cgroup, &ignored);
	if (c->dirfd >= 0)
		scute_state_remove(c->rootfd, c->o->id, &ignored);
}

/* The container's process learns of socket-activated fds as a systemd
 * service would: LISTEN_FDS, and LISTEN_PID naming it (pid 1 in its
 * namespace, as runc sets it). */
static int listen_env(struct scute_process *p, int n, struct scute_err *err)
{
	char **env = realloc(p->env, (p->n_env + 3) * sizeof(char *));

	if (!env)
		return scute_err_set(err, ENOMEM, "out of memory");
	p->env = env;
	env[p->n_env] = NULL;
	if (asprintf(&env[p->n_env], "LISTEN_FDS=%d", n) < 0)
		return scute_err_set(err, ENOMEM, "out of memory");
	env[++p->n_env] = NULL; /* counted: freed with the spec from here on */
	if (!(env[p->n_env] = strdup("LISTEN_PID=1")))
		return scute_err_set(err, ENOMEM, "out of memory");
	env[++p->n_env] = NULL;
	return 0;
}

/* Only fds the caller passed may go to the container (inherit.h). */
static int check_passed_fds(const struct scute_create_opts *o, struct scute_err *err)
{
	if (scute_fds_check_passed(3, o->listen_fds, "LISTEN_FDS", err) < 0 ||
	    scute_fds_check_passed(3 + o->listen_fds, o->preserve_fds, "--preserve-fds", err) < 0)
		return -1;
	return 0;
}

static int prepare(struct creation *c, struct scute_err *err)
{
	char created[64];

	if (check_passed_fds(c->o, err) < 0 || scute_state_check_id(c->o->id, err) < 0 ||
	    scute_spec_load(c->o->bundle, &c->spec, err) < 0)
		return -1;
	scute_debug("create %s: config loaded", c->o->id);
	if (c->o->listen_fds > 0 && listen_env(&c->spec->process, c->o->listen_fds, err) < 0)
		return -1;
	if (scute_lsm_check(c->spec, err) < 0)
		return -1;
	/* The root is checked before anything is read from it (the cache). */
	c->rootfd = scute_state_root_open(c->o->root, true, err);
	if (c->rootfd < 0)
		return -1;
	if (c->spec->seccomp &&
	    scute_seccomp_compile_cached_at(c->spec->seccomp, c->rootfd, &c->bpf, err) < 0)
		return -1;
	if (scute_cgroup_resolve(c->spec->cgroups_path, c->o->id, &c->st.cgroup, err) < 0)
		return -1;
	now_rfc3339(created, sizeof(created));
	c->st.id = strdup(c->o->id);
	c->st.bundle = strdup(c->spec->bundle);
	c->st.created = strdup(created);
	c->st.owner = geteuid();
	c->st.stored = SCUTE_CREATING;
	c->st.pidns = c->spec->ns[SCUTE_NS_PID].present;
	c->st.annotations = json_incref(json_object_get(c->spec->json, "annotations"));
	if (c->spec->hooks.n[SCUTE_HOOK_POSTSTART] || c->spec->hooks.n[SCUTE_HOOK_POSTSTOP])
		c->st.hooks = json_incref(json_object_get(c->spec->json, "hooks"));
	if (c->spec->seccomp && c->spec->seccomp->listener_path) {
		c->st.listener_path = strdup(c->spec->seccomp->listener_path);
		if (c->spec->seccomp->listener_metadata)
			c->st.listener_metadata = strdup(c->spec->seccomp->listener_metadata);
	}
	c->dirfd = scute_state_dir_create(c->rootfd, c->o->id, &c->st, err);
	if (c->dirfd < 0)
		return -1;
	if (flock(c->dirfd, LOCK_EX) < 0)
		return scute_err_sys(err, "lock container \"%s\"", c->o->id);
	/* exec applies the config the container was created with, whatever
	 * happens to the bundle later. */
	if (scute_write_new_file(c->dirfd, "config.json", c->spec->text, c->spec->text_len, err) <
	    0)
		return -1;
	if (scute_cgroup_create(&c->st.cgroup, &c->spec->resources, err) < 0)
		return -1;
	c->cgroup_made = true;
	scute_debug("create %s: cgroups made", c->o->id);
	if (c->o->console_socket &&
	    (c->console_fd = scute_console_socket_connect(c->o->console_socket, err)) < 0)
		return -1;
	if ((c->start_fd = scute_start_socket(c->dirfd, true, err)) < 0)
		return -1;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, c->sync) < 0)
		return scute_err_sys(err, "create the sync socket");
	return 0;
}

static void release_creation(struct creation *c)
{
	for (int i = 0; i < 2; i++)
		if (c->sync[i] >= 0)
			close(c->sync[i]);
	if (c->start_fd >= 0)
		close(c->start_fd);
	if (c->console_fd >= 0)
		close(c->console_fd);
	if (c->dirfd >= 0)
		close(c->dirfd);
	if (c->rootfd >= 0)
		close(c->rootfd);
	scute_state_free(&c->st);
	scute_bpf_free(&c->bpf);
	scute_spec_free(c->spec);
}

/* create, and with `start` start as well while the state directory is
 * still locked, from the state in memory (not read back). The created
 * state is written before the start all the same: were run killed during
 * it (startContainer hooks run then), the init it leaves must still be
 * found by state, kill and delete. A start that fails leaves the
 * container as a failed start does (*started set), for the caller to
 * delete. */
static int create_container(const struct scute_create_opts *o, bool start, pid_t *pid,
			    bool *started, struct scute_err *err)
{
	struct creation c = { .o = o,
			      .rootfd = -1,
			      .dirfd = -1,
			      .sync = { -1, -1 },
			      .start_fd = -1,
			      .console_fd = -1 };
	bool zombie;
	int rc;

	*started = false;
	if (scute_self_require_sealed(err) < 0)
		return -1;
	rc = prepare(&c, err);
	if (rc == 0)
		rc = start_init(&c, err);
	if (rc == 0) {
		c.st.pid = c.pid;
		c.st.starttime = scute_pid_starttime(c.pid, &zombie);
		c.st.stored = SCUTE_CREATED;
		rc = scute_state_write(c.dirfd, &c.st, err);
	}
	if (rc == 0)
		rc = scute_write_pid_file(o->pid_file, c.pid, err);
	if (rc < 0)
		undo_creation(&c);
	else
		*pid = c.pid;
	if (rc == 0 && start) {
		/* The init's end of the start socket goes with its exec. */
		close(c.start_fd);
		c.start_fd = -1;
		*started = true;
		rc = scute_container_start_locked(c.dirfd, &c.st, err);
	}
	release_creation(&c);
	return rc;
}

int scute_container_create(const struct scute_create_opts *o, pid_t *pid, struct scute_err *err)
{
	bool started;

	return create_container(o, false, pid, &started, err);
}

int scute_container_run(const struct scute_create_opts *o, pid_t *pid, struct scute_err *err)
{
	struct scute_err ignored;
	bool started;

	if (create_container(o, true, pid, &started, err) == 0)
		return 0;
	if (started)
		scute_container_delete(o->root, o->id, true, &ignored);
	return -1;
}
