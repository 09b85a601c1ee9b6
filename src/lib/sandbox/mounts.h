/* The container's mount namespace: rootfs propagation, the config's mounts
 * (every destination resolved inside the root and mounted through its fd
 * with the new mount API), /dev, masked and read-only paths, pivot_root. */
#ifndef SCUTE_MOUNTS_H
#define SCUTE_MOUNTS_H

#include "error.h"
#include "rootfs_ctx.h"

/* Before pivot: propagation, rootfs bind, the config's mounts, /dev. */
int scute_rootfs_prepare(struct scute_rootfs_ctx *ctx, struct scute_err *err);
/* Masked paths, read-only paths, then a read-only root (still before pivot). */
int scute_rootfs_seal(struct scute_rootfs_ctx *ctx, struct scute_err *err);
/* Switch to the new root (pivot_root, or MS_MOVE + chroot with no_pivot). */
int scute_rootfs_pivot(struct scute_rootfs_ctx *ctx, struct scute_err *err);

#endif
