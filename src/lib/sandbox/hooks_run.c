/* Running OCI hooks: fork, exec with the hook's args and env, the state on
 * stdin, stdout and stderr collected, and a deadline. */
#include "hooks_run.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "cleanup.h"
#include "deadline.h"
#include "log.h"

__attribute__((noreturn)) static void exec_hook(const struct scute_hook *hook, int in, int out)
{
	/* Fresh stdio: the state in, the hook's output to the collector. */
	if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0)
		_exit(127);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	execve(hook->path, hook->args, hook->env);
	dprintf(2, "exec %s: %s", hook->path, strerror(errno));
	_exit(127);
}

/* Read the hook's output until it closes it, or the deadline (-1: none)
 * passes; returns 0, or -1 on timeout. */
static int collect(int fd, long long deadline, char *buf, size_t len)
{
	size_t used = 0;

	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int wait = deadline < 0 ? -1 : (int)(deadline - scute_now_ms());
		if (deadline >= 0 && wait <= 0)
			return -1;
		int r = poll(&p, 1, wait);
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0)
			return -1;
		char chunk[1024];
		ssize_t n = read(fd, chunk, sizeof(chunk));
		if (n <= 0)
			return 0;
		/* Keep the last of the output: the end says why it failed. */
		if (used + (size_t)n >= len) {
			size_t drop = used + (size_t)n - (len - 1);
			drop = drop > used ? used : drop;
			memmove(buf, buf + drop, used - drop);
			used -= drop;
		}
		size_t take = (size_t)n < len - 1 - used ? (size_t)n : len - 1 - used;
		memcpy(buf + used, chunk + n - take, take);
		used += take;
		buf[used] = '\0';
	}
}

/* The state on the hook's stdin. A hook need not read it, so the write
 * must not block on a full pipe; and a hook may be gone already (its exec
 * failed), so the write must not raise SIGPIPE, which would kill the
 * runtime before it could say what went wrong. */
static void write_state(int fd, const char *state)
{
	struct timespec now = { 0, 0 };
	sigset_t pipe_only, old;

	sigemptyset(&pipe_only);
	sigaddset(&pipe_only, SIGPIPE);
	sigprocmask(SIG_BLOCK, &pipe_only, &old);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	if (write(fd, state, strlen(state)) < 0 && errno == EPIPE)
		sigtimedwait(&pipe_only, NULL, &now); /* take the pending SIGPIPE */
	sigprocmask(SIG_SETMASK, &old, NULL);
}

/* Why the hook failed, from its wait status (0 when it did not). */
static int hook_status(const struct scute_hook *hook, const char *name, int status,
		       const char *output, struct scute_err *err)
{
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		scute_debug("%s (%s) done", name, hook->path);
		return 0;
	}
	if (WIFEXITED(status))
		return scute_err_set(err, ECANCELED, "%s (%s): exit status %d%s%s", name,
				     hook->path, WEXITSTATUS(status), *output ? ": " : "", output);
	return scute_err_set(err, ECANCELED, "%s (%s): killed by signal %d%s%s", name, hook->path,
			     WTERMSIG(status), *output ? ": " : "", output);
}

static int run_one(const struct scute_hook *hook, const char *name, const char *state,
		   struct scute_err *err)
{
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, status;
	char output[512] = "";
	pid_t pid;

	/* A failure of the second pipe left the first open before. */
	if (pipe2(in, O_CLOEXEC) < 0)
		return scute_err_sys(err, "%s: pipe", name);
	auto_fd int in_rd = in[0];
	auto_fd int in_wr = in[1];
	if (pipe2(out, O_CLOEXEC) < 0)
		return scute_err_sys(err, "%s: pipe", name);
	auto_fd int out_rd = out[0];
	auto_fd int out_wr = out[1];
	pid = fork();
	if (pid < 0)
		return scute_err_sys(err, "%s: fork", name);
	if (pid == 0)
		exec_hook(hook, in_rd, out_wr);
	/* The hook's ends go now: its end of stream is our end of output. */
	close(scute_take_fd(&in_rd));
	close(scute_take_fd(&out_wr));
	write_state(in_wr, state);
	close(scute_take_fd(&in_wr));
	if (collect(out_rd, hook->timeout ? scute_now_ms() + hook->timeout * 1000LL : -1, output,
		    sizeof(output)) < 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		return scute_err_set(err, ETIMEDOUT, "%s (%s): timed out after %d s", name,
				     hook->path, hook->timeout);
	}
	waitpid(pid, &status, 0);
	for (size_t n = strlen(output); n && strchr(" \t\r\n", output[n - 1]); n--)
		output[n - 1] = '\0';
	return hook_status(hook, name, status, output, err);
}

/* The state as a hook in the container's namespaces gets it: the pid as
 * the container sees it (runtime-spec runtime.md, "pid"), which is ours,
 * since those hooks are run by the container's init. NULL when the text
 * is not a state object. */
static char *state_seen_inside(const char *state)
{
	auto_json json_t *doc = json_loads(state, 0, NULL);

	if (json_is_object(doc) && json_object_set_new(doc, "pid", json_integer(getpid())) == 0)
		return json_dumps(doc, JSON_COMPACT);
	return NULL;
}

int scute_hooks_run(const struct scute_hooks *h, enum scute_hook_kind kind, const char *state,
		    struct scute_err *err)
{
	bool inside = kind == SCUTE_HOOK_CREATE_CONTAINER || kind == SCUTE_HOOK_START_CONTAINER;
	char name[64];
	auto_free char *own = NULL;
	int rc = 0;

	if (!h || !h->n[kind])
		return 0;
	if (inside) {
		own = state_seen_inside(state);
		if (!own)
			return scute_err_set(err, EINVAL,
					     "hooks.%s: the state is not a JSON object",
					     scute_hook_kind_name(kind));
		state = own;
	}
	for (size_t i = 0; i < h->n[kind] && rc == 0; i++) {
		snprintf(name, sizeof(name), "hooks.%s[%zu]", scute_hook_kind_name(kind), i);
		rc = run_one(&h->list[kind][i], name, state, err);
		/* poststop: the container is gone already; a failed hook is
		 * a warning, and the rest still run (runtime.md, step 13). */
		if (rc < 0 && kind == SCUTE_HOOK_POSTSTOP) {
			scute_warn("%s", err->msg);
			rc = 0;
		}
	}
	return rc;
}
