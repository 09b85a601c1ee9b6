#include "unpack.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <nettle/sha2.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "apply.h"
#include "base/cleanup.h"
#include "tar_entry.h"

#define PIPE_BUF_SIZE (256 * 1024)

/* The two readers and what passes between them. libarchive pulls: the
 * tar reader calls read_decompressed, which pulls from the decompressing
 * reader, which calls read_source, which pulls from the caller's source.
 * Each callback hashes and counts what passes through it, so the stream
 * is seen once. A callback's own error is kept here (libarchive only
 * keeps a message) and wins over what libarchive says about it. */
struct pipe {
	const struct scute_layer_source *src;
	const struct scute_unpack_opts *o;
	struct archive *decomp; /* raw format, gzip/zstd filters */
	struct archive *tar;	/* tar format, no filters */
	struct sha256_ctx diff;
	int64_t blob_size, tar_size, max_size;
	bool failed;
	struct scute_err cb_err;
	char inbuf[PIPE_BUF_SIZE];
	char tarbuf[PIPE_BUF_SIZE];
};

static la_ssize_t read_source(struct archive *a, void *arg, const void **buf)
{
	struct pipe *p = arg;
	ssize_t n = p->src->read(p->src->arg, p->inbuf, sizeof(p->inbuf), &p->cb_err);

	if (n > 0 && p->o->blob &&
	    scute_blob_write(p->o->blob, p->inbuf, (size_t)n, &p->cb_err) < 0)
		n = -1;
	if (n < 0) {
		p->failed = true;
		archive_set_error(a, EIO, "%s", p->cb_err.msg);
		return -1;
	}
	p->blob_size += n;
	*buf = p->inbuf;
	return n;
}

static la_ssize_t read_decompressed(struct archive *a, void *arg, const void **buf)
{
	struct pipe *p = arg;
	la_ssize_t n = archive_read_data(p->decomp, p->tarbuf, sizeof(p->tarbuf));

	if (n < 0) {
		if (!p->failed)
			scute_err_set(&p->cb_err, EBADMSG, "decompress: %s",
				      archive_error_string(p->decomp));
		p->failed = true;
		archive_set_error(a, EBADMSG, "%s", p->cb_err.msg);
		return -1;
	}
	sha256_update(&p->diff, (size_t)n, (const uint8_t *)p->tarbuf);
	p->tar_size += n;
	if (p->tar_size > p->max_size) {
		p->failed = true;
		scute_err_set(&p->cb_err, EFBIG,
			      "more than %lld bytes uncompressed (the limit, max-layer-size)",
			      (long long)p->max_size);
		archive_set_error(a, EFBIG, "%s", p->cb_err.msg);
		return -1;
	}
	*buf = p->tarbuf;
	return n;
}

/* The error of a failed libarchive call on `a`: a callback's own, or
 * libarchive's message about the data. */
static int pipe_error(struct pipe *p, struct archive *a, const char *doing, struct scute_err *err)
{
	if (p->failed) {
		*err = p->cb_err;
		return -1;
	}
	return scute_err_set(err, EBADMSG, "%s: %s", doing,
			     archive_error_string(a) ? archive_error_string(a) : "unreadable");
}

static int open_decompressor(struct pipe *p, struct scute_unpack_result *res, struct scute_err *err)
{
	struct archive_entry *raw;

	p->decomp = archive_read_new();
	if (!p->decomp)
		return scute_err_set(err, ENOMEM, "decompress: out of memory");
	archive_read_support_format_raw(p->decomp);
	if (p->o->compression == SCUTE_COMPRESSION_GZIP)
		archive_read_append_filter(p->decomp, ARCHIVE_FILTER_GZIP);
	else if (p->o->compression == SCUTE_COMPRESSION_ZSTD)
		archive_read_append_filter(p->decomp, ARCHIVE_FILTER_ZSTD);
	else if (p->o->compression == SCUTE_COMPRESSION_DETECT) {
		archive_read_support_filter_gzip(p->decomp);
		archive_read_support_filter_zstd(p->decomp);
	}
	if (archive_read_open(p->decomp, p, NULL, read_source, NULL) != ARCHIVE_OK ||
	    archive_read_next_header(p->decomp, &raw) != ARCHIVE_OK)
		return pipe_error(p, p->decomp, "decompress", err);
	switch (archive_filter_code(p->decomp, 0)) {
	case ARCHIVE_FILTER_GZIP: res->compression = SCUTE_COMPRESSION_GZIP; break;
	case ARCHIVE_FILTER_ZSTD: res->compression = SCUTE_COMPRESSION_ZSTD; break;
	default: res->compression = SCUTE_COMPRESSION_NONE;
	}
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
			pipe_error(p, p->tar, "tar", err);
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

/* What follows the tar's end (its zero blocks, a compressor's trailer)
 * is part of what the digests cover: read it through the same callbacks. */
static int drain(struct pipe *p, struct scute_err *err)
{
	const void *buf;
	la_ssize_t n;

	while ((n = read_decompressed(p->tar, p, &buf)) > 0)
		;
	if (n < 0)
		return pipe_error(p, p->tar, "decompress", err);
	while ((n = read_source(p->decomp, p, &buf)) > 0)
		;
	return n < 0 ? pipe_error(p, p->decomp, "read", err) : 0;
}

static int run_pipe(struct pipe *p, int dirfd, struct scute_unpack_result *res,
		    struct scute_err *err)
{
	uint8_t raw[SCUTE_SHA256_SIZE];

	if (open_decompressor(p, res, err) < 0)
		return -1;
	p->tar = archive_read_new();
	if (!p->tar)
		return scute_err_set(err, ENOMEM, "tar: out of memory");
	archive_read_support_format_tar(p->tar);
	if (archive_read_open(p->tar, p, NULL, read_decompressed, NULL) != ARCHIVE_OK)
		return pipe_error(p, p->tar, "tar", err);
	if (unpack_members(p, dirfd, &res->size, err) < 0 || drain(p, err) < 0)
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
