/* Unpacked layers in the store: ROOT/layers/<hex of the chain ID>, each
 * made once and shared read-only by every image (and container) above it.
 * A layer is unpacked into a locked directory under ROOT/tmp, synced,
 * renamed into place and only then given its row; whoever publishes a
 * chain ID holds that ID's lock from the check for its row to the commit,
 * so two commands never unpack the same layer twice into place. */
#ifndef SCUTE_ENGINE_LAYER_STORE_H
#define SCUTE_ENGINE_LAYER_STORE_H

#include <stdbool.h>

#include "digest.h"
#include "root.h"
#include "scute.h"
#include "store.h"
#include "unpack.h"

/* A new directory to unpack a layer into: fd (locked while open) and its
 * name under ROOT/tmp. */
int scute_layer_tmp(struct scute_store *s, char name[SCUTE_STORE_TMP_NAME_MAX],
		    struct scute_err *err);
/* Throw away a directory from scute_layer_tmp (its fd may stay open). */
void scute_layer_tmp_discard(struct scute_store *s, const char *name);

/* A layer as it arrives (from an archive, a tarball): unpacked into a new
 * tmp directory (its name to `tmp`, its fd, which holds its lock, to
 * *tmpfd) while the stream is kept as a blob, committed once it ends: its
 * digest to `blob`, which must be `expected` when that is given, and its
 * length expected_size when >= 0. Errors start with `what`. On failure
 * the caller discards tmp if it is set ("" otherwise). */
struct scute_layer_stream {
	const struct scute_layer_source *src;
	int64_t max_size; /* 0: the default */
	const char *what;
	const struct scute_digest *expected;
	int64_t expected_size;
};
int scute_layer_unpack_stream(struct scute_store *s, const struct scute_layer_stream *in,
			      char tmp[SCUTE_STORE_TMP_NAME_MAX], int *tmpfd,
			      struct scute_digest *blob, struct scute_unpack_result *res,
			      struct scute_err *err);

/* Unpack the layer again from its blob (in the store) into a new tmp
 * directory, for a chain ID that needs its own copy; its diff_id must be
 * `diff_id`. The directory's name goes to `name`; returns its fd. */
int scute_layer_unpack_blob(struct scute_store *s, const struct scute_digest *blob,
			    const struct scute_digest *diff_id, int64_t max_size,
			    char name[SCUTE_STORE_TMP_NAME_MAX], struct scute_err *err);

/* The lock of the chain ID (one of 256, by its first two hex digits):
 * an fd to close to release it. */
int scute_layer_lock(struct scute_store *s, const struct scute_digest *chain_id,
		     struct scute_err *err);

/* 1 if the layer has its row, 0 if not. */
int scute_layer_known(struct scute_store *s, const struct scute_digest *chain_id,
		      struct scute_err *err);

/* Rename the unpacked tmp directory `name` to the chain ID's place, the
 * store synced first by the caller. A directory already there with no row
 * (a crash between rename and commit) is replaced. Call with the lock. */
int scute_layer_place(struct scute_store *s, const char *name, const struct scute_digest *chain_id,
		      struct scute_err *err);

/* The layer's directory, O_PATH | O_DIRECTORY, for an overlay mount. */
int scute_layer_open(struct scute_store *s, const struct scute_digest *chain_id,
		     struct scute_err *err);

#endif
