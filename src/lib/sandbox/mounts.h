/* The container's mount namespace: rootfs propagation, the config's mounts
 * (every destination resolved inside the root and mounted through its fd
 * with the new mount API), /dev, masked and read-only paths, pivot_root. */
#ifndef SCUTE_MOUNTS_H
#define SCUTE_MOUNTS_H

#include <stdbool.h>

#include "error.h"
#include "spec.h"

struct scute_rootfs_ctx {
	const struct scute_spec *spec;
	int rootfd;    /* O_PATH fd of the bind-mounted rootfs */
	int devnullfd; /* the host's /dev/null, verified 1:3, for masking */
	bool userns;   /* devices are bind-mounted instead of created */
	bool no_pivot;
	/* Mounts whose propagation the config sets, kept by fd: it is applied
	 * after pivot_root, which has to make the whole tree a slave first. */
	int *propagation_fds; /* one per config mount, -1 when none */
};

/* No mount namespace: the container shares the runtime's mount tree, so
 * nothing is mounted and the root is entered with chroot (the config
 * parser refused whatever would need a mount). */
static inline bool scute_rootfs_host_mountns(const struct scute_rootfs_ctx *ctx)
{
	return !ctx->spec->ns[SCUTE_NS_MNT].present;
}

/* Before pivot: propagation, rootfs bind, the config's mounts, /dev. */
int scute_rootfs_prepare(struct scute_rootfs_ctx *ctx, struct scute_err *err);
/* Masked paths, read-only paths, then a read-only root (still before pivot). */
int scute_rootfs_seal(struct scute_rootfs_ctx *ctx, struct scute_err *err);
/* Switch to the new root (pivot_root, or MS_MOVE + chroot with no_pivot). */
int scute_rootfs_pivot(struct scute_rootfs_ctx *ctx, struct scute_err *err);

/* Attach a detached mount (from fsmount/open_tree) onto an O_PATH target. */
int scute_mount_attach(int mntfd, int targetfd, const char *shown, struct scute_err *err);
/* tmpcopyup: copy the directory `targetfd` (in the image) into the
 * detached mount `mntfd` (copyup.c). */
int scute_mount_copyup(int targetfd, int mntfd, const char *shown, struct scute_err *err);
/* A fresh filesystem of `type` with the given fsconfig options, detached. */
int scute_mount_new_fs(const char *type, const char *source, char *const *options, size_t n_options,
		       uint64_t attr, const char *shown, struct scute_err *err);

/* /dev inside the root (devices.c). */
int scute_devices_setup(struct scute_rootfs_ctx *ctx, struct scute_err *err);
/* Masked and read-only paths (masks.c). */
int scute_mask_paths(struct scute_rootfs_ctx *ctx, struct scute_err *err);
int scute_readonly_paths(struct scute_rootfs_ctx *ctx, struct scute_err *err);

#endif
