/* The parent/init handshake over a SOCK_SEQPACKET pair: the parent says GO
 * once the id maps are written; the init answers READY, or ERROR with the
 * failure's errno and message. With hooks, the init stops before
 * pivot_root with HOOKS; the parent runs prestart and createRuntime and
 * answers HOOKS_DONE followed by the state as text, for createContainer. */
#ifndef SCUTE_SYNC_H
#define SCUTE_SYNC_H

#include <stddef.h>

#include "error.h"

enum scute_sync_type {
	SCUTE_SYNC_GO = 1,
	SCUTE_SYNC_READY,
	SCUTE_SYNC_ERROR,
	SCUTE_SYNC_HOOKS,
	SCUTE_SYNC_HOOKS_DONE
};

int scute_sync_send(int fd, enum scute_sync_type type, const struct scute_err *payload);
/* Wait for a message; an ERROR message is copied into `err` and returns -1,
 * as does a closed channel. Returns the type otherwise. */
int scute_sync_recv(int fd, struct scute_err *err);

/* One message of text (at most SCUTE_SYNC_TEXT_MAX bytes). */
#define SCUTE_SYNC_TEXT_MAX 65536
int scute_sync_send_text(int fd, const char *text);
/* Into buf (len bytes), NUL-terminated; -1 with err on failure. */
int scute_sync_recv_text(int fd, char *buf, size_t len, struct scute_err *err);

#endif
