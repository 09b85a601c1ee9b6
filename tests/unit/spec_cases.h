/* The harness of the config.json refusal tests (test_spec_errors.c,
 * test_resources_errors.c): documents written with ' for ", each bad one
 * refused with a message that starts "config.json: " and names the field,
 * leaving no spec behind. Include after cmocka.h and spec.h. */
#ifndef SCUTE_TEST_SPEC_CASES_H
#define SCUTE_TEST_SPEC_CASES_H

#include <stdio.h>
#include <string.h>

struct bad_case {
	const char *doc;
	const char *want; /* a part of the message: the field's path, the value */
};

static void unquote(const char *in, char *out, size_t len)
{
	size_t i;

	for (i = 0; in[i] && i + 1 < len; i++)
		out[i] = in[i] == '\'' ? '"' : in[i];
	out[i] = 0;
	assert_int_equal(in[i], 0); /* the buffer is large enough */
}

static struct scute_spec *parse_doc(const char *doc, struct scute_err *err)
{
	char text[8192];
	struct scute_spec *spec = NULL;

	unquote(doc, text, sizeof(text));
	if (scute_spec_parse(text, "config.json", "/bundle", &spec, err) < 0) {
		assert_null(spec); /* nothing half-made reaches the caller */
		return NULL;
	}
	assert_non_null(spec);
	return spec;
}

static struct scute_spec *parse_good(const char *doc)
{
	struct scute_err err = { 0 };
	struct scute_spec *spec = parse_doc(doc, &err);

	if (!spec) {
		fail_msg("unexpected error: %s", err.msg);
		abort(); /* not reached: fail_msg does not return (for the analyzer) */
	}
	return spec;
}

static void run_bad(const struct bad_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct scute_err err = { 0 };
		struct scute_spec *spec = parse_doc(cases[i].doc, &err);

		if (spec) {
			scute_spec_free(spec);
			fail_msg("case %zu accepted: %s", i, cases[i].doc);
		}
		if (strncmp(err.msg, "config.json: ", 13) != 0 || !strstr(err.msg, cases[i].want))
			fail_msg("case %zu: error \"%s\" does not name \"%s\"", i, err.msg,
				 cases[i].want);
	}
}

#define RUN_BAD(cases) run_bad(cases, sizeof(cases) / sizeof(cases[0]))

#endif
