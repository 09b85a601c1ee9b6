/* Unpacking a layer in one streaming pass: the bytes as they came (gzip,
 * zstd or plain tar) are hashed and written to a blob, decompressed,
 * hashed again (the layer's diff_id) and counted against a size limit,
 * and parsed as tar, each member made on disk as it arrives
 * (layers/apply.h). Nothing is read twice; the caller checks the digests
 * it knows once the stream ends, and throws everything away on a
 * mismatch. */
#ifndef SCUTE_ENGINE_UNPACK_H
#define SCUTE_ENGINE_UNPACK_H

#include <stdint.h>
#include <sys/types.h>

#include "blobs.h"
#include "digest.h"
#include "scute.h"

/* The default limit on a layer's uncompressed size (a decompression bomb
 * stops there): 64 GiB, the engine config's "max-layer-size" changes it. */
#define SCUTE_LAYER_MAX_SIZE_DEFAULT (64LL << 30)

enum scute_compression {
	SCUTE_COMPRESSION_DETECT, /* from the stream's first bytes */
	SCUTE_COMPRESSION_NONE,
	SCUTE_COMPRESSION_GZIP,
	SCUTE_COMPRESSION_ZSTD,
};

/* Where the layer's bytes come from: read up to len bytes into buf,
 * returning how many (0 at the end) or -1 with err. */
struct scute_layer_source {
	ssize_t (*read)(void *arg, void *buf, size_t len, struct scute_err *err);
	void *arg;
};

/* A source's read for a file descriptor: arg points to the int fd. */
ssize_t scute_layer_read_fd(void *arg, void *buf, size_t len, struct scute_err *err);

struct scute_unpack_opts {
	enum scute_compression compression;
	int64_t max_size; /* uncompressed bytes; 0: the default */
	/* The stream as it came is written here (NULL: not kept). The caller
	 * commits or aborts it. */
	struct scute_blob_writer *blob;
	const char *what; /* the layer's name in errors and warnings */
};

struct scute_unpack_result {
	struct scute_digest diff_id; /* sha256 of the uncompressed tar */
	int64_t tar_size;	     /* its length */
	int64_t blob_size;	     /* the length of the stream as it came */
	int64_t size;		     /* bytes of file data unpacked */
	enum scute_compression compression;
};

/* Unpack the layer from src into the empty directory `dirfd`. On failure
 * the directory holds part of the layer and the caller removes it. Errors
 * start with o->what. */
int scute_layer_unpack(int dirfd, const struct scute_layer_source *src,
		       const struct scute_unpack_opts *o, struct scute_unpack_result *res,
		       struct scute_err *err);

/* The media type's compression ("application/vnd.oci.image.layer.v1.tar+gzip"
 * is GZIP ...); -1 with an EINVAL error naming it if it is not a layer type
 * scute unpacks (foreign layers, encrypted ones). */
int scute_compression_of_media_type(const char *media_type, enum scute_compression *c,
				    struct scute_err *err);

/* The OCI media type of a layer blob in that compression (NONE and
 * DETECT: the plain tar's). */
const char *scute_media_type_of_compression(enum scute_compression c);

#endif
