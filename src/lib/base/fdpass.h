/* Passing file descriptors over AF_UNIX sockets (SCM_RIGHTS). */
#ifndef SCUTE_FDPASS_H
#define SCUTE_FDPASS_H

#include <stddef.h>
#include <sys/types.h>

#include "error.h"

/* Send `data` (at least one byte) with `fd` attached. */
int scute_send_fd(int sockfd, int fd, const char *data, struct scute_err *err);
/* Receive one message into buf (NUL-terminated) and the fd it carries, or
 * *fd = -1. Returns the bytes received (0 at end of stream). */
ssize_t scute_recv_fd(int sockfd, char *buf, size_t len, int *fd, struct scute_err *err);

#endif
