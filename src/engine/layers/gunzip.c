#include "gunzip.h"

#include <errno.h>
#include <isa-l/igzip_lib.h>
#include <stdint.h>
#include <stdlib.h>

#define GZIP_MAGIC0 0x1f
#define GZIP_MAGIC1 0x8b

/* A member's header is read with isal_read_gzip_header into `hdr`, which
 * lasts between fills: isal_inflate reads it into a header of its own
 * made anew at each call, so a header cut between two fills lost the
 * flags read before the cut (the name's bytes taken for deflate data) and
 * the header's CRC so far (FHCRC refused). */
struct scute_gunzip {
	struct inflate_state s;
	struct isal_gzip_header hdr;
	bool in_body; /* the member's header has been read */
	scute_gunzip_fill_fn fill;
	void *arg;
	bool end;
};

bool scute_gunzip_is_gzip(const void *buf, size_t len)
{
	const uint8_t *b = buf;

	return len >= 2 && b[0] == GZIP_MAGIC0 && b[1] == GZIP_MAGIC1;
}

static void start_member(struct scute_gunzip *g)
{
	isal_inflate_reset(&g->s);
	g->s.crc_flag = ISAL_GZIP;
	isal_gzip_header_init(&g->hdr);
	g->in_body = false;
}

struct scute_gunzip *scute_gunzip_new(const void *first, size_t len, scute_gunzip_fill_fn fill,
				      void *arg)
{
	struct scute_gunzip *g = calloc(1, sizeof(*g));

	if (!g)
		return NULL;
	isal_inflate_init(&g->s);
	g->s.crc_flag = ISAL_GZIP;
	isal_gzip_header_init(&g->hdr);
	g->s.next_in = (uint8_t *)first;
	g->s.avail_in = (uint32_t)len;
	g->fill = fill;
	g->arg = arg;
	return g;
}

void scute_gunzip_free(struct scute_gunzip *g)
{
	free(g);
}

static const char *inflate_error(int r)
{
	switch (r) {
	case ISAL_INVALID_BLOCK: return "an invalid deflate block";
	case ISAL_INVALID_SYMBOL: return "an invalid deflate symbol";
	case ISAL_INVALID_LOOKBACK: return "a distance too far back";
	case ISAL_INVALID_WRAPPER: return "an invalid gzip header";
	case ISAL_UNSUPPORTED_METHOD: return "a compression method other than deflate";
	case ISAL_INCORRECT_CHECKSUM: return "a CRC-32 or length that does not match the data";
	case ISAL_NEED_DICT: return "a preset dictionary";
	default: return "data it cannot decompress";
	}
}

/* The member's header, from what input there is: 0 when it is read or
 * more input is needed, -1 with err. */
static int read_header(struct scute_gunzip *g, struct scute_err *err)
{
	int r = isal_read_gzip_header(&g->s, &g->hdr);

	if (r == ISAL_DECOMP_OK)
		g->in_body = true;
	else if (r == ISAL_INCORRECT_CHECKSUM)
		return scute_err_set(
			err, EBADMSG,
			"decompress: a gzip header CRC (FHCRC) that does not match the header");
	else if (r != ISAL_END_INPUT)
		return scute_err_set(err, EBADMSG, "decompress: gzip data with %s",
				     inflate_error(r));
	return 0;
}

/* More input: 1, 0 at the end of the stream, -1 with err. */
static int refill(struct scute_gunzip *g, struct scute_err *err)
{
	const void *buf;
	ssize_t n = g->fill(g->arg, &buf, err);

	if (n <= 0)
		return (int)n;
	g->s.next_in = (uint8_t *)buf;
	g->s.avail_in = (uint32_t)n;
	return 1;
}

/* After a member's trailer: another member, or the end (what follows is
 * not a gzip header). Returns 1 for a member, 0 for the end, -1. */
static int next_member(struct scute_gunzip *g, struct scute_err *err)
{
	if (g->s.avail_in == 0) {
		int r = refill(g, err);

		if (r <= 0)
			return r;
	}
	if (g->s.next_in[0] != GZIP_MAGIC0)
		return 0;
	{
		uint8_t *in = g->s.next_in;
		uint32_t avail = g->s.avail_in;

		start_member(g);
		g->s.next_in = in;
		g->s.avail_in = avail;
	}
	return 1;
}

ssize_t scute_gunzip_read(struct scute_gunzip *g, void *out, size_t cap, struct scute_err *err)
{
	g->s.next_out = out;
	g->s.avail_out = (uint32_t)cap;
	while (!g->end && g->s.avail_out > 0) {
		int r;

		if (g->s.block_state == ISAL_BLOCK_FINISH) {
			r = next_member(g, err);
			if (r < 0)
				return -1;
			g->end = r == 0;
			continue;
		}
		if (g->s.avail_in == 0) {
			r = refill(g, err);
			if (r < 0)
				return -1;
			if (r == 0)
				return scute_err_set(err, EBADMSG,
						     "decompress: the gzip stream ends early");
		}
		if (!g->in_body) {
			if (read_header(g, err) < 0)
				return -1;
			continue;
		}
		r = isal_inflate(&g->s);
		if (r != ISAL_DECOMP_OK)
			return scute_err_set(err, EBADMSG, "decompress: gzip data with %s",
					     inflate_error(r));
	}
	return (ssize_t)(cap - g->s.avail_out);
}
