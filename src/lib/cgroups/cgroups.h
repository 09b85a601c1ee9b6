/* Container cgroups on v1, hybrid and v2 hosts: where they go, creating them
 * with their limits, moving the init in, signalling and removing them. */
#ifndef SCUTE_CGROUPS_H
#define SCUTE_CGROUPS_H

#include <stdbool.h>
#include <sys/types.h>

#include "cgroup_dir.h"
#include "error.h"
#include "spec.h"

typedef struct json_t json_t;

/* Work out the directories for cgroupsPath (runc's rules: absolute, or
 * relative to the runtime's own cgroup; "/ID" when empty). */
int scute_cgroup_resolve(const char *cgroups_path, const char *id, struct scute_cgroup *cg,
			 struct scute_err *err);
/* Create every directory and write the limits; on failure removes what it
 * made. An existing directory is joined if it holds no process, and is not
 * removed at delete. */
int scute_cgroup_create(struct scute_cgroup *cg, const struct scute_resources *res,
			struct scute_err *err);
/* Write pid to cgroup.procs everywhere (or on cgroup2 only). */
int scute_cgroup_enter(const struct scute_cgroup *cg, pid_t pid, bool only_v2,
		       struct scute_err *err);

/* Moving a process into a v1 cgroup through cgroup.procs waits out an RCU
 * grace period (the threadgroup lock); a thread writing "0" to a "tasks"
 * file moves only itself and does not. So the parent opens, before it
 * clones the init, each v1 hierarchy's "tasks" file (the write is checked
 * against the opener's credentials, so this works from a user namespace
 * too) and the cgroup2 directory for clone3's CLONE_INTO_CGROUP, and the
 * single-threaded init writes itself in. */
struct scute_cgroup_fds {
	int tasks[SCUTE_CGROUP_MAX_HIERARCHIES];
	int n_tasks;
	int v2_dir; /* -1 when there is no cgroup2 hierarchy */
};
int scute_cgroup_open_fds(const struct scute_cgroup *cg, struct scute_cgroup_fds *fds,
			  struct scute_err *err);
void scute_cgroup_close_fds(struct scute_cgroup_fds *fds);
int scute_cgroup_join_self(const int *tasks_fds, int n, struct scute_err *err);
/* Send `sig` to every process in the cgroup. */
int scute_cgroup_signal_all(const struct scute_cgroup *cg, int sig, struct scute_err *err);
/* Write new limits to an existing container's cgroups. A limit for a v1
 * hierarchy the container was left out of at create makes its directory
 * and moves the container in (cgroups_grow.c); *grown then says the
 * caller must store the changed `cg` in the state. */
int scute_cgroup_update(struct scute_cgroup *cg, const struct scute_resources *res, bool *grown,
			struct scute_err *err);
/* Freeze (v1 freezer.state, v2 cgroup.freeze) or thaw every process of the
 * cgroup; waits until the kernel reports the new state. */
int scute_cgroup_freeze(const struct scute_cgroup *cg, bool frozen, struct scute_err *err);
/* The pids in the cgroup (cgroup.procs); *pids is malloc'd. */
int scute_cgroup_pids(const struct scute_cgroup *cg, pid_t **pids, size_t *n,
		      struct scute_err *err);
/* Statistics in runc's events shape (cgroups_stats.c), and the number of
 * OOM kills the memory controller has counted. */
json_t *scute_cgroup_stats(const struct scute_cgroup *cg);
unsigned long long scute_cgroup_oom_kills(const struct scute_cgroup *cg);
/* Whether any process is left in the cgroup. */
bool scute_cgroup_populated(const struct scute_cgroup *cg);
/* Whether the container's cgroup mount shows the hierarchy mounted at
 * `mountpoint`: not one the container has no directory in. */
bool scute_cgroup_shown(const struct scute_cgroup *cg, const char *mountpoint);
/* Remove the directories (waits briefly for exiting processes). */
int scute_cgroup_destroy(const struct scute_cgroup *cg, struct scute_err *err);
void scute_cgroup_free(struct scute_cgroup *cg);

/* For cgroups/ only (cgroups_grow.c). */
int scute_cgroup_make_dir(const struct scute_cgroup_dir *d, char **first_made,
			  struct scute_err *err);
void scute_cgroup_remove_up_to(const char *path, const char *stop);
int scute_cgroup_apply(const struct scute_cgroup *cg, int i, const struct scute_resources *res,
		       struct scute_err *err);
bool scute_cgroup_dir_populated(const struct scute_cgroup_dir *d);
/* The directory whose cgroup.procs lists the container's processes. */
const struct scute_cgroup_dir *scute_cgroup_procs_dir(const struct scute_cgroup *cg);
/* Whether the container is frozen now; -1 when it has no freezer. */
int scute_cgroup_frozen(const struct scute_cgroup *cg, bool *frozen);
/* Whether a limit in `r` is written to this (v1) hierarchy; *field names it. */
bool scute_cgroup_limit_needs(const struct scute_cgroup_dir *d, const struct scute_resources *r,
			      const char **field);
/* Make the absent dirs[i] with its limits and move the container in. */
int scute_cgroup_grow(struct scute_cgroup *cg, int i, const struct scute_resources *res,
		      struct scute_err *err);

#endif
