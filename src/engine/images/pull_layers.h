/* A pull's layer transfers: up to SCUTE_PULL_PARALLEL layers at a time,
 * each downloaded by one thread into a pipe that another unpacks from
 * (layers/unpack.h), so a layer is hashed, stored as a blob and unpacked
 * in the one pass its bytes make. */
#ifndef SCUTE_ENGINE_PULL_LAYERS_H
#define SCUTE_ENGINE_PULL_LAYERS_H

#include <stdbool.h>

#include "manifest.h"
#include "pull.h"
#include "root.h"

struct pull_layer {
	const struct scute_descriptor *desc; /* the manifest's entry */
	struct scute_digest diff_id;	     /* what the config says it unpacks to */
	bool exists;			     /* in the store already: not fetched */
	char id[16];			     /* the blob's short form, for progress */
	/* results: the tmp directory it was unpacked into (under ROOT/tmp,
	 * "" when none) and the bytes unpacked */
	char tmp[SCUTE_STORE_TMP_NAME_MAX];
	int64_t size;
};

struct pull_layers {
	struct scute_store *s;
	struct scute_registry *r;
	const char *repo;
	struct pull_layer *layers;
	size_t n;
	int64_t max_size;
	scute_xfer_progress progress;
	void *progress_arg;
};

/* Fetch and unpack every layer that does not exist. On failure the tmp
 * directories already made stay named in layers[] for the caller to
 * discard. */
int scute_pull_layers(struct pull_layers *pl, struct scute_err *err);

#endif
