/* The one finalisation path: the ordered steps that turn a process in the
 * container's namespaces into the container's program (DESIGN.md "The init
 * sequence"). create's init and exec run this same table; each may run it
 * in slices (the init waits for `start` between closing its fds and
 * finding the program; exec's helper runs everything up to the seccomp
 * filter and its child only takes its session and execs), never in another
 * order. The session comes last because whoever leads it hangs up the
 * terminal when it exits: that must be the process that execs, not exec's
 * short-lived helper. */
#ifndef SCUTE_FINALISE_H
#define SCUTE_FINALISE_H

#include <stdbool.h>

#include "error.h"
#include "landlock.h"
#include "seccomp.h"
#include "spec.h"

enum scute_fin_step {
	SCUTE_FIN_RLIMITS,	/* process.rlimits */
	SCUTE_FIN_OOM,		/* process.oomScoreAdj, before the user switch */
	SCUTE_FIN_LSM,		/* AppArmor/SELinux exec labels, through procfd */
	SCUTE_FIN_LANDLOCK,	/* the container's ruleset, then the process's */
	SCUTE_FIN_KEYRING,	/* a session keyring of its own (the init) */
	SCUTE_FIN_TERMINAL,	/* the pty peer becomes stdio */
	SCUTE_FIN_BOUNDING,	/* needs CAP_SETPCAP: before the user switch */
	SCUTE_FIN_USER,		/* groups, gid, uid */
	SCUTE_FIN_CAPS,		/* permitted/effective, inheritable, ambient */
	SCUTE_FIN_NO_NEW_PRIVS, /* process.noNewPrivileges */
	SCUTE_FIN_CWD,		/* chdir as the user, verified inside the root */
	SCUTE_FIN_CLOSE_FDS,	/* close all but stdio, preserved, keep[] */
	SCUTE_FIN_FIND_PROGRAM, /* PATH lookup, only once no host fd is open */
	SCUTE_FIN_SECCOMP,	/* last: its listener goes over conn */
	SCUTE_FIN_CTTY,		/* then a session whose controlling tty it is */
	SCUTE_FIN_EXEC,		/* execve */
	SCUTE_FIN_COUNT
};

#define SCUTE_FIN_MAX_KEEP 4

struct scute_fin {
	const struct scute_process *p;
	const struct scute_landlock *landlock[2]; /* the container's, the process's */
	const struct scute_bpf *bpf;		  /* NULL: no filter */
	int procfd;				  /* verified procfs handle; closed by CLOSE_FDS */
	int tty_peer;				  /* -1: no terminal */
	bool tty;				  /* stdio is a pty (TERMINAL ran) */
	bool in_userns;				  /* setgroups may be denied there */
	bool new_keyring;
	int preserve;		      /* fds 3 .. 3+preserve-1 pass to the program */
	int keep[SCUTE_FIN_MAX_KEEP]; /* sockets the exec itself needs */
	int n_keep;
	int conn;	 /* where a seccomp listener is sent */
	char path[4096]; /* the program FIND_PROGRAM found */
};

typedef int (*scute_fin_fn)(struct scute_fin *f, struct scute_err *err);
struct scute_fin_ops {
	scute_fin_fn step[SCUTE_FIN_COUNT];
};

/* The steps that act on the calling process. */
extern const struct scute_fin_ops scute_fin_ops;

const char *scute_fin_step_name(enum scute_fin_step step);
/* Run steps from..to (both included) in table order; stops at the first
 * failure, whose message names the step. */
int scute_fin_run(const struct scute_fin_ops *ops, struct scute_fin *f, enum scute_fin_step from,
		  enum scute_fin_step to, struct scute_err *err);

/* Close every fd >= 3 except 3..3+preserve-1 and keep[] (close_range, not
 * close-on-exec: a path through /proc/self/fd/N is resolved before execve
 * closes anything); the kept ones must be sockets. Preserved fds are made
 * inheritable. */
/* True when the filter must go in before the init waits for start: it
 * needs CAP_SYS_ADMIN (no no_new_privs), so the final capability sets wait
 * for it, and an init waiting with the runtime's capabilities could be
 * traced by any process of a pid namespace it shares that holds
 * CAP_SYS_PTRACE. (With a listener to hand to start, it cannot.) */
bool scute_fin_seccomp_before_wait(const struct scute_fin *f);

int scute_fin_close_fds(int preserve, const int *keep, int n_keep, struct scute_err *err);

#endif
