/* libFuzzer target: --format (src/cli/format/), the template parsed and
 * run on a fixed row, as a table and as lines. A refusal must be EINVAL
 * or ENOMEM, with a message; the output must stay within its limit
 * whatever the template asks (printf widths, range, nesting). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"

static const struct scute_format_header headers[] = {
	{ "ID", "IMAGE ID" }, { "Repository", "REPOSITORY" }, { "Tag", "TAG" }, { NULL, NULL }
};

static const char row_text[] =
	"{\"ID\":\"sha256:abc\",\"Repository\":\"busybox\",\"Tag\":\"latest\",\"Size\":4096,"
	"\"Real\":1.5e7,\"Null\":null,\"True\":true,\"Labels\":{\"a\":\"<b>\",\"z\":[1,2]},"
	"\"RepoTags\":[\"busybox:latest\",\"busybox:1\"],\"Empty\":\"\"}";

static void run(const char *text, json_t *row)
{
	struct scute_format_defaults d = { "table {{.Repository}}\t{{.Tag}}\t{{.ID}}", headers,
					   true };
	struct scute_err err = { 0 };
	struct scute_format *f = scute_format_parse(text, &d, &err);
	FILE *out;

	if (!f) {
		if ((err.code != EINVAL && err.code != ENOMEM) || !err.msg[0])
			abort();
		return;
	}
	for (int i = 0; i < 2; i++)
		if (scute_format_row(f, row, &err) < 0 &&
		    ((err.code != EINVAL && err.code != ENOMEM) || !err.msg[0]))
			abort();
	out = fopen("/dev/null", "we");
	if (out) {
		scute_format_flush(f, out, &err);
		fclose(out);
	}
	scute_format_free(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static json_t *row;
	char *s = strndup((const char *)data, size), *table = NULL;

	if (!row)
		row = json_loads(row_text, 0, NULL);
	if (!s || !row)
		return free(s), 0;
	run(s, row);
	if (asprintf(&table, "table %s", s) >= 0) {
		run(table, row);
		free(table);
	}
	free(s);
	return 0;
}
