#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "blobs.h"
#include "db.h"
#include "image_store.h"
#include "manifest.h"
#include "pull.h"
#include "reference.h"

/* The manifest blob the store keeps for image ID. */
static int manifest_of(struct scute_store *s, const struct scute_digest *id,
		       struct scute_digest *out, struct scute_err *err)
{
	auto_stmt sqlite3_stmt *st = NULL;
	const unsigned char *m;

	if (sqlite3_prepare_v2(s->db, "SELECT manifest FROM images WHERE id = ?", -1, &st, NULL) !=
		    SQLITE_OK ||
	    sqlite3_bind_text(st, 1, id->str, -1, SQLITE_STATIC) != SQLITE_OK)
		return scute_db_err(s->db, err, "image %s", id->str);
	if (sqlite3_step(st) != SQLITE_ROW || !(m = sqlite3_column_text(st, 0)))
		return scute_err_set(err, ENOENT, "image %s: no manifest to push", id->str);
	return scute_digest_parse((const char *)m, out, err);
}

static char *read_blob(struct scute_store *s, const struct scute_digest *d, size_t max, size_t *len,
		       struct scute_err *err)
{
	auto_fd int fd = scute_blob_open(&s->blobs, d, err);
	auto_free char *buf = NULL;
	struct stat st;
	size_t got = 0;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || (size_t)st.st_size > max ||
	    !(buf = malloc((size_t)st.st_size + 1))) {
		scute_err_set(err, EFBIG, "blob %s: unreadable or larger than %zu bytes", d->str,
			      max);
		return NULL;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n <= 0) {
			scute_err_sys(err, "blob %s: read", d->str);
			return NULL;
		}
		got += (size_t)n;
	}
	buf[got] = '\0';
	*len = got;
	return scute_take_ptr(&buf);
}

/* The manifest is pushed as stored and recorded under its digest: bytes
 * changed in the store since would be a RepoDigest the registry does not
 * serve. */
static int check_digest(const char *body, size_t len, const struct scute_digest *d,
			struct scute_err *err)
{
	struct scute_digest got;

	scute_digest_of(body, len, &got);
	if (strcmp(got.str, d->str) != 0)
		return scute_err_set(err, EBADMSG,
				     "blob %s: its bytes are %s (changed in the store)", d->str,
				     got.str);
	return 0;
}

static void report(const struct scute_push_opts *o, size_t i, size_t n, const char *id,
		   enum scute_xfer_state state, int64_t size)
{
	struct scute_xfer_event ev = { i, n, id, state, state == SCUTE_XFER_DONE ? size : 0, size };

	/* the config (i == n) is not shown, as docker does not */
	if (o->progress && i < n)
		o->progress(o->progress_arg, &ev);
}

/* The blob at fd is what descriptor d says: a blob changed in the store
 * is not sent under a digest that is not its own. */
static int check_blob(int fd, const struct scute_descriptor *d, struct scute_err *err)
{
	struct scute_digest got;
	int64_t len;

	if (scute_digest_of_fd(fd, &got, &len, err) < 0)
		return scute_err_prefix(err, "blob %s", d->digest.str);
	if (len != d->size || strcmp(got.str, d->digest.str) != 0)
		return scute_err_set(err, EBADMSG,
				     "blob %s: the store holds %lld bytes of digest %s (changed "
				     "since it was stored; the manifest says %lld bytes)",
				     d->digest.str, (long long)len, got.str, (long long)d->size);
	return 0;
}

/* One blob, unless the repository has it. */
static int push_blob(struct scute_store *s, struct scute_registry *r, const char *repo,
		     const struct scute_descriptor *d, const struct scute_push_opts *o, size_t i,
		     size_t n, struct scute_err *err)
{
	char id[16];
	auto_fd int fd = -1;
	int has;

	snprintf(id, sizeof(id), "%.12s", scute_digest_hex(&d->digest));
	has = scute_registry_blob_exists(r, repo, &d->digest, err);
	if (has < 0)
		return -1;
	if (has) {
		report(o, i, n, id, SCUTE_XFER_EXISTS, d->size);
		return 0;
	}
	report(o, i, n, id, SCUTE_XFER_MOVING, d->size);
	fd = scute_blob_open(&s->blobs, &d->digest, err);
	if (fd < 0 || check_blob(fd, d, err) < 0 ||
	    scute_registry_push_blob(r, repo, &d->digest, d->size, fd, err) < 0) {
		report(o, i, n, id, SCUTE_XFER_FAILED, d->size);
		return -1;
	}
	report(o, i, n, id, SCUTE_XFER_DONE, d->size);
	return 0;
}

static int add_repo_digest(sqlite3 *db, void *arg, struct scute_err *err)
{
	const char *const *row = arg;
	auto_stmt sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(db,
			       "INSERT INTO repo_digests(name, image) VALUES (?1, ?2) "
			       "ON CONFLICT(name) DO UPDATE SET image = excluded.image",
			       -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_bind_text(st, 1, row[0], -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_text(st, 2, row[1], -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_DONE)
		return scute_db_err(db, err, "repo digest %s", row[0]);
	return 0;
}

/* REPOSITORY@DIGEST of the pushed manifest, an image's RepoDigest from now on. */
static int record_repo_digest(struct scute_store *s, const struct scute_image_ref *ref,
			      struct scute_digest *md, const struct scute_digest *id,
			      struct scute_err *err)
{
	struct scute_image_ref by = *ref;
	auto_free char *name = NULL;
	const char *row[2];

	by.tag = NULL;
	by.digest = md;
	name = scute_image_ref_string(&by);
	if (!name)
		return scute_err_sys(err, "push");
	row[0] = name;
	row[1] = id->str;
	return scute_db_tx(s->db, add_repo_digest, row, err);
}

/* The layers, the config, then the manifest under the tag. */
static int push_image(struct scute_store *s, struct scute_registry *r,
		      const struct scute_image_ref *ref, const char *body, size_t len,
		      const struct scute_manifest *mf, const struct scute_push_opts *o,
		      struct scute_err *err)
{
	const char *media_type = mf->media_type ? mf->media_type : SCUTE_MEDIA_OCI_MANIFEST;

	for (size_t i = 0; i < mf->n_layers; i++)
		if (push_blob(s, r, ref->path, &mf->layers[i], o, i, mf->n_layers, err) < 0)
			return -1;
	if (push_blob(s, r, ref->path, &mf->config, o, mf->n_layers, mf->n_layers, err) < 0)
		return -1;
	return scute_registry_put_manifest(r, ref->path, ref->tag, media_type, body, len, err);
}

int scute_image_push(struct scute_store *s, const char *name, const struct scute_push_opts *o,
		     struct scute_digest *digest, struct scute_err *err)
{
	struct scute_image_ref *ref = NULL;
	struct scute_registry *r = NULL;
	struct scute_manifest mf = { 0 };
	struct scute_digest id, md;
	auto_free char *body = NULL;
	size_t len = 0;
	int rc = -1;

	if (scute_image_ref_parse(name, &ref, err) < 0)
		return -1;
	if (ref->digest) {
		scute_err_set(err, EINVAL, "push %s: name a tag, not a digest", name);
		goto out;
	}
	if (scute_image_resolve(s->db, name, &id, err) < 0 || manifest_of(s, &id, &md, err) < 0 ||
	    !(body = read_blob(s, &md, SCUTE_MANIFEST_MAX_SIZE, &len, err)) ||
	    check_digest(body, len, &md, err) < 0 ||
	    scute_manifest_parse(body, len, md.str, &mf, err) < 0)
		goto out;
	r = scute_registry_open(&o->registry, ref->domain, err);
	if (!r || push_image(s, r, ref, body, len, &mf, o, err) < 0)
		goto out;
	*digest = md;
	rc = record_repo_digest(s, ref, &md, &id, err);
out:
	/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc) auto_free: cleanup.h */
	scute_manifest_free(&mf);
	scute_registry_close(r);
	scute_image_ref_free(ref);
	return rc;
}
