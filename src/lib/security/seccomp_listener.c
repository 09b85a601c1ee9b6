#include "seccomp_listener.h"

#include <errno.h>
#include <jansson.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <stdbool.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "cleanup.h"
#include "fdpass.h"

static bool is_exec_call(const struct seccomp_data *d)
{
	return d->nr == seccomp_syscall_resolve_name_arch(d->arch, "execve") ||
	       d->nr == seccomp_syscall_resolve_name_arch(d->arch, "execveat");
}

int scute_seccomp_guard_exec(int listener, pid_t pid, struct scute_err *err)
{
	struct seccomp_notif_sizes sizes;
	struct pollfd p = { .fd = listener, .events = POLLIN };
	auto_free struct seccomp_notif *req = NULL;
	auto_free struct seccomp_notif_resp *resp = NULL;
	int rc = 0;

	if (syscall(__NR_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) < 0)
		return scute_err_sys(err, "seccomp: notification sizes");
	req = calloc(1, sizes.seccomp_notif > sizeof(*req) ? sizes.seccomp_notif : sizeof(*req));
	resp = calloc(1, sizes.seccomp_notif_resp > sizeof(*resp) ? sizes.seccomp_notif_resp
								  : sizeof(*resp));
	if (!req || !resp)
		/* auto_free (cleanup.h); clang-tidy 14 does not run cleanups */
		/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc) */
		return scute_err_set(err, ENOMEM, "out of memory");
	while (poll(&p, 1, -1) < 0 && errno == EINTR)
		;
	if (!(p.revents & POLLIN)) {
		rc = scute_err_set(err, ESRCH, "the container init exited before its exec");
	} else if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, req) < 0) {
		rc = scute_err_sys(err, "seccomp: receive the init's exec");
	} else {
		resp->id = req->id;
		/* Only the init's own exec is let through; anything else that
		 * reached the listener first is refused. */
		if ((pid_t)req->pid == pid && is_exec_call(&req->data)) {
			resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		} else {
			resp->error = -EPERM;
			rc = scute_err_set(err, EPERM,
					   "seccomp: unexpected call %d from pid %u "
					   "before the init's exec",
					   req->data.nr, req->pid);
		}
		if (ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, resp) < 0 && rc == 0)
			rc = scute_err_sys(err, "seccomp: let the init's exec through");
	}
	return rc;
}

int scute_seccomp_send_to_agent(int listener, const char *path, const char *metadata, pid_t pid,
				json_t *state, struct scute_err *err)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	auto_json json_t *doc = NULL;
	auto_free char *text = NULL;
	auto_fd int fd = -1;

	if (strlen(path) >= sizeof(addr.sun_path))
		return scute_err_set(err, ENAMETOOLONG, "linux.seccomp.listenerPath: too long");
	memcpy(addr.sun_path, path, strlen(path) + 1);
	doc = json_pack("{s:s, s:[s], s:i, s:s, s:O}", "ociVersion", "1.2.0", "fds", "seccompFd",
			"pid", (int)pid, "metadata", metadata ? metadata : "", "state", state);
	text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
	if (!text)
		return scute_err_set(err, ENOMEM, "out of memory");
	/* An agent that never accepts (its backlog full) or never reads must
	 * not hang start: the timeout bounds connect and send alike. */
	struct timeval limit = { .tv_sec = SCUTE_AGENT_TIMEOUT_MS / 1000 };
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof(limit)) < 0 ||
	    connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
		return scute_err_sys(err, "linux.seccomp.listenerPath: connect to %s", path);
	return scute_send_fd(fd, listener, text, err);
}
