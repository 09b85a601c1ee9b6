/* libFuzzer target: the gzip decompressor (src/engine/layers/gunzip.c),
 * which reads layers' untrusted bytes. The input is given in chunks whose
 * sizes its first byte picks, each a copy freed by the next fill (as
 * unpack.c reads every chunk into one buffer, so a pointer kept into an
 * earlier fill is a use after free); decompression must end (a result,
 * the end or an EBADMSG error) within a bounded output, never crash or
 * hang. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gunzip.h"

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
	if (!f->copy)
		abort();
	memcpy(f->copy, f->data + f->pos, n);
	*buf = f->copy;
	f->pos += n;
	return (ssize_t)n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[65536];
	struct scute_err err = { 0 };
	struct feed f;
	struct scute_gunzip *g;
	const void *first;
	size_t total = 0;
	ssize_t n;

	if (size < 1)
		return 0;
	f = (struct feed){ data + 1, size - 1, 0, (size_t)(data[0] % 64) + 1, NULL };
	n = feed_fill(&f, &first, &err);
	g = scute_gunzip_new(first, (size_t)n, feed_fill, &f);
	if (!g) {
		free(f.copy);
		return 0;
	}
	while ((n = scute_gunzip_read(g, out, sizeof(out), &err)) > 0 && total < (64 << 20))
		total += (size_t)n;
	if (n < 0 && err.code != EBADMSG)
		abort();
	scute_gunzip_free(g);
	free(f.copy);
	return 0;
}
