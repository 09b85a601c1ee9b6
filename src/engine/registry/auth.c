#include "auth.h"

#include <errno.h>
#include <jansson.h>
#include <nettle/base64.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/cleanup.h"
#include "policy.h"

/* RFC 7230 tchar. */
static bool tchar(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

static const char *skip_ows(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* A token at *P, copied to OUT (SIZE); its length, 0 when there is none. */
static size_t read_token(const char **p, char *out, size_t size)
{
	size_t n = 0;

	while (tchar(**p) || **p == '/') {
		if (n + 1 < size)
			out[n] = **p;
		n++;
		(*p)++;
	}
	out[n < size ? n : size - 1] = '\0';
	return n;
}

/* A parameter value at *P: a quoted string (backslash escapes) or a token. */
static int read_value(const char **p, char *out, struct scute_err *err)
{
	size_t n = 0;

	if (**p != '"') {
		n = read_token(p, out, SCUTE_CHALLENGE_VALUE_MAX + 1);
		if (n == 0 || n > SCUTE_CHALLENGE_VALUE_MAX)
			return scute_err_set(err, EPROTO, "WWW-Authenticate: bad parameter value");
		return 0;
	}
	for ((*p)++; **p != '"'; (*p)++) {
		if (**p == '\\')
			(*p)++;
		if (!**p)
			return scute_err_set(err, EPROTO, "WWW-Authenticate: unterminated string");
		if ((unsigned char)**p < 0x20 || (unsigned char)**p >= 0x7f)
			return scute_err_set(err, EPROTO,
					     "WWW-Authenticate: control character in a value");
		if (n >= SCUTE_CHALLENGE_VALUE_MAX)
			return scute_err_set(err, EPROTO,
					     "WWW-Authenticate: value longer than %d bytes",
					     SCUTE_CHALLENGE_VALUE_MAX);
		out[n++] = **p;
	}
	(*p)++;
	out[n] = '\0';
	return 0;
}

/* Keep parameter NAME=VALUE of a challenge we may use. */
static int keep_param(struct scute_challenge *c, const char *name, const char *value,
		      struct scute_err *err)
{
	char **slot = strcasecmp(name, "realm") == 0	 ? &c->realm
		      : strcasecmp(name, "service") == 0 ? &c->service
		      : strcasecmp(name, "scope") == 0	 ? &c->scope
							 : NULL;

	if (!slot)
		return 0;
	free(*slot);
	*slot = strdup(value);
	return *slot ? 0 : scute_err_set(err, ENOMEM, "WWW-Authenticate");
}

/* One challenge at *P (its scheme already read into SCHEME): its
 * parameters, kept in C when WANT. Stops before the next challenge. */
static int read_params(const char **p, struct scute_challenge *c, bool want, char *name,
		       char *value, struct scute_err *err)
{
	for (;;) {
		const char *save;

		*p = skip_ows(*p);
		while (**p == ',')
			*p = skip_ows(*p + 1);
		if (!**p)
			return 0;
		save = *p;
		if (read_token(p, name, 64) == 0)
			return scute_err_set(err, EPROTO, "WWW-Authenticate: unexpected character");
		*p = skip_ows(*p);
		if (**p != '=') {
			*p = save; /* the next challenge's scheme, or a token68 */
			return 0;
		}
		*p = skip_ows(*p + 1);
		if (read_value(p, value, err) < 0)
			return -1;
		if (want && keep_param(c, name, value, err) < 0)
			return -1;
	}
}

static int parse_all(const char *p, struct scute_challenge *c, char *name, char *value,
		     struct scute_err *err)
{
	struct scute_challenge basic = { 0 };
	int rc = 0;

	while (rc == 0 && *(p = skip_ows(p))) {
		enum scute_auth_scheme s;

		while (*p == ',')
			p = skip_ows(p + 1);
		if (!*p)
			break;
		if (read_token(&p, name, 64) == 0)
			return scute_err_set(err, EPROTO, "WWW-Authenticate: unexpected character");
		s = strcasecmp(name, "bearer") == 0  ? SCUTE_AUTH_BEARER
		    : strcasecmp(name, "basic") == 0 ? SCUTE_AUTH_BASIC
						     : SCUTE_AUTH_NONE;
		if (s == SCUTE_AUTH_BEARER && c->scheme != SCUTE_AUTH_BEARER) {
			c->scheme = s;
			rc = read_params(&p, c, true, name, value, err);
		} else if (s == SCUTE_AUTH_BASIC && basic.scheme == SCUTE_AUTH_NONE) {
			basic.scheme = s;
			rc = read_params(&p, &basic, true, name, value, err);
		} else {
			rc = read_params(&p, c, false, name, value, err);
		}
	}
	if (rc == 0 && c->scheme == SCUTE_AUTH_NONE) {
		*c = basic;
		return 0;
	}
	scute_challenge_free(&basic);
	return rc;
}

int scute_challenge_parse(const char *header, struct scute_challenge *c, struct scute_err *err)
{
	auto_free char *name = malloc(65);
	auto_free char *value = malloc(SCUTE_CHALLENGE_VALUE_MAX + 1);

	memset(c, 0, sizeof(*c));
	if (!name || !value)
		/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc) */
		return scute_err_set(err, ENOMEM, "WWW-Authenticate");
	if (strlen(header) > SCUTE_CHALLENGE_MAX)
		return scute_err_set(err, EPROTO, "WWW-Authenticate: longer than %d bytes",
				     SCUTE_CHALLENGE_MAX);
	if (parse_all(header, c, name, value, err) < 0) {
		scute_challenge_free(c);
		return -1;
	}
	if (c->scheme == SCUTE_AUTH_NONE)
		return scute_err_set(err, EPROTO, "WWW-Authenticate: no Basic or Bearer challenge");
	if (c->scheme == SCUTE_AUTH_BEARER && (!c->realm || !c->realm[0])) {
		scute_challenge_free(c);
		return scute_err_set(err, EPROTO,
				     "WWW-Authenticate: Bearer challenge without realm");
	}
	return 0;
}

void scute_challenge_free(struct scute_challenge *c)
{
	free(c->realm);
	free(c->service);
	free(c->scope);
	memset(c, 0, sizeof(*c));
}

static bool header_safe(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f)
			return false;
	return true;
}

int scute_token_parse(const char *body, size_t len, char **token, int64_t *expires_in,
		      struct scute_err *err)
{
	json_error_t jerr;
	auto_json json_t *doc = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	const char *name = "token";
	json_t *t, *e;

	*token = NULL;
	if (!json_is_object(doc))
		return scute_err_set(err, EPROTO, "token response: not a JSON object");
	t = json_object_get(doc, "token");
	if (!json_is_string(t) || json_string_length(t) == 0) {
		name = "access_token";
		t = json_object_get(doc, "access_token");
	}
	if (!json_is_string(t) || json_string_length(t) == 0)
		return scute_err_set(err, EPROTO, "token response: no token or access_token");
	if (json_string_length(t) > SCUTE_TOKEN_MAX)
		return scute_err_set(err, EPROTO, "token response: %s: longer than %d bytes", name,
				     SCUTE_TOKEN_MAX);
	if (strlen(json_string_value(t)) != json_string_length(t) ||
	    !header_safe(json_string_value(t)))
		return scute_err_set(err, EPROTO,
				     "token response: %s: not printable ASCII without spaces",
				     name);
	e = json_object_get(doc, "expires_in");
	*expires_in = 60;
	if (e && !json_is_integer(e))
		return scute_err_set(err, EPROTO, "token response: expires_in: not an integer");
	if (e && json_integer_value(e) > 60)
		*expires_in = json_integer_value(e);
	*token = strdup(json_string_value(t));
	return *token ? 0 : scute_err_set(err, ENOMEM, "token response");
}

char *scute_auth_basic(const char *user, const char *password)
{
	size_t ul = strlen(user), pl = strlen(password), raw = ul + 1 + pl;
	auto_free char *plain = malloc(raw + 1);
	char *out;

	if (!plain)
		return NULL;
	snprintf(plain, raw + 1, "%s:%s", user, password);
	out = malloc(sizeof("Basic ") + BASE64_ENCODE_RAW_LENGTH(raw));
	if (!out)
		/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc) */
		return NULL;
	memcpy(out, "Basic ", 6);
	base64_encode_raw(out + 6, raw, (const uint8_t *)plain);
	out[6 + BASE64_ENCODE_RAW_LENGTH(raw)] = '\0';
	explicit_bzero(plain, raw);
	return out;
}

/* Append "CODE: message" of one error object. */
static void append_error(json_t *e, char *out, size_t size, size_t *n)
{
	const char *code = json_string_value(json_object_get(e, "code"));
	const char *msg = json_string_value(json_object_get(e, "message"));
	char part[256];
	int w;

	if (!code && !msg)
		return;
	w = snprintf(part, sizeof(part), "%s%s%s%s", *n ? "; " : "", code ? code : "",
		     code && msg ? ": " : "", msg ? msg : "");
	if (w < 0)
		return;
	scute_registry_printable(part, strlen(part), out + *n, size - *n);
	*n += strlen(out + *n);
}

void scute_registry_error_summary(const char *body, size_t len, char *out, size_t size)
{
	auto_json json_t *doc = len ? json_loadb(body, len, 0, NULL) : NULL;
	json_t *errors = json_object_get(doc, "errors");
	size_t n = 0;

	out[0] = '\0';
	if (size < 8)
		return;
	for (size_t i = 0; json_is_array(errors) && i < json_array_size(errors) && i < 3; i++)
		append_error(json_array_get(errors, i), out, size, &n);
	if (n == 0 && len > 0 && !doc) {
		size_t l = len > 120 ? 120 : len;

		while (l > 0 && (body[l - 1] == '\n' || body[l - 1] == '\r' || body[l - 1] == ' '))
			l--;
		scute_registry_printable(body, l, out, size);
	}
}
