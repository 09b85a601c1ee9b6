/* The parent/init handshake over a SOCK_SEQPACKET pair: the parent says GO
 * once the id maps are written; the init answers READY, or ERROR with the
 * failure's errno and message. With hooks, the init stops before
 * pivot_root with HOOKS; the parent runs prestart and createRuntime and
 * answers HOOKS_DONE followed by the state as text, for createContainer.
 *
 * Every function follows the error convention (negative return and `err`),
 * naming the message that could not be sent or was not the one expected,
 * so a failed handshake says which step broke. */
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

/* The name of a message type as the errors spell it ("GO", "READY"...). */
const char *scute_sync_name(int type);

/* Send a message; `payload` is the error an ERROR message carries (NULL
 * for the others). */
int scute_sync_send(int fd, enum scute_sync_type type, const struct scute_err *payload,
		    struct scute_err *err);
/* Wait for a message; an ERROR message is copied into `err` and returns -1,
 * as does a closed channel. Returns the type otherwise. */
int scute_sync_recv(int fd, struct scute_err *err);
/* Wait for the message `want`: 0, or -1 with the error the other end sent,
 * the channel's failure, or which message came instead. */
int scute_sync_expect(int fd, enum scute_sync_type want, struct scute_err *err);

/* One message of text (at most SCUTE_SYNC_TEXT_MAX bytes). */
#define SCUTE_SYNC_TEXT_MAX 65536
int scute_sync_send_text(int fd, const char *text, struct scute_err *err);
/* Into buf (len bytes), NUL-terminated; -1 with err on failure. */
int scute_sync_recv_text(int fd, char *buf, size_t len, struct scute_err *err);

#endif
