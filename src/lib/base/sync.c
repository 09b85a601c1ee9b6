#include "sync.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

struct sync_msg {
	int type;
	struct scute_err err;
};

int scute_sync_send(int fd, enum scute_sync_type type, const struct scute_err *payload)
{
	struct sync_msg m = { .type = type };

	if (payload)
		m.err = *payload;
	return send(fd, &m, sizeof(m), MSG_NOSIGNAL) == (ssize_t)sizeof(m) ? 0 : -1;
}

int scute_sync_recv(int fd, struct scute_err *err)
{
	struct sync_msg m;
	ssize_t n;

	do
		n = recv(fd, &m, sizeof(m), 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return scute_err_sys(err, "read from the container init");
	if (n != (ssize_t)sizeof(m))
		return scute_err_set(err, EPIPE, "the container init exited during setup");
	if (m.type == SCUTE_SYNC_ERROR) {
		m.err.msg[sizeof(m.err.msg) - 1] = '\0';
		*err = m.err;
		return -1;
	}
	return m.type;
}

int scute_sync_send_text(int fd, const char *text)
{
	size_t len = strlen(text);

	if (len > SCUTE_SYNC_TEXT_MAX)
		return errno = EMSGSIZE, -1;
	return send(fd, text, len, MSG_NOSIGNAL) == (ssize_t)len ? 0 : -1;
}

int scute_sync_recv_text(int fd, char *buf, size_t len, struct scute_err *err)
{
	ssize_t n;

	do
		n = recv(fd, buf, len - 1, 0);
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		return n < 0 ? scute_err_sys(err, "read the container state")
			     : scute_err_set(err, EPIPE, "the runtime went away");
	buf[n] = '\0';
	return 0;
}
