/* The overlay mount of a container's root (rootfs.h is the call the
 * engine makes): the image's layers, read-only, below the container's own
 * upper/ and work/ directories. Kernel-facing only; what to mount comes
 * from the store (rootfs.c). */
#ifndef SCUTE_ENGINE_OVERLAY_H
#define SCUTE_ENGINE_OVERLAY_H

#include <stdbool.h>
#include <stddef.h>

#include "digest.h"
#include "scute.h"

/* The most lower layers overlayfs stacks (the kernel's OVL_MAX_STACK). */
#define SCUTE_OVERLAY_MAX_LAYERS 500

struct scute_overlay {
	int layersfd;			   /* ROOT/layers: a directory per chain ID */
	const struct scute_digest *layers; /* chain IDs, top layer first */
	size_t n_layers;
	int dirfd;	    /* the container's directory, upper/ and work/ in it (empty) */
	int targetfd;	    /* O_PATH: the directory to mount on */
	const char *target; /* its path, for errors */
	/* overlayfs' volatile: no sync of the upper layer, at any time (an
	 * unmount otherwise syncs the whole filesystem under it). For a root
	 * that is thrown away with its container (--rm) only: after a crash
	 * the kernel refuses to mount it again */
	bool volatile_upper;
};

/* Mount the overlay on o->targetfd: nodev, but setuid binaries keep
 * working as in docker; no index, no redirects, no metacopy (both trust
 * xattrs in the layers, which are an image's). Each layer is opened below
 * the store's layers directory without following a symlink, and handed to
 * the kernel as that open directory, never as a path to resolve again:
 * one fsconfig call per layer where the kernel has "lowerdir+" (6.8),
 * the legacy mount(2) with short names for those fds where it has not.
 * Leaves a directory "l" in o->dirfd on the legacy path only while it
 * mounts. */
int scute_overlay_mount(const struct scute_overlay *o, struct scute_err *err);

#endif
