/* The content-addressed blob store, OCI image-layout style:
 * ROOT/blobs/sha256/<hex>, one read-only file per digest (layers as they
 * came, configs, manifests). A blob is written under ROOT/tmp while it is
 * hashed, and renamed into place only once its digest (and size) are
 * verified and it is on disk: a name under blobs/sha256 always holds the
 * bytes it names. Files are reached by fd from the store's directories,
 * never through a symlink. */
#ifndef SCUTE_ENGINE_BLOBS_H
#define SCUTE_ENGINE_BLOBS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "digest.h"
#include "scute.h"

struct scute_blobs {
	int shafd; /* ROOT/blobs/sha256 */
	int tmpfd; /* ROOT/tmp */
};

/* A blob being written: see scute_blob_create. */
struct scute_blob_writer;

/* Open (and make, mode 0700) the store's directories below the engine
 * root's fd. */
int scute_blobs_open(int rootfd, struct scute_blobs *bs, struct scute_err *err);
void scute_blobs_close(struct scute_blobs *bs);

/* Start a blob: a new temporary file, hashed as it is written. The writer
 * ends with exactly one scute_blob_commit or scute_blob_abort, and the
 * store must outlive it. NULL with err on failure. */
struct scute_blob_writer *scute_blob_create(struct scute_blobs *bs, struct scute_err *err);
int scute_blob_write(struct scute_blob_writer *w, const void *buf, size_t len,
		     struct scute_err *err);
/* Finish the blob and free the writer, whatever happens. With `expected`,
 * the content must have that digest; with expected_size >= 0, that many
 * bytes. A mismatch is an EBADMSG error naming expected and actual, and
 * leaves nothing behind. On success the blob is synced and in place, and
 * its digest goes to `out` (may be NULL). */
int scute_blob_commit(struct scute_blob_writer *w, const struct scute_digest *expected,
		      int64_t expected_size, struct scute_digest *out, struct scute_err *err);
/* A whole blob from memory: create, write, commit (expected may be NULL). */
int scute_blob_put(struct scute_blobs *bs, const void *data, size_t len,
		   const struct scute_digest *expected, struct scute_digest *out,
		   struct scute_err *err);
/* Drop the blob being written: its temporary file is removed. */
void scute_blob_abort(struct scute_blob_writer *w);
/* A whole blob from memory (a config, a manifest): create, write and
 * commit, on the terms of scute_blob_commit (expected may be NULL). */
int scute_blob_put(struct scute_blobs *bs, const void *data, size_t len,
		   const struct scute_digest *expected, struct scute_digest *out,
		   struct scute_err *err);

/* The blob, open for reading (a regular file, not followed through a
 * symlink); ENOENT when the store does not have it. */
int scute_blob_open(const struct scute_blobs *bs, const struct scute_digest *d,
		    struct scute_err *err);
/* Its metadata, on the same terms. */
int scute_blob_stat(const struct scute_blobs *bs, const struct scute_digest *d, struct stat *st,
		    struct scute_err *err);
/* Remove the blob. A blob that is not there is no error: removal follows
 * the commit that retired its row, and a crash in between leaves a retry
 * with nothing to do. */
int scute_blob_remove(const struct scute_blobs *bs, const struct scute_digest *d,
		      struct scute_err *err);

#endif
