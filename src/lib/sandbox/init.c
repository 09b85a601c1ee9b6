#include "init.h"

#include <errno.h>
#include <fcntl.h>
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

#include "coverage.h"
#include "hooks_run.h"
#include "finalise.h"
#include "cgroups.h"
#include "fsutil.h"
#include "log.h"
#include "mounts.h"
#include "namespaces.h"
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
	/* Nothing is left to report a failed send to: the runtime sees the
	 * channel close instead. */
	scute_sync_send(a->sync_fd, SCUTE_SYNC_ERROR, err, &(struct scute_err){ 0 });
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
	if (scute_sync_send(a->sync_fd, SCUTE_SYNC_HOOKS, NULL, err) < 0)
		return scute_err_prefix(err, "ask the runtime to run hooks");
	if (scute_sync_expect(a->sync_fd, SCUTE_SYNC_HOOKS_DONE, err) < 0 ||
	    scute_sync_recv_text(a->sync_fd, state, sizeof(state), err) < 0)
		_exit(1); /* the runtime failed a hook and says so itself */
	return scute_hooks_run(h, SCUTE_HOOK_CREATE_CONTAINER, state, err);
}

static int setup_root(struct init_ctx *c, struct scute_err *err)
{
	const struct scute_spec *spec = c->a->spec;

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
	if (set_names(spec, err) < 0 || scute_rootfs_pivot(&c->rootfs, err) < 0)
		return -1;
	close(c->rootfs.devnullfd);
	close(c->rootfs.rootfd);
	return 0;
}

/* The finalisation table (finalise.h) up to closing the fds: what is left
 * open is stdio, the preserved fds and the two sockets to the runtime. */
static void fin_of(struct init_ctx *c, struct scute_fin *f)
{
	const struct scute_init_args *a = c->a;

	*f = (struct scute_fin){ .p = &a->spec->process,
				 .landlock = { a->spec->process.landlock, NULL },
				 .bpf = a->bpf,
				 .procfd = c->procfd,
				 .tty_peer = c->tty_peer,
				 .in_userns = a->new_userns,
				 .new_keyring = !a->no_new_keyring,
				 .preserve = a->preserve_fds,
				 .keep = { a->sync_fd, a->start_fd },
				 .n_keep = 2,
				 .conn = -1 };
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

/* After start: the program is looked up only now that no host fd is
 * open, then the filter, then execve. */
__attribute__((noreturn)) static void exec_process(struct scute_fin *f, int conn, const char *state,
						   const struct scute_hooks *hooks)
{
	struct scute_err err = { 0 };

	f->conn = conn;
	/* startContainer: in the container, before its program; a failure
	 * is start's failure. */
	if (scute_hooks_run(hooks, SCUTE_HOOK_START_CONTAINER, state, &err) == 0)
		scute_fin_run(&scute_fin_ops, f, SCUTE_FIN_FIND_PROGRAM, SCUTE_FIN_EXEC, &err);
	/* "ERRNO:message": start reports the code too (the engine's 126 and
	 * 127 come from it) */
	char msg[SCUTE_ERR_MSG_MAX + 16];
	int n = snprintf(msg, sizeof(msg), "%d:%s", err.code, err.msg);

	send(conn, msg, n > 0 && (size_t)n < sizeof(msg) ? (size_t)n : strlen(msg), MSG_NOSIGNAL);
	scute_coverage_dump();
	_exit(err.code == EACCES ? 126 : 127);
}

void scute_init_main(const struct scute_init_args *a)
{
	struct init_ctx c = { .a = a, .procfd = -1, .tty_peer = -1 };
	struct scute_err err = { 0 };
	struct scute_fin f;
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
					      .no_pivot = a->no_pivot,
					      .cgroup = a->cgroup };
	if (scute_sync_expect(a->sync_fd, SCUTE_SYNC_GO, &err) < 0)
		_exit(1); /* the runtime went away or failed, and says so itself */
	/* Not dumpable from here on: no container process may trace us or
	 * open our /proc files. (Until GO none exists; rootless, the parent
	 * needs our /proc/PID/gid_map, which a non-dumpable process's owner
	 * could not open.) */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) {
		scute_err_sys(&err, "make the init non-dumpable");
		fail_setup(a, &err);
	}
	scute_debug("init: go");
	if (enter_namespaces(&c, &err) < 0 || setup_root(&c, &err) < 0)
		fail_setup(a, &err);
	fin_of(&c, &f);
	if (scute_fin_run(&scute_fin_ops, &f, SCUTE_FIN_RLIMITS, SCUTE_FIN_CLOSE_FDS, &err) < 0)
		fail_setup(a, &err);
	/* Never wait for start holding the runtime's capabilities: the filter
	 * (and with it the final sets) go in now, as runc does without
	 * no_new_privs; the wait and the PATH lookup run under it. */
	if (f.bpf && scute_fin_seccomp_before_wait(&f)) {
		if (scute_fin_run(&scute_fin_ops, &f, SCUTE_FIN_SECCOMP, SCUTE_FIN_SECCOMP, &err) <
		    0)
			fail_setup(a, &err);
		f.bpf = NULL;
	}
	scute_debug("init: set up");
	/* From here the init outlives `create`. */
	prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0);
	if (scute_sync_send(a->sync_fd, SCUTE_SYNC_READY, NULL, &err) < 0)
		_exit(1); /* the runtime is gone: no one to tell */
	close(a->sync_fd);
	static char state[SCUTE_SYNC_TEXT_MAX + 1];
	conn = wait_for_start(a->start_fd, state, sizeof(state));
	exec_process(&f, conn, state, &a->spec->hooks);
}
