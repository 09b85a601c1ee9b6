/* The functions a --format template calls (format_exec.h): those docker
 * documents (json, split, join, title, lower, upper, println) and Go's
 * builtins len and index; printf is in format_printf.c.
 * Case changes are ASCII only, as docker's own use of strings.Title is. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cleanup.h"
#include "format_exec.h"

static int nomem(struct tpl_args *c)
{
	return scute_err_set(c->e->err, ENOMEM, "template: out of memory");
}

static int got(struct tpl_args *c, json_t *v, json_t **out)
{
	*out = v;
	return v ? 0 : nomem(c);
}

static int want_str(struct tpl_args *c, size_t i, const char **s, size_t *len)
{
	json_t *v = c->argv[i];

	*s = "";
	*len = 0;
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

static int fn_json(struct tpl_args *c, json_t **out)
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

static int fn_split(struct tpl_args *c, json_t **out)
{
	const char *s = NULL, *sep = NULL;
	size_t len = 0, sep_len = 0;
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

static int fn_join(struct tpl_args *c, json_t **out)
{
	json_t *arr = c->argv[0], *e;
	struct tpl_buf b = { 0 };
	const char *sep = NULL;
	size_t sep_len = 0, i;
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

static int change_case(struct tpl_args *c, enum change how, json_t **out)
{
	const char *s = NULL;
	size_t len = 0;
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
	/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc) auto_free: cleanup.h */
	return got(c, json_stringn_nocheck(o, len), out);
}

static int fn_title(struct tpl_args *c, json_t **out)
{
	return change_case(c, CHANGE_TITLE, out);
}

static int fn_lower(struct tpl_args *c, json_t **out)
{
	return change_case(c, CHANGE_LOWER, out);
}

static int fn_upper(struct tpl_args *c, json_t **out)
{
	return change_case(c, CHANGE_UPPER, out);
}

/* fmt.Sprintln: the operands with spaces between, and a newline. */
static int fn_println(struct tpl_args *c, json_t **out)
{
	struct tpl_buf b = { 0 };
	int rc = 0;

	for (size_t i = 0; i < c->argc && rc == 0; i++) {
		if (i)
			rc = tpl_buf_str(&b, " ");
		/* no value reaches a function as a nil interface */
		if (rc == 0)
			rc = c->argv[i] ? tpl_buf_print(&b, c->argv[i]) : tpl_buf_str(&b, "<nil>");
	}
	if (rc == 0)
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

static int fn_len(struct tpl_args *c, json_t **out)
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

static int index_one(struct tpl_args *c, json_t *item, json_t *key, json_t **out)
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

static int fn_index(struct tpl_args *c, json_t **out)
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

/* The header of a table runs these as docker's HeaderFunctions do: the
 * header text comes back as it is. */
static int fn_same(struct tpl_args *c, json_t **out)
{
	const char *s = NULL;
	size_t len;

	if (want_str(c, 0, &s, &len) < 0)
		return -1;
	return got(c, json_incref(c->argv[0]), out);
}

struct func {
	const char *name;
	size_t min, max; /* max 0: any number */
	int (*fn)(struct tpl_args *c, json_t **out);
	bool same_in_header;
};

static const struct func funcs[] = {
	{ "json", 1, 1, fn_json, true },	{ "split", 2, 2, fn_split, true },
	{ "join", 2, 2, fn_join, true },	{ "title", 1, 1, fn_title, true },
	{ "lower", 1, 1, fn_lower, true },	{ "upper", 1, 1, fn_upper, true },
	{ "println", 0, 0, fn_println, false }, { "len", 1, 1, fn_len, false },
	{ "index", 1, 0, fn_index, false },	{ "printf", 1, 0, tpl_fn_printf, false },
};

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
	struct tpl_args c = { .e = e, .name = fn->text, .line = fn->line, .col = fn->col };
	json_t *argv[16] = { 0 };
	int rc = 0;

	*out = NULL;
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
