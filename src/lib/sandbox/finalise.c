#include "finalise.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/keyctl.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "caps.h"
#include "coverage.h"
#include "fdpass.h"
#include "fsutil.h"
#include "log.h"
#include "lsm.h"
#include "process.h"

static const char *const step_names[SCUTE_FIN_COUNT] = {
	[SCUTE_FIN_RLIMITS] = "rlimits",
	[SCUTE_FIN_OOM] = "oom_score_adj",
	[SCUTE_FIN_LSM] = "LSM labels",
	[SCUTE_FIN_LANDLOCK] = "Landlock",
	[SCUTE_FIN_KEYRING] = "session keyring",
	[SCUTE_FIN_TERMINAL] = "terminal",
	[SCUTE_FIN_BOUNDING] = "bounding set",
	[SCUTE_FIN_USER] = "user",
	[SCUTE_FIN_CAPS] = "capabilities",
	[SCUTE_FIN_NO_NEW_PRIVS] = "no_new_privs",
	[SCUTE_FIN_CWD] = "cwd",
	[SCUTE_FIN_CLOSE_FDS] = "close fds",
	[SCUTE_FIN_FIND_PROGRAM] = "find program",
	[SCUTE_FIN_SECCOMP] = "seccomp",
	[SCUTE_FIN_CTTY] = "controlling terminal",
	[SCUTE_FIN_EXEC] = "exec",
};

const char *scute_fin_step_name(enum scute_fin_step step)
{
	return step < SCUTE_FIN_COUNT ? step_names[step] : "?";
}

int scute_fin_run(const struct scute_fin_ops *ops, struct scute_fin *f, enum scute_fin_step from,
		  enum scute_fin_step to, struct scute_err *err)
{
	for (int s = from; s <= (int)to && s < SCUTE_FIN_COUNT; s++) {
		if (!ops->step[s])
			continue;
		scute_debug("finalise: %s", step_names[s]);
		if (ops->step[s](f, err) < 0)
			return -1;
	}
	return 0;
}

/* Without no_new_privs a seccomp filter needs CAP_SYS_ADMIN when it is
 * installed, so the final capability sets wait until it is in. */
static bool defers_caps(const struct scute_fin *f)
{
	return f->bpf && !f->p->no_new_privileges;
}

bool scute_fin_seccomp_before_wait(const struct scute_fin *f)
{
	return defers_caps(f) && !(f->bpf->flags & SECCOMP_FILTER_FLAG_NEW_LISTENER);
}

static int do_rlimits(struct scute_fin *f, struct scute_err *err)
{
	return scute_process_rlimits(f->p, err);
}

static int do_oom(struct scute_fin *f, struct scute_err *err)
{
	char value[16];

	if (!f->p->has_oom_score_adj)
		return 0;
	snprintf(value, sizeof(value), "%d", f->p->oom_score_adj);
	if (scute_proc_self_write(f->procfd, "oom_score_adj", value, err) < 0)
		return scute_err_prefix(err, "process.oomScoreAdj");
	return 0;
}

/* Labels for the exec, then Landlock (which could deny the writes to
 * procfs that labelling needs); rule paths are the container's. */
static int do_lsm(struct scute_fin *f, struct scute_err *err)
{
	const struct scute_process *p = f->p;

	if (f->landlock[0] || f->landlock[1] || p->apparmor_profile || p->selinux_label)
		scute_coverage_dump(); /* before a label or Landlock stops its writes */
	return scute_lsm_apply(f->procfd, p, err);
}

static int do_landlock(struct scute_fin *f, struct scute_err *err)
{
	for (int i = 0; i < 2; i++)
		if (f->landlock[i] && scute_landlock_apply(f->landlock[i], err) < 0)
			return -1;
	return 0;
}

static int do_keyring(struct scute_fin *f, struct scute_err *err)
{
	if (f->new_keyring && syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, NULL) < 0 &&
	    errno != ENOSYS)
		return scute_err_sys(err, "create a session keyring");
	return 0;
}

static int do_terminal(struct scute_fin *f, struct scute_err *err)
{
	if (f->tty_peer < 0)
		return 0;
	for (int fd = 0; fd < 3; fd++)
		if (dup2(f->tty_peer, fd) < 0)
			return scute_err_sys(err, "dup the pty to fd %d", fd);
	if (f->tty_peer > 2)
		close(f->tty_peer);
	f->tty_peer = -1;
	f->tty = true;
	return 0;
}

static int do_ctty(struct scute_fin *f, struct scute_err *err)
{
	if (!f->tty)
		return 0;
	if (setsid() < 0 && errno != EPERM)
		return scute_err_sys(err, "setsid");
	if (ioctl(STDIN_FILENO, TIOCSCTTY, 0) < 0)
		return scute_err_sys(err, "make the pty the controlling terminal");
	return 0;
}

static int do_bounding(struct scute_fin *f, struct scute_err *err)
{
	return scute_caps_drop_bounding(f->p->caps[SCUTE_CAP_BOUNDING], err);
}

static int do_user(struct scute_fin *f, struct scute_err *err)
{
	return scute_process_switch_user(f->p, f->in_userns, err);
}

static int do_caps(struct scute_fin *f, struct scute_err *err)
{
	return defers_caps(f) ? 0 : scute_caps_apply(f->p->caps, err);
}

static int do_nnp(struct scute_fin *f, struct scute_err *err)
{
	if (f->p->no_new_privileges && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return scute_err_sys(err, "set no_new_privs");
	return 0;
}

/* The working directory, checked after the fact: a cwd that resolves
 * outside the root (CVE-2024-21626) has no path from it. */
static int do_cwd(struct scute_fin *f, struct scute_err *err)
{
	const struct scute_process *p = f->p;
	char buf[4096];

	if (chdir(p->cwd) < 0)
		return scute_err_sys(err, "process.cwd: chdir %s", p->cwd);
	if (!getcwd(buf, sizeof(buf)) || buf[0] != '/')
		return scute_err_set(err, EPERM, "process.cwd: %s is outside the container root",
				     p->cwd);
	umask(p->has_umask ? p->umask : 022);
	return 0;
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

int scute_fin_close_fds(int preserve, const int *keep, int n_keep, struct scute_err *err)
{
	int sorted[SCUTE_FIN_MAX_KEEP], n = 0;
	unsigned int lo = 3U + (unsigned int)preserve;
	struct stat st;

	for (int fd = 3; fd < 3 + preserve; fd++) {
		int flags = fcntl(fd, F_GETFD);
		if (flags < 0 || fcntl(fd, F_SETFD, flags & ~FD_CLOEXEC) < 0)
			return scute_err_sys(err, "--preserve-fds: fd %d", fd);
	}
	for (int i = 0; i < n_keep && n < SCUTE_FIN_MAX_KEEP; i++) {
		if (keep[i] < (int)lo)
			continue;
		/* What the exec itself needs is a socket to the runtime; never
		 * a file or directory of the host. */
		if (fstat(keep[i], &st) < 0 || !S_ISSOCK(st.st_mode))
			return scute_err_set(err, EBADF, "fd %d kept for the exec is not a socket",
					     keep[i]);
		sorted[n++] = keep[i];
	}
	qsort(sorted, (size_t)n, sizeof(int), cmp_int);
	/* Last moment a coverage build's counters can be written: its handle
	 * on the host's root goes with the rest. */
	scute_coverage_dump();
	for (int i = 0; i < n; i++) {
		if ((unsigned int)sorted[i] > lo &&
		    syscall(SYS_close_range, lo, (unsigned int)sorted[i] - 1, 0) < 0)
			return scute_err_sys(err, "close fds %u-%d", lo, sorted[i] - 1);
		lo = (unsigned int)sorted[i] + 1;
	}
	if (syscall(SYS_close_range, lo, ~0U, 0) < 0)
		return scute_err_sys(err, "close fds from %u", lo);
	/* The front end's log sink wrote to fds that are gone, whose numbers
	 * the start connection or a listener may take next: no more logging
	 * from this process. */
	scute_log_set_sink(NULL, SCUTE_LOG_ERROR);
	return 0;
}

static int do_close_fds(struct scute_fin *f, struct scute_err *err)
{
	f->procfd = -1;
	return scute_fin_close_fds(f->preserve, f->keep, f->n_keep, err);
}

static int do_find_program(struct scute_fin *f, struct scute_err *err)
{
	return scute_process_find_program(f->p, f->path, sizeof(f->path), err);
}

/* The filter goes in last. With a listener (SCMP_ACT_NOTIFY, or the exec
 * guard), the listener is handed over conn: "G" when it must let our own
 * exec through, "L" for the agent. */
static int do_seccomp(struct scute_fin *f, struct scute_err *err)
{
	int listener, rc = 0;

	if (!f->bpf)
		return 0;
	if (defers_caps(f) && scute_caps_raise_effective(err) < 0)
		return -1;
	listener = scute_seccomp_install(f->bpf, err);
	if (listener < 0)
		return -1;
	if (listener > 0) {
		rc = scute_send_fd(f->conn, listener, f->bpf->exec_guard ? "G" : "L", err);
		/* Closed by hand, here, not by a cleanup attribute: the
		 * process must not hold its own listener when it execs (it
		 * could answer its own notifications), and this line is the
		 * point a reviewer checks for that. */
		close(listener);
	}
	if (rc == 0 && defers_caps(f))
		rc = scute_caps_apply(f->p->caps, err);
	return rc;
}

static int do_exec(struct scute_fin *f, struct scute_err *err)
{
	/* The system call itself: a coverage build's execve() is gcov's
	 * wrapper, which would write counters once more, from inside the
	 * container's root (scute_coverage_dump already wrote them, or could
	 * not reach the host and dropped them). */
	syscall(SYS_execve, f->path, f->p->args, f->p->env);
	return scute_err_sys(err, "exec %s", f->p->args[0]);
}

const struct scute_fin_ops scute_fin_ops = { .step = {
						     [SCUTE_FIN_RLIMITS] = do_rlimits,
						     [SCUTE_FIN_OOM] = do_oom,
						     [SCUTE_FIN_LSM] = do_lsm,
						     [SCUTE_FIN_LANDLOCK] = do_landlock,
						     [SCUTE_FIN_KEYRING] = do_keyring,
						     [SCUTE_FIN_TERMINAL] = do_terminal,
						     [SCUTE_FIN_BOUNDING] = do_bounding,
						     [SCUTE_FIN_USER] = do_user,
						     [SCUTE_FIN_CAPS] = do_caps,
						     [SCUTE_FIN_NO_NEW_PRIVS] = do_nnp,
						     [SCUTE_FIN_CWD] = do_cwd,
						     [SCUTE_FIN_CLOSE_FDS] = do_close_fds,
						     [SCUTE_FIN_FIND_PROGRAM] = do_find_program,
						     [SCUTE_FIN_SECCOMP] = do_seccomp,
						     [SCUTE_FIN_CTTY] = do_ctty,
						     [SCUTE_FIN_EXEC] = do_exec,
					     } };
