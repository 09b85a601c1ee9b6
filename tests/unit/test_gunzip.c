/* Unit tests of the gzip decompressor (src/engine/layers/gunzip.c), fed
 * streams zlib made: one member, several, padding after the last, the
 * header's optional fields, input given a byte at a time; and the
 * streams it must refuse: a wrong CRC-32 or length, a cut stream, a
 * broken header, a method other than deflate. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "gunzip.h"

#define BIG (3 << 20)

struct feed {
	const uint8_t *data;
	size_t len, pos, chunk;
};

static ssize_t feed_fill(void *arg, const void **buf, struct scute_err *err)
{
	struct feed *f = arg;
	size_t n = f->len - f->pos < f->chunk ? f->len - f->pos : f->chunk;

	(void)err;
	*buf = f->data + f->pos;
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
	struct feed f = { gz, len, 0, chunk };
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
		cmocka_unit_test(one_member),	       cmocka_unit_test(empty_member),
		cmocka_unit_test(members_and_padding), cmocka_unit_test(header_fields),
		cmocka_unit_test(bad_streams),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
