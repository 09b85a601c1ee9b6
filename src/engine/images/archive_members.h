/* The members of an image archive as `load` keeps them after one pass:
 * JSON documents in memory, layers unpacked under ROOT/tmp with their
 * digests, and the archive's own links (docker save links a layer used
 * twice). See archive_load.h. */
#ifndef SCUTE_ENGINE_ARCHIVE_MEMBERS_H
#define SCUTE_ENGINE_ARCHIVE_MEMBERS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "digest.h"
#include "root.h"
#include "scute.h"
#include "store.h"
#include "unpack.h"

struct archive_json {
	char *path;
	char *data;
	size_t len;
};

struct archive_layer {
	char *path;
	struct scute_unpack_result res;
	struct scute_digest blob;
	/* the unpacked directory until an image takes it ("" then) */
	char tmp[SCUTE_STORE_TMP_NAME_MAX];
	int tmpfd;
};

struct archive_link {
	char *path, *target;
};

struct archive_members {
	struct archive_json *json;
	size_t n_json, json_bytes;
	struct archive_layer *layers;
	size_t n_layers;
	struct archive_link *links;
	size_t n_links;
};

/* Read the whole archive from fd, unpacking layers into the store's tmp. */
int scute_archive_read_members(struct scute_store *s, int fd, int64_t max_layer_size,
			       struct archive_members *m, struct scute_err *err);

/* The member at path (after the archive's links), or NULL. */
const struct archive_json *scute_archive_json(const struct archive_members *m, const char *path);
struct archive_layer *scute_archive_layer(struct archive_members *m, const char *path);

/* The digest a member's name promises: blobs/sha256/HEX (an OCI layout's
 * blob) or HEX.json (docker save's config, named by the image ID). */
bool scute_archive_promised_digest(const char *path, struct scute_digest *d);

/* Free everything; unpacked directories no image took are removed. */
void scute_archive_members_free(struct scute_store *s, struct archive_members *m);

#endif
