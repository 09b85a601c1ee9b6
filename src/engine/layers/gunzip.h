/* gzip decompression for layers, on ISA-L's inflate (igzip), which
 * decompresses about three times as fast as zlib: a layer's inflate is
 * the longest part of its one streaming pass (layers/unpack.c), so it
 * sets the time of a load or pull. Streams of several gzip members are
 * read as one (as gzip and libarchive read them); what follows the last
 * member that is not a gzip header (padding) ends the stream. Every
 * member's CRC-32 and length are verified, and its header's CRC-16 when
 * it has one (FHCRC), wherever the fills cut the header. */
#ifndef SCUTE_ENGINE_GUNZIP_H
#define SCUTE_ENGINE_GUNZIP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "scute.h"

/* Gives the next compressed bytes: their address in *buf and their
 * count (0 at the end of the stream), or -1 with err. */
typedef ssize_t (*scute_gunzip_fill_fn)(void *arg, const void **buf, struct scute_err *err);

struct scute_gunzip;

/* Whether the stream's first bytes start a gzip member. */
bool scute_gunzip_is_gzip(const void *buf, size_t len);

/* A decompressor starting with the `len` bytes at `first` (already
 * given by fill), then asking fill for more. NULL with errno. */
struct scute_gunzip *scute_gunzip_new(const void *first, size_t len, scute_gunzip_fill_fn fill,
				      void *arg);
void scute_gunzip_free(struct scute_gunzip *g);

/* Up to cap decompressed bytes into out: how many (0 at the stream's
 * end), or -1 with err (EBADMSG for bad or truncated data, naming what). */
ssize_t scute_gunzip_read(struct scute_gunzip *g, void *out, size_t cap, struct scute_err *err);

#endif
