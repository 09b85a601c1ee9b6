/* Images in the store: publishing one (its layers placed, then one
 * transaction for all its rows), finding one by name or ID as docker does,
 * tagging and removing. Listing and inspecting are in image_json.h. */
#ifndef SCUTE_ENGINE_IMAGE_STORE_H
#define SCUTE_ENGINE_IMAGE_STORE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "digest.h"
#include "root.h"
#include "scute.h"
#include "store.h"

/* A layer of an image being published. */
struct scute_new_layer {
	struct scute_digest diff_id;
	struct scute_digest blob; /* the blob it came as, already in the blob store */
	int64_t blob_size;
	const char *media_type; /* of that blob */
	int64_t size;		/* bytes unpacked */
	/* Where it was unpacked (under ROOT/tmp), "" if it was not because
	 * the store already had it; tmpfd holds that directory's lock. */
	char tmp[SCUTE_STORE_TMP_NAME_MAX];
	int tmpfd;
};

/* An image being published: every blob it names is in the blob store
 * already (committed, verified), with no row yet. */
struct scute_new_image {
	struct scute_digest config;
	int64_t config_size;
	struct scute_digest manifest;
	int64_t manifest_size;
	struct scute_new_layer *layers; /* bottom first */
	size_t n_layers;
	int64_t created;
	const char *const *tags; /* full names: docker.io/library/busybox:latest */
	size_t n_tags;
	const char *const *repo_digests; /* docker.io/library/busybox@sha256:… */
	size_t n_repo_digests;
	/* the limit for a layer unpacked again from its blob (0: the default) */
	int64_t max_layer_size;
};

/* An OCI manifest for an image that has none (docker save's layout, an
 * import), from its config and layers, stored as a blob: img->manifest
 * and manifest_size are set. So every image has one for save and push. */
int scute_image_write_manifest(struct scute_store *s, struct scute_new_image *img,
			       struct scute_err *err);

/* Place the layers the store does not have (under their chain IDs' locks,
 * after one sync of the store) and commit every row of the image in one
 * transaction. A tag already on another image moves to this one. Layers
 * the store had are not placed again; their tmp directories go. */
int scute_image_commit(struct scute_store *s, struct scute_new_image *img, struct scute_err *err);

/* The locks of chain IDs CHAINS[0..N) (one per stripe, taken in order, so
 * that two holders never wait for each other in a circle), for a writer
 * that holds them from before it fetches the layers until its commit:
 * pull, so that a second pull of the same layers waits and then finds
 * them in place instead of fetching and unpacking them again. LOCKS gets
 * N fds (-1 where a stripe repeats); on failure none is held. */
int scute_image_lock_layers(struct scute_store *s, const struct scute_digest *chains, size_t n,
			    int *locks, struct scute_err *err);
void scute_image_unlock_layers(int *locks, size_t n);

/* scute_image_commit for a caller that holds the layers' locks. */
int scute_image_commit_locked(struct scute_store *s, struct scute_new_image *img,
			      struct scute_err *err);

/* Find an image as docker's commands do: a name (short names normalised,
 * ":latest" implied), NAME@DIGEST, a full ID ("sha256:…") or an unambiguous
 * prefix of the ID's hex. ENOENT: "No such image: NAME". */
int scute_image_resolve(sqlite3 *db, const char *ref, struct scute_digest *id,
			struct scute_err *err);

/* Give the image `ref` names the new name `target` (docker tag). */
int scute_image_tag(sqlite3 *db, const char *ref, const char *target, struct scute_err *err);

/* docker rmi: untag REF if it is a name, and delete the image once no
 * name is left; an image with several names is deleted only by force.
 * Appends {"Untagged": NAME} and {"Deleted": ID} objects to `report` (the
 * Engine API's response). Call with the store open exclusively; files go
 * at the next collection (scute_store_collect). */
int scute_image_remove(sqlite3 *db, const char *ref, bool force, json_t *report,
		       struct scute_err *err);

/* docker image prune: remove images with no name (all unused ones with
 * `all`), appending to report as scute_image_remove does. */
int scute_image_prune(sqlite3 *db, bool all, json_t *report, struct scute_err *err);

#endif
