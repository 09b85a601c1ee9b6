/* Unit tests of the gzip decompressor (src/engine/layers/gunzip.c), fed
 * streams zlib made: one member, several, padding after the last, the
 * header's optional fields (split across fills at every point), input
 * given a byte at a time; and the streams it must refuse: a wrong CRC-32
 * or length, a wrong header CRC, a cut stream, a broken header, a method
 * other than deflate. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "gunzip.h"

#define BIG (3 << 20)

/* Each fill is a copy in a buffer of its own, freed by the next fill:
 * unpack.c reads every chunk into the same buffer, so a pointer kept into
 * the bytes of a fill before is a use after free here (ASan). */
struct feed {
	const uint8_t *data;
	size_t len, pos, chunk;
	uint8_t *copy;
};

static ssize_t feed_fill(void *arg, const void **buf, struct scute_err *err)
{
	struct feed *f = arg;
	size_t n = f->len - f->pos < f->chunk ? f->len - f->pos : f->chunk;

	(void)err;
	free(f->copy);
	f->copy = malloc(n ? n : 1);
	assert_non_null(f->copy);
	memcpy(f->copy, f->data + f->pos, n);
	*buf = f->copy;
	f->pos += n;
	return (ssize_t)n;
}

/* gzip of len bytes at data, as one member (zlib's, level 6); *out_len
 * its length. */
static uint8_t *gzip_member(const void *data, size_t len, size_t *out_len)
{
	z_stream z = { 0 };
	size_t cap = len + len / 100 + 1024;
	uint8_t *out = malloc(cap);

	assert_non_null(out);
	assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (Bytef *)data;
	z.avail_in = (uInt)len;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	*out_len = z.total_out;
	deflateEnd(&z);
	return out;
}

/* Everything the stream decompresses to, given `chunk` bytes at a time;
 * NULL (with err) when it is refused. */
static uint8_t *gunzip_all(const uint8_t *gz, size_t len, size_t chunk, size_t *out_len,
			   struct scute_err *err)
{
	struct feed f = { gz, len, 0, chunk, NULL };
	const void *first;
	ssize_t n0 = feed_fill(&f, &first, err);
	struct scute_gunzip *g = scute_gunzip_new(first, (size_t)n0, feed_fill, &f);
	size_t cap = BIG * 4, got = 0;
	uint8_t *out = malloc(cap);
	ssize_t n;

	assert_non_null(g);
	while ((n = scute_gunzip_read(g, out + got, cap - got > 65536 ? 65536 : cap - got, err)) >
	       0)
		got += (size_t)n;
	scute_gunzip_free(g);
	free(f.copy);
	if (n < 0) {
		free(out);
		return NULL;
	}
	*out_len = got;
	return out;
}

static uint8_t *sample(size_t len)
{
	uint8_t *d = malloc(len);

	assert_non_null(d);
	for (size_t i = 0; i < len; i++)
		d[i] = (uint8_t)((i * 2654435761u) >> 13 ^ (i / 7));
	return d;
}

static void check_roundtrip(const uint8_t *gz, size_t len, const uint8_t *want, size_t want_len,
			    size_t chunk)
{
	struct scute_err err = { 0 };
	size_t got_len;
	uint8_t *got = gunzip_all(gz, len, chunk, &got_len, &err);

	if (!got)
		fail_msg("refused: %s", err.msg);
	assert_int_equal(got_len, want_len);
	assert_memory_equal(got, want, want_len);
	free(got);
}

static void check_refused(const uint8_t *gz, size_t len, const char *what)
{
	struct scute_err err = { 0 };
	size_t got_len;
	uint8_t *got = gunzip_all(gz, len, 4096, &got_len, &err);

	if (got)
		fail_msg("accepted, %zu bytes", got_len);
	assert_int_equal(err.code, EBADMSG);
	if (!strstr(err.msg, what))
		fail_msg("\"%s\" does not say \"%s\"", err.msg, what);
}

static void one_member(void **state)
{
	uint8_t *d = sample(BIG);
	size_t len;
	uint8_t *gz = gzip_member(d, BIG, &len);

	(void)state;
	assert_true(scute_gunzip_is_gzip(gz, len));
	check_roundtrip(gz, len, d, BIG, 256 << 10);
	check_roundtrip(gz, len, d, BIG, 1); /* every state split across fills */
	free(gz);
	free(d);
}

static void empty_member(void **state)
{
	size_t len;
	uint8_t *gz = gzip_member("", 0, &len);

	(void)state;
	check_roundtrip(gz, len, (const uint8_t *)"", 0, 4096);
	free(gz);
}

static void members_and_padding(void **state)
{
	uint8_t *d = sample(BIG);
	size_t l1, l2;
	uint8_t *a = gzip_member(d, BIG / 3, &l1);
	uint8_t *b = gzip_member(d + BIG / 3, BIG - BIG / 3, &l2);
	uint8_t *cat = calloc(1, l1 + l2 + 1024);

	(void)state;
	memcpy(cat, a, l1);
	memcpy(cat + l1, b, l2);
	check_roundtrip(cat, l1 + l2, d, BIG, 100000);
	check_roundtrip(cat, l1 + l2, d, BIG, 7);
	/* zeros after the last member (tar writers pad): the end */
	check_roundtrip(cat, l1 + l2 + 1024, d, BIG, 4096);
	free(cat);
	free(a);
	free(b);
	free(d);
}

/* A header with FEXTRA, FNAME and FCOMMENT before zlib's raw deflate. */
static void header_fields(void **state)
{
	static const uint8_t head[] = { 0x1f, 0x8b, 8,	 4 | 8 | 16, 0,	  0,   0,   0,
					0,    3,    4,	 0,	     'a', 'b', 'c', 'd',
					'n',  'a',  'm', 'e',	     0,	  'h', 'i', 0 };
	uint8_t *d = sample(100000);
	size_t len;
	uint8_t *gz = gzip_member(d, 100000, &len);
	uint8_t *full = malloc(len + sizeof(head));

	(void)state;
	assert_non_null(full);
	/* zlib's member: a 10-byte header, deflate, an 8-byte trailer */
	memcpy(full, head, sizeof(head));
	memcpy(full + sizeof(head), gz + 10, len - 10);
	check_roundtrip(full, len - 10 + sizeof(head), d, 100000, 3);
	free(full);
	free(gz);
	free(d);
}

#define FHCRC 2
#define FEXTRA 4
#define FNAME 8
#define FCOMMENT 16

/* zlib's member of d with a header of its own: the optional fields that
 * flags name (an extra field of xlen bytes), the header's CRC-16 wrong by
 * one when bad_hcrc. */
static uint8_t *member_with_header(int flags, size_t xlen, bool bad_hcrc, const uint8_t *d,
				   size_t dlen, size_t *out_len)
{
	size_t zlen, n = 0;
	uint8_t *z = gzip_member(d, dlen, &zlen);
	uint8_t *m = malloc(zlen + xlen + 64);

	assert_non_null(m);
	memcpy(m, (const uint8_t[]){ 0x1f, 0x8b, 8, (uint8_t)flags, 0, 0, 0, 0, 0, 3 }, 10);
	n = 10;
	if (flags & FEXTRA) {
		m[n++] = (uint8_t)(xlen & 0xff);
		m[n++] = (uint8_t)(xlen >> 8);
		for (size_t i = 0; i < xlen; i++)
			m[n++] = (uint8_t)(i * 7 + 1);
	}
	if (flags & FNAME) {
		memcpy(m + n, "layer.tar", 10);
		n += 10;
	}
	if (flags & FCOMMENT) {
		memcpy(m + n, "a comment", 10);
		n += 10;
	}
	if (flags & FHCRC) {
		uLong crc = crc32(0, m, (uInt)n) + bad_hcrc;

		m[n++] = (uint8_t)(crc & 0xff);
		m[n++] = (uint8_t)((crc >> 8) & 0xff);
	}
	memcpy(m + n, z + 10, zlen - 10);
	*out_len = n + zlen - 10;
	free(z);
	return m;
}

/* Every combination of the optional fields, the header cut between fills
 * at every point: what a field's flag said, and the header's CRC so far,
 * must carry over to the next fill (ISA-L's isal_inflate forgets them). */
static void header_split_everywhere(void **state)
{
	uint8_t *d = sample(20000);

	(void)state;
	for (int flags = 0; flags < 32; flags += 2) {
		for (size_t chunk = 1; chunk <= 48; chunk++) {
			size_t len;
			uint8_t *gz = member_with_header(flags, 5, false, d, 20000, &len);

			check_roundtrip(gz, len, d, 20000, chunk);
			free(gz);
		}
	}
	free(d);
}

/* Header fields longer than a fill: an extra field of 65535 bytes (its
 * most) read 4 KiB or 64 KiB (a pipe's) at a time, FHCRC over all of it. */
static void header_longer_than_a_fill(void **state)
{
	uint8_t *d = sample(BIG);
	size_t len;
	uint8_t *gz =
		member_with_header(FEXTRA | FNAME | FCOMMENT | FHCRC, 65535, false, d, BIG, &len);

	(void)state;
	check_roundtrip(gz, len, d, BIG, 4096);
	check_roundtrip(gz, len, d, BIG, 65536);
	check_roundtrip(gz, len, d, BIG, 13);
	free(gz);
	gz = member_with_header(FEXTRA | FHCRC, 65535, true, d, BIG, &len);
	check_refused(gz, len, "header CRC");
	free(gz);
	free(d);
}

/* A wrong header CRC is refused however the header is cut, and named. */
static void bad_header_crc(void **state)
{
	uint8_t *d = sample(1000);
	size_t len;
	uint8_t *gz = member_with_header(FHCRC | FNAME, 0, true, d, 1000, &len);

	(void)state;
	for (size_t chunk = 1; chunk <= 24; chunk++) {
		struct scute_err err = { 0 };
		size_t got_len;
		uint8_t *got = gunzip_all(gz, len, chunk, &got_len, &err);

		if (got)
			fail_msg("chunk %zu: accepted, %zu bytes", chunk, got_len);
		assert_int_equal(err.code, EBADMSG);
		if (!strstr(err.msg, "header CRC"))
			fail_msg("chunk %zu: \"%s\"", chunk, err.msg);
	}
	free(gz);
	free(d);
}

static void bad_streams(void **state)
{
	uint8_t *d = sample(BIG);
	size_t len;
	uint8_t *gz = gzip_member(d, BIG, &len);

	(void)state;
	gz[len - 6] ^= 1; /* the CRC-32 */
	check_refused(gz, len, "CRC-32");
	gz[len - 6] ^= 1;
	gz[len - 2] ^= 1; /* the length */
	check_refused(gz, len, "CRC-32 or length");
	gz[len - 2] ^= 1;
	check_refused(gz, len - 3, "ends early");
	check_refused(gz, len / 2, "ends early");
	check_refused(gz, 5, "ends early");
	gz[2] = 9; /* not deflate */
	check_refused(gz, len, "gzip");
	gz[2] = 8;
	gz[len / 2] ^= 0xff;
	gz[len / 2 + 1] ^= 0xff;
	gz[len / 2 + 2] ^= 0xff;
	check_refused(gz, len, "decompress: gzip data with");
	free(gz);
	free(d);
	assert_false(scute_gunzip_is_gzip("\x1f", 1));
	assert_false(scute_gunzip_is_gzip("ustar", 5));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(one_member),
		cmocka_unit_test(empty_member),
		cmocka_unit_test(members_and_padding),
		cmocka_unit_test(header_fields),
		cmocka_unit_test(header_split_everywhere),
		cmocka_unit_test(header_longer_than_a_fill),
		cmocka_unit_test(bad_header_crc),
		cmocka_unit_test(bad_streams),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
