#include "fdpass.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int scute_send_fd(int sockfd, int fd, const char *data, struct scute_err *err)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { .iov_base = (void *)data, .iov_len = strlen(data) };
	struct msghdr msg = { .msg_iov = &iov,
			      .msg_iovlen = 1,
			      .msg_control = cbuf,
			      .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	ssize_t n;

	do
		n = sendmsg(sockfd, &msg, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return scute_err_sys(err, "fdpass: send fd %d with \"%s\"", fd, data);
	if ((size_t)n != iov.iov_len)
		return scute_err_set(err, EPIPE, "fdpass: send fd %d with \"%s\": message cut", fd,
				     data);
	return 0;
}

ssize_t scute_recv_fd(int sockfd, char *buf, size_t len, int *fd, struct scute_err *err)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = buf, .iov_len = len - 1 };
	struct msghdr msg = { .msg_iov = &iov,
			      .msg_iovlen = 1,
			      .msg_control = cbuf,
			      .msg_controllen = sizeof(cbuf) };
	ssize_t n;

	*fd = -1;
	do
		n = recvmsg(sockfd, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return scute_err_sys(err, "fdpass: receive from the container process");
	buf[n] = '\0';
	/* Exactly one fd or none: a peer that sends more (two fit in the
	 * control buffer's padding) is not following the protocol, and every
	 * fd that came is closed rather than handed on or left open. */
	bool extra = (msg.msg_flags & MSG_CTRUNC) != 0;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < count; i++) {
			int got;
			memcpy(&got, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
			if (*fd < 0 && !extra && count == 1) {
				*fd = got;
				continue;
			}
			close(got);
			extra = true;
		}
	}
	if (extra) {
		if (*fd >= 0)
			close(*fd);
		*fd = -1;
		return scute_err_set(err, EPROTO,
				     "fdpass: more than one fd from the container process");
	}
	return n;
}
