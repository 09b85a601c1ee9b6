/* Container state on disk: ROOT/ID/state.json (written atomically) next to
 * the init's start socket. The OCI state is derived from it; the status of a
 * container whose init has gone is "stopped". */
#ifndef SCUTE_STATE_H
#define SCUTE_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "cgroups.h"
#include "error.h"

typedef struct json_t json_t;

enum scute_status { SCUTE_CREATING, SCUTE_CREATED, SCUTE_RUNNING, SCUTE_STOPPED, SCUTE_PAUSED };

struct scute_state {
	char *id;
	char *bundle;
	char *created; /* RFC 3339 */
	pid_t pid;
	unsigned long long starttime; /* of pid, guards against pid reuse */
	enum scute_status stored;     /* what the last verb recorded */
	uid_t owner;
	bool pidns; /* the init owns a pid namespace */
	json_t *annotations;
	struct scute_cgroup cgroup;
	json_t *hooks;	     /* the config's poststart and poststop hooks */
	char *listener_path; /* linux.seccomp.listenerPath, for start */
	char *listener_metadata;
};

const char *scute_status_name(enum scute_status s);
/* Check an id: letters, digits, '_', '+', '-', '.'; not "." or "..". */
int scute_state_check_id(const char *id, struct scute_err *err);

/* Below a state root checked and opened by scute_state_root_open
 * (state_root.h), by single names only.
 * Make ROOT/ID holding `st`; EEXIST "already exists" if taken. Returns an fd
 * of ROOT/ID. */
int scute_state_dir_create(int rootfd, const char *id, const struct scute_state *st,
			   struct scute_err *err);
/* Open ROOT/ID (never through a symlink); ENOENT "container \"ID\" does not
 * exist" when missing. */
int scute_state_dir_open(int rootfd, const char *id, struct scute_err *err);
/* Whether ROOT/ID still names the directory open at dirfd: a delete
 * renames it away before it empties it, so one opened before that (or
 * waited for its lock meanwhile) is a removed container's. */
bool scute_state_dir_current(int rootfd, const char *id, int dirfd);
/* scute_state_dir_open, then scute_state_read; ENOENT, as for a missing
 * one, for a container removed between the two. */
int scute_state_load_at(int rootfd, const char *id, struct scute_state *st, struct scute_err *err);
int scute_state_write(int dirfd, const struct scute_state *st, struct scute_err *err);
int scute_state_read(int dirfd, struct scute_state *st, struct scute_err *err);
/* The config.json a container was created with (ROOT checked, then
 * ROOT/ID/config.json by fd); malloc'd, NUL-terminated. */
char *scute_state_config(int rootfd, const char *id, size_t *len, struct scute_err *err);
/* Remove ROOT/ID and what is in it (a symlink there: only the link). */
int scute_state_remove(int rootfd, const char *id, struct scute_err *err);
void scute_state_free(struct scute_state *st);

/* The live status: stored status while the init (same pid, same start time)
 * is alive and not a zombie, "stopped" otherwise. */
enum scute_status scute_state_status(const struct scute_state *st);
/* The OCI state document. */
json_t *scute_state_to_oci(const struct scute_state *st);
/* Start time (clock ticks since boot) of a pid; 0 if gone. */
unsigned long long scute_pid_starttime(pid_t pid, bool *zombie);

/* The init's start socket in the state directory: listening (create) or
 * connected (start). */
#define SCUTE_START_SOCKET "start.sock"
int scute_start_socket(int dirfd, bool listening, struct scute_err *err);
/* The state as hooks get it on stdin (JSON text, malloc'd). */
char *scute_state_hook_text(const struct scute_state *st);
/* The state for the init's own hooks (createContainer, startContainer):
 * the init reads it as one sync message of at most SCUTE_SYNC_TEXT_MAX
 * bytes, so a state past that (large annotations) goes without its
 * annotations rather than failing create or start. Hooks the runtime runs
 * itself always get the whole state. */
char *scute_state_init_hook_text(const struct scute_state *st);

#endif
