/* The container lifecycle, parent side: create, start, kill, delete. Both
 * front ends (scute-runtime and the scute engine) drive containers through
 * these calls only. */
#ifndef SCUTE_CONTAINER_H
#define SCUTE_CONTAINER_H

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"
#include "state.h"

struct scute_create_opts {
	const char *root; /* state root, e.g. /run/scute-runtime */
	const char *id;
	const char *bundle;
	const char *pid_file;	    /* absolute or relative to the caller's cwd */
	const char *console_socket; /* or NULL */
	int preserve_fds;
	int listen_fds; /* socket activation: fds 3.. before the preserved ones */
	bool no_pivot;
	bool no_new_keyring;
};

/* Create the container and leave its init waiting for start. On failure
 * nothing is left: no state, cgroup, mount or process. */
int scute_container_create(const struct scute_create_opts *o, pid_t *pid, struct scute_err *err);
/* Let a created container's init exec its program. */
int scute_container_start(const char *root, const char *id, struct scute_err *err);
int scute_container_kill(const char *root, const char *id, int sig, bool all,
			 struct scute_err *err);
/* Remove a created or stopped container; a running one only with force. */
int scute_container_delete(const char *root, const char *id, bool force, struct scute_err *err);
/* New resource limits for a live container (the update verb). */
int scute_container_update(const char *root, const char *id, struct scute_resources *res,
			   struct scute_err *err);
/* Freeze a running container's processes, or thaw a paused one. */
int scute_container_pause(const char *root, const char *id, bool pause, struct scute_err *err);
/* Drop the state directory of a container whose state cannot be read. */
int scute_container_forget(const char *root, const char *id, struct scute_err *err);
/* What a process of the container sends until its exec: seccomp listeners
 * to act on for `pid`, or the reason the exec failed; 0 once it exec'd. */
int scute_container_follow_exec(int conn, const struct scute_state *st, pid_t pid,
				struct scute_err *err);
/* A pidfd of the state's init, or -1 when it is gone (start time checked). */
int scute_container_init_pidfd(const struct scute_state *st);
/* --pid-file: the pid, written to a new PATH.RANDOM.tmp and renamed into place. */
int scute_write_pid_file(const char *path, pid_t pid, struct scute_err *err);
/* Load a container's state. */
int scute_container_load(const char *root, const char *id, struct scute_state *st,
			 struct scute_err *err);

#endif
