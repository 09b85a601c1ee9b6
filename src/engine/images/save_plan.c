#include "save_plan.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cleanup.h"
#include "db.h"
#include "image_store.h"
#include "manifest.h"
#include "reference.h"

void scute_save_plan_free(struct save_plan *p)
{
	for (size_t i = 0; i < p->n; i++) {
		json_decref(p->images[i].tags);
		free(p->images[i].layers);
	}
	free(p->images);
}

/* The image's layers, bottom first, each with the blob to send it from:
 * an uncompressed one when the store has it (nothing to measure first). */
#define LAYERS_OF_IMAGE                                                                           \
	"WITH RECURSIVE chain(id, diff_id, parent, depth) AS (SELECT chain_id, diff_id, parent, " \
	"0 FROM layers WHERE chain_id = (SELECT top_layer FROM images WHERE id = ?1) "            \
	"UNION ALL SELECT l.chain_id, l.diff_id, l.parent, c.depth + 1 FROM layers l JOIN "       \
	"chain c ON l.chain_id = c.parent) "                                                      \
	"SELECT c.diff_id, b.blob, b.media_type FROM chain c LEFT JOIN layer_blobs b ON "         \
	"b.chain_id = c.id AND b.blob = (SELECT blob FROM layer_blobs WHERE chain_id = c.id "     \
	"ORDER BY length(media_type), blob LIMIT 1) ORDER BY c.depth DESC"

static int add_layer(struct saved_image *img, sqlite3_stmt *st, struct scute_err *err)
{
	const char *diff_id = (const char *)sqlite3_column_text(st, 0);
	const char *blob = (const char *)sqlite3_column_text(st, 1);
	const char *media_type = (const char *)sqlite3_column_text(st, 2);
	struct saved_layer *l;

	if (!diff_id || !blob || !media_type)
		return scute_err_set(err, ENOENT, "image %s: layer %s: no blob to save it from",
				     img->id.str, diff_id ? diff_id : "?");
	if (img->n_layers >= SCUTE_IMAGE_MAX_LAYERS)
		return scute_err_set(err, E2BIG, "image %s: more than %d layers", img->id.str,
				     SCUTE_IMAGE_MAX_LAYERS);
	l = realloc(img->layers, (img->n_layers + 1) * sizeof(*l));
	if (!l)
		return scute_err_sys(err, "image %s", img->id.str);
	img->layers = l;
	l += img->n_layers;
	if (scute_digest_parse(diff_id, &l->diff_id, err) < 0 ||
	    scute_digest_parse(blob, &l->blob, err) < 0 ||
	    scute_compression_of_media_type(media_type, &l->compression, err) < 0)
		return scute_err_prefix(err, "image %s", img->id.str);
	img->n_layers++;
	return 0;
}

static int load_layers(sqlite3 *db, struct saved_image *img, struct scute_err *err)
{
	auto_stmt sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(db, LAYERS_OF_IMAGE, -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_bind_text(st, 1, img->id.str, -1, SQLITE_STATIC) != SQLITE_OK)
		return scute_db_err(db, err, "image %s", img->id.str);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (add_layer(img, st, err) < 0)
			return -1;
	if (rc != SQLITE_DONE)
		return scute_db_err(db, err, "image %s", img->id.str);
	return 0;
}

static int load_created(sqlite3 *db, struct saved_image *img, struct scute_err *err)
{
	auto_stmt sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(db, "SELECT created FROM images WHERE id = ?", -1, &st, NULL) !=
		    SQLITE_OK ||
	    sqlite3_bind_text(st, 1, img->id.str, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW)
		return scute_db_err(db, err, "image %s", img->id.str);
	img->created = sqlite3_column_int64(st, 0);
	return 0;
}

/* The tag `ref` names the image by, in the form docker shows; NULL when
 * it names it otherwise (by ID, by digest). */
static char *tag_of(sqlite3 *db, const char *ref, const struct scute_digest *id)
{
	struct scute_image_ref *r = NULL;
	auto_stmt sqlite3_stmt *st = NULL;
	auto_free char *full = NULL;
	struct scute_err ignored;
	char *familiar = NULL;

	if (scute_image_ref_parse(ref, &r, &ignored) < 0)
		return NULL;
	if (!r->digest && (full = scute_image_ref_string(r)) &&
	    sqlite3_prepare_v2(db, "SELECT 1 FROM tags WHERE name = ?1 AND image = ?2", -1, &st,
			       NULL) == SQLITE_OK &&
	    sqlite3_bind_text(st, 1, full, -1, SQLITE_STATIC) == SQLITE_OK &&
	    sqlite3_bind_text(st, 2, id->str, -1, SQLITE_STATIC) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		familiar = scute_image_ref_familiar(r);
	scute_image_ref_free(r);
	return familiar;
}

/* The plan's entry for image `id`, added (with its layers) if new. */
static struct saved_image *plan_image(sqlite3 *db, struct save_plan *p,
				      const struct scute_digest *id, struct scute_err *err)
{
	struct saved_image *img;

	for (size_t i = 0; i < p->n; i++)
		if (!strcmp(p->images[i].id.str, id->str))
			return &p->images[i];
	img = realloc(p->images, (p->n + 1) * sizeof(*img));
	if (!img) {
		scute_err_sys(err, "plan");
		return NULL;
	}
	p->images = img;
	img += p->n++;
	memset(img, 0, sizeof(*img));
	img->id = *id;
	img->tags = json_array();
	if (!img->tags) {
		scute_err_set(err, ENOMEM, "out of memory");
		return NULL;
	}
	if (load_created(db, img, err) < 0 || load_layers(db, img, err) < 0)
		return NULL;
	return img;
}

static bool has_string(json_t *array, const char *s)
{
	size_t i;
	json_t *e;

	json_array_foreach(array, i, e) if (!strcmp(json_string_value(e), s)) return true;
	return false;
}

static int plan_tag(sqlite3 *db, struct save_plan *p, const struct scute_digest *id,
		    const char *tag, struct scute_err *err)
{
	struct saved_image *img = plan_image(db, p, id, err);

	if (!img)
		return -1;
	if (tag && !has_string(img->tags, tag) &&
	    json_array_append_new(img->tags, json_string(tag)) < 0)
		return scute_err_set(err, ENOMEM, "out of memory");
	return 0;
}

/* A name without a tag or digest ("busybox", "localhost:5000/a"): the
 * part after the last '/' has no ':' and there is no '@'. */
static bool repository_only(const char *ref)
{
	const char *slash = strrchr(ref, '/');

	return !strchr(ref, '@') && !strchr(slash ? slash : ref, ':');
}

/* docker save REPOSITORY: every tag of it, when it has any. Returns how
 * many, or -1. */
static int plan_repository(sqlite3 *db, struct save_plan *p, const char *ref, struct scute_err *err)
{
	struct scute_image_ref *r = NULL;
	auto_stmt sqlite3_stmt *st = NULL;
	auto_free char *repo = NULL;
	struct scute_err ignored;
	int rc, n = 0;

	if (!repository_only(ref) || scute_image_ref_parse(ref, &r, &ignored) < 0)
		return 0;
	if (asprintf(&repo, "%s/%s", r->domain, r->path) < 0)
		repo = NULL;
	scute_image_ref_free(r);
	if (!repo)
		return scute_err_sys(err, "%s", ref);
	if (sqlite3_prepare_v2(db,
			       "SELECT name, image FROM tags WHERE substr(name, 1, length(?1) + 1) "
			       "= ?1 || ':' ORDER BY name",
			       -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_bind_text(st, 1, repo, -1, SQLITE_STATIC) != SQLITE_OK)
		return scute_db_err(db, err, "%s", ref);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		struct scute_digest id;
		auto_free char *tag = NULL;

		if (scute_image_ref_parse(name, &r, err) < 0)
			return -1;
		tag = scute_image_ref_familiar(r);
		scute_image_ref_free(r);
		if (!tag ||
		    scute_digest_parse((const char *)sqlite3_column_text(st, 1), &id, err) < 0 ||
		    plan_tag(db, p, &id, tag, err) < 0)
			return tag ? -1 : scute_err_set(err, ENOMEM, "out of memory");
		n++;
	}
	if (rc != SQLITE_DONE)
		return scute_db_err(db, err, "%s", ref);
	return n;
}

int scute_save_plan_make(sqlite3 *db, const char *const *refs, size_t n, struct save_plan *p,
			 struct scute_err *err)
{
	memset(p, 0, sizeof(*p));
	if (n == 0)
		return scute_err_set(err, EINVAL, "no image given");
	for (size_t i = 0; i < n; i++) {
		struct scute_digest id;
		auto_free char *tag = NULL;
		int tags = plan_repository(db, p, refs[i], err);

		if (tags < 0)
			return -1;
		if (tags > 0)
			continue;
		if (scute_image_resolve(db, refs[i], &id, err) < 0)
			return -1;
		tag = tag_of(db, refs[i], &id);
		if (plan_tag(db, p, &id, tag, err) < 0)
			return -1;
	}
	return 0;
}
