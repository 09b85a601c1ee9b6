/* run = create + start, then (unless --detach) stay the init's parent:
 * forward signals to it, wait, delete, and exit with its status. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime.h"
#include "runtime_create.h"

static const int forwarded[] = { SIGHUP,  SIGINT,   SIGQUIT, SIGTERM, SIGUSR1,
				 SIGUSR2, SIGWINCH, SIGCONT, SIGALRM, SIGPIPE };

static int wait_forwarding(pid_t pid, const sigset_t *set)
{
	siginfo_t info;
	int status;

	for (;;) {
		int sig = sigwaitinfo(set, &info);
		if (sig < 0) {
			if (errno == EINTR)
				continue;
			return 255;
		}
		if (sig != SIGCHLD) {
			kill(pid, sig);
			continue;
		}
		pid_t got;
		while ((got = waitpid(-1, &status, WNOHANG)) > 0) {
			if (got != pid)
				continue;
			if (WIFEXITED(status))
				return WEXITSTATUS(status);
			return 128 + WTERMSIG(status);
		}
	}
}

int cmd_run(struct global_opts *g, int argc, char **argv)
{
	struct create_cli cli = { .is_run = true };
	struct scute_err err = { 0 };
	sigset_t set, old;
	pid_t pid;
	int rc = parse_create_opts(argc, argv, &cli), status;

	if (rc != 0)
		return rc < 0 ? 0 : rc;
	if ((rc = runtime_seal_self(g)) != 0)
		return rc;
	cli.opts.root = g->root;
	/* Block before the init exists so no signal is lost; the init
	 * unblocks everything for itself. */
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
		sigaddset(&set, forwarded[i]);
	sigprocmask(SIG_BLOCK, &set, &old);
	if (scute_container_run(&cli.opts, &pid, &err) < 0)
		return runtime_fail(&err);
	if (cli.detach)
		return 0;
	status = wait_forwarding(pid, &set);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (!cli.keep && scute_container_delete(g->root, cli.opts.id, true, &err) < 0)
		runtime_fail(&err);
	return status;
}
