/* The container process's identity and limits, and finding its program. */
#ifndef SCUTE_PROCESS_H
#define SCUTE_PROCESS_H

#include <stddef.h>
#include <sys/types.h>

#include "error.h"
#include "spec.h"

int scute_process_rlimits(const struct scute_process *p, struct scute_err *err);
/* setgroups, gid, uid; capabilities survive the switch (PR_SET_KEEPCAPS) so
 * the configured sets can be applied after it. */
int scute_process_switch_user(const struct scute_process *p, bool in_userns, struct scute_err *err);
/* Find args[0] in the container's PATH (from process.env) as execvp would.
 * Writes the path into buf; returns 0, or -1 with err naming the program. */
int scute_process_find_program(const struct scute_process *p, char *buf, size_t len,
			       struct scute_err *err);
/* Wait until fd is readable (0), but not for a process `pid` that stays
 * stopped or traced (a process of a shared pid namespace can SIGSTOP it):
 * then -1 with ETIMEDOUT, `what` naming the wait. The runtime must not
 * hang on what a container controls. */
int scute_wait_unless_stopped(int fd, pid_t pid, const char *what, struct scute_err *err);
/* The same, and ETIMEDOUT after limit_ms (0: no limit). */
int scute_wait_unless_stopped_for(int fd, pid_t pid, const char *what, int limit_ms,
				  struct scute_err *err);

#endif
