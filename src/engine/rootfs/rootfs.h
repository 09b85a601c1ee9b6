/* A container's root filesystem: an overlay of its image's layers (shared,
 * read-only) below a directory of its own (upper/ for what the container
 * writes, work/ for overlayfs), mounted at a path the caller names. The
 * next issue's containers make one under ROOT/containers/ID.
 *
 * Each root has a row in the store (schema/003-rootfs.sql) for as long as
 * its directory exists: the row commits before the directory is made and
 * goes after the directory is removed, and while it is there the
 * collector keeps its layers, whatever happens to the image. Call both
 * with the store open for writing (SCUTE_STORE_WRITE): the collector,
 * which drops a row whose directory is missing, then waits. */
#ifndef SCUTE_ENGINE_ROOTFS_H
#define SCUTE_ENGINE_ROOTFS_H

#include "scute.h"
#include "store.h"

/* Mount the image `image` (a name, NAME@DIGEST or an ID, as docker finds
 * images) at `target`, an existing directory, with `dir` as the root's own
 * directory: made here (mode 0700), its parent must exist, and nothing may
 * be at `dir` yet. An image with no layers is refused, naming it. On
 * failure nothing is left: no mount, no directory, no row. */
int scute_rootfs_mount(struct scute_store *s, const char *image, const char *dir,
		       const char *target, struct scute_err *err);

/* The same without the mount: the row and the directory, for a container
 * that is created now and started later. */
int scute_rootfs_make(struct scute_store *s, const char *image, const char *dir, const char *target,
		      struct scute_err *err);

/* Mount the root made with `dir` at the target its row names, from the
 * layers its row keeps (the image may be gone), with what the container
 * wrote before (upper/) still there. Nothing to do if an overlay is
 * mounted there already. ENOENT if no root was made with `dir`. */
int scute_rootfs_remount(struct scute_store *s, const char *dir, bool ephemeral,
			 struct scute_err *err);

/* Unmount it, keeping the directory and the row (a stopped container).
 * Nothing to do if it is not mounted. */
int scute_rootfs_unmount(struct scute_store *s, const char *dir, struct scute_err *err);

/* Unmount the root made with `dir` from `target` (where it was mounted,
 * checked against its row), then remove `dir` and the row. What a crash
 * left halfway (unmounted already, the directory partly removed) is
 * finished. ENOENT if no root was made with `dir`. */
int scute_rootfs_remove(struct scute_store *s, const char *dir, const char *target,
			struct scute_err *err);

#endif
