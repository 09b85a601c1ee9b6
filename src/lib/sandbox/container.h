/* The container lifecycle, parent side: create, start, kill, delete. Both
 * front ends (scute-runtime and the scute engine) drive containers through
 * these calls only. */
#ifndef SCUTE_CONTAINER_H
#define SCUTE_CONTAINER_H

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"
#include "state.h"
#include "scute.h"

/* What a process of the container sends until its exec: seccomp listeners
 * to act on for `pid`, or the reason the exec failed; 0 once it exec'd. */
int scute_container_follow_exec(int conn, const struct scute_state *st, pid_t pid,
				struct scute_err *err);
/* Start a created container whose state directory `dirfd` the caller
 * holds locked, from its state `st` (which it updates and writes). */
int scute_container_start_locked(int dirfd, struct scute_state *st, struct scute_err *err);
/* A pidfd of the state's init, or -1 when it is gone (start time checked). */
int scute_container_init_pidfd(const struct scute_state *st);
/* --pid-file: the pid, written to a new PATH.RANDOM.tmp and renamed into place. */
int scute_write_pid_file(const char *path, pid_t pid, struct scute_err *err);
/* Load a container's state. */
int scute_container_load(const char *root, const char *id, struct scute_state *st,
			 struct scute_err *err);

#endif
