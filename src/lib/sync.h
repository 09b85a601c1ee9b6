/* The parent/init handshake over a SOCK_SEQPACKET pair: the parent says GO
 * once the id maps are written; the init answers READY, or ERROR with the
 * failure's errno and message. */
#ifndef SCUTE_SYNC_H
#define SCUTE_SYNC_H

#include "error.h"

enum scute_sync_type { SCUTE_SYNC_GO = 1, SCUTE_SYNC_READY, SCUTE_SYNC_ERROR };

int scute_sync_send(int fd, enum scute_sync_type type, const struct scute_err *payload);
/* Wait for a message; an ERROR message is copied into `err` and returns -1,
 * as does a closed channel. Returns the type otherwise. */
int scute_sync_recv(int fd, struct scute_err *err);

#endif
