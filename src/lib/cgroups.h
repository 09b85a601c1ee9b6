/* Container cgroups on v1, hybrid and v2 hosts: where they go, creating them
 * with their limits, moving the init in, signalling and removing them. */
#ifndef SCUTE_CGROUPS_H
#define SCUTE_CGROUPS_H

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"
#include "spec.h"

#define SCUTE_CGROUP_MAX_HIERARCHIES 16

struct scute_cgroup_dir {
	char *path;        /* the container's directory in this hierarchy */
	char *controllers; /* "memory", "cpu,cpuacct", "name=systemd"; on v2 those the root offers */
	bool v2;
};

struct scute_cgroup {
	struct scute_cgroup_dir dirs[SCUTE_CGROUP_MAX_HIERARCHIES];
	int n;
};

/* Work out the directories for cgroupsPath (runc's rules: absolute, or
 * relative to the runtime's own cgroup; "/scute/ID" when empty). */
int scute_cgroup_resolve(const char *cgroups_path, const char *id, struct scute_cgroup *cg,
			 struct scute_err *err);
/* Create every directory and write the limits; on failure removes what it
 * made. */
int scute_cgroup_create(struct scute_cgroup *cg, const struct scute_resources *res,
			struct scute_err *err);
int scute_cgroup_enter(const struct scute_cgroup *cg, pid_t pid, struct scute_err *err);
/* Send `sig` to every process in the cgroup. */
int scute_cgroup_signal_all(const struct scute_cgroup *cg, int sig, struct scute_err *err);
/* Whether any process is left in the cgroup. */
bool scute_cgroup_populated(const struct scute_cgroup *cg);
/* Remove the directories (waits briefly for exiting processes). */
int scute_cgroup_destroy(const struct scute_cgroup *cg, struct scute_err *err);
void scute_cgroup_free(struct scute_cgroup *cg);

bool scute_cgroup_has(const struct scute_cgroup_dir *d, const char *controller);

/* Limits: one writer per cgroup version (cgroups_v1.c, cgroups_v2.c). */
int scute_cgroup_v1_apply(const struct scute_cgroup_dir *dir, const struct scute_resources *res,
			  struct scute_err *err);
int scute_cgroup_v2_apply(const struct scute_cgroup_dir *dir, const struct scute_resources *res,
			  struct scute_err *err);

#endif
