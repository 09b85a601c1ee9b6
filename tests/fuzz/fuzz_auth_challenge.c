/* libFuzzer target: what a registry says about authentication
 * (src/engine/registry/auth.c). The input is a WWW-Authenticate value, a
 * token response and an error body at once. An accepted challenge must be
 * Basic or Bearer, a Bearer one with a realm, every value within the
 * limit and free of control characters; an accepted token printable ASCII
 * within its limit, expires_in at least 60; a refusal EPROTO; the error
 * summary printable ASCII. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"

static void printable_or_abort(const char *s)
{
	for (; s && *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			abort();
}

static void check_value(const char *v)
{
	if (v && strlen(v) > SCUTE_CHALLENGE_VALUE_MAX)
		abort();
	printable_or_abort(v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = strndup((const char *)data, size);
	struct scute_challenge c;
	struct scute_err err = { 0 };
	char summary[256];
	char *token;
	int64_t exp;

	if (!s)
		return 0;
	if (scute_challenge_parse(s, &c, &err) == 0) {
		if (c.scheme != SCUTE_AUTH_BASIC && c.scheme != SCUTE_AUTH_BEARER)
			abort();
		if (c.scheme == SCUTE_AUTH_BEARER && (!c.realm || !c.realm[0]))
			abort();
		check_value(c.realm);
		check_value(c.service);
		check_value(c.scope);
	} else if (err.code != EPROTO || c.realm || c.service || c.scope) {
		abort();
	}
	scute_challenge_free(&c);
	if (scute_token_parse((const char *)data, size, &token, &exp, &err) == 0) {
		if (!token[0] || strlen(token) > SCUTE_TOKEN_MAX || exp < 60)
			abort();
		for (const char *p = token; *p; p++)
			if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
				abort();
		free(token);
	} else if (err.code != EPROTO || token) {
		abort();
	}
	scute_registry_error_summary((const char *)data, size, summary, sizeof(summary));
	if (strlen(summary) >= sizeof(summary))
		abort();
	printable_or_abort(summary);
	free(s);
	return 0;
}
