/* exec: a helper child joins the container's cgroup and namespaces and
 * runs the finalisation table (finalise.h) there, outside the container's
 * pid namespace; only then does it clone the process (CLONE_PARENT, so it
 * is the runtime's child and lands in the container's pid namespace),
 * which only execs. The runtime follows both over a socket as start
 * follows the init: seccomp listeners, the pid, or why it failed. */
#include "exec.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "caps.h"
#include "cgroups.h"
#include "cleanup.h"
#include "container.h"
#include "coverage.h"
#include "deadline.h"
#include "fdpass.h"
#include "finalise.h"
#include "fsutil.h"
#include "inherit.h"
#include "landlock.h"
#include "log.h"
#include "lsm.h"
#include "namespaces.h"
#include "process.h"
#include "seccomp_cache.h"
#include "seccomp_listener.h"
#include "selfexec.h"
#include "state_root.h"
#include "sync.h"
#include "terminal.h"
#include "values.h"

/* How long exec waits for its process to be set up and exec, at most: a
 * process stopped or traced by the container must not hang the runtime. */
#define SCUTE_EXEC_TIMEOUT_MS 10000

struct exec_ctx {
	const struct scute_exec_opts *o;
	struct scute_state st;
	struct scute_spec *spec;   /* the config the container was created with */
	struct scute_process proc; /* the process to run */
	struct scute_bpf bpf;
	bool has_bpf;
	int procfd, console_fd, pidfd, sync[2];
	int lockfd; /* the state directory, shared-locked until the spawn */
	int ns_flags;
	uint64_t ctr_caps[SCUTE_CAP_SET_COUNT]; /* the container's own sets */
	struct scute_landlock *landlock;	/* the container's ruleset */
	struct scute_cgroup_fds cgfds;
};

static int load_config(struct exec_ctx *c, int rootfd, struct scute_err *err)
{
	size_t len;
	auto_free char *text = scute_state_config(rootfd, c->o->id, &len, err);

	if (!text)
		return -1;
	return scute_spec_parse(text, "config.json", c->st.bundle, &c->spec, err);
}

/* --env KEY=VALUE replaces KEY or is added. */
static int set_env(struct scute_process *p, const char *kv, struct scute_err *err)
{
	size_t key = strcspn(kv, "=");
	char **grown, *copy;

	if (!kv[key] || !key)
		return scute_err_set(err, EINVAL, "--env: \"%s\" is not KEY=VALUE", kv);
	copy = strdup(kv);
	if (!copy)
		return scute_err_set(err, ENOMEM, "out of memory");
	for (size_t i = 0; i < p->n_env; i++)
		if (strncmp(p->env[i], kv, key + 1) == 0) {
			free(p->env[i]);
			p->env[i] = copy;
			return 0;
		}
	grown = realloc(p->env, (p->n_env + 2) * sizeof(char *));
	if (!grown) {
		free(copy);
		return scute_err_set(err, ENOMEM, "out of memory");
	}
	p->env = grown;
	p->env[p->n_env++] = copy;
	p->env[p->n_env] = NULL;
	return 0;
}

static void free_strings(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* A NULL-ended copy, or NULL when memory runs out. */
static char **copy_strings(char **v, size_t n)
{
	char **out = calloc(n + 1, sizeof(char *));

	for (size_t i = 0; out && i < n; i++) {
		if (!(out[i] = strdup(v[i]))) {
			free_strings(out, i);
			return NULL;
		}
	}
	return out;
}

/* The container's process with the flags laid over it. */
static int process_from_flags(struct exec_ctx *c, struct scute_err *err)
{
	const struct scute_exec_opts *o = c->o;
	struct scute_process *p = &c->proc;

	/* Take the container's process over (its landlock stays with c). */
	*p = c->spec->process;
	memset(&c->spec->process, 0, sizeof(c->spec->process));
	p->landlock = NULL;
	free_strings(p->args, p->n_args);
	p->args = copy_strings(o->args, o->n_args);
	p->n_args = p->args ? o->n_args : 0;
	if (!p->args)
		return scute_err_set(err, ENOMEM, "out of memory");
	if (o->cwd) {
		free(p->cwd);
		p->cwd = strdup(o->cwd);
	}
	for (size_t i = 0; i < o->n_env; i++)
		if (set_env(p, o->env[i], err) < 0)
			return -1;
	if (o->has_user) {
		p->uid = o->uid;
		p->gid = o->gid;
	}
	if (o->n_groups) {
		free(p->additional_gids);
		p->additional_gids = malloc(o->n_groups * sizeof(gid_t));
		if (!p->additional_gids)
			return scute_err_set(err, ENOMEM, "out of memory");
		memcpy(p->additional_gids, o->groups, o->n_groups * sizeof(gid_t));
		p->n_additional_gids = o->n_groups;
	}
	for (size_t i = 0; i < o->n_caps; i++) {
		char full[64];
		snprintf(full, sizeof(full), "%s%s", strncmp(o->caps[i], "CAP_", 4) ? "CAP_" : "",
			 o->caps[i]);
		int cap = scute_cap_from_name(full);
		if (cap < 0)
			return scute_err_set(err, EINVAL, "--cap: unknown capability \"%s\"",
					     o->caps[i]);
		p->caps[SCUTE_CAP_EFFECTIVE] |= 1ULL << cap;
		p->caps[SCUTE_CAP_PERMITTED] |= 1ULL << cap;
	}
	p->no_new_privileges |= o->no_new_privs;
	p->terminal = o->tty;
	return 0;
}

static int process_from_file(struct exec_ctx *c, struct scute_err *err)
{
	json_error_t jerr;
	char origin[300];
	int rc;
	json_t *doc = json_load_file(c->o->process_file, JSON_REJECT_DUPLICATES, &jerr);

	snprintf(origin, sizeof(origin), "--process %s", c->o->process_file);
	if (!doc)
		return scute_err_set(err, EINVAL, "%s: line %d, column %d: %s", origin, jerr.line,
				     jerr.column, jerr.text);
	rc = scute_spec_parse_process(doc, origin, &c->proc, err);
	json_decref(doc);
	if (rc == 0 && c->o->tty)
		c->proc.terminal = true;
	return rc;
}

/* Never more than the container holds: every set within its bounding set,
 * inheritable and ambient within its own. */
static int bound_caps(struct exec_ctx *c, struct scute_err *err)
{
	const uint64_t *ctr = c->ctr_caps;
	uint64_t *p = c->proc.caps, bounding = ctr[SCUTE_CAP_BOUNDING];
	char name[64];

	for (int set = 0; set < SCUTE_CAP_SET_COUNT; set++) {
		uint64_t extra = p[set] & ~bounding;
		if (extra) {
			int cap = __builtin_ctzll(extra);
			return scute_err_set(err, EPERM,
					     "capability %s is not in the container's "
					     "bounding set",
					     scute_cap_name(cap, name, sizeof(name)));
		}
	}
	p[SCUTE_CAP_INHERITABLE] &= ctr[SCUTE_CAP_INHERITABLE];
	p[SCUTE_CAP_AMBIENT] &= ctr[SCUTE_CAP_AMBIENT] & p[SCUTE_CAP_INHERITABLE];
	return 0;
}

/* The namespaces of the init that are not ours. */
static int ns_flags_of(pid_t pid)
{
	static const struct {
		const char *name;
		int flag;
	} ns[] = {
		{ "user", CLONE_NEWUSER },     { "mnt", CLONE_NEWNS },	  { "pid", CLONE_NEWPID },
		{ "net", CLONE_NEWNET },       { "ipc", CLONE_NEWIPC },	  { "uts", CLONE_NEWUTS },
		{ "cgroup", CLONE_NEWCGROUP }, { "time", CLONE_NEWTIME },
	};
	char mine[64], theirs[64];
	struct stat a, b;
	int flags = 0;

	for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
		snprintf(mine, sizeof(mine), "/proc/self/ns/%s", ns[i].name);
		snprintf(theirs, sizeof(theirs), "/proc/%d/ns/%s", pid, ns[i].name);
		if (stat(mine, &a) == 0 && stat(theirs, &b) == 0 && a.st_ino != b.st_ino)
			flags |= ns[i].flag;
	}
	return flags;
}

static int prepare(struct exec_ctx *c, struct scute_err *err)
{
	const struct scute_exec_opts *o = c->o;
	enum scute_status s;
	auto_fd int rootfd = -1;

	if (scute_fds_check_passed(3, o->preserve_fds, "--preserve-fds", err) < 0)
		return -1;
	/* The state root is checked once; state, config and the filter cache
	 * are read below that fd. */
	if (scute_state_check_id(o->id, err) < 0 ||
	    (rootfd = scute_state_root_open(o->root, false, err)) < 0 ||
	    (c->lockfd = scute_state_dir_open(rootfd, o->id, err)) < 0)
		return -1;
	/* Before the lock: a console socket that never accepts must not hold
	 * the container's delete, kill or update. */
	if (o->console_socket &&
	    (c->console_fd = scute_console_socket_connect(o->console_socket, err)) < 0)
		return -1;
	/* Held until the helper is in the container's cgroup2 directory: an
	 * `update` that makes a v1 directory (cgroups_grow.c) waits, or has
	 * already written the state this reads. Else this exec would join
	 * only the hierarchies read before the update moved the container,
	 * and run outside its new limit. */
	if (flock(c->lockfd, LOCK_SH) < 0)
		return scute_err_sys(err, "lock container \"%s\"", o->id);
	if (scute_state_read(c->lockfd, &c->st, err) < 0)
		return -1;
	s = scute_state_status(&c->st);
	if (s != SCUTE_RUNNING && s != SCUTE_CREATED)
		return scute_err_set(err, EINVAL, "container \"%s\" is %s: cannot exec in it",
				     o->id, scute_status_name(s));
	if (!o->process_file && !o->n_args)
		return scute_err_set(err, EINVAL,
				     "exec: give --process FILE or the program to run");
	if (load_config(c, rootfd, err) < 0)
		return -1;
	memcpy(c->ctr_caps, c->spec->process.caps, sizeof(c->ctr_caps));
	c->landlock = c->spec->process.landlock;
	c->spec->process.landlock = NULL;
	if ((o->process_file ? process_from_file(c, err) : process_from_flags(c, err)) < 0 ||
	    bound_caps(c, err) < 0)
		return -1;
	if (o->apparmor) {
		free(c->proc.apparmor_profile);
		c->proc.apparmor_profile = strdup(o->apparmor);
	}
	if (o->process_label) {
		free(c->proc.selinux_label);
		c->proc.selinux_label = strdup(o->process_label);
	}
	if (c->proc.terminal && !o->console_socket)
		return scute_err_set(err, EINVAL,
				     "a terminal (--tty or process.terminal) needs "
				     "--console-socket");
	struct scute_spec labels = { .process = c->proc };
	if (scute_lsm_check(&labels, err) < 0)
		return -1;
	if (c->spec->seccomp) {
		if (scute_seccomp_compile_cached_at(c->spec->seccomp, rootfd, &c->bpf, err) < 0)
			return -1;
		c->has_bpf = true;
	}
	c->pidfd = scute_container_init_pidfd(&c->st);
	if (c->pidfd < 0)
		return scute_err_set(err, ESRCH, "container \"%s\" is not running", o->id);
	c->ns_flags = ns_flags_of(c->st.pid);
	c->procfd = scute_proc_open("/proc", err);
	if (c->procfd < 0 || scute_cgroup_open_fds(&c->st.cgroup, &c->cgfds, err) < 0)
		return -1;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, c->sync) < 0)
		return scute_err_sys(err, "socketpair");
	return 0;
}

/* The finalisation table for the process (finalise.h): the helper runs
 * it up to the seccomp filter, the child takes its session and execs. */
static void fin_of(struct exec_ctx *c, struct scute_fin *f, int tty_peer)
{
	*f = (struct scute_fin){ .p = &c->proc,
				 .landlock = { c->landlock, c->proc.landlock },
				 .bpf = c->has_bpf ? &c->bpf : NULL,
				 .procfd = c->procfd,
				 .tty_peer = tty_peer,
				 .in_userns = (c->ns_flags & CLONE_NEWUSER) != 0,
				 .preserve = c->o->preserve_fds,
				 .keep = { c->sync[1] },
				 .n_keep = 1,
				 .conn = c->sync[1] };
}

/* In the container's namespaces, still outside its pid namespace: a pty
 * of its own when asked, then every step of the table but the exec. */
static int finalise(struct exec_ctx *c, struct scute_fin *f, struct scute_err *err)
{
	sigset_t none;
	int peer = -1;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (c->proc.terminal) {
		int rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (rootfd < 0)
			return scute_err_sys(err, "open the container's root");
		peer = scute_terminal_setup(rootfd, c->console_fd, c->proc.console_height,
					    c->proc.console_width, false, err);
		close(rootfd);
		if (peer < 0)
			return -1;
	}
	fin_of(c, f, peer);
	return scute_fin_run(&scute_fin_ops, f, SCUTE_FIN_RLIMITS, SCUTE_FIN_SECCOMP, err);
}

/* The helper: into the cgroup and the namespaces, then the whole
 * finalisation. setns(CLONE_NEWPID) puts only its children in the
 * container's pid namespace, so no process of the container can see the
 * helper while it holds the runtime's privileges and fds. The process it
 * then clones (CLONE_PARENT: the runtime's child) is born with the
 * container's identity, capabilities, labels, Landlock rules and filter,
 * and holds stdio, the preserved fds and the sync socket, nothing else. */
__attribute__((noreturn)) static void helper(struct exec_ctx *c)
{
	struct scute_err err = { 0 };
	struct scute_fin f;
	char msg[32];
	pid_t pid;

	close(c->sync[0]);
	close(c->lockfd); /* the parent's to release */
	/* Nothing in the container may trace or open us while we join it. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) {
		scute_err_sys(&err, "make the exec helper non-dumpable");
		goto fail;
	}
	if (scute_cgroup_join_self(c->cgfds.tasks, c->cgfds.n_tasks, &err) < 0)
		goto fail;
	scute_coverage_keep_root();
	if (c->ns_flags && setns(c->pidfd, c->ns_flags) < 0) {
		scute_err_sys(&err, "join the container's namespaces");
		goto fail;
	}
	/* A container in the runtime's own mount namespace is a chroot: no
	 * setns puts us in it, the init's root has to be entered. */
	if (!(c->ns_flags & CLONE_NEWNS) &&
	    scute_ns_enter_root_of(c->procfd, c->pidfd, c->st.pid, &err) < 0)
		goto fail;
	if (finalise(c, &f, &err) < 0)
		goto fail;
	/* The filter is in: from here on only clone, sendmsg and exit. */
	pid = (pid_t)syscall(SYS_clone, CLONE_PARENT | SIGCHLD, NULL, NULL, NULL, 0);
	if (pid == 0) {
		char failed[SCUTE_ERR_MSG_MAX + 1];
		scute_fin_run(&scute_fin_ops, &f, SCUTE_FIN_CTTY, SCUTE_FIN_EXEC, &err);
		snprintf(failed, sizeof(failed), "E%s", err.msg);
		send(c->sync[1], failed, strlen(failed), MSG_NOSIGNAL);
		_exit(err.code == EACCES ? 126 : 127);
	}
	if (pid < 0) {
		scute_err_sys(&err, "start the process (does the container's seccomp filter "
				    "allow clone?)");
		goto fail;
	}
	snprintf(msg, sizeof(msg), "P%d", pid);
	send(c->sync[1], msg, strlen(msg), MSG_NOSIGNAL);
	_exit(0);
fail:
	send(c->sync[1], err.msg, strlen(err.msg), MSG_NOSIGNAL);
	scute_coverage_dump();
	_exit(1);
}

/* Kill the process and reap it, but never wait long: a tracer in the
 * container can keep a dead tracee from its parent until it lets go. */
static void kill_bounded(pid_t pid)
{
	struct timespec pause = { 0, 10L * 1000 * 1000 };

	kill(pid, SIGKILL);
	for (int i = 0; i < 100 && waitpid(pid, NULL, WNOHANG) == 0; i++)
		nanosleep(&pause, NULL);
}

/* The helper's report: at most one seccomp listener, then "P<pid>" naming
 * a child of ours (CLONE_PARENT), or why it failed. The process itself
 * sends only "E" and why its execve failed, which may come first. */
static pid_t helper_report(struct exec_ctx *c, pid_t helper_pid, int64_t deadline, int *listener,
			   char *kind, struct scute_err *err)
{
	char msg[SCUTE_ERR_MSG_MAX], child_err[SCUTE_ERR_MSG_MAX] = "";
	siginfo_t info;
	int64_t pid;
	ssize_t n;
	int fd, seen;

	for (;;) {
		seen = scute_wait_readable(c->sync[0], deadline, SCUTE_EXEC_TIMEOUT_MS, NULL, NULL,
					   "exec", err);
		if (seen < 0)
			return -1;
		if (seen != SCUTE_WAIT_READABLE)
			return scute_err_set(err, ETIMEDOUT,
					     "exec in \"%s\": the process was not set up within "
					     "%d s",
					     c->o->id, SCUTE_EXEC_TIMEOUT_MS / 1000);
		n = scute_recv_fd(c->sync[0], msg, sizeof(msg), &fd, err);
		if (n <= 0)
			return n < 0 ? -1
				     : scute_err_set(err, EPIPE, "exec in \"%s\": setup failed",
						     c->o->id);
		if (fd < 0 && msg[0] == 'E' && !child_err[0]) {
			/* The process failed its exec before the pid came. */
			snprintf(child_err, sizeof(child_err), "%s", msg + 1);
			continue;
		}
		if (fd < 0)
			break;
		if (*listener >= 0 || (msg[0] != 'G' && msg[0] != 'L')) {
			close(fd);
			return scute_err_set(err, EPROTO, "exec in \"%s\": unexpected fd",
					     c->o->id);
		}
		*listener = fd;
		*kind = msg[0];
	}
	if (msg[0] != 'P' || scute_parse_int(msg + 1, 2, INT32_MAX, &pid, err) < 0)
		return scute_err_set(err, EPERM, "exec in \"%s\": %s", c->o->id, msg);
	/* Ours and not yet reaped, so the pid cannot name anything else. */
	memset(&info, 0, sizeof(info));
	if ((pid_t)pid == helper_pid ||
	    waitid(P_PID, (id_t)pid, &info, WEXITED | WSTOPPED | WNOHANG | WNOWAIT) < 0)
		return scute_err_set(err, EPROTO, "exec in \"%s\": %s is not the process", c->o->id,
				     msg);
	if (child_err[0]) {
		kill_bounded((pid_t)pid);
		return scute_err_set(err, ENOEXEC, "%s", child_err);
	}
	return (pid_t)pid;
}

static void unlock(struct exec_ctx *c)
{
	if (c->lockfd >= 0)
		close(c->lockfd);
	c->lockfd = -1;
}

static pid_t spawn(struct exec_ctx *c, int64_t deadline, int *listener, char *kind,
		   struct scute_err *err)
{
	struct clone_args args = { .exit_signal = SIGCHLD };
	pid_t helper_pid, pid;

	if (c->cgfds.v2_dir >= 0) {
		args.flags = CLONE_INTO_CGROUP;
		args.cgroup = (__u64)(unsigned int)c->cgfds.v2_dir;
	}
	helper_pid = (pid_t)syscall(SYS_clone3, &args, sizeof(args));
	if (helper_pid < 0)
		return scute_err_sys(err, "fork");
	if (helper_pid == 0)
		helper(c);
	/* Born in the container's cgroup2 directory, the helper is where an
	 * update's move finds it: the lock has done its work. (Not held on
	 * longer: a paused container freezes the helper until the deadline.)
	 * Without cgroup2 it joins the v1 hierarchies itself, and has when
	 * it reports. */
	if (c->cgfds.v2_dir >= 0)
		unlock(c);
	close(c->sync[1]);
	c->sync[1] = -1;
	pid = helper_report(c, helper_pid, deadline, listener, kind, err);
	unlock(c);
	/* Its work is done (or failed): it must not linger, whatever a filter
	 * does to its exit. */
	kill(helper_pid, SIGKILL);
	waitpid(helper_pid, NULL, 0);
	return pid;
}

/* True once the process (a pid_t *) runs another image than ours: it has
 * exec'd. */
static bool has_execd(void *arg)
{
	char path[64];
	struct stat self, other;

	snprintf(path, sizeof(path), "/proc/%d/exe", *(pid_t *)arg);
	return stat("/proc/self/exe", &self) == 0 && stat(path, &other) == 0 &&
	       (self.st_dev != other.st_dev || self.st_ino != other.st_ino);
}

/* After the helper: the listener (now that the pid is known), then the
 * exec. End of stream means the exec happened; so does a new image, when
 * something in the container holds a stolen copy of the socket. A stopped
 * or traced process is given up on at the deadline. */
static int follow(struct exec_ctx *c, pid_t pid, int64_t deadline, int listener, char kind,
		  struct scute_err *err)
{
	char msg[SCUTE_ERR_MSG_MAX];
	int rc = 0, seen, fd;
	ssize_t n;

	if (listener >= 0 && kind == 'G') {
		seen = scute_wait_readable(listener, deadline, SCUTE_EXEC_TIMEOUT_MS, NULL, NULL,
					   "exec", err);
		if (seen < 0)
			rc = -1;
		else if (seen == SCUTE_WAIT_READABLE)
			rc = scute_seccomp_guard_exec(listener, pid, err);
		else
			rc = scute_err_set(err, ETIMEDOUT, "exec in \"%s\": no exec within %d s",
					   c->o->id, SCUTE_EXEC_TIMEOUT_MS / 1000);
	} else if (listener >= 0 && c->st.listener_path) {
		json_t *state = scute_state_to_oci(&c->st);
		rc = scute_seccomp_send_to_agent(listener, c->st.listener_path,
						 c->st.listener_metadata, pid, state, err);
		json_decref(state);
	}
	if (listener >= 0)
		close(listener); /* with the guard: every later exec now fails */
	if (rc < 0)
		return rc;
	/* The wait gives up early once the process has exec'd. */
	seen = scute_wait_readable(c->sync[0], deadline, 20, has_execd, &pid, "exec", err);
	if (seen < 0)
		return -1;
	if (seen == SCUTE_WAIT_GAVE_UP || (seen == SCUTE_WAIT_DEADLINE && has_execd(&pid)))
		return 0;
	if (seen == SCUTE_WAIT_DEADLINE)
		return scute_err_set(err, ETIMEDOUT,
				     "exec in \"%s\": the process did not exec within %d s "
				     "(stopped or traced?)",
				     c->o->id, SCUTE_EXEC_TIMEOUT_MS / 1000);
	n = scute_recv_fd(c->sync[0], msg, sizeof(msg), &fd, err);
	if (fd >= 0)
		close(fd);
	if (n == 0)
		return 0;
	return n < 0 ? -1
		     : scute_err_set(err, ENOEXEC, "%s",
				     msg[0] == 'E' ? msg + 1 : "exec: unexpected message");
}

static void free_ctx(struct exec_ctx *c)
{
	for (int i = 0; i < 2; i++)
		if (c->sync[i] >= 0)
			close(c->sync[i]);
	if (c->procfd >= 0)
		close(c->procfd);
	if (c->lockfd >= 0)
		close(c->lockfd);
	if (c->console_fd >= 0)
		close(c->console_fd);
	if (c->pidfd >= 0)
		close(c->pidfd);
	scute_cgroup_close_fds(&c->cgfds);
	scute_process_free(&c->proc);
	scute_landlock_free(c->landlock);
	if (c->has_bpf)
		scute_bpf_free(&c->bpf);
	scute_spec_free(c->spec);
	scute_state_free(&c->st);
}

int scute_container_exec(const struct scute_exec_opts *o, int *status, struct scute_err *err)
{
	struct exec_ctx c = { .o = o,
			      .procfd = -1,
			      .console_fd = -1,
			      .pidfd = -1,
			      .lockfd = -1,
			      .sync = { -1, -1 },
			      .cgfds = { .v2_dir = -1 } };
	int64_t deadline = scute_now_ms() + SCUTE_EXEC_TIMEOUT_MS;
	int rc, wstatus, listener = -1;
	pid_t pid = -1;
	char kind = 0;

	if (scute_self_require_sealed(err) < 0)
		return -1;
	rc = prepare(&c, err);
	if (rc == 0 && (pid = spawn(&c, deadline, &listener, &kind, err)) < 0)
		rc = -1;
	if (rc == 0)
		rc = follow(&c, pid, deadline, listener, kind, err);
	else if (listener >= 0)
		close(listener);
	if (rc == 0)
		rc = scute_write_pid_file(o->pid_file, pid, err);
	if (rc < 0 && pid > 0)
		kill_bounded(pid);
	free_ctx(&c);
	if (rc < 0 || o->detach)
		return rc;
	while (waitpid(pid, &wstatus, 0) < 0)
		if (errno != EINTR)
			return scute_err_sys(err, "wait for the process");
	*status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
	return 0;
}
