/* The functions a --format template calls (format_exec.h): docker's (json,
 * split, join, title, lower, upper, truncate, pad) and Go's builtins that
 * docker users write (print, println, len, index, not, and, or, eq, ne).
 * Case changes are ASCII only, as docker's own use of strings.Title is. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cleanup.h"
#include "format_exec.h"

/* Arguments to one call, and where the call is (for errors). */
struct call {
	struct tpl_exec *e;
	const char *name;
	int line, col;
	json_t **argv;
	size_t argc;
};

static int nomem(struct call *c)
{
	return scute_err_set(c->e->err, ENOMEM, "template: out of memory");
}

static int got(struct call *c, json_t *v, json_t **out)
{
	*out = v;
	return v ? 0 : nomem(c);
}

static int want_str(struct call *c, size_t i, const char **s, size_t *len)
{
	json_t *v = c->argv[i];

	if (json_is_string(v)) {
		*s = json_string_value(v);
		*len = json_string_length(v);
		return 0;
	}
	if (!v)
		return tpl_fail(c->e, c->line, c->col, EINVAL, "invalid value; expected string");
	return tpl_fail(c->e, c->line, c->col, EINVAL,
			"wrong type for value; expected string; got %s", tpl_type_name(v));
}

static int want_int(struct call *c, size_t i, json_int_t *n)
{
	json_t *v = c->argv[i];

	if (json_is_integer(v)) {
		*n = json_integer_value(v);
		return 0;
	}
	return tpl_fail(c->e, c->line, c->col, EINVAL, "wrong type for value; expected int; got %s",
			tpl_type_name(v));
}

static int fn_json(struct call *c, json_t **out)
{
	struct tpl_buf b = { 0 };
	json_t *v = c->argv[0];
	int rc;

	/* docker's json function writes HTML as it is; only a list row marshals
	 * itself with json.Marshal, which escapes it */
	if (tpl_buf_json(&b, v, c->e->row_html && v == c->e->root) < 0) {
		free(b.p);
		return b.failed && errno == E2BIG
			       ? tpl_fail(c->e, c->line, c->col, EINVAL, "json: value too long")
			       : nomem(c);
	}
	rc = got(c, json_stringn_nocheck(b.p, b.len), out);
	free(b.p);
	return rc;
}

static int fn_split(struct call *c, json_t **out)
{
	const char *s, *sep;
	size_t len, sep_len;
	auto_json json_t *parts = json_array();

	if (!parts)
		return nomem(c);
	if (want_str(c, 0, &s, &len) < 0 || want_str(c, 1, &sep, &sep_len) < 0)
		return -1;
	for (size_t i = 0; sep_len == 0 && i < len;) {
		/* no separator: one part per UTF-8 sequence (a bad byte alone) */
		size_t n = 1;

		if ((unsigned char)s[i] >= 0xc0)
			while (i + n < len && n < 4 && ((unsigned char)s[i + n] & 0xc0) == 0x80)
				n++;
		if (json_array_append_new(parts, json_stringn_nocheck(s + i, n)) < 0)
			return nomem(c);
		i += n;
	}
	while (sep_len) {
		const char *hit = memmem(s, len, sep, sep_len);
		size_t n = hit ? (size_t)(hit - s) : len;

		if (json_array_append_new(parts, json_stringn_nocheck(s, n)) < 0)
			return nomem(c);
		if (!hit)
			break;
		s += n + sep_len;
		len -= n + sep_len;
	}
	*out = scute_take_ptr(&parts);
	return 0;
}

static int fn_join(struct call *c, json_t **out)
{
	json_t *arr = c->argv[0], *e;
	struct tpl_buf b = { 0 };
	const char *sep;
	size_t sep_len, i;
	int rc;

	if (!json_is_array(arr))
		return tpl_fail(c->e, c->line, c->col, EINVAL,
				arr ? "wrong type for value; expected []string; got %s"
				    : "invalid value; expected []string%s",
				arr ? tpl_type_name(arr) : "");
	if (want_str(c, 1, &sep, &sep_len) < 0)
		return -1;
	json_array_foreach(arr, i, e)
	{
		if (!json_is_string(e)) {
			free(b.p);
			return tpl_fail(
				c->e, c->line, c->col, EINVAL,
				"wrong type for value; expected []string; got []interface {}");
		}
		if ((i && tpl_buf_add(&b, sep, sep_len) < 0) ||
		    tpl_buf_add(&b, json_string_value(e), json_string_length(e)) < 0) {
			free(b.p);
			return errno == E2BIG
				       ? tpl_fail(c->e, c->line, c->col, EINVAL, "join: too long")
				       : nomem(c);
		}
	}
	rc = got(c, json_stringn_nocheck(b.p ? b.p : "", b.len), out);
	free(b.p);
	return rc;
}

/* Go's strings.Title's word breaks, for ASCII: letters, digits and '_'
 * are inside words; other bytes of UTF-8 sequences count as letters. */
static bool separator(unsigned char c)
{
	if (c >= 0x80)
		return false;
	return !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		 c == '_');
}

enum change { CHANGE_TITLE, CHANGE_LOWER, CHANGE_UPPER };

static int change_case(struct call *c, enum change how, json_t **out)
{
	const char *s;
	size_t len;
	unsigned char prev = ' ';
	auto_free char *o = NULL;

	if (want_str(c, 0, &s, &len) < 0)
		return -1;
	o = malloc(len + 1);
	if (!o)
		return nomem(c);
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		bool up = how == CHANGE_UPPER || (how == CHANGE_TITLE && separator(prev));

		if (up && ch >= 'a' && ch <= 'z')
			ch = (unsigned char)(ch - 'a' + 'A');
		else if (how == CHANGE_LOWER && ch >= 'A' && ch <= 'Z')
			ch = (unsigned char)(ch - 'A' + 'a');
		/* the continuation bytes of a sequence are not a word break */
		if ((unsigned char)s[i] < 0x80 || (unsigned char)s[i] >= 0xc0)
			prev = (unsigned char)s[i];
		o[i] = (char)ch;
	}
	return got(c, json_stringn_nocheck(o, len), out);
}

static int fn_title(struct call *c, json_t **out)
{
	return change_case(c, CHANGE_TITLE, out);
}

static int fn_lower(struct call *c, json_t **out)
{
	return change_case(c, CHANGE_LOWER, out);
}

static int fn_upper(struct call *c, json_t **out)
{
	return change_case(c, CHANGE_UPPER, out);
}

static int fn_truncate(struct call *c, json_t **out)
{
	const char *s = NULL;
	size_t len = 0;
	json_int_t n = 0;

	if (want_str(c, 0, &s, &len) < 0 || want_int(c, 1, &n) < 0)
		return -1;
	if ((json_int_t)len < n)
		return got(c, json_incref(c->argv[0]), out);
	if (n < 0)
		return tpl_fail(c->e, c->line, c->col, EINVAL,
				"error calling truncate: runtime error: slice bounds out of range "
				"[:%" JSON_INTEGER_FORMAT "]",
				n);
	/* bytes, as Go slices a string */
	return got(c, json_stringn_nocheck(s, (size_t)n), out);
}

static int fn_pad(struct call *c, json_t **out)
{
	const char *s = NULL;
	size_t len = 0;
	json_int_t pre = 0, post = 0;
	auto_free char *o = NULL;

	if (want_str(c, 0, &s, &len) < 0 || want_int(c, 1, &pre) < 0 || want_int(c, 2, &post) < 0)
		return -1;
	if (len == 0)
		return got(c, json_incref(c->argv[0]), out);
	if (pre < 0 || post < 0)
		return tpl_fail(c->e, c->line, c->col, EINVAL,
				"error calling pad: strings: negative Repeat count");
	if (pre > TPL_OUTPUT_MAX || post > TPL_OUTPUT_MAX)
		return tpl_fail(c->e, c->line, c->col, EINVAL, "error calling pad: too long");
	o = malloc((size_t)pre + len + (size_t)post);
	if (!o)
		return nomem(c);
	memset(o, ' ', (size_t)pre);
	memcpy(o + pre, s, len);
	memset(o + (size_t)pre + len, ' ', (size_t)post);
	return got(c, json_stringn_nocheck(o, (size_t)pre + len + (size_t)post), out);
}

/* fmt.Sprint (spaces between operands when neither is a string) and
 * fmt.Sprintln (spaces always, and a newline). */
static int sprint(struct call *c, bool ln, json_t **out)
{
	struct tpl_buf b = { 0 };
	int rc = 0;

	for (size_t i = 0; i < c->argc && rc == 0; i++) {
		bool space =
			i &&
			(ln || (!json_is_string(c->argv[i - 1]) && !json_is_string(c->argv[i])));

		if (space)
			rc = tpl_buf_str(&b, " ");
		/* no value reaches a function as a nil interface */
		if (rc == 0)
			rc = c->argv[i] ? tpl_buf_print(&b, c->argv[i]) : tpl_buf_str(&b, "<nil>");
	}
	if (rc == 0 && ln)
		rc = tpl_buf_str(&b, "\n");
	if (rc < 0) {
		free(b.p);
		return errno == E2BIG
			       ? tpl_fail(c->e, c->line, c->col, EINVAL, "%s: too long", c->name)
			       : nomem(c);
	}
	rc = got(c, json_stringn_nocheck(b.p ? b.p : "", b.len), out);
	free(b.p);
	return rc;
}

static int fn_print(struct call *c, json_t **out)
{
	return sprint(c, false, out);
}

static int fn_println(struct call *c, json_t **out)
{
	return sprint(c, true, out);
}

static int fn_len(struct call *c, json_t **out)
{
	json_t *v = c->argv[0];
	size_t n;

	if (json_is_string(v))
		n = json_string_length(v);
	else if (json_is_array(v))
		n = json_array_size(v);
	else if (json_is_object(v))
		n = json_object_size(v);
	else
		return tpl_fail(c->e, c->line, c->col, EINVAL, "error calling len: len of %s",
				v && !json_is_null(v) ? tpl_type_name(v) : "nil pointer");
	return got(c, json_integer((json_int_t)n), out);
}

static int index_one(struct call *c, json_t *item, json_t *key, json_t **out)
{
	if (json_is_object(item)) {
		json_t *v;

		if (!json_is_string(key))
			return tpl_fail(c->e, c->line, c->col, EINVAL,
					"error calling index: value has type %s; should be string",
					tpl_type_name(key));
		v = json_object_get(item, json_string_value(key));
		/* a missing key is the map's zero value: a nil interface */
		return got(c, v ? json_incref(v) : json_null(), out);
	}
	if (!json_is_array(item) && !json_is_string(item))
		return tpl_fail(c->e, c->line, c->col, EINVAL,
				"error calling index: can't index item of type %s",
				tpl_type_name(item));
	json_int_t i, n = json_is_array(item) ? (json_int_t)json_array_size(item)
					      : (json_int_t)json_string_length(item);

	if (!json_is_integer(key))
		return tpl_fail(c->e, c->line, c->col, EINVAL,
				"error calling index: cannot index slice/array with type %s",
				tpl_type_name(key));
	i = json_integer_value(key);
	if (i < 0 || i >= n)
		return tpl_fail(c->e, c->line, c->col, EINVAL,
				"error calling index: index out of range: %" JSON_INTEGER_FORMAT,
				i);
	if (json_is_array(item))
		return got(c, json_incref(json_array_get(item, (size_t)i)), out);
	/* a string's byte, as a number (uint8 in Go) */
	return got(c, json_integer((unsigned char)json_string_value(item)[i]), out);
}

static int fn_index(struct call *c, json_t **out)
{
	auto_json json_t *item = json_incref(c->argv[0]);

	for (size_t i = 1; i < c->argc; i++) {
		json_t *next;

		if (!item || json_is_null(item))
			return tpl_fail(c->e, c->line, c->col, EINVAL,
					"error calling index: index of untyped nil");
		if (index_one(c, item, c->argv[i], &next) < 0)
			return -1;
		json_decref(item);
		item = next;
	}
	*out = scute_take_ptr(&item);
	return 0;
}

static int fn_not(struct call *c, json_t **out)
{
	return got(c, json_boolean(!tpl_truth(c->argv[0])), out);
}

/* Go's eq for basic values: numbers with numbers, strings with strings,
 * booleans with booleans; anything else cannot be compared. */
static int equal(struct call *c, json_t *a, json_t *b, bool *eq)
{
	if (json_is_number(a) && json_is_number(b)) {
		if (json_is_integer(a) && json_is_integer(b))
			*eq = json_integer_value(a) == json_integer_value(b);
		else
			*eq = json_number_value(a) == json_number_value(b);
		return 0;
	}
	if (json_is_string(a) && json_is_string(b)) {
		*eq = json_equal(a, b);
		return 0;
	}
	if (json_is_boolean(a) && json_is_boolean(b)) {
		*eq = json_is_true(a) == json_is_true(b);
		return 0;
	}
	if (!a || !b || json_is_null(a) || json_is_null(b) || json_is_array(a) ||
	    json_is_object(a) || json_is_array(b) || json_is_object(b))
		return tpl_fail(c->e, c->line, c->col, EINVAL,
				"error calling %s: invalid type for comparison", c->name);
	return tpl_fail(c->e, c->line, c->col, EINVAL,
			"error calling %s: incompatible types for comparison", c->name);
}

static int fn_eq(struct call *c, json_t **out)
{
	bool eq = false;

	for (size_t i = 1; i < c->argc && !eq; i++)
		if (equal(c, c->argv[0], c->argv[i], &eq) < 0)
			return -1;
	return got(c, json_boolean(eq == (c->name[0] == 'e')), out);
}

/* The header of a table runs these as docker's HeaderFunctions do: the
 * header text comes back as it is. */
static int fn_same(struct call *c, json_t **out)
{
	const char *s;
	size_t len;

	if (want_str(c, 0, &s, &len) < 0)
		return -1;
	return got(c, json_incref(c->argv[0]), out);
}

struct func {
	const char *name;
	size_t min, max; /* max 0: any number */
	int (*fn)(struct call *c, json_t **out);
	bool same_in_header;
};

static const struct func funcs[] = {
	{ "json", 1, 1, fn_json, true },
	{ "split", 2, 2, fn_split, true },
	{ "join", 2, 2, fn_join, true },
	{ "title", 1, 1, fn_title, true },
	{ "lower", 1, 1, fn_lower, true },
	{ "upper", 1, 1, fn_upper, true },
	{ "truncate", 2, 2, fn_truncate, true },
	{ "pad", 3, 3, fn_pad, false },
	{ "print", 0, 0, fn_print, false },
	{ "println", 0, 0, fn_println, false },
	{ "len", 1, 1, fn_len, false },
	{ "index", 1, 0, fn_index, false },
	{ "not", 1, 1, fn_not, false },
	{ "eq", 2, 0, fn_eq, false },
	{ "ne", 2, 2, fn_eq, false },
};

/* and, or: Go stops at the first argument that decides, and returns it. */
static int and_or(struct tpl_exec *e, const struct tpl_arg *fn, const struct tpl_arg *args,
		  size_t n, json_t *dot, bool has_final, json_t *final, json_t **out)
{
	bool is_and = strcmp(fn->text, "and") == 0;
	size_t total = n + (has_final ? 1 : 0);

	if (total == 0)
		return tpl_fail(e, fn->line, fn->col, EINVAL,
				"wrong number of args for %s: want at least 1 got 0", fn->text);
	for (size_t i = 0; i < total; i++) {
		json_t *v = NULL;

		if (i < n && tpl_eval_arg(e, &args[i], dot, &v) < 0)
			return -1;
		if (i == n)
			v = json_incref(final);
		if (i + 1 == total || tpl_truth(v) != is_and) {
			*out = v ? v : json_null();
			return 0;
		}
		json_decref(v);
	}
	return 0;
}

static const struct func *find(const char *name)
{
	for (size_t i = 0; i < sizeof(funcs) / sizeof(funcs[0]); i++)
		if (strcmp(funcs[i].name, name) == 0)
			return &funcs[i];
	return NULL;
}

int tpl_call(struct tpl_exec *e, const struct tpl_arg *fn, const struct tpl_arg *args, size_t n,
	     json_t *dot, bool has_final, json_t *final, json_t **out)
{
	const struct func *f = find(fn->text);
	struct call c = { .e = e, .name = fn->text, .line = fn->line, .col = fn->col };
	json_t *argv[16] = { 0 };
	int rc = 0;

	*out = NULL;
	if (strcmp(fn->text, "and") == 0 || strcmp(fn->text, "or") == 0)
		return and_or(e, fn, args, n, dot, has_final, final, out);
	c.argc = n + (has_final ? 1 : 0);
	if (!f || c.argc < f->min || (f->max && c.argc > f->max) || c.argc > 16)
		return tpl_fail(e, fn->line, fn->col, EINVAL,
				"wrong number of args for %s: want %zu got %zu", fn->text,
				f ? f->min : 0, c.argc);
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = tpl_eval_arg(e, &args[i], dot, &argv[i]);
	if (has_final)
		argv[n] = json_incref(final);
	c.argv = argv;
	if (rc == 0)
		rc = (e->header && f->same_in_header ? fn_same : f->fn)(&c, out);
	for (size_t i = 0; i < c.argc; i++)
		json_decref(argv[i]);
	return rc;
}
