/* Mounting through fds with the new mount API (mount_api.c), and tmpcopyup
 * (copyup.c): below every file that builds the root. */
#ifndef SCUTE_MOUNT_API_H
#define SCUTE_MOUNT_API_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* Attach a detached mount (from fsmount/open_tree) onto an O_PATH target. */
int scute_mount_attach(int mntfd, int targetfd, const char *shown, struct scute_err *err);
/* tmpcopyup: copy the directory `targetfd` (in the image) into the
 * detached mount `mntfd` (copyup.c). */
int scute_mount_copyup(int targetfd, int mntfd, const char *shown, struct scute_err *err);
/* A fresh filesystem of `type` with the given fsconfig options, detached. */
int scute_mount_new_fs(const char *type, const char *source, char *const *options, size_t n_options,
		       uint64_t attr, const char *shown, struct scute_err *err);

#endif
