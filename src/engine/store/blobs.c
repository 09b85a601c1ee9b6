#include "blobs.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <nettle/sha2.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "root.h"

struct scute_blob_writer {
	const struct scute_blobs *bs;
	int fd;
	char name[SCUTE_STORE_TMP_NAME_MAX]; /* under ROOT/tmp */
	struct sha256_ctx sha;
	uint64_t size;
};

/* Blobs never change once in place: read-only for everyone who may see
 * them at all (the root directory is 0700). */
#define BLOB_MODE 0444

int scute_blobs_open(int rootfd, struct scute_blobs *bs, struct scute_err *err)
{
	auto_fd int blobsfd = scute_store_subdir(rootfd, "blobs", err);

	bs->shafd = -1;
	bs->tmpfd = -1;
	if (blobsfd < 0)
		return scute_err_prefix(err, "blob store");
	bs->shafd = scute_store_subdir(blobsfd, "sha256", err);
	if (bs->shafd >= 0)
		bs->tmpfd = scute_store_subdir(rootfd, SCUTE_STORE_TMP, err);
	if (bs->tmpfd < 0) {
		scute_blobs_close(bs);
		return scute_err_prefix(err, "blob store");
	}
	return 0;
}

void scute_blobs_close(struct scute_blobs *bs)
{
	if (bs->shafd >= 0)
		close(bs->shafd);
	if (bs->tmpfd >= 0)
		close(bs->tmpfd);
	bs->shafd = -1;
	bs->tmpfd = -1;
}

struct scute_blob_writer *scute_blob_create(struct scute_blobs *bs, struct scute_err *err)
{
	struct scute_blob_writer *w = calloc(1, sizeof(*w));

	if (!w) {
		scute_err_sys(err, "blob store: new blob");
		return NULL;
	}
	w->bs = bs;
	w->fd = scute_store_tmp_file(bs->tmpfd, BLOB_MODE, w->name, err);
	if (w->fd < 0) {
		free(w);
		scute_err_prefix(err, "blob store: new blob");
		return NULL;
	}
	sha256_init(&w->sha);
	return w;
}

int scute_blob_write(struct scute_blob_writer *w, const void *buf, size_t len,
		     struct scute_err *err)
{
	const uint8_t *p = buf;

	sha256_update(&w->sha, len, p);
	w->size += len;
	while (len > 0) {
		ssize_t n = write(w->fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return scute_err_sys(err, "blob store: write %s", w->name);
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static void free_writer(struct scute_blob_writer *w)
{
	close(w->fd);
	free(w);
}

void scute_blob_abort(struct scute_blob_writer *w)
{
	unlinkat(w->bs->tmpfd, w->name, 0);
	free_writer(w);
}

/* The bytes written are what the caller said they would be. */
static int verify(const struct scute_blob_writer *w, const struct scute_digest *got,
		  const struct scute_digest *expected, int64_t expected_size, struct scute_err *err)
{
	const char *name = expected ? expected->str : got->str;

	if (expected_size >= 0 && w->size != (uint64_t)expected_size)
		return scute_err_set(err, EBADMSG,
				     "blob %s: size mismatch: expected %" PRId64
				     " bytes, got %" PRIu64,
				     name, expected_size, w->size);
	if (expected && strcmp(expected->str, got->str) != 0)
		return scute_err_set(err, EBADMSG, "blob: digest mismatch: expected %s, got %s",
				     expected->str, got->str);
	return 0;
}

/* On disk before it has a name, and the name on disk before the caller
 * commits a row that points to it. Renaming over an existing blob is
 * harmless (same bytes) and replaces whatever else was planted there. */
static int publish(const struct scute_blob_writer *w, const struct scute_digest *d,
		   struct scute_err *err)
{
	if (fsync(w->fd) < 0)
		return scute_err_sys(err, "blob %s: sync", d->str);
	if (renameat(w->bs->tmpfd, w->name, w->bs->shafd, scute_digest_hex(d)) < 0)
		return scute_err_sys(err, "blob %s: rename into place", d->str);
	if (fsync(w->bs->shafd) < 0)
		return scute_err_sys(err, "blob %s: sync blobs/sha256", d->str);
	return 0;
}

int scute_blob_commit(struct scute_blob_writer *w, const struct scute_digest *expected,
		      int64_t expected_size, struct scute_digest *out, struct scute_err *err)
{
	uint8_t raw[SHA256_DIGEST_SIZE];
	struct scute_digest got;
	int rc;

	sha256_digest(&w->sha, sizeof(raw), raw);
	scute_digest_from_sha256(raw, &got);
	rc = verify(w, &got, expected, expected_size, err);
	if (rc == 0)
		rc = publish(w, &got, err);
	if (rc < 0)
		unlinkat(w->bs->tmpfd, w->name, 0);
	free_writer(w);
	if (rc == 0 && out)
		*out = got;
	return rc;
}

/* Something other than a regular file under blobs/sha256 was put there by
 * someone else: refused, never read through. */
static int not_a_blob(const struct scute_digest *d, mode_t mode, struct scute_err *err)
{
	if (S_ISLNK(mode))
		return scute_err_set(err, ELOOP, "blob %s: a symlink, not followed", d->str);
	return scute_err_set(err, EIO, "blob %s: not a regular file", d->str);
}

int scute_blob_put(struct scute_blobs *bs, const void *data, size_t len,
		   const struct scute_digest *expected, struct scute_digest *out,
		   struct scute_err *err)
{
	struct scute_blob_writer *w = scute_blob_create(bs, err);

	if (!w)
		return -1;
	if (scute_blob_write(w, data, len, err) < 0) {
		scute_blob_abort(w);
		return -1;
	}
	return scute_blob_commit(w, expected, (int64_t)len, out, err);
}

int scute_blob_open(const struct scute_blobs *bs, const struct scute_digest *d,
		    struct scute_err *err)
{
	/* O_NONBLOCK: a FIFO planted there does not block the open. */
	auto_fd int fd = openat(bs->shafd, scute_digest_hex(d),
				O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;

	if (fd < 0 && errno == ELOOP)
		return not_a_blob(d, S_IFLNK, err);
	if (fd < 0)
		return scute_err_sys(err, "blob %s", d->str);
	if (fstat(fd, &st) < 0)
		return scute_err_sys(err, "blob %s", d->str);
	if (!S_ISREG(st.st_mode))
		return not_a_blob(d, st.st_mode, err);
	return scute_take_fd(&fd);
}

int scute_blob_stat(const struct scute_blobs *bs, const struct scute_digest *d, struct stat *st,
		    struct scute_err *err)
{
	if (fstatat(bs->shafd, scute_digest_hex(d), st, AT_SYMLINK_NOFOLLOW) < 0)
		return scute_err_sys(err, "blob %s", d->str);
	if (!S_ISREG(st->st_mode))
		return not_a_blob(d, st->st_mode, err);
	return 0;
}

int scute_blob_remove(const struct scute_blobs *bs, const struct scute_digest *d,
		      struct scute_err *err)
{
	if (unlinkat(bs->shafd, scute_digest_hex(d), 0) < 0 && errno != ENOENT)
		return scute_err_sys(err, "blob %s: remove", d->str);
	return 0;
}
