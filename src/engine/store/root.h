/* The engine root (`--root`, default /var/lib/scute) and its private
 * directories. Everything below the root is reached by fd from the root's
 * fd, one component at a time, never following a symlink: a link planted
 * inside the store cannot send a write elsewhere. The root path itself is
 * the administrator's and may go through symlinks (a root on another
 * disk). */
#ifndef SCUTE_ENGINE_ROOT_H
#define SCUTE_ENGINE_ROOT_H

#include "scute.h"

/* Where half-made things live until they are renamed into place: blobs
 * being written now, layers being unpacked later. Same file system as the
 * rest of the root, so the rename is atomic. */
#define SCUTE_STORE_TMP "tmp"

/* A temporary name: "tmp-" and 32 random hex digits. */
#define SCUTE_STORE_TMP_NAME_MAX 40

/* Open ROOT as a directory fd (O_CLOEXEC), creating it and any missing
 * parent with mode 0700. */
int scute_store_root_open(const char *root, struct scute_err *err);

/* The directory NAME (one component) below dirfd, made with mode 0700 if
 * missing, opened without following a symlink. */
int scute_store_subdir(int dirfd, const char *name, struct scute_err *err);

/* A new file (mode `mode`) with a random name under the tmp directory
 * `tmpfd`, opened for writing and locked (flock) for as long as the fd is
 * open, so that a sweep by another scute process leaves it alone. The name
 * goes to `name`. */
int scute_store_tmp_file(int tmpfd, mode_t mode, char name[SCUTE_STORE_TMP_NAME_MAX],
			 struct scute_err *err);

/* The same for a directory (mode 0755: a layer being unpacked), opened
 * O_RDONLY | O_DIRECTORY and locked for as long as the fd is open. */
int scute_store_tmp_dir(int tmpfd, char name[SCUTE_STORE_TMP_NAME_MAX], struct scute_err *err);

/* The startup sweep: remove everything under ROOT/tmp that no live
 * process holds, i.e. what a process left when it died before its rename.
 * Safe while other scute processes are writing there. */
int scute_store_sweep_tmp(int rootfd, struct scute_err *err);

#endif
