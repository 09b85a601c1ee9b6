/* `scute load`: images from an archive in one pass over it. Two shapes
 * are read: docker save's (manifest.json, with the layers as
 * ID/layer.tar or, from docker 25 on, as blobs/sha256/HEX inside an OCI
 * layout) and OCI image-layout archives (index.json). The archive may be
 * compressed (gzip, zstd, xz, bzip2), its layers too (gzip, zstd).
 *
 * Members come in whatever order the archive has, and manifest.json comes
 * after the layers in docker's archives, so a layer is unpacked as it
 * passes (into ROOT/tmp, its blob hashed and kept, its diff_id computed)
 * and JSON documents are kept in memory (with limits); once the archive
 * ends, the manifests say which layers make which image, every digest and
 * diff_id is checked against them, and each image is published
 * (image_store.h). Anything wrong fails the whole load, and what was
 * unpacked goes. */
#ifndef SCUTE_ENGINE_ARCHIVE_LOAD_H
#define SCUTE_ENGINE_ARCHIVE_LOAD_H

#include <jansson.h>
#include <stdint.h>

#include "scute.h"
#include "store.h"

/* At most this much JSON (manifests, configs, indexes) in one archive. */
#define SCUTE_LOAD_MAX_JSON (64 << 20)
/* At most this many layers in one archive. */
#define SCUTE_LOAD_MAX_LAYERS 2000

struct scute_load_opts {
	int fd;			/* the archive */
	const char *name;	/* for errors: the file, or "stdin" */
	int64_t max_layer_size; /* 0: the default */
};

/* Load every image in the archive. For each, `report` gets {"Id": ID,
 * "RepoTags": [names in the form docker shows]}. The store is open for
 * writing. */
int scute_image_load(struct scute_store *s, const struct scute_load_opts *o, json_t *report,
		     struct scute_err *err);

#endif
