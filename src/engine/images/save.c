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
#include "reference.h"
#include "save_plan.h"
#include "unpack.h"

#define COPY_BUF_SIZE ((size_t)256 << 10)

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
	int rc = scute_save_plan_make(s->db, refs, n, &p, err);

	if (rc == 0)
		rc = save_plan_to(s, &p, fd, err);
	scute_save_plan_free(&p);
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
	int rc = scute_save_plan_make(s->db, refs, n, &p, err);

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
	scute_save_plan_free(&p);
	return rc < 0 ? scute_err_prefix(err, "save") : 0;
}
