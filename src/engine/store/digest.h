/* Content digests as OCI writes them: "sha256:" and 64 lowercase hex
 * digits. Digests come from manifests, archives and registries, so they
 * are untrusted text until parsed here; the store builds paths only from a
 * struct scute_digest, which holds nothing but a valid digest. */
#ifndef SCUTE_ENGINE_DIGEST_H
#define SCUTE_ENGINE_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#include "scute.h"

#define SCUTE_DIGEST_PREFIX "sha256:"
#define SCUTE_DIGEST_HEX_LEN 64
/* "sha256:" + 64 hex digits */
#define SCUTE_DIGEST_LEN (sizeof(SCUTE_DIGEST_PREFIX) - 1 + SCUTE_DIGEST_HEX_LEN)
#define SCUTE_SHA256_SIZE 32

struct scute_digest {
	char str[SCUTE_DIGEST_LEN + 1]; /* "sha256:<hex>", NUL-terminated */
};

/* Check and copy S; anything but the exact form (another algorithm,
 * uppercase, a wrong length, trailing text) is an EINVAL error naming the
 * value. */
int scute_digest_parse(const char *s, struct scute_digest *out, struct scute_err *err);

/* The digest of a SHA-256 hash value. */
void scute_digest_from_sha256(const uint8_t raw[SCUTE_SHA256_SIZE], struct scute_digest *out);

/* The digest of len bytes at buf. */
void scute_digest_of(const void *buf, size_t len, struct scute_digest *out);

/* The digest of the whole file at fd (read with pread, from offset 0)
 * and its length in *len. */
int scute_digest_of_fd(int fd, struct scute_digest *out, int64_t *len, struct scute_err *err);

/* The 64 hex digits: the file name under blobs/sha256. */
static inline const char *scute_digest_hex(const struct scute_digest *d)
{
	return d->str + sizeof(SCUTE_DIGEST_PREFIX) - 1;
}

/* OCI's ChainID: a base layer's is its diff_id, the next one's is
 * sha256(parent's chain ID + " " + diff_id). */
void scute_chain_id(const struct scute_digest *parent, const struct scute_digest *diff_id,
		    struct scute_digest *out);

#endif
