/* File-system helpers that never re-resolve a path string inside a container
 * root: paths are resolved once with openat2(RESOLVE_IN_ROOT) and used by fd. */
#ifndef SCUTE_FSUTIL_H
#define SCUTE_FSUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"

int scute_openat2(int dirfd, const char *path, int flags, mode_t mode, uint64_t resolve);

/* Open a procfs handle and check its filesystem magic (PROC_SUPER_MAGIC). */
int scute_proc_open(const char *path, struct scute_err *err);
/* Write `value` to PATH below the verified procfs fd: no symlinks, no magic
 * links, no other mount crossed; the opened file is checked to be on procfs. */
int scute_proc_write(int procfd, const char *path, const char *value, struct scute_err *err);
/* Like scute_proc_write, but under the calling process's own /proc/self. */
int scute_proc_self_write(int procfd, const char *path, const char *value, struct scute_err *err);
/* The same under /proc/thread-self (per-thread attributes: LSM labels). */
int scute_proc_thread_write(int procfd, const char *path, const char *value, struct scute_err *err);

/* Resolve PATH inside the root `rootfd` (symlinks stay inside it) and return
 * an O_PATH fd. With `create`, missing directories are made (mode 0755) and
 * a missing last component becomes a directory, or an empty file when
 * `last_is_file`. */
int scute_resolve_in_root(int rootfd, const char *path, bool create, bool last_is_file,
			  struct scute_err *err);

/* Write a string to a file (cgroup and state files), opened relative to dirfd. */
int scute_write_at(int dirfd, const char *path, const char *value, struct scute_err *err);
/* Read up to len-1 bytes of a small file; returns bytes read. */
ssize_t scute_read_at(int dirfd, const char *path, char *buf, size_t len, struct scute_err *err);
/* A whole regular file (at most 64 MiB), NUL-terminated, read through an
 * O_CLOEXEC fd; malloc'd, its length in *len. NULL with err on failure. */
char *scute_read_file(const char *path, size_t *len, struct scute_err *err);
/* The same below dirfd, with extra open flags (O_NOFOLLOW) and at most `max`
 * bytes (EFBIG past it). A FIFO or device is refused without blocking. */
char *scute_read_file_at(int dirfd, const char *path, int flags, size_t max, size_t *len,
			 struct scute_err *err);
/* Write a whole file atomically: PATH.tmp then rename. */
int scute_write_file_atomic(int dirfd, const char *name, const char *data, size_t len,
			    struct scute_err *err);

/* A file that must not exist yet, in a directory no one else writes (a
 * new state directory under its lock). */
int scute_write_new_file(int dirfd, const char *name, const char *data, size_t len,
			 struct scute_err *err);

#endif
