#include "sync.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

struct sync_msg {
	int type;
	struct scute_err err;
};

const char *scute_sync_name(int type)
{
	switch (type) {
	case SCUTE_SYNC_GO: return "GO";
	case SCUTE_SYNC_READY: return "READY";
	case SCUTE_SYNC_ERROR: return "ERROR";
	case SCUTE_SYNC_HOOKS: return "HOOKS";
	case SCUTE_SYNC_HOOKS_DONE: return "HOOKS_DONE";
	default: return "an unknown message";
	}
}

/* One whole message or an error: a short send on a SOCK_SEQPACKET socket
 * does not happen, but if it did the other end would see a cut message. */
static int send_all(int fd, const void *buf, size_t len, const char *what, struct scute_err *err)
{
	ssize_t n;

	do
		n = send(fd, buf, len, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return scute_err_sys(err, "sync: send %s", what);
	if ((size_t)n != len)
		return scute_err_set(err, EPIPE, "sync: send %s: %zd of %zu bytes sent", what, n,
				     len);
	return 0;
}

int scute_sync_send(int fd, enum scute_sync_type type, const struct scute_err *payload,
		    struct scute_err *err)
{
	struct sync_msg m = { .type = type };

	if (payload)
		m.err = *payload;
	return send_all(fd, &m, sizeof(m), scute_sync_name(type), err);
}

/* `want` names what the caller waits for, in the errors of the channel. */
static int recv_msg(int fd, const char *want, struct scute_err *err)
{
	struct sync_msg m;
	ssize_t n;

	do
		n = recv(fd, &m, sizeof(m), 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return scute_err_sys(err, "sync: wait for %s", want);
	if (n == 0)
		return scute_err_set(err, EPIPE, "sync: the other end exited before %s", want);
	if (n != (ssize_t)sizeof(m))
		return scute_err_set(err, EPROTO, "sync: waiting for %s, a message of %zd bytes",
				     want, n);
	if (m.type == SCUTE_SYNC_ERROR) {
		/* The other end's own error, passed on as it is. */
		m.err.msg[sizeof(m.err.msg) - 1] = '\0';
		*err = m.err;
		return -1;
	}
	return m.type;
}

int scute_sync_recv(int fd, struct scute_err *err)
{
	return recv_msg(fd, "a message", err);
}

int scute_sync_expect(int fd, enum scute_sync_type want, struct scute_err *err)
{
	int type = recv_msg(fd, scute_sync_name(want), err);

	if (type < 0)
		return -1;
	if (type != (int)want)
		return scute_err_set(err, EPROTO, "sync: expected %s, got %s",
				     scute_sync_name(want), scute_sync_name(type));
	return 0;
}

int scute_sync_send_text(int fd, const char *text, struct scute_err *err)
{
	size_t len = strlen(text);

	if (len > SCUTE_SYNC_TEXT_MAX)
		return scute_err_set(err, EMSGSIZE, "sync: the state is %zu bytes, over %d", len,
				     SCUTE_SYNC_TEXT_MAX);
	return send_all(fd, text, len, "the state", err);
}

int scute_sync_recv_text(int fd, char *buf, size_t len, struct scute_err *err)
{
	ssize_t n;

	do
		n = recv(fd, buf, len - 1, 0);
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		return n < 0 ? scute_err_sys(err, "sync: read the container state")
			     : scute_err_set(err, EPIPE, "sync: the runtime went away");
	buf[n] = '\0';
	return 0;
}
