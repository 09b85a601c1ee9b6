#include "image_store.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "db.h"
#include "layer_store.h"
#include "manifest.h"
#include "reference.h"

/* ---- publishing ---------------------------------------------------------- */

struct commit_ctx {
	struct scute_new_image *img;
	struct scute_digest *chains;
};

static int run(sqlite3 *db, const char *sql, const char *a, const char *b, const char *c, int64_t n,
	       struct scute_err *err)
{
	auto_stmt sqlite3_stmt *st = NULL;
	const char *args[] = { a, b, c };

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return scute_db_err(db, err, "store");
	for (int i = 0; i < 3; i++)
		if (sqlite3_bind_parameter_count(st) > i &&
		    sqlite3_bind_text(st, i + 1, args[i], -1, SQLITE_STATIC) != SQLITE_OK)
			return scute_db_err(db, err, "store");
	if (sqlite3_bind_parameter_count(st) > 3 && sqlite3_bind_int64(st, 4, n) != SQLITE_OK)
		return scute_db_err(db, err, "store");
	if (sqlite3_step(st) != SQLITE_DONE)
		return scute_db_err(db, err, "store");
	return 0;
}

#define ADD_BLOB "INSERT INTO blobs(digest, size) VALUES (?1, ?4) ON CONFLICT DO NOTHING"
#define ADD_IMAGE_BLOB "INSERT INTO image_blobs(image, blob) VALUES (?1, ?2) ON CONFLICT DO NOTHING"

static int add_layer_rows(sqlite3 *db, const struct scute_new_image *img,
			  const struct scute_digest *chains, size_t i, struct scute_err *err)
{
	const struct scute_new_layer *l = &img->layers[i];

	if (run(db, ADD_BLOB, l->blob.str, NULL, NULL, l->blob_size, err) < 0 ||
	    run(db,
		"INSERT INTO layers(chain_id, diff_id, parent, size) VALUES (?1, ?2, ?3, ?4) "
		"ON CONFLICT DO NOTHING",
		chains[i].str, l->diff_id.str, i ? chains[i - 1].str : NULL, l->size, err) < 0 ||
	    run(db,
		"INSERT INTO layer_blobs(chain_id, blob, media_type) VALUES (?1, ?2, ?3) "
		"ON CONFLICT DO NOTHING",
		chains[i].str, l->blob.str, l->media_type, 0, err) < 0)
		return -1;
	return 0;
}

/* Names (in `table`: tags or repo_digests) for the image; a name on
 * another image moves to this one. */
static int add_names(sqlite3 *db, const char *table, const char *const *names, size_t n,
		     const char *image, struct scute_err *err)
{
	char sql[128];

	snprintf(sql, sizeof(sql),
		 "INSERT INTO %s(name, image) VALUES (?1, ?2) "
		 "ON CONFLICT(name) DO UPDATE SET image = excluded.image",
		 table);
	for (size_t i = 0; i < n; i++)
		if (run(db, sql, names[i], image, NULL, 0, err) < 0)
			return -1;
	return 0;
}

static int add_image_rows(sqlite3 *db, void *arg, struct scute_err *err)
{
	struct commit_ctx *c = arg;
	struct scute_new_image *img = c->img;
	const char *top = img->n_layers ? c->chains[img->n_layers - 1].str : NULL;

	if (run(db, ADD_BLOB, img->config.str, NULL, NULL, img->config_size, err) < 0 ||
	    run(db, ADD_BLOB, img->manifest.str, NULL, NULL, img->manifest_size, err) < 0)
		return -1;
	/* bottom up: each layer's parent, then the image on its top layer */
	for (size_t i = 0; i < img->n_layers; i++)
		if (add_layer_rows(db, img, c->chains, i, err) < 0)
			return -1;
	if (run(db,
		"INSERT INTO images(id, manifest, top_layer, created) VALUES (?1, ?2, ?3, ?4) "
		"ON CONFLICT DO NOTHING",
		img->config.str, img->manifest.str, top, img->created, err) < 0)
		return -1;
	for (size_t i = 0; i < img->n_layers; i++)
		if (run(db, ADD_IMAGE_BLOB, img->config.str, img->layers[i].blob.str, NULL, 0,
			err) < 0)
			return -1;
	if (run(db, ADD_IMAGE_BLOB, img->config.str, img->config.str, NULL, 0, err) < 0 ||
	    run(db, ADD_IMAGE_BLOB, img->config.str, img->manifest.str, NULL, 0, err) < 0)
		return -1;
	if (add_names(db, "tags", img->tags, img->n_tags, img->config.str, err) < 0 ||
	    add_names(db, "repo_digests", img->repo_digests, img->n_repo_digests, img->config.str,
		      err) < 0)
		return -1;
	return 0;
}

static int cmp_stripe(const void *a, const void *b)
{
	return strncmp(scute_digest_hex(a), scute_digest_hex(b), 2);
}

/* One lock per stripe the chain IDs fall in, taken in order (two commits
 * never wait for each other in a circle). */
static int lock_chains(struct scute_store *s, const struct scute_digest *chains, size_t n,
		       int *locks, struct scute_err *err)
{
	auto_free struct scute_digest *sorted = calloc(n + 1, sizeof(*sorted));

	if (!sorted)
		return scute_err_sys(err, "image");
	memcpy(sorted, chains, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_stripe);
	for (size_t i = 0; i < n; i++) {
		if (i && cmp_stripe(&sorted[i], &sorted[i - 1]) == 0)
			continue;
		locks[i] = scute_layer_lock(s, &sorted[i], err);
		if (locks[i] < 0)
			return -1;
	}
	return 0;
}

/* Place what the store does not have yet; drop the copies of what it has. */
static int place_layers(struct scute_store *s, struct scute_new_image *img,
			const struct scute_digest *chains, struct scute_err *err)
{
	bool synced = false;

	for (size_t i = 0; i < img->n_layers; i++) {
		struct scute_new_layer *l = &img->layers[i];
		int known = scute_layer_known(s, &chains[i], err);

		if (known < 0)
			return -1;
		if (known) {
			if (l->tmp[0])
				scute_layer_tmp_discard(s, l->tmp);
			l->tmp[0] = '\0';
			continue;
		}
		if (!l->tmp[0]) {
			l->tmpfd = scute_layer_unpack_blob(s, &l->blob, &l->diff_id,
							   img->max_layer_size, l->tmp, err);
			if (l->tmpfd < 0)
				return scute_err_prefix(err, "layer %s", chains[i].str);
		}
		if (!synced && syncfs(s->rootfd) < 0)
			return scute_err_sys(err, "layer store: sync");
		synced = true;
		if (scute_layer_place(s, l->tmp, &chains[i], err) < 0)
			return -1;
		l->tmp[0] = '\0';
	}
	return 0;
}

int scute_image_write_manifest(struct scute_store *s, struct scute_new_image *img,
			       struct scute_err *err)
{
	auto_json json_t *layers = json_array();
	auto_json json_t *doc = NULL;
	auto_free char *text = NULL;

	for (size_t i = 0; layers && i < img->n_layers; i++)
		if (json_array_append_new(
			    layers, json_pack("{sssssI}", "mediaType", img->layers[i].media_type,
					      "digest", img->layers[i].blob.str, "size",
					      (json_int_t)img->layers[i].blob_size)) < 0)
			return scute_err_set(err, ENOMEM, "manifest: out of memory");
	doc = json_pack("{si ss s{ss ss sI} sO}", "schemaVersion", 2, "mediaType",
			SCUTE_MEDIA_OCI_MANIFEST, "config", "mediaType", SCUTE_MEDIA_OCI_CONFIG,
			"digest", img->config.str, "size", (json_int_t)img->config_size, "layers",
			layers);
	text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
	if (!text)
		return scute_err_set(err, ENOMEM, "manifest: out of memory");
	img->manifest_size = (int64_t)strlen(text);
	return scute_blob_put(&s->blobs, text, strlen(text), NULL, &img->manifest, err);
}

static void chains_of(const struct scute_new_image *img, struct scute_digest *chains)
{
	for (size_t i = 0; i < img->n_layers; i++)
		scute_chain_id(i ? &chains[i - 1] : NULL, &img->layers[i].diff_id, &chains[i]);
}

int scute_image_lock_layers(struct scute_store *s, const struct scute_digest *chains, size_t n,
			    int *locks, struct scute_err *err)
{
	for (size_t i = 0; i < n; i++)
		locks[i] = -1;
	if (lock_chains(s, chains, n, locks, err) < 0) {
		scute_image_unlock_layers(locks, n);
		return -1;
	}
	return 0;
}

void scute_image_unlock_layers(int *locks, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (locks[i] >= 0)
			close(locks[i]);
		locks[i] = -1;
	}
}

int scute_image_commit_locked(struct scute_store *s, struct scute_new_image *img,
			      struct scute_err *err)
{
	auto_free struct scute_digest *chains = calloc(img->n_layers + 1, sizeof(*chains));
	struct commit_ctx c = { img, chains };
	int rc = -1;

	if (!chains)
		return scute_err_sys(err, "image %s", img->config.str);
	chains_of(img, chains);
	if (place_layers(s, img, chains, err) == 0)
		rc = scute_db_tx(s->db, add_image_rows, &c, err);
	for (size_t i = 0; i < img->n_layers; i++) {
		if (img->layers[i].tmpfd >= 0)
			close(img->layers[i].tmpfd);
		img->layers[i].tmpfd = -1;
	}
	return rc < 0 ? scute_err_prefix(err, "image %s", img->config.str) : 0;
}

int scute_image_commit(struct scute_store *s, struct scute_new_image *img, struct scute_err *err)
{
	auto_free struct scute_digest *chains = calloc(img->n_layers + 1, sizeof(*chains));
	auto_free int *locks = calloc(img->n_layers + 1, sizeof(*locks));
	int rc;

	if (!chains || !locks)
		/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc) auto_free: cleanup.h */
		return scute_err_sys(err, "image %s", img->config.str);
	chains_of(img, chains);
	if (scute_image_lock_layers(s, chains, img->n_layers, locks, err) < 0)
		return scute_err_prefix(err, "image %s", img->config.str);
	rc = scute_image_commit_locked(s, img, err);
	scute_image_unlock_layers(locks, img->n_layers);
	return rc;
}
