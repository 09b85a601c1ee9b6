/* The parts of the root that mounts.c has built by its helpers: /dev
 * (devices.c), masked and read-only paths (masks.c). */
#ifndef SCUTE_ROOTFS_PARTS_H
#define SCUTE_ROOTFS_PARTS_H

#include "error.h"
#include "rootfs_ctx.h"

/* /dev inside the root (devices.c). */
int scute_devices_setup(struct scute_rootfs_ctx *ctx, struct scute_err *err);
/* Masked and read-only paths (masks.c). */
int scute_mask_paths(struct scute_rootfs_ctx *ctx, struct scute_err *err);
int scute_readonly_paths(struct scute_rootfs_ctx *ctx, struct scute_err *err);

#endif
