/* The fds the caller passed: only those may reach the container
 * (--preserve-fds, LISTEN_FDS). A front end calls
 * scute_fds_record_inherited() first thing in main, before it or any
 * library opens an fd; create and exec then refuse to preserve an fd that
 * was not open then, so the runtime's own fds (its log, its handles on the
 * host's /proc and cgroups) can never be handed to a container. */
#ifndef SCUTE_INHERIT_H
#define SCUTE_INHERIT_H

#include "error.h"
#include "scute.h"

/* The count recorded; 0 when nothing was recorded (nothing may pass). */
int scute_fds_inherited(void);
/* 0 when fds first .. first+n-1 were all passed to the process; else an
 * error naming `what`, the first missing fd, or the fd limit. */
int scute_fds_check_passed(int first, int n, const char *what, struct scute_err *err);

/* The environment variable that carries the count across the re-exec. */
#define SCUTE_INHERITED_ENV "_SCUTE_INHERITED_FDS"

#endif
