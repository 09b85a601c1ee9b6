/* `scute save`: images as a docker-save archive (the layout docker 20.10
 * writes and docker load, podman load and scute load read): per image its
 * config as HEX.json (HEX: the image ID's), per layer HEX/layer.tar (HEX:
 * its diff_id's) as an uncompressed tar, manifest.json (Config, RepoTags,
 * Layers) and the legacy `repositories`. The store keeps each layer as the
 * blob it came as (plain, gzip or zstd); it is decompressed as it is
 * written and its digest checked against the diff_id on the way. A layer
 * used by several saved images is written once. */
#ifndef SCUTE_ENGINE_SAVE_H
#define SCUTE_ENGINE_SAVE_H

#include <stddef.h>

#include "scute.h"
#include "store.h"

/* Write the archive of the images `refs` name (names, IDs, ID prefixes,
 * as scute_image_resolve takes them) to fd. An image named by one of its
 * tags carries that tag in RepoTags; by ID, none; a repository without a
 * tag ("busybox") is every tag it has (as docker). Every ref is resolved
 * before the first byte is written. The store may be open for reading
 * only. */
int scute_image_save(struct scute_store *s, const char *const *refs, size_t n, int fd,
		     struct scute_err *err);

/* The same into `path`: written to a temporary file in path's directory
 * and renamed over path once complete and synced, so a failed save leaves
 * no file (and an existing path as it was). */
int scute_image_save_file(struct scute_store *s, const char *const *refs, size_t n,
			  const char *path, struct scute_err *err);

#endif
