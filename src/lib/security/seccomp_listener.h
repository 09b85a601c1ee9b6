/* The runtime's side of a seccomp user-notification listener, held by
 * `start` while the init execs its program. */
#ifndef SCUTE_SECCOMP_LISTENER_H
#define SCUTE_SECCOMP_LISTENER_H

#include <sys/types.h>

#include "error.h"

typedef struct json_t json_t;

/* Wait for the init's (pid `pid`) own execve/execveat and let it through;
 * the caller then closes the listener, so every later exec fails ENOSYS. */
int scute_seccomp_guard_exec(int listener, pid_t pid, struct scute_err *err);
/* How long an agent has to take the listener, and then to let the
 * process it was handed for reach its exec (calls it is notified of on
 * the way need its answers). */
#define SCUTE_AGENT_TIMEOUT_MS 10000
/* Hand the listener to the agent at `path` with the container process
 * state (runtime-spec config-linux.md, "containerProcessState"). */
int scute_seccomp_send_to_agent(int listener, const char *path, const char *metadata, pid_t pid,
				json_t *state, struct scute_err *err);

#endif
