/* Unit tests of --format (src/cli/format/). Expected outputs are what
 * docker 28.2.2 printed for the same rows and templates (docker context ls
 * and docker version, which run their templates without a daemon), where
 * docker's typed rows allow the same template; the rest follow Go's
 * text/template on a map. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"

/* the end of expect()'s rows, typed as they are */
#define END ((const char *)NULL)

static const struct scute_format_header ctx_headers[] = { { "Name", "NAME" },
							  { "Description", "DESCRIPTION" },
							  { NULL, NULL } };

#define ROW_DEFAULT \
	"{\"Name\":\"default\",\"Current\":true,\"Error\":\"\",\"Description\":\"Current DOCKER_HOST based configuration\"}"
#define ROW_T1 \
	"{\"Name\":\"t1\",\"Current\":false,\"Error\":\"\",\"Description\":\"a <b> & \\\"c\\\"\"}"
#define ROW_LONG \
	"{\"Name\":\"verylongcontextname\",\"Current\":false,\"Error\":\"\",\"Description\":\"h\u00e9llo \u65e5\u672c\"}"

/* Run FORMAT on the ROWS (JSON texts, NULL-ended); expect OUT. */
static void expect(const char *format, bool html, const char *out, ...)
{
	struct scute_format_defaults d = { "table {{.Name}}\t{{.Description}}", ctx_headers, html };
	struct scute_err err = { 0 };
	struct scute_format *f = scute_format_parse(format, &d, &err);
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	va_list ap;
	const char *row;

	if (!f)
		fail_msg("%s: %s", format, err.msg);
	va_start(ap, out);
	while ((row = va_arg(ap, const char *))) {
		json_t *j = json_loads(row, 0, NULL);

		assert_non_null(j);
		if (scute_format_row(f, j, &err) < 0)
			fail_msg("%s: %s", format, err.msg);
		json_decref(j);
	}
	va_end(ap);
	assert_int_equal(scute_format_flush(f, mem, &err), 0);
	fclose(mem);
	if (strcmp(buf, out) != 0)
		fail_msg("%s:\n got [%s]\nwant [%s]", format, buf, out);
	free(buf);
	scute_format_free(f);
}

static void parse_error(const char *format, const char *msg)
{
	struct scute_format_defaults d = { "table {{.Name}}", ctx_headers, false };
	struct scute_err err = { 0 };

	assert_null(scute_format_parse(format, &d, &err));
	assert_int_equal(err.code, EINVAL);
	if (!strstr(err.msg, msg) || strncmp(err.msg, "--format: template: ", 20) != 0)
		fail_msg("%s: \"%s\" does not say \"%s\"", format, err.msg, msg);
}

static void row_error(const char *format, const char *row, const char *msg)
{
	struct scute_format_defaults d = { "table {{.Name}}", ctx_headers, false };
	struct scute_err err = { 0 };
	struct scute_format *f = scute_format_parse(format, &d, &err);
	json_t *j = json_loads(row, 0, NULL);

	if (!f)
		fail_msg("%s: %s", format, err.msg);
	assert_int_equal(scute_format_row(f, j, &err), -1);
	assert_int_equal(err.code, EINVAL);
	if (!strstr(err.msg, msg))
		fail_msg("%s: \"%s\" does not say \"%s\"", format, err.msg, msg);
	json_decref(j);
	scute_format_free(f);
}

static void test_table(void **state)
{
	(void)state;
	expect("table {{.Name}}\t{{.Description}}", false,
	       "NAME                  DESCRIPTION\n"
	       "default               Current DOCKER_HOST based configuration\n"
	       "t1                    a <b> & \"c\"\n"
	       "verylongcontextname   h\u00e9llo \u65e5\u672c\n",
	       ROW_DEFAULT, ROW_T1, ROW_LONG, END);
	/* a field without a header is "<no value>" in the header, as docker's;
	 * wide characters take two columns */
	expect("table {{.Name}}\t{{.Description}}\t{{.Current}}", false,
	       "NAME                  DESCRIPTION                               <no value>\n"
	       "default               Current DOCKER_HOST based configuration   true\n"
	       "t1                    a <b> & \"c\"                               false\n"
	       "verylongcontextname   h\u00e9llo \u65e5\u672c                                false\n",
	       ROW_DEFAULT, ROW_T1, ROW_LONG, END);
	/* "table" alone is the default; header functions leave the header be */
	expect("table", false, "NAME      DESCRIPTION\nt1        a <b> & \"c\"\n", ROW_T1, END);
	expect("", false, "NAME      DESCRIPTION\n", END);
	expect("table {{.Name | upper}}\t{{lower .Description}}\t{{json .Name}}", false,
	       "NAME                  DESCRIPTION                               NAME\n"
	       "DEFAULT               current docker_host based configuration   \"default\"\n"
	       "VERYLONGCONTEXTNAME   h\u00e9llo \u65e5\u672c                                \"verylongcontextname\"\n",
	       ROW_DEFAULT, ROW_LONG, END);
	expect("table {{.Name}}:{{.Current}}", false, "NAME:<no value>\nt1:false\n", ROW_T1, END);
	/* spaces around the template trimmed, \n written as a newline */
	expect("table  {{.Name}}\\n{{.Current}}  ", false, "NAME\n<no value>\nt1\nfalse\n", ROW_T1,
	       END);
}

static void test_json(void **state)
{
	(void)state;
	/* a list row marshals with json.Marshal (HTML escaped), a field with
	 * docker's json function (not escaped) */
	expect("json", true,
	       "{\"Current\":false,\"Description\":\"a \\u003cb\\u003e \\u0026 \\\"c\\\"\","
	       "\"Error\":\"\",\"Name\":\"t1\"}\n",
	       ROW_T1, END);
	expect("{{json .Description}}", true, "\"a <b> & \\\"c\\\"\"\n", ROW_T1, END);
	expect("{{ \"a\\b\\f\\x01\\x7f\\u00e9\\t\" | json }}", false,
	       "\"a\\b\\f\\u0001\x7f\u00e9\\t\"\n", "{}", END);
	expect("{{json \"\u00e9\\xff\"}} {{json \"x\\u2028<\"}}", false,
	       "\"\u00e9\\ufffd\" \"x\\u2028<\"\n", "{}", END);
	expect("{{json .A}} {{json .R}} {{json .S}} {{json .M}}", false,
	       "[1,\"a\",null] 1e+21 1e-7 {\"a\":1.5,\"b\":100000000000000000000}\n",
	       "{\"A\":[1,\"a\",null],\"R\":1e21,\"S\":0.0000001,\"M\":{\"b\":1e20,\"a\":1.5}}",
	       END);
	expect("{{.R}} {{.S}} {{.T}} {{.M}} {{.A}}", false,
	       "1.23456789e+08 1e-05 123456 map[a:1.5 b:<nil>] [x 1 true]\n",
	       "{\"R\":123456789.0,\"S\":0.00001,\"T\":123456.0,\"M\":{\"b\":null,\"a\":1.5},"
	       "\"A\":[\"x\",1,true]}",
	       END);
}

static void test_template(void **state)
{
	(void)state;
	expect("{{if .Current}}*{{else if .Error}}E{{else}}-{{end}} {{- \" \" -}} {{.Name}}", false,
	       "* default\nE t1\n- verylongcontextname\n", ROW_DEFAULT,
	       "{\"Name\":\"t1\",\"Error\":\"x\"}", ROW_LONG, END);
	expect("{{range split .Description \" \"}}[{{.}}]{{end}}", false,
	       "[a][<b>][&][\"c\"]\n[h\u00e9llo][\u65e5\u672c]\n", ROW_T1, ROW_LONG, END);
	expect("{{join (split .Name \"e\") \"+\"}}|{{len .Name}}|{{index (split .Name \"\") 0}}|"
	       "{{title .Description}}",
	       false, "d+fault|7|d|Current DOCKER_HOST Based Configuration\nt1|2|t|A <B> & \"C\"\n",
	       ROW_DEFAULT, ROW_T1, END);
	expect("{{$n := .Name}}{{$n}}{{$.Current}}", false, "t1false\n", ROW_T1, END);
	expect("{{json .Current}} {{.Current | json}} {{.Name | upper | lower}}", false,
	       "true true default\n", ROW_DEFAULT, END);
	expect("{{println .Name .Current 3}}|{{println}}|{{.Name | println}}", false,
	       "t1 false 3\n|\n|t1\n\n", ROW_T1, END);
	expect("{{range 3}}{{.}}{{end}}{{with .Error}}E{{else}}noerr{{end}}{{- /* c */ -}} x",
	       false, "012noerrx\n", ROW_T1, END);
	expect("{{range $k, $v := .M}}{{$k}}={{$v}} {{end}}|{{range .L}}{{.}}{{else}}none{{end}}",
	       false, "a=2 z=1 |none\n", "{\"M\":{\"z\":1,\"a\":2},\"L\":[]}", END);
	expect("{{.Nope}} {{.A.B}} {{.C}} {{with .Nope}}x{{end}}|", false,
	       "<no value> <no value> <nil> |\n", "{\"Name\":\"t1\",\"C\":null}", END);
	/* . rebound by range and with; $ is the row */
	expect("{{range .L}}{{.N}}{{$.Name}} {{end}}{{with .M}}{{.K}}{{end}}", false, "1t1 2t1 v\n",
	       "{\"Name\":\"t1\",\"L\":[{\"N\":1},{\"N\":2}],\"M\":{\"K\":\"v\"}}", END);
	expect("{{index .M \"K\"}} {{index .L 1}} {{index .D \"a\" 0}} {{len .L}} {{len .M}}",
	       false, "v y 7 2 1\n", "{\"M\":{\"K\":\"v\"},\"L\":[\"x\",\"y\"],\"D\":{\"a\":[7]}}",
	       END);
	expect("{{.Name}}\t{{.Current}}", false, "t1\tfalse\n", ROW_T1, END);
}

static void test_errors(void **state)
{
	(void)state;
	parse_error("{{", "unclosed action");
	parse_error("ab {{.Client.Version", "1:");
	parse_error("{{if}}{{end}}", "missing value for if");
	parse_error("{{end}}", "unexpected {{end}}");
	parse_error("{{nope}}", "function \"nope\" not defined");
	parse_error("{{if .A}}x", "unexpected EOF");
	parse_error("{{\"abc}}", "unterminated quoted string");
	parse_error("{{100000000000000000000000}}", "integer overflow");
	parse_error("{{.A | \"x\"}}", "non executable command in pipeline stage 2");
	/* the position and the token */
	parse_error("{{.ID}} {{foo}}", "template: 1:10: function \"foo\" not defined");
	parse_error("a\n{{.B}\n", "template: 2:4: unexpected character after operand");
	parse_error("{{truncate .A 3}}", "function \"truncate\" not defined");
	parse_error("{{eq 1 1}}", "function \"eq\" not defined");
	parse_error("{{(.A}}", "unclosed left paren");
	parse_error("{{.A)}}", "unexpected right paren");
	parse_error("{{else}}", "unexpected {{else}}");
	parse_error("{{range .A}}{{else}}{{else}}{{end}}", "expected end; found {{else}}");
	parse_error("{{\"\\q\"}}", "invalid syntax in quoted string");
	parse_error("{{/* x }}", "unclosed comment");
	parse_error("{{@}}", "unrecognized character in action: U+0040 '@'");
	row_error("{{.A.B}}", "{\"A\":null}", "nil pointer evaluating interface {}.B");
	row_error("{{.A.X}}", "{\"A\":\"s\"}", "can't evaluate field X in type string");
	row_error("{{upper 3}}", "{}", "expected string; got int64");
	row_error("{{join .A \",\"}}", "{\"A\":[1]}", "expected []string");
	row_error("{{index .A 5}}", "{\"A\":[1]}", "index out of range: 5");
	row_error("{{len 3}}", "{}", "len of int64");
	row_error("{{$x}}", "{}", "undefined variable \"$x\"");
	row_error("{{json}}", "{}", "wrong number of args for json: want 1 got 0");
	row_error("{{\"a\" \"b\"}}", "{}", "can't give argument to non-function");
	row_error("{{range .A}}{{end}}", "{\"A\":\"x\"}", "range can't iterate over x");
	row_error("{{range 100000000}}{{end}}", "{}", "steps");
}

static void test_printf(void **state)
{
	(void)state;
	/* as docker 28.2.2 printed them (its literal 7 is an int, ours int64) */
	expect("{{printf \"%-10s|%5d|%05d|%q|%v|%d\" .Name 3 -42 .Name .Current \"x\"}}", false,
	       "default   |    3|-0042|\"default\"|true|%!d(string=x)\n", ROW_DEFAULT, END);
	expect("{{printf \"%s\"}}|{{printf \"%s\" .Name 1 \"a\"}}|{{printf \"%%|%v\" nil}}|"
	       "{{printf \"%q\" \"a\\tb\\\"\\x01\u00e9\"}}|{{printf \"%3s|%-4d|\" \"\u00e9\" 5}}",
	       false,
	       "%!s(MISSING)|t1%!(EXTRA int64=1, string=a)|%|<nil>|\"a\\tb\\\"\\x01\u00e9\"|"
	       "  \u00e9|5   |\n",
	       ROW_T1, END);
	expect("{{printf \"%v %s\" .L .M}}", false, "[a 1] map[k:v]\n",
	       "{\"L\":[\"a\",1],\"M\":{\"k\":\"v\"}}", END);
	row_error("{{printf \"%x\" 255}}", "{}", "verb %x not supported (only %s %v %d %q)");
	row_error("{{printf \"%5000s\" 1}}", "{}", "width above 1000");
	row_error("{{printf \"abc%\"}}", "{}", "% at the end of the format");
	row_error("{{printf 3}}", "{}", "expected string; got int64");
}

static void test_limits(void **state)
{
	struct scute_format_defaults d = { "table {{.Name}}", ctx_headers, false };
	struct scute_err err = { 0 };
	char *deep = malloc(70 * 16 + 1), *text = NULL;
	size_t n = 0;

	(void)state;
	assert_non_null(deep);
	for (int i = 0; i < 70; i++)
		n += (size_t)sprintf(deep + n, "{{with .}}");
	parse_error(deep, "template nested too deeply");
	free(deep);
	text = malloc((64u << 10) + 2);
	assert_non_null(text);
	memset(text, 'a', (64u << 10) + 1);
	text[(64u << 10) + 1] = '\0';
	assert_null(scute_format_parse(text, &d, &err));
	assert_int_equal(err.code, EINVAL);
	assert_non_null(strstr(err.msg, "template longer than 65536 bytes"));
	free(text);
	/* output: each row at most 4 MiB, whatever the template asks */
	row_error("{{range 5000}}{{range 1000}}xxxxxxxxxx{{end}}{{end}}", "{}", "longer than");
	row_error("{{range 100000000}}{{end}}", "{}", "steps");
}

/* An inspect verb's template (no table default): run as it is, "table"
 * and "\t" included, one line per document. */
static void test_inspect_mode(void **state)
{
	struct scute_format_defaults d = { NULL, NULL, false };
	struct scute_err err = { 0 };
	struct scute_format *f = scute_format_parse("table {{.Id}}\\t{{json .Tags}}", &d, &err);
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	json_t *doc = json_loads("{\"Id\":\"sha256:ab\",\"Tags\":[\"a<b\"]}", 0, NULL);

	(void)state;
	assert_non_null(f);
	assert_false(scute_format_is_table(f));
	assert_int_equal(scute_format_row(f, doc, &err), 0);
	assert_int_equal(scute_format_row(f, doc, &err), 0);
	assert_int_equal(scute_format_flush(f, mem, &err), 0);
	fclose(mem);
	assert_string_equal(buf, "table sha256:ab\\t[\"a<b\"]\ntable sha256:ab\\t[\"a<b\"]\n");
	free(buf);
	json_decref(doc);
	scute_format_free(f);
	assert_null(scute_format_parse(NULL, &d, &err));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),	     cmocka_unit_test(test_json),
		cmocka_unit_test(test_template),     cmocka_unit_test(test_errors),
		cmocka_unit_test(test_printf),	     cmocka_unit_test(test_limits),
		cmocka_unit_test(test_inspect_mode),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
