/* What `scute save` writes (save.h): the images its arguments name,
 * each once, with the tags it carries and its layers, bottom first, each
 * with the blob to send it from. Everything is looked up before the first
 * byte of the archive is written, so an unknown image writes nothing. */
#ifndef SCUTE_ENGINE_SAVE_PLAN_H
#define SCUTE_ENGINE_SAVE_PLAN_H

#include <jansson.h>
#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "digest.h"
#include "scute.h"
#include "unpack.h"

struct saved_layer {
	struct scute_digest diff_id, blob;
	enum scute_compression compression;
};

struct saved_image {
	struct scute_digest id;
	int64_t created;
	json_t *tags;		    /* familiar names: RepoTags */
	struct saved_layer *layers; /* bottom first */
	size_t n_layers;
};

struct save_plan {
	struct saved_image *images;
	size_t n;
};

/* The plan for `refs` (as scute_image_save takes them); on failure *p
 * holds what was planned, for scute_save_plan_free. */
int scute_save_plan_make(sqlite3 *db, const char *const *refs, size_t n, struct save_plan *p,
			 struct scute_err *err);
void scute_save_plan_free(struct save_plan *p);

#endif
