/* A container's cgroup directories and the file access every limit writer
 * shares: the lowest layer of cgroups/, below the limit writers (cgroup_limits.h)
 * and the placement and lifecycle code (cgroups.h). */
#ifndef SCUTE_CGROUP_DIR_H
#define SCUTE_CGROUP_DIR_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "spec.h"

#define SCUTE_CGROUP_MAX_HIERARCHIES 16

struct scute_cgroup_dir {
	char *path;	   /* the container's directory in this hierarchy */
	char *controllers; /* "memory", "cpu,cpuacct", "name=systemd"; on v2 those the root offers */
	bool v2;
	bool created; /* made by this container (else joined, and left alone) */
	/* A v1 hierarchy the container has no directory in: no limit needed
	 * it at create (cgroups.c), so its processes stay in the runtime's
	 * cgroup there. Kept in the state so `update` can make it later. */
	bool absent;
};

struct scute_cgroup {
	struct scute_cgroup_dir dirs[SCUTE_CGROUP_MAX_HIERARCHIES];
	int n;
	/* linux.cgroupsPath was given: an engine placed the container (create
	 * then uses every hierarchy, as runc and crun do). Not stored. */
	bool placed;
};

/* Whether the container has a directory in this hierarchy. */
static inline bool scute_cgroup_live(const struct scute_cgroup_dir *d)
{
	return !d->absent;
}

bool scute_cgroup_has(const struct scute_cgroup_dir *d, const char *controller);

/* Write a formatted value to a file of the directory; read one (the
 * contents, NUL-terminated, trailing newline kept). */
int scute_cgroup_write(const struct scute_cgroup_dir *d, const char *file, struct scute_err *err,
		       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int scute_cgroup_read(const struct scute_cgroup_dir *d, const char *file, char *buf, size_t len,
		      struct scute_err *err);
bool scute_cgroup_file_exists(const struct scute_cgroup_dir *d, const char *file);

/* memory.checkBeforeUpdate: refuse a limit below the current usage. */
int scute_cgroup_check_memory(const struct scute_cgroup_dir *d, const struct scute_resources *r,
			      const char *usage_file, struct scute_err *err);

#endif
