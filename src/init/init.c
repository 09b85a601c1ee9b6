/* scute-init: the small init `scute run --init` puts in front of a
 * container's command, as its pid 1.
 *
 *   scute-init [--] PROG [ARG...]
 *
 * It runs PROG (searched in PATH as execvp does) as its only child,
 * forwards every signal it gets to that child, reaps every process that
 * ends up as its child (orphans of the container are reparented to it:
 * it is pid 1 of the container's pid namespace, or a child subreaper when
 * it is not), and exits with PROG's status: its exit code, or 128+N when
 * signal N killed it. 126: PROG could not be run; 127: PROG was not found;
 * 2: no PROG.
 *
 * A shell or a server as pid 1 gets no signal it has no handler for (the
 * kernel drops them for a namespace's init), and reaps no orphan it did
 * not wait for; this is what scute-init is for.
 *
 * It runs with the container's privileges, inside any image, so it is
 * linked static, takes nothing from the environment (PATH only as the
 * search path of PROG's name, as a shell would), opens no fd at all
 * (the fds it was given are PROG's, untouched), and never waits for
 * anything but PROG: once PROG is reaped it exits, and the kernel kills
 * what is left of the pid namespace with it. */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#define EXIT_USAGE 2
#define EXIT_CANNOT_RUN 126
#define EXIT_NOT_FOUND 127

static const char usage_text[] = "usage: scute-init [--] PROG [ARG...]\n";

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("scute-init: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* The index of PROG in argv, or exits: a leading "--" is skipped, any
 * other leading "-..." is refused (a program named so needs the "--"). */
static int find_prog(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "--help") == 0) {
		fputs(usage_text, stdout);
		exit(EXIT_SUCCESS);
	}
	if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
		printf("scute-init %s\n", SCUTE_VERSION);
		exit(EXIT_SUCCESS);
	}
	int i = 1;
	if (i < argc && strcmp(argv[i], "--") == 0) {
		i++;
	} else if (i < argc && argv[i][0] == '-') {
		say("unknown option \"%s\"", argv[i]);
		fputs(usage_text, stderr);
		exit(EXIT_USAGE);
	}
	if (i >= argc) {
		fputs(usage_text, stderr);
		exit(EXIT_USAGE);
	}
	return i;
}

/* Every disposition back to the default: an inherited SIG_IGN for SIGCHLD
 * would have the kernel reap children itself (no status for PROG), and
 * PROG should start as any program does, with nothing ignored. The
 * parent's signals are all blocked, so the default never acts on it. */
static void reset_dispositions(void)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigemptyset(&dfl.sa_mask);
	for (int sig = 1; sig < NSIG; sig++) {
		/* KILL, STOP and the C library's own signals refuse: EINVAL */
		(void)sigaction(sig, &dfl, NULL);
	}
}

/* In the child: its own process group, given the terminal if the init's
 * group had it, so that ^C reaches PROG's group once (through the
 * terminal) and not also through the init. The init's signals are still
 * blocked here, so tcsetpgrp's SIGTTOU does not stop it. */
static void take_terminal(void)
{
	bool foreground = isatty(STDIN_FILENO) && tcgetpgrp(STDIN_FILENO) == getpgrp();
	if (setpgid(0, 0) < 0) {
		return;
	}
	if (foreground) {
		/* best effort: a terminal that is not ours stays as it is */
		(void)tcsetpgrp(STDIN_FILENO, getpgrp());
	}
}

static void __attribute__((noreturn)) run_child(char **argv, const sigset_t *old_mask)
{
	take_terminal();
	if (sigprocmask(SIG_SETMASK, old_mask, NULL) < 0) {
		say("sigprocmask: %s", strerror(errno));
		_exit(EXIT_CANNOT_RUN);
	}
	execvp(argv[0], argv);
	int e = errno;
	say("%s: %s", argv[0], strerror(e));
	_exit(e == ENOENT || e == ENOTDIR ? EXIT_NOT_FOUND : EXIT_CANNOT_RUN);
}

static int exit_code(int status)
{
	if (WIFEXITED(status)) {
		return WEXITSTATUS(status);
	}
	if (WIFSIGNALED(status)) {
		return 128 + WTERMSIG(status);
	}
	return EXIT_CANNOT_RUN; /* not reached: waitpid without WUNTRACED */
}

/* Reap every child that has ended; true (and *code) once `child` has. */
static bool reap(pid_t child, int *code)
{
	bool done = false;
	for (;;) {
		int status;
		pid_t pid = waitpid(-1, &status, WNOHANG);
		if (pid < 0 && errno == EINTR) {
			continue;
		}
		if (pid <= 0) {
			return done; /* none left that has ended, or none at all */
		}
		if (pid == child) {
			*code = exit_code(status);
			done = true;
		}
	}
}

int main(int argc, char **argv)
{
	int first = find_prog(argc, argv);

	/* pid 1 of a namespace is its reaper already */
	if (getpid() != 1 && prctl(PR_SET_CHILD_SUBREAPER, 1L, 0L, 0L, 0L) < 0) {
		say("PR_SET_CHILD_SUBREAPER: %s", strerror(errno));
		return EXIT_CANNOT_RUN;
	}

	/* Blocked before the fork, so that a SIGCHLD of a child that ends at
	 * once, or a signal for it, waits for the loop below. KILL and STOP
	 * cannot be blocked (the kernel leaves them out). A fault of the init
	 * itself (SIGSEGV...) still kills it: the kernel unblocks those. */
	sigset_t all, old_mask;
	sigfillset(&all);
	if (sigprocmask(SIG_SETMASK, &all, &old_mask) < 0) {
		say("sigprocmask: %s", strerror(errno));
		return EXIT_CANNOT_RUN;
	}
	reset_dispositions();

	pid_t child = fork();
	if (child < 0) {
		say("fork: %s", strerror(errno));
		return EXIT_CANNOT_RUN;
	}
	if (child == 0) {
		run_child(argv + first, &old_mask);
	}

	for (;;) {
		siginfo_t si;
		int sig = sigwaitinfo(&all, &si);
		if (sig < 0) {
			continue; /* EINTR: a stop and SIGCONT of the init itself */
		}
		if (sig == SIGCHLD) {
			int code;
			if (reap(child, &code)) {
				return code;
			}
			continue;
		}
		/* PROG is unreaped until the loop returns, so its pid is
		 * never another process's: ESRCH cannot name a stranger. */
		(void)kill(child, sig);
	}
}
