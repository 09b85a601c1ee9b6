/* What the steps that build a container's root share (mounts.c, devices.c,
 * masks.c). */
#ifndef SCUTE_ROOTFS_CTX_H
#define SCUTE_ROOTFS_CTX_H

#include <stdbool.h>

#include "spec.h"

struct scute_cgroup;

struct scute_rootfs_ctx {
	const struct scute_spec *spec;
	int rootfd;    /* O_PATH fd of the bind-mounted rootfs */
	int devnullfd; /* the host's /dev/null, verified 1:3, for masking */
	bool userns;   /* devices are bind-mounted instead of created */
	bool no_pivot;
	/* The container's cgroups: the cgroup mount shows only the v1
	 * hierarchies it has a directory in (NULL: all). */
	const struct scute_cgroup *cgroup;
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

#endif
