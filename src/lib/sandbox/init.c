#include "init.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <linux/keyctl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "caps.h"
#include "coverage.h"
#include "hooks.h"
#include "landlock.h"
#include "lsm.h"
#include "fdpass.h"
#include "cgroups.h"
#include "fsutil.h"
#include "log.h"
#include "mounts.h"
#include "namespaces.h"
#include "process.h"
#include "sync.h"
#include "sysctl.h"
#include "terminal.h"

struct init_ctx {
	const struct scute_init_args *a;
	struct scute_rootfs_ctx rootfs;
	int procfd;
	int tty_peer;
};

__attribute__((noreturn)) static void fail_setup(const struct scute_init_args *a,
						 const struct scute_err *err)
{
	scute_sync_send(a->sync_fd, SCUTE_SYNC_ERROR, err);
	scute_coverage_dump();
	_exit(1);
}

static void reset_signals(void)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigset_t none;

	for (int sig = 1; sig < NSIG; sig++)
		sigaction(sig, &dfl, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

/* Namespaces, identity in a new user namespace, and the fds setup needs. */
static int enter_namespaces(struct init_ctx *c, struct scute_err *err)
{
	const struct scute_init_args *a = c->a;

	if (a->new_userns) {
		/* Become root of the new namespace when 0 is mapped; if it is
		 * not, the init still holds every capability in it. */
		if (setresgid(0, 0, 0) < 0 && errno != EINVAL)
			return scute_err_sys(err, "become gid 0 in the user namespace");
		if (setresuid(0, 0, 0) < 0 && errno != EINVAL)
			return scute_err_sys(err, "become uid 0 in the user namespace");
	}
	if (a->spec->ns[SCUTE_NS_USER].path &&
	    scute_ns_join(SCUTE_NS_USER, a->spec->ns[SCUTE_NS_USER].path, err) < 0)
		return -1;
	/* Into the container's cgroups before anything else runs here; the
	 * cgroup namespace, if any, is rooted where that puts us. */
	if (scute_cgroup_join_self(a->cgroup_fds, a->n_cgroup_fds, err) < 0)
		return -1;
	if (a->new_cgroupns && unshare(CLONE_NEWCGROUP) < 0)
		return scute_err_sys(err, "create the cgroup namespace");
	if (a->unshare_flags && unshare(a->unshare_flags) < 0)
		return scute_err_sys(err, "create namespaces (flags %#x)", a->unshare_flags);
	/* A private procfs handle, taken before the container can change any
	 * mount, for every write to /proc. */
	c->procfd = scute_proc_open("/proc", err);
	if (c->procfd < 0)
		return -1;
	/* A mount namespace given by path is joined by the init alone (the
	 * runtime stays in its own), after the procfs handle was taken from
	 * the runtime's tree; the rootfs and /dev/null are the joined tree's. */
	if (a->spec->ns[SCUTE_NS_MNT].path &&
	    scute_ns_join_mount(c->procfd, a->spec->ns[SCUTE_NS_MNT].path, err) < 0)
		return -1;
	c->rootfs.devnullfd = open("/dev/null", O_PATH | O_CLOEXEC);
	if (c->rootfs.devnullfd < 0)
		return scute_err_sys(err, "open /dev/null");
	return 0;
}

static int set_names(const struct scute_spec *spec, struct scute_err *err)
{
	if (spec->hostname && *spec->hostname &&
	    sethostname(spec->hostname, strlen(spec->hostname)) < 0)
		return scute_err_sys(err, "hostname: set \"%s\"", spec->hostname);
	if (spec->domainname && *spec->domainname &&
	    setdomainname(spec->domainname, strlen(spec->domainname)) < 0)
		return scute_err_sys(err, "domainname: set \"%s\"", spec->domainname);
	return 0;
}

/* The environment exists, pivot_root has not happened: the parent runs
 * prestart and createRuntime, then the init runs createContainer in the
 * container's namespaces (paths resolve as the runtime sees them). */
static int create_hooks(const struct scute_init_args *a, struct scute_err *err)
{
	const struct scute_hooks *h = &a->spec->hooks;
	static char state[SCUTE_SYNC_TEXT_MAX + 1];

	if (!h->n[SCUTE_HOOK_PRESTART] && !h->n[SCUTE_HOOK_CREATE_RUNTIME] &&
	    !h->n[SCUTE_HOOK_CREATE_CONTAINER])
		return 0;
	if (scute_sync_send(a->sync_fd, SCUTE_SYNC_HOOKS, NULL) < 0)
		return scute_err_sys(err, "ask the runtime to run hooks");
	if (scute_sync_recv(a->sync_fd, err) != SCUTE_SYNC_HOOKS_DONE ||
	    scute_sync_recv_text(a->sync_fd, state, sizeof(state), err) < 0)
		_exit(1); /* the runtime failed a hook and says so itself */
	return scute_hooks_run(h, SCUTE_HOOK_CREATE_CONTAINER, state, err);
}

static int setup_root(struct init_ctx *c, struct scute_err *err)
{
	const struct scute_spec *spec = c->a->spec;
	char value[16];

	if (scute_rootfs_prepare(&c->rootfs, err) < 0)
		return -1;
	scute_debug("init: mounts and devices made");
	if (create_hooks(c->a, err) < 0)
		return -1;
	if (spec->process.terminal) {
		if (c->a->console_fd < 0)
			return scute_err_set(err, EINVAL,
					     "process.terminal is true, but no "
					     "--console-socket was given");
		c->tty_peer = scute_terminal_setup(c->rootfs.rootfd, c->a->console_fd,
						   spec->process.console_height,
						   spec->process.console_width, true, err);
		if (c->tty_peer < 0)
			return -1;
	}
	if (scute_rootfs_seal(&c->rootfs, err) < 0)
		return -1;
	if (scute_sysctl_apply(c->procfd, spec, err) < 0)
		return scute_err_prefix(err, "linux.sysctl");
	if (spec->process.has_oom_score_adj) {
		snprintf(value, sizeof(value), "%d", spec->process.oom_score_adj);
		if (scute_proc_self_write(c->procfd, "oom_score_adj", value, err) < 0)
			return scute_err_prefix(err, "process.oomScoreAdj");
	}
	if (set_names(spec, err) < 0 || scute_rootfs_pivot(&c->rootfs, err) < 0)
		return -1;
	/* Labels for the exec, then Landlock (which could deny the writes to
	 * procfs that labelling needs); the rule paths are the container's. */
	if (spec->process.landlock || spec->process.apparmor_profile || spec->process.selinux_label)
		scute_coverage_dump();
	if (scute_lsm_apply(c->procfd, &spec->process, err) < 0 ||
	    (spec->process.landlock && scute_landlock_apply(spec->process.landlock, err) < 0))
		return -1;
	close(c->procfd);
	close(c->rootfs.devnullfd);
	close(c->rootfs.rootfd);
	return 0;
}

/* The working directory, checked after the fact: a cwd that resolves
 * outside the root (CVE-2024-21626) has no path from it. */
int scute_init_enter_cwd(const struct scute_process *p, struct scute_err *err)
{
	char buf[4096];

	if (chdir(p->cwd) < 0)
		return scute_err_sys(err, "process.cwd: chdir %s", p->cwd);
	if (!getcwd(buf, sizeof(buf)) || buf[0] != '/')
		return scute_err_set(err, EPERM, "process.cwd: %s is outside the container root",
				     p->cwd);
	return 0;
}

static bool defers_caps(const struct scute_bpf *bpf, const struct scute_process *p)
{
	return bpf && !p->no_new_privileges;
}

static int set_identity(struct init_ctx *c, struct scute_err *err)
{
	const struct scute_process *p = &c->a->spec->process;

	if (scute_process_rlimits(p, err) < 0)
		return -1;
	if (!c->a->no_new_keyring && syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, NULL) < 0 &&
	    errno != ENOSYS)
		return scute_err_sys(err, "create a session keyring");
	if (c->tty_peer >= 0 && scute_terminal_become(c->tty_peer, err) < 0)
		return -1;
	if (scute_caps_drop_bounding(p->caps[SCUTE_CAP_BOUNDING], err) < 0 ||
	    scute_process_switch_user(p, c->a->new_userns, err) < 0)
		return -1;
	/* Without no_new_privs a seccomp filter needs CAP_SYS_ADMIN when it is
	 * installed (just before exec), so the final sets wait until then. */
	if (!defers_caps(c->a->bpf, p) && scute_caps_apply(p->caps, err) < 0)
		return -1;
	if (p->no_new_privileges && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return scute_err_sys(err, "set no_new_privs");
	if (scute_init_enter_cwd(p, err) < 0)
		return -1;
	umask(p->has_umask ? p->umask : 022);
	return 0;
}

/* Block until `start` connects and sends the container's state (for the
 * startContainer hooks); returns the connection for exec errors. */
static int wait_for_start(int start_fd, char *state, size_t len)
{
	struct scute_err err;
	int conn;

	do
		conn = accept4(start_fd, NULL, NULL, SOCK_CLOEXEC);
	while (conn < 0 && errno == EINTR);
	if (conn < 0 || scute_sync_recv_text(conn, state, len, &err) < 0)
		_exit(1);
	close(start_fd);
	return conn;
}

/* Every fd but stdio and the preserved ones is closed on exec; the
 * preserved ones are passed on. */
int scute_init_seal_fds(int preserve, struct scute_err *err)
{
	for (int fd = 3; fd < 3 + preserve; fd++) {
		int flags = fcntl(fd, F_GETFD);
		if (flags >= 0 && fcntl(fd, F_SETFD, flags & ~FD_CLOEXEC) < 0)
			return scute_err_sys(err, "--preserve-fds: fd %d", fd);
	}
	if (syscall(SYS_close_range, 3 + preserve, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
		return scute_err_sys(err, "mark fds close-on-exec");
	return 0;
}

/* The filter goes in last. With a listener (SCMP_ACT_NOTIFY, or the exec
 * guard), the listener is handed to `start` (or `exec`) over `conn`: "G"
 * when it must let our own exec through, "L" for the agent. */
int scute_init_install_seccomp(const struct scute_bpf *bpf, const struct scute_process *p, int conn,
			       struct scute_err *err)
{
	int listener, rc = 0;

	/* The last moment a coverage build's counters can still be written. */
	scute_coverage_dump();
	if (!bpf)
		return 0;
	if (defers_caps(bpf, p) && scute_caps_raise_effective(err) < 0)
		return -1;
	scute_debug("init: installing seccomp (%u instructions)", bpf->len);
	listener = scute_seccomp_install(bpf, err);
	scute_debug("init: seccomp installed");
	if (listener < 0)
		return -1;
	if (listener > 0) {
		rc = scute_send_fd(conn, listener, bpf->exec_guard ? "G" : "L", err);
		close(listener);
	}
	if (rc == 0 && defers_caps(bpf, p))
		rc = scute_caps_apply(p->caps, err);
	return rc;
}

__attribute__((noreturn)) static void exec_process(const struct scute_init_args *a, int conn,
						   const char *state)
{
	const struct scute_process *p = &a->spec->process;
	struct scute_err err = { 0 };
	char path[4096];

	/* startContainer: in the container, before its program; a failure
	 * is start's failure. */
	if (scute_hooks_run(&a->spec->hooks, SCUTE_HOOK_START_CONTAINER, state, &err) == 0 &&
	    scute_init_seal_fds(a->preserve_fds, &err) == 0 &&
	    scute_process_find_program(p, path, sizeof(path), &err) == 0 &&
	    scute_init_install_seccomp(a->bpf, p, conn, &err) == 0) {
		execve(path, p->args, p->env);
		scute_err_sys(&err, "exec %s", p->args[0]);
	}
	send(conn, err.msg, strlen(err.msg), MSG_NOSIGNAL);
	scute_coverage_dump();
	_exit(err.code == EACCES ? 126 : 127);
}

void scute_init_main(const struct scute_init_args *a)
{
	struct init_ctx c = { .a = a, .procfd = -1, .tty_peer = -1 };
	struct scute_err err = { 0 };
	int conn;

	/* If the runtime dies during setup, so does the half-made init (had it
	 * died before this line, the GO read below sees the socket closed). */
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	scute_coverage_keep_root();
	reset_signals();
	umask(0);
	c.rootfs = (struct scute_rootfs_ctx){ .spec = a->spec,
					      .rootfd = -1,
					      .devnullfd = -1,
					      .userns = a->new_userns ||
							a->spec->ns[SCUTE_NS_USER].path,
					      .no_pivot = a->no_pivot };
	if (scute_sync_recv(a->sync_fd, &err) != SCUTE_SYNC_GO)
		_exit(1);
	/* Not dumpable from here on: no container process may trace us or
	 * open our /proc files. (Until GO none exists; rootless, the parent
	 * needs our /proc/PID/gid_map, which a non-dumpable process's owner
	 * could not open.) */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	scute_debug("init: go");
	if (enter_namespaces(&c, &err) < 0 || setup_root(&c, &err) < 0 ||
	    set_identity(&c, &err) < 0)
		fail_setup(a, &err);
	scute_debug("init: set up");
	if (a->console_fd >= 0)
		close(a->console_fd);
	/* From here the init outlives `create`. */
	prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0);
	if (scute_sync_send(a->sync_fd, SCUTE_SYNC_READY, NULL) < 0)
		_exit(1);
	close(a->sync_fd);
	static char state[SCUTE_SYNC_TEXT_MAX + 1];
	conn = wait_for_start(a->start_fd, state, sizeof(state));
	exec_process(a, conn, state);
}
