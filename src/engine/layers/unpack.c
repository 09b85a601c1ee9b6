#include "unpack.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <pthread.h>
#include <nettle/sha2.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "apply.h"
#include "base/cleanup.h"
#include "gunzip.h"
#include "handoff.h"
#include "tar_entry.h"

#define PIPE_BUF_SIZE ((size_t)256 * 1024)
/* Decompressed buffers in flight between the two threads (1 MiB). */
#define HANDOFF_BUFS 4

/* The two threads and what passes between them. The decompressing
 * thread pulls the stream from the caller's source (source_read writes
 * the blob and counts), decompresses it (gzip with ISA-L, layers/gunzip.h;
 * zstd with libarchive's raw format and filter), counts the result against the
 * size limit and hands it on in buffers (layers/handoff.h). The calling
 * thread's tar reader takes them through read_decompressed, which hashes
 * them (the diff_id), and makes the members on disk. So the stream is
 * seen once, and decompression overlaps the file system work.
 *
 * Each side keeps its own error: a callback's error is kept here
 * (libarchive only keeps a message) and wins over what libarchive says
 * about it. The decompressing side's is read by the other only once the
 * handoff is closed (after the last thing that thread writes). */
struct pipe {
	const struct scute_layer_source *src;
	const struct scute_unpack_opts *o;
	struct archive *decomp;	 /* raw format, gzip/zstd filters */
	struct archive *tar;	 /* tar format, no filters */
	struct scute_gunzip *gz; /* gzip's decompressor (decomp is NULL then) */
	struct scute_handoff *h;
	/* the decompressing thread's (the calling thread's before it starts) */
	int64_t blob_size, tar_size, max_size;
	bool pending; /* inbuf holds pending_len bytes read_source gives first */
	ssize_t pending_len;
	bool dec_failed;
	struct scute_err dec_err;
	char inbuf[PIPE_BUF_SIZE];
	/* the calling thread's */
	struct sha256_ctx diff;
	bool failed;
	struct scute_err cb_err;
};

/* The next bytes of the stream as it came, into inbuf at off: written to
 * the blob and counted. The decompressing side's (or, before it starts, the
 * calling thread's). */
static ssize_t source_read_at(struct pipe *p, size_t off)
{
	char *buf = p->inbuf + off;
	ssize_t n;

	/* Once the tar side has failed nothing more is read: the blob is
	 * thrown away, and a registry may be sending the rest slowly (one
	 * decompress call reads until it has a buffer's worth, a drain to the
	 * stream's end). The tar side's error is the one reported. */
	if (p->h && scute_handoff_stopped(p->h)) {
		p->dec_failed = true;
		return scute_err_set(&p->dec_err, ECANCELED, "stopped: the tar side failed");
	}
	n = p->src->read(p->src->arg, buf, sizeof(p->inbuf) - off, &p->dec_err);

	if (n > 0 && p->o->blob && scute_blob_write(p->o->blob, buf, (size_t)n, &p->dec_err) < 0)
		n = -1;
	if (n < 0) {
		p->dec_failed = true;
		return -1;
	}
	p->blob_size += n;
	return n;
}

static ssize_t source_read(struct pipe *p)
{
	return source_read_at(p, 0);
}

/* The stream's first bytes, as many as the longest magic number (xz's)
 * unless the stream is shorter: a pipe's first read may give one byte,
 * which tells gzip from nothing. */
#define SNIFF_LEN 6

static ssize_t source_read_start(struct pipe *p)
{
	ssize_t n = source_read(p), more = 1;

	while (n > 0 && n < SNIFF_LEN && more > 0) {
		more = source_read_at(p, (size_t)n);
		if (more < 0)
			return -1;
		n += more;
	}
	return n;
}

/* libarchive's reader of the stream: first what open_decompressor read
 * to tell the compression, then the rest. */
static la_ssize_t read_source(struct archive *a, void *arg, const void **buf)
{
	struct pipe *p = arg;
	ssize_t n;

	*buf = p->inbuf;
	if (p->pending) {
		p->pending = false;
		return p->pending_len;
	}
	n = source_read(p);
	if (n < 0)
		archive_set_error(a, EIO, "%s", p->dec_err.msg);
	return n;
}

/* The gzip decompressor's. */
static ssize_t fill_gunzip(void *arg, const void **buf, struct scute_err *err)
{
	struct pipe *p = arg;

	(void)err; /* source_read's errors go to p->dec_err, which it is */
	*buf = p->inbuf;
	return source_read(p);
}

/* The decompressing side's error from a failed libarchive call on
 * p->decomp: read_source's own, or libarchive's about the data. */
static void decompress_error(struct pipe *p, const char *doing)
{
	if (p->dec_failed)
		return;
	p->dec_failed = true;
	scute_err_set(&p->dec_err, EBADMSG, "%s: %s", doing,
		      archive_error_string(p->decomp) ? archive_error_string(p->decomp)
						      : "unreadable");
}

/* What follows the compressed stream's end (a trailer, padding) is part
 * of the blob's digest: read it too. */
static void drain_source(struct pipe *p)
{
	while (!p->dec_failed && source_read(p) > 0)
		;
}

/* Decompressed bytes into buf: with ISA-L for gzip, libarchive's raw
 * reader for zstd and plain tar. */
static la_ssize_t decompress(struct pipe *p, char *buf, size_t cap)
{
	la_ssize_t n;

	if (p->gz) {
		n = scute_gunzip_read(p->gz, buf, cap, &p->dec_err);
		if (n < 0)
			p->dec_failed = true;
		return n;
	}
	n = archive_read_data(p->decomp, buf, cap);
	if (n < 0)
		decompress_error(p, "decompress");
	return n;
}

static void *decompress_main(void *arg)
{
	struct pipe *p = arg;
	size_t cap;
	char *buf;

	while ((buf = scute_handoff_fill(p->h, &cap))) {
		la_ssize_t n = decompress(p, buf, cap);

		if (n < 0)
			break;
		if (n == 0) {
			drain_source(p);
			break;
		}
		p->tar_size += n;
		if (p->tar_size > p->max_size) {
			p->dec_failed = true;
			scute_err_set(
				&p->dec_err, EFBIG,
				"more than %lld bytes uncompressed (the limit, max-layer-size)",
				(long long)p->max_size);
			break;
		}
		scute_handoff_publish(p->h, (size_t)n);
	}
	scute_handoff_close(p->h);
	return NULL;
}

static la_ssize_t read_decompressed(struct archive *a, void *arg, const void **buf)
{
	struct pipe *p = arg;
	size_t n;
	const char *data = scute_handoff_take(p->h, &n);

	if (!data && p->dec_failed) {
		p->failed = true;
		p->cb_err = p->dec_err;
		archive_set_error(a, p->cb_err.code, "%s", p->cb_err.msg);
		return -1;
	}
	sha256_update(&p->diff, n, (const uint8_t *)data);
	*buf = data;
	return (la_ssize_t)n;
}

/* The error of a failed libarchive call on the tar reader: a callback's
 * own, or libarchive's message about the data. */
static int pipe_error(struct pipe *p, const char *doing, struct scute_err *err)
{
	if (p->failed) {
		*err = p->cb_err;
		return -1;
	}
	return scute_err_set(err, EBADMSG, "%s: %s", doing,
			     archive_error_string(p->tar) ? archive_error_string(p->tar)
							  : "unreadable");
}

/* xz and bzip2, which docker's layers never are: named, not read as tar. */
static const char *other_compression(const char *buf, size_t len)
{
	if (len >= 6 && !memcmp(buf,
				"\xfd"
				"7zXZ\0",
				6))
		return "xz";
	if (len >= 3 && !memcmp(buf, "BZh", 3))
		return "bzip2";
	return NULL;
}

static int open_gunzip(struct pipe *p, ssize_t n, struct scute_unpack_result *res,
		       struct scute_err *err)
{
	if (!scute_gunzip_is_gzip(p->inbuf, (size_t)n))
		return scute_err_set(err, EBADMSG,
				     "decompress: not a gzip stream (its media type says gzip)");
	p->gz = scute_gunzip_new(p->inbuf, (size_t)n, fill_gunzip, p);
	if (!p->gz)
		return scute_err_sys(err, "decompress");
	res->compression = SCUTE_COMPRESSION_GZIP;
	return 0;
}

/* Opened on the calling thread, before the decompressing one starts: the
 * stream's first bytes tell gzip from the rest. */
static int open_decompressor(struct pipe *p, struct scute_unpack_result *res, struct scute_err *err)
{
	struct archive_entry *raw;
	enum scute_compression c = p->o->compression;
	ssize_t n = source_read_start(p);

	if (n < 0) {
		*err = p->dec_err;
		return -1;
	}
	if (c == SCUTE_COMPRESSION_GZIP ||
	    (c == SCUTE_COMPRESSION_DETECT && scute_gunzip_is_gzip(p->inbuf, (size_t)n)))
		return open_gunzip(p, n, res, err);
	if (c == SCUTE_COMPRESSION_DETECT && other_compression(p->inbuf, (size_t)n))
		return scute_err_set(
			err, EINVAL,
			"decompress: %s compression (layers are plain tar, gzip or zstd)",
			other_compression(p->inbuf, (size_t)n));
	p->pending = true;
	p->pending_len = n;
	p->decomp = archive_read_new();
	if (!p->decomp)
		return scute_err_set(err, ENOMEM, "decompress: out of memory");
	archive_read_support_format_raw(p->decomp);
	if (c == SCUTE_COMPRESSION_ZSTD)
		archive_read_append_filter(p->decomp, ARCHIVE_FILTER_ZSTD);
	else if (c == SCUTE_COMPRESSION_DETECT)
		archive_read_support_filter_zstd(p->decomp);
	if (archive_read_open(p->decomp, p, NULL, read_source, NULL) != ARCHIVE_OK ||
	    archive_read_next_header(p->decomp, &raw) != ARCHIVE_OK) {
		decompress_error(p, "decompress");
		*err = p->dec_err;
		return -1;
	}
	res->compression = archive_filter_code(p->decomp, 0) == ARCHIVE_FILTER_ZSTD
				   ? SCUTE_COMPRESSION_ZSTD
				   : SCUTE_COMPRESSION_NONE;
	return 0;
}

static int unpack_members(struct pipe *p, int dirfd, int64_t *size, struct scute_err *err)
{
	struct scute_layer_apply *la = scute_layer_apply_new(dirfd, p->o->what, err);
	struct scute_tar_entry *e = malloc(sizeof(*e));
	struct archive_entry *ae;
	int r, rc = -1;

	if (!la || !e)
		goto out;
	while ((r = archive_read_next_header(p->tar, &ae)) != ARCHIVE_EOF) {
		const char *name = archive_entry_pathname(ae);

		if (r < ARCHIVE_WARN) {
			pipe_error(p, "tar", err);
			goto out;
		}
		if (!name) {
			scute_err_set(err, EILSEQ, "tar: a member whose name cannot be read");
			goto out;
		}
		if (scute_tar_entry_classify(name, archive_entry_filetype(ae),
					     archive_entry_hardlink(ae), e, err) < 0 ||
		    scute_layer_apply_entry(la, e, ae, p->tar, err) < 0) {
			if (p->failed)
				*err = p->cb_err;
			goto out;
		}
	}
	rc = scute_layer_apply_finish(la, size, err);
	la = NULL;
out:
	if (!e)
		scute_err_set(err, ENOMEM, "unpack: out of memory");
	scute_layer_apply_free(la);
	free(e);
	return rc;
}

/* The calling thread's part: the tar, then what follows its end (its
 * zero blocks), which the diff_id covers too. */
static int unpack_stream(struct pipe *p, int dirfd, struct scute_unpack_result *res,
			 struct scute_err *err)
{
	const void *buf;
	la_ssize_t n;

	p->tar = archive_read_new();
	if (!p->tar)
		return scute_err_set(err, ENOMEM, "tar: out of memory");
	archive_read_support_format_tar(p->tar);
	if (archive_read_open(p->tar, p, NULL, read_decompressed, NULL) != ARCHIVE_OK)
		return pipe_error(p, "tar", err);
	if (unpack_members(p, dirfd, &res->size, err) < 0)
		return -1;
	while ((n = read_decompressed(p->tar, p, &buf)) > 0)
		;
	return n < 0 ? pipe_error(p, "decompress", err) : 0;
}

static int run_pipe(struct pipe *p, int dirfd, struct scute_unpack_result *res,
		    struct scute_err *err)
{
	uint8_t raw[SCUTE_SHA256_SIZE];
	pthread_t t;
	int rc;

	if (open_decompressor(p, res, err) < 0)
		return -1;
	p->h = scute_handoff_new(HANDOFF_BUFS, PIPE_BUF_SIZE);
	if (!p->h)
		return scute_err_sys(err, "unpack");
	rc = pthread_create(&t, NULL, decompress_main, p);
	if (rc != 0) {
		errno = rc;
		return scute_err_sys(err, "unpack: start the decompressing thread");
	}
	rc = unpack_stream(p, dirfd, res, err);
	if (rc < 0)
		scute_handoff_stop(p->h);
	pthread_join(t, NULL);
	if (rc < 0)
		return -1;
	sha256_digest(&p->diff, sizeof(raw), raw);
	scute_digest_from_sha256(raw, &res->diff_id);
	res->tar_size = p->tar_size;
	res->blob_size = p->blob_size;
	return 0;
}

ssize_t scute_layer_read_fd(void *arg, void *buf, size_t len, struct scute_err *err)
{
	ssize_t n;

	do
		n = read(*(int *)arg, buf, len);
	while (n < 0 && errno == EINTR);
	return n < 0 ? scute_err_sys(err, "read") : n;
}

int scute_layer_unpack(int dirfd, const struct scute_layer_source *src,
		       const struct scute_unpack_opts *o, struct scute_unpack_result *res,
		       struct scute_err *err)
{
	struct pipe *p = calloc(1, sizeof(*p));
	int rc;

	memset(res, 0, sizeof(*res));
	if (!p)
		return scute_err_sys(err, "%s: unpack", o->what);
	p->src = src;
	p->o = o;
	p->max_size = o->max_size > 0 ? o->max_size : SCUTE_LAYER_MAX_SIZE_DEFAULT;
	sha256_init(&p->diff);
	rc = run_pipe(p, dirfd, res, err);
	if (p->tar)
		archive_read_free(p->tar);
	if (p->decomp)
		archive_read_free(p->decomp);
	scute_gunzip_free(p->gz);
	scute_handoff_free(p->h);
	free(p);
	return rc < 0 ? scute_err_prefix(err, "%s", o->what) : 0;
}

static const struct {
	const char *type;
	enum scute_compression c;
} layer_types[] = {
	{ "application/vnd.oci.image.layer.v1.tar", SCUTE_COMPRESSION_NONE },
	{ "application/vnd.oci.image.layer.v1.tar+gzip", SCUTE_COMPRESSION_GZIP },
	{ "application/vnd.oci.image.layer.v1.tar+zstd", SCUTE_COMPRESSION_ZSTD },
	{ "application/vnd.docker.image.rootfs.diff.tar", SCUTE_COMPRESSION_NONE },
	{ "application/vnd.docker.image.rootfs.diff.tar.gzip", SCUTE_COMPRESSION_GZIP },
	{ "application/vnd.docker.image.rootfs.diff.tar.zstd", SCUTE_COMPRESSION_ZSTD },
};

int scute_compression_of_media_type(const char *media_type, enum scute_compression *c,
				    struct scute_err *err)
{
	for (size_t i = 0; i < sizeof(layer_types) / sizeof(layer_types[0]); i++) {
		if (!strcmp(media_type, layer_types[i].type)) {
			*c = layer_types[i].c;
			return 0;
		}
	}
	return scute_err_set(err, EINVAL, "layer media type \"%s\" is not one scute unpacks",
			     media_type);
}

const char *scute_media_type_of_compression(enum scute_compression c)
{
	switch (c) {
	case SCUTE_COMPRESSION_GZIP: return "application/vnd.oci.image.layer.v1.tar+gzip";
	case SCUTE_COMPRESSION_ZSTD: return "application/vnd.oci.image.layer.v1.tar+zstd";
	default: return "application/vnd.oci.image.layer.v1.tar";
	}
}
