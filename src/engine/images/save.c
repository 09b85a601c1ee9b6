#include "save.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "db.h"
#include "image_store.h"
#include "manifest.h"
#include "reference.h"
#include "unpack.h"

#define COPY_BUF_SIZE ((size_t)256 << 10)

/* ---- what to write ------------------------------------------------------- */

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

static void plan_free(struct save_plan *p)
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

static int plan_make(sqlite3 *db, const char *const *refs, size_t n, struct save_plan *p,
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

/* ---- the archive --------------------------------------------------------- */

struct save_writer {
	struct archive *a;
	struct scute_store *s;
	struct scute_digest *written; /* layers already in the archive, by diff_id */
	size_t n_written;
	char buf[COPY_BUF_SIZE];
};

static int archive_fail(struct archive *a, const char *path, struct scute_err *err)
{
	const char *msg = archive_error_string(a);

	return scute_err_set(err, archive_errno(a) > 0 ? archive_errno(a) : EIO, "%s: %s", path,
			     msg ? msg : "write failed");
}

static int write_header(struct archive *a, const char *path, unsigned int type, int64_t size,
			int64_t mtime, struct scute_err *err)
{
	struct archive_entry *e = archive_entry_new();
	int r;

	if (!e)
		return scute_err_set(err, ENOMEM, "%s: out of memory", path);
	archive_entry_set_pathname(e, path);
	archive_entry_set_filetype(e, type);
	archive_entry_set_perm(e, type == AE_IFDIR ? 0755 : 0644);
	archive_entry_set_size(e, size);
	archive_entry_set_mtime(e, mtime, 0);
	r = archive_write_header(a, e);
	archive_entry_free(e);
	return r == ARCHIVE_OK ? 0 : archive_fail(a, path, err);
}

static int write_data(struct archive *a, const void *buf, size_t len, const char *path,
		      struct scute_err *err)
{
	if (archive_write_data(a, buf, len) != (la_ssize_t)len)
		return archive_fail(a, path, err);
	return 0;
}

static int write_member(struct archive *a, const char *path, const char *data, int64_t mtime,
			struct scute_err *err)
{
	size_t len = strlen(data);

	if (write_header(a, path, AE_IFREG, (int64_t)len, mtime, err) < 0 ||
	    write_data(a, data, len, path, err) < 0)
		return -1;
	return 0;
}

/* The image's config, as the blob it is (its digest is the image ID). */
static int write_config(struct save_writer *w, const struct saved_image *img, struct scute_err *err)
{
	auto_fd int fd = scute_blob_open(&w->s->blobs, &img->id, err);
	char path[SCUTE_DIGEST_HEX_LEN + 8];
	struct stat st;
	int64_t left;

	snprintf(path, sizeof(path), "%s.json", scute_digest_hex(&img->id));
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0)
		return scute_err_sys(err, "config %s", img->id.str);
	if (write_header(w->a, path, AE_IFREG, st.st_size, img->created, err) < 0)
		return -1;
	for (left = st.st_size; left > 0;) {
		ssize_t n = read(fd, w->buf, sizeof(w->buf));

		if (n <= 0)
			return n < 0 ? scute_err_sys(err, "config %s: read", img->id.str)
				     : scute_err_set(err, EIO, "config %s: shorter than %lld bytes",
						     img->id.str, (long long)st.st_size);
		if (n > left)
			n = (ssize_t)left;
		if (write_data(w->a, w->buf, (size_t)n, path, err) < 0)
			return -1;
		left -= n;
	}
	return 0;
}

/* The layer's blob read through its decompressor (none for a plain tar):
 * libarchive's raw format gives the tar's bytes. */
static struct archive *open_layer(int fd, const struct saved_layer *l, struct scute_err *err)
{
	struct archive *r = archive_read_new();
	struct archive_entry *ae;

	if (!r) {
		scute_err_set(err, ENOMEM, "blob %s: out of memory", l->blob.str);
		return NULL;
	}
	archive_read_support_format_raw(r);
	if (l->compression == SCUTE_COMPRESSION_GZIP)
		archive_read_append_filter(r, ARCHIVE_FILTER_GZIP);
	else if (l->compression == SCUTE_COMPRESSION_ZSTD)
		archive_read_append_filter(r, ARCHIVE_FILTER_ZSTD);
	if (archive_read_open_fd(r, fd, COPY_BUF_SIZE) != ARCHIVE_OK ||
	    archive_read_next_header(r, &ae) != ARCHIVE_OK) {
		scute_err_set(err, EBADMSG, "blob %s: %s", l->blob.str,
			      archive_error_string(r) ? archive_error_string(r) : "unreadable");
		archive_read_free(r);
		return NULL;
	}
	return r;
}

/* The tar's length: the blob's for a plain one, else one pass of
 * decompression (a tar header needs the size before the data). */
static int64_t layer_size(struct save_writer *w, int fd, const struct saved_layer *l,
			  struct scute_err *err)
{
	struct archive *r;
	struct stat st;
	int64_t size = 0;
	la_ssize_t n;

	if (l->compression == SCUTE_COMPRESSION_NONE)
		return fstat(fd, &st) < 0 ? scute_err_sys(err, "blob %s", l->blob.str) : st.st_size;
	r = open_layer(fd, l, err);
	if (!r)
		return -1;
	while ((n = archive_read_data(r, w->buf, sizeof(w->buf))) > 0)
		size += n;
	if (n < 0)
		size = scute_err_set(err, EBADMSG, "blob %s: %s", l->blob.str,
				     archive_error_string(r));
	archive_read_free(r);
	if (size >= 0 && lseek(fd, 0, SEEK_SET) < 0)
		return scute_err_sys(err, "blob %s", l->blob.str);
	return size;
}

/* Copy the tar into the archive, hashing it: what is written must be the
 * layer the config's diff_id names. */
static int copy_layer(struct save_writer *w, struct archive *r, const struct saved_layer *l,
		      int64_t size, const char *path, struct scute_err *err)
{
	uint8_t raw[SCUTE_SHA256_SIZE];
	struct scute_digest got;
	struct sha256_ctx sha;
	int64_t total = 0;
	la_ssize_t n;

	sha256_init(&sha);
	while ((n = archive_read_data(r, w->buf, sizeof(w->buf))) > 0) {
		sha256_update(&sha, (size_t)n, (const uint8_t *)w->buf);
		total += n;
		if (total > size)
			return scute_err_set(err, EBADMSG, "blob %s: more than %lld bytes",
					     l->blob.str, (long long)size);
		if (write_data(w->a, w->buf, (size_t)n, path, err) < 0)
			return -1;
	}
	if (n < 0)
		return scute_err_set(err, EBADMSG, "blob %s: %s", l->blob.str,
				     archive_error_string(r));
	sha256_digest(&sha, sizeof(raw), raw);
	scute_digest_from_sha256(raw, &got);
	if (total != size || strcmp(got.str, l->diff_id.str) != 0)
		return scute_err_set(err, EBADMSG,
				     "blob %s: %lld bytes with digest %s, not the layer %s",
				     l->blob.str, (long long)total, got.str, l->diff_id.str);
	return 0;
}

static bool written(struct save_writer *w, const struct scute_digest *diff_id)
{
	for (size_t i = 0; i < w->n_written; i++)
		if (!strcmp(w->written[i].str, diff_id->str))
			return true;
	return false;
}

static int write_layer(struct save_writer *w, const struct saved_layer *l, int64_t mtime,
		       struct scute_err *err)
{
	auto_fd int fd = -1;
	struct scute_digest *list;
	char dir[SCUTE_DIGEST_HEX_LEN + 2], path[SCUTE_DIGEST_HEX_LEN + 16];
	struct archive *r;
	int64_t size;
	int rc;

	if (written(w, &l->diff_id))
		return 0;
	snprintf(dir, sizeof(dir), "%s/", scute_digest_hex(&l->diff_id));
	snprintf(path, sizeof(path), "%slayer.tar", dir);
	fd = scute_blob_open(&w->s->blobs, &l->blob, err);
	if (fd < 0 || (size = layer_size(w, fd, l, err)) < 0)
		return scute_err_prefix(err, "layer %s", l->diff_id.str);
	if (write_header(w->a, dir, AE_IFDIR, 0, mtime, err) < 0 ||
	    write_header(w->a, path, AE_IFREG, size, mtime, err) < 0 ||
	    !(r = open_layer(fd, l, err)))
		return scute_err_prefix(err, "layer %s", l->diff_id.str);
	rc = copy_layer(w, r, l, size, path, err);
	archive_read_free(r);
	if (rc < 0)
		return scute_err_prefix(err, "layer %s", l->diff_id.str);
	list = realloc(w->written, (w->n_written + 1) * sizeof(*list));
	if (!list)
		return scute_err_sys(err, "layer %s", l->diff_id.str);
	w->written = list;
	w->written[w->n_written++] = l->diff_id;
	return 0;
}

/* manifest.json: one entry per image, as docker writes it (RepoTags null
 * for an image saved by ID). */
static json_t *manifest_of(const struct save_plan *p)
{
	json_t *doc = json_array();

	for (size_t i = 0; doc && i < p->n; i++) {
		const struct saved_image *img = &p->images[i];
		json_t *layers = json_array();
		char path[SCUTE_DIGEST_HEX_LEN + 16];

		for (size_t j = 0; layers && j < img->n_layers; j++) {
			snprintf(path, sizeof(path), "%s/layer.tar",
				 scute_digest_hex(&img->layers[j].diff_id));
			json_array_append_new(layers, json_string(path));
		}
		snprintf(path, sizeof(path), "%s.json", scute_digest_hex(&img->id));
		if (json_array_append_new(
			    doc, json_pack("{ss sO so}", "Config", path, "RepoTags",
					   json_array_size(img->tags) ? img->tags : json_null(),
					   "Layers", layers)) < 0) {
			json_decref(doc);
			return NULL;
		}
	}
	return doc;
}

/* `repositories`, docker's older index: {REPO: {TAG: top layer}}. */
static int add_repository(json_t *repos, const char *tag, const struct saved_image *img)
{
	struct scute_image_ref *r = NULL;
	struct scute_err ignored;
	auto_free char *repo = NULL;
	char *t;
	json_t *tags;
	int rc = -1;

	if (!img->n_layers || scute_image_ref_parse(tag, &r, &ignored) < 0)
		return 0;
	t = r->tag;
	r->tag = NULL;
	repo = scute_image_ref_familiar(r);
	r->tag = t;
	tags = repo ? json_object_get(repos, repo) : NULL;
	if (repo && !tags && json_object_set_new(repos, repo, tags = json_object()) < 0)
		tags = NULL;
	if (tags && t)
		rc = json_object_set_new(
			tags, t,
			json_string(scute_digest_hex(&img->layers[img->n_layers - 1].diff_id)));
	scute_image_ref_free(r);
	return rc;
}

static int write_index(struct save_writer *w, const struct save_plan *p, struct scute_err *err)
{
	auto_json json_t *manifest = manifest_of(p);
	auto_json json_t *repos = json_object();
	auto_free char *mtext = NULL;
	auto_free char *rtext = NULL;
	size_t i, j;
	json_t *tag;

	for (i = 0; repos && i < p->n; i++)
		json_array_foreach(
			p->images[i].tags, j,
			tag) if (add_repository(repos, json_string_value(tag), &p->images[i]) <
				 0) return scute_err_set(err, ENOMEM,
							 "repositories: out of memory");
	mtext = manifest ? json_dumps(manifest, JSON_COMPACT) : NULL;
	rtext = repos ? json_dumps(repos, JSON_COMPACT) : NULL;
	if (!mtext || !rtext)
		return scute_err_set(err, ENOMEM, "manifest.json: out of memory");
	if (write_member(w->a, "manifest.json", mtext, 0, err) < 0 ||
	    (json_object_size(repos) && write_member(w->a, "repositories", rtext, 0, err) < 0))
		return -1;
	return 0;
}

static int write_archive(struct save_writer *w, const struct save_plan *p, int fd,
			 struct scute_err *err)
{
	archive_write_set_format_pax_restricted(w->a);
	/* no padding past the end-of-archive blocks, as docker writes it */
	archive_write_set_bytes_in_last_block(w->a, 1);
	if (archive_write_open_fd(w->a, fd) != ARCHIVE_OK)
		return archive_fail(w->a, "output", err);
	for (size_t i = 0; i < p->n; i++) {
		if (write_config(w, &p->images[i], err) < 0)
			return -1;
		for (size_t j = 0; j < p->images[i].n_layers; j++)
			if (write_layer(w, &p->images[i].layers[j], p->images[i].created, err) < 0)
				return -1;
	}
	if (write_index(w, p, err) < 0)
		return -1;
	if (archive_write_close(w->a) != ARCHIVE_OK)
		return archive_fail(w->a, "output", err);
	return 0;
}

/* Write the planned archive to fd. A failure leaves the archive without
 * its end (archive_write_fail): a reader sees it truncated. */
static int save_plan_to(struct scute_store *s, const struct save_plan *p, int fd,
			struct scute_err *err)
{
	struct save_writer *w = calloc(1, sizeof(*w));
	int rc;

	if (!w)
		return scute_err_sys(err, "save");
	w->s = s;
	w->a = archive_write_new();
	rc = w->a ? write_archive(w, p, fd, err) : scute_err_set(err, ENOMEM, "out of memory");
	if (w->a) {
		if (rc < 0)
			archive_write_fail(w->a);
		archive_write_free(w->a);
	}
	free(w->written);
	free(w);
	return rc;
}

int scute_image_save(struct scute_store *s, const char *const *refs, size_t n, int fd,
		     struct scute_err *err)
{
	struct save_plan p;
	int rc = plan_make(s->db, refs, n, &p, err);

	if (rc == 0)
		rc = save_plan_to(s, &p, fd, err);
	plan_free(&p);
	return rc < 0 ? scute_err_prefix(err, "save") : 0;
}

/* A new file next to path: DIR/.BASE.XXXXXX, its name in tmp. */
static int open_beside(const char *path, char tmp[PATH_MAX], struct scute_err *err)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	int fd;

	if (!base[0])
		return scute_err_set(err, EISDIR, "%s: not a file name", path);
	if (snprintf(tmp, PATH_MAX, "%.*s.%s.XXXXXX", slash ? (int)(slash - path + 1) : 0, path,
		     base) >= PATH_MAX)
		return scute_err_set(err, ENAMETOOLONG, "%s: too long", path);
	fd = mkostemp(tmp, O_CLOEXEC);
	return fd < 0 ? scute_err_sys(err, "%s", path) : fd;
}

int scute_image_save_file(struct scute_store *s, const char *const *refs, size_t n,
			  const char *path, struct scute_err *err)
{
	struct save_plan p;
	char tmp[PATH_MAX];
	auto_fd int fd = -1;
	int rc = plan_make(s->db, refs, n, &p, err);

	if (rc == 0 && (fd = open_beside(path, tmp, err)) < 0)
		rc = -1;
	if (fd >= 0) {
		rc = save_plan_to(s, &p, fd, err);
		if (rc == 0 && fsync(fd) < 0)
			rc = scute_err_sys(err, "%s: sync", tmp);
		if (rc == 0 && rename(tmp, path) < 0)
			rc = scute_err_sys(err, "rename %s to %s", tmp, path);
		if (rc < 0)
			unlink(tmp);
	}
	plan_free(&p);
	return rc < 0 ? scute_err_prefix(err, "save") : 0;
}
