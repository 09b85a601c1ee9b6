/* Values as Go shows them (format_template.h): fmt.Sprint for {{.X}} and
 * encoding/json for {{json .X}}, over jansson values, so that a template
 * prints what docker prints for the same data. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format_exec.h"

int tpl_buf_add(struct tpl_buf *b, const char *s, size_t n)
{
	size_t max = b->max ? b->max : TPL_OUTPUT_MAX;

	if (b->failed)
		return -1;
	if (n > max - b->len) {
		b->failed = true;
		errno = E2BIG;
		return -1;
	}
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *p;

		while (cap < b->len + n + 1)
			cap *= 2;
		p = realloc(b->p, cap);
		if (!p) {
			b->failed = true;
			errno = ENOMEM;
			return -1;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

int tpl_buf_str(struct tpl_buf *b, const char *s)
{
	return tpl_buf_add(b, s, strlen(s));
}

/* The shortest digits that read back as V (Go's strconv with precision
 * -1): DIGITS without a point, and the exponent of the first digit. */
static void shortest(double v, char *digits, int *exp)
{
	char tmp[40];

	for (int prec = 0; prec < 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*e", prec, v);
		if (strtod(tmp, NULL) == v)
			break;
	}
	/* tmp is "d.ddde±X" or "de±X" */
	size_t n = 0;
	char *e = strchr(tmp, 'e');

	if (!e) {
		/* never: %e always writes one */
		digits[0] = '0', digits[1] = '\0', *exp = 0;
		return;
	}

	for (char *c = tmp; c < e; c++)
		if (*c != '.')
			digits[n++] = *c;
	while (n > 1 && digits[n - 1] == '0')
		n--;
	digits[n] = '\0';
	*exp = atoi(e + 1);
}

/* strconv's %e with the shortest digits: "1.5e+06", at least two exponent
 * digits; JSON_STYLE drops the leading zero of a negative one ("1e-7"). */
static int put_exp(struct tpl_buf *b, const char *d, int exp, bool json_style)
{
	char tmp[48];

	snprintf(tmp, sizeof(tmp), "%c%s%s%s%c%0*d", d[0], d[1] ? "." : "", d + 1, "e",
		 exp < 0 ? '-' : '+', json_style && exp < 0 ? 1 : 2, exp < 0 ? -exp : exp);
	return tpl_buf_str(b, tmp);
}

/* strconv's %f with the shortest digits. */
static int put_fixed(struct tpl_buf *b, const char *d, int exp)
{
	char tmp[400];
	size_t n = 0, nd = strlen(d);
	int dp = exp + 1;

	if (dp <= 0) {
		tmp[n++] = '0';
		tmp[n++] = '.';
		for (int i = dp; i < 0; i++)
			tmp[n++] = '0';
		return tpl_buf_add(b, tmp, n) < 0 ? -1 : tpl_buf_add(b, d, nd);
	}
	for (int i = 0; i < dp; i++) {
		tmp[n] = '0';
		if ((size_t)i < nd)
			tmp[n] = d[i];
		n++;
	}
	if ((size_t)dp < nd) {
		tmp[n++] = '.';
		for (size_t i = (size_t)dp; i < nd; i++)
			tmp[n++] = d[i];
	}
	return tpl_buf_add(b, tmp, n);
}

/* Go's float64: fmt's %v is %g at the shortest precision, which Go writes
 * %e when the exponent is below -4 or 6 and up; encoding/json writes %f,
 * and %e below 1e-6 or from 1e21 up. */
static int put_real(struct tpl_buf *b, double v, bool json)
{
	char d[24] = { 0 };
	int exp;

	if (!isfinite(v))
		return tpl_buf_str(b, isnan(v) ? "NaN" : v > 0 ? "+Inf" : "-Inf");
	if (v == 0)
		return tpl_buf_str(b, signbit(v) ? "-0" : "0");
	if (v < 0 && tpl_buf_str(b, "-") < 0)
		return -1;
	shortest(fabs(v), d, &exp);
	if (json ? (fabs(v) < 1e-6 || fabs(v) >= 1e21) : (exp < -4 || exp >= 6))
		return put_exp(b, d, exp, json);
	return put_fixed(b, d, exp);
}

int tpl_by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* V's keys sorted by bytes, as Go sorts a map's (NULL when out of memory). */
static const char **sorted_keys(struct tpl_buf *b, const json_t *v, size_t *n)
{
	const char **keys;
	const char *k;
	json_t *e;
	size_t i = 0;

	*n = json_object_size(v);
	keys = calloc(*n ? *n : 1, sizeof(*keys));
	if (!keys) {
		b->failed = true;
		errno = ENOMEM;
		return NULL;
	}
	json_object_foreach((json_t *)v, k, e) keys[i++] = k;
	qsort(keys, *n, sizeof(*keys), tpl_by_name);
	return keys;
}

static int print_inner(struct tpl_buf *b, const json_t *v)
{
	char num[32];

	switch (json_typeof(v)) {
	case JSON_STRING: return tpl_buf_add(b, json_string_value(v), json_string_length(v));
	case JSON_INTEGER:
		snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return tpl_buf_str(b, num);
	case JSON_REAL: return put_real(b, json_real_value(v), false);
	case JSON_TRUE: return tpl_buf_str(b, "true");
	case JSON_FALSE: return tpl_buf_str(b, "false");
	case JSON_NULL: return tpl_buf_str(b, "<nil>");
	case JSON_ARRAY: {
		size_t i;
		json_t *e;

		if (tpl_buf_str(b, "[") < 0)
			return -1;
		json_array_foreach(v, i, e) if ((i && tpl_buf_str(b, " ") < 0) ||
						print_inner(b, e) < 0) return -1;
		return tpl_buf_str(b, "]");
	}
	case JSON_OBJECT: break;
	}
	/* fmt prints a map's keys sorted, as map[k:v k2:v2] */
	size_t n;
	const char **keys = sorted_keys(b, v, &n);
	int rc;

	if (!keys)
		return -1;
	rc = tpl_buf_str(b, "map[");
	for (size_t i = 0; i < n && rc == 0; i++)
		if ((i && tpl_buf_str(b, " ") < 0) || tpl_buf_str(b, keys[i]) < 0 ||
		    tpl_buf_str(b, ":") < 0 || print_inner(b, json_object_get(v, keys[i])) < 0)
			rc = -1;
	free(keys);
	return rc < 0 ? -1 : tpl_buf_str(b, "]");
}

int tpl_buf_print(struct tpl_buf *b, const json_t *v)
{
	return v ? print_inner(b, v) : tpl_buf_str(b, "<no value>");
}

size_t tpl_utf8_decode(const unsigned char *s, size_t n, unsigned long *code)
{
	size_t len;
	unsigned long cp;

	*code = s[0];
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	*code = cp;
	return len;
}

/* A JSON string as encoding/json writes it (Go 1.22 and later: \b and \f
 * short; U+2028 and U+2029 always escaped). */
static int go_json_string(struct tpl_buf *b, const char *s, size_t n, bool escape_html)
{
	const unsigned char *u = (const unsigned char *)s;
	char esc[8];

	if (tpl_buf_str(b, "\"") < 0)
		return -1;
	for (size_t i = 0; i < n;) {
		unsigned char c = u[i];
		unsigned long cp;
		size_t len = tpl_utf8_decode(u + i, n - i, &cp);
		const char *rep = NULL;

		if (c == '"')
			rep = "\\\"";
		else if (c == '\\')
			rep = "\\\\";
		else if (c == '\n')
			rep = "\\n";
		else if (c == '\r')
			rep = "\\r";
		else if (c == '\t')
			rep = "\\t";
		else if (c == '\b')
			rep = "\\b";
		else if (c == '\f')
			rep = "\\f";
		else if (c < 0x20 || (escape_html && (c == '<' || c == '>' || c == '&'))) {
			snprintf(esc, sizeof(esc), "\\u%04x", c);
			rep = esc;
		} else if (len == 0) {
			rep = "\\ufffd";
			len = 1;
		} else if (len == 3 && c == 0xe2 && u[i + 1] == 0x80 && (u[i + 2] & 0xfe) == 0xa8) {
			rep = u[i + 2] == 0xa8 ? "\\u2028" : "\\u2029";
		}
		if (rep ? tpl_buf_str(b, rep) < 0 : tpl_buf_add(b, s + i, len) < 0)
			return -1;
		i += len;
	}
	return tpl_buf_str(b, "\"");
}

int tpl_buf_json(struct tpl_buf *b, const json_t *v, bool escape_html)
{
	char num[32];
	size_t n;
	json_t *e;

	if (!v)
		return tpl_buf_str(b, "null");
	switch (json_typeof(v)) {
	case JSON_STRING:
		return go_json_string(b, json_string_value(v), json_string_length(v), escape_html);
	case JSON_INTEGER:
		snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return tpl_buf_str(b, num);
	case JSON_REAL: return put_real(b, json_real_value(v), true);
	case JSON_TRUE: return tpl_buf_str(b, "true");
	case JSON_FALSE: return tpl_buf_str(b, "false");
	case JSON_NULL: return tpl_buf_str(b, "null");
	case JSON_ARRAY:
		if (tpl_buf_str(b, "[") < 0)
			return -1;
		json_array_foreach(v, n, e) if ((n && tpl_buf_str(b, ",") < 0) ||
						tpl_buf_json(b, e, escape_html) < 0) return -1;
		return tpl_buf_str(b, "]");
	case JSON_OBJECT: break;
	}
	/* a map's keys sorted, as encoding/json sorts them */
	const char **keys = sorted_keys(b, v, &n);
	int rc;

	if (!keys)
		return -1;
	rc = tpl_buf_str(b, "{");
	for (size_t i = 0; i < n && rc == 0; i++)
		if ((i && tpl_buf_str(b, ",") < 0) ||
		    go_json_string(b, keys[i], strlen(keys[i]), escape_html) < 0 ||
		    tpl_buf_str(b, ":") < 0 ||
		    tpl_buf_json(b, json_object_get(v, keys[i]), escape_html) < 0)
			rc = -1;
	free(keys);
	return rc < 0 ? -1 : tpl_buf_str(b, "}");
}
