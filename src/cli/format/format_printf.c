/* printf in a --format template (format_exec.h): Go's fmt.Sprintf for the
 * verbs docker users write, %s, %v, %d and %q, with the flags '-' and '0'
 * and a width. A value of the wrong kind prints as Go prints it
 * ("%!d(string=abc)"), and so do missing and extra operands; any other
 * verb is an error naming it, rather than output unlike Go's. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format_exec.h"

/* A width past this would only make padding: refused. */
#define PRINTF_WIDTH_MAX 1000

struct spec {
	bool left, zero;
	size_t width;
	char verb;
};

/* Go's strconv.Quote, for UTF-8 text: printable characters as they are,
 * the usual escapes, other bytes as \xNN. */
static int quote(struct tpl_buf *b, const char *s, size_t n)
{
	static const char esc_from[] = "\a\b\f\n\r\t\v\\\"";
	static const char esc_to[] = "abfnrtv\\\"";
	char tmp[8];
	int rc = tpl_buf_str(b, "\"");

	for (size_t i = 0; i < n && rc == 0; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *e = c ? strchr(esc_from, c) : NULL;

		if (e) {
			tmp[0] = '\\';
			tmp[1] = esc_to[e - esc_from];
			rc = tpl_buf_add(b, tmp, 2);
		} else if (c < 0x20 || c == 0x7f) {
			snprintf(tmp, sizeof(tmp), "\\x%02x", c);
			rc = tpl_buf_str(b, tmp);
		} else {
			rc = tpl_buf_add(b, s + i, 1);
		}
	}
	return rc == 0 ? tpl_buf_str(b, "\"") : -1;
}

/* Go's "%!VERB(TYPE=VALUE)" for an operand the verb does not take. */
static int bad_operand(struct tpl_buf *b, char verb, const json_t *v)
{
	char head[8];

	snprintf(head, sizeof(head), "%%!%c(", verb);
	if (tpl_buf_str(b, head) < 0)
		return -1;
	if (!v || json_is_null(v))
		return tpl_buf_str(b, "<nil>)");
	if (tpl_buf_str(b, tpl_type_name(v)) < 0 || tpl_buf_str(b, "=") < 0 ||
	    tpl_buf_print(b, v) < 0)
		return -1;
	return tpl_buf_str(b, ")");
}

/* The operand V under verb SP->verb, unpadded, into B. */
static int render(struct tpl_buf *b, const struct spec *sp, const json_t *v)
{
	char num[32];

	switch (sp->verb) {
	case 'v': return v ? tpl_buf_print(b, v) : tpl_buf_str(b, "<nil>");
	case 's':
		if (json_is_string(v) || json_is_array(v) || json_is_object(v))
			return tpl_buf_print(b, v);
		break;
	case 'd':
		if (json_is_integer(v)) {
			snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
			return tpl_buf_str(b, num);
		}
		break;
	case 'q':
		if (json_is_string(v))
			return quote(b, json_string_value(v), json_string_length(v));
		break;
	default: break;
	}
	return bad_operand(b, sp->verb, v);
}

/* Characters (UTF-8 sequences) in S, as Go measures a width. */
static size_t runes(const char *s, size_t n)
{
	size_t count = 0;

	for (size_t i = 0; i < n; i++)
		count += ((unsigned char)s[i] & 0xc0) != 0x80;
	return count;
}

static int pad(struct tpl_buf *b, size_t n, char c)
{
	for (; n; n--)
		if (tpl_buf_add(b, &c, 1) < 0)
			return -1;
	return 0;
}

/* One operand, padded to the width: spaces (or zeros for a number, after
 * its sign) on the left, or spaces on the right with '-'. */
static int put_operand(struct tpl_buf *b, const struct spec *sp, const json_t *v)
{
	struct tpl_buf one = { .max = TPL_OUTPUT_MAX };
	size_t w, fill;
	size_t sign;
	int rc;

	if (render(&one, sp, v) < 0) {
		free(one.p);
		return -1;
	}
	w = runes(one.p ? one.p : "", one.len);
	fill = sp->width > w ? sp->width - w : 0;
	sign = one.p && one.p[0] == '-' ? 1 : 0;
	if (sp->left)
		rc = tpl_buf_add(b, one.p, one.len) < 0 || pad(b, fill, ' ') < 0 ? -1 : 0;
	else if (sp->zero && sp->verb == 'd' && json_is_integer(v))
		rc = tpl_buf_add(b, one.p, sign) < 0 || pad(b, fill, '0') < 0 ||
				     tpl_buf_add(b, one.p + sign, one.len - sign) < 0
			     ? -1
			     : 0;
	else
		rc = pad(b, fill, ' ') < 0 || tpl_buf_add(b, one.p ? one.p : "", one.len) < 0 ? -1
											      : 0;
	free(one.p);
	return rc;
}

/* The directive after a '%' at *I of FMT: flags, width, verb. */
static int read_spec(struct tpl_args *c, const char *fmt, size_t len, size_t *i, struct spec *sp)
{
	memset(sp, 0, sizeof(*sp));
	for (; *i < len && (fmt[*i] == '-' || fmt[*i] == '0'); (*i)++)
		*(fmt[*i] == '-' ? &sp->left : &sp->zero) = true;
	for (; *i < len && fmt[*i] >= '0' && fmt[*i] <= '9'; (*i)++) {
		sp->width = sp->width * 10 + (size_t)(fmt[*i] - '0');
		if (sp->width > PRINTF_WIDTH_MAX)
			return tpl_fail(c->e, c->line, c->col, EINVAL,
					"error calling printf: width above %d", PRINTF_WIDTH_MAX);
	}
	if (*i >= len)
		return tpl_fail(c->e, c->line, c->col, EINVAL,
				"error calling printf: %% at the end of the format");
	sp->verb = fmt[(*i)++];
	if (!strchr("svdq", sp->verb))
		return tpl_fail(
			c->e, c->line, c->col, EINVAL,
			"error calling printf: verb %%%c not supported (only %%s %%v %%d %%q)",
			sp->verb);
	return 0;
}

/* Go's "%!(EXTRA string=a, int64=1)" for operands no verb took. */
static int put_extra(struct tpl_buf *b, struct tpl_args *c, size_t next)
{
	if (next >= c->argc)
		return 0;
	if (tpl_buf_str(b, "%!(EXTRA ") < 0)
		return -1;
	for (size_t i = next; i < c->argc; i++) {
		const json_t *v = c->argv[i];

		if ((i > next && tpl_buf_str(b, ", ") < 0) ||
		    tpl_buf_str(b, v && !json_is_null(v) ? tpl_type_name(v) : "<nil>") < 0)
			return -1;
		if (v && !json_is_null(v) && (tpl_buf_str(b, "=") < 0 || tpl_buf_print(b, v) < 0))
			return -1;
	}
	return tpl_buf_str(b, ")");
}

static int format_all(struct tpl_buf *b, struct tpl_args *c, const char *fmt, size_t len)
{
	size_t next = 1;

	for (size_t i = 0; i < len;) {
		const char *pct = memchr(fmt + i, '%', len - i);
		size_t upto = pct ? (size_t)(pct - fmt) : len;
		struct spec sp;

		if (tpl_buf_add(b, fmt + i, upto - i) < 0)
			return -1;
		if (!pct)
			break;
		i = upto + 1;
		if (i < len && fmt[i] == '%') {
			if (tpl_buf_add(b, "%", 1) < 0)
				return -1;
			i++;
			continue;
		}
		if (read_spec(c, fmt, len, &i, &sp) < 0)
			return -2;
		if (next >= c->argc) {
			char missing[24];

			snprintf(missing, sizeof(missing), "%%!%c(MISSING)", sp.verb);
			if (tpl_buf_str(b, missing) < 0)
				return -1;
			continue;
		}
		if (put_operand(b, &sp, c->argv[next++]) < 0)
			return -1;
	}
	return put_extra(b, c, next);
}

int tpl_fn_printf(struct tpl_args *c, json_t **out)
{
	struct tpl_buf b = { 0 };
	const json_t *fmt = c->argv[0];
	int rc;

	if (!json_is_string(fmt))
		return tpl_fail(c->e, c->line, c->col, EINVAL,
				"wrong type for value; expected string; got %s",
				tpl_type_name(fmt));
	rc = format_all(&b, c, json_string_value(fmt), json_string_length(fmt));
	if (rc < 0) {
		free(b.p);
		if (rc == -2)
			return -1;
		return errno == E2BIG ? tpl_fail(c->e, c->line, c->col, EINVAL, "printf: too long")
				      : scute_err_set(c->e->err, ENOMEM, "template: out of memory");
	}
	*out = json_stringn_nocheck(b.p ? b.p : "", b.len);
	free(b.p);
	return *out ? 0 : scute_err_set(c->e->err, ENOMEM, "template: out of memory");
}
