/* What a registry says about authentication, parsed as untrusted text
 * (pure functions; unit tested and fuzzed by fuzz_auth_challenge): the
 * WWW-Authenticate challenge of a 401, the token server's JSON answer, and
 * the registry's JSON error body, summarised for an error message. */
#ifndef SCUTE_ENGINE_REGISTRY_AUTH_H
#define SCUTE_ENGINE_REGISTRY_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "scute.h"

/* The longest WWW-Authenticate header parsed, and the longest value in it. */
#define SCUTE_CHALLENGE_MAX 8192
#define SCUTE_CHALLENGE_VALUE_MAX 4096
/* The longest token taken from a token server (it goes into a header). */
#define SCUTE_TOKEN_MAX 65536

enum scute_auth_scheme {
	SCUTE_AUTH_NONE,
	SCUTE_AUTH_BASIC,
	SCUTE_AUTH_BEARER,
};

struct scute_challenge {
	enum scute_auth_scheme scheme;
	char *realm;   /* Bearer: the token server's URL (untrusted); Basic: may be NULL */
	char *service; /* may be NULL */
	char *scope;   /* may be NULL */
};

/* Parse a WWW-Authenticate value: one or more challenges (RFC 7235:
 * scheme, then name=value parameters, values tokens or quoted strings).
 * Bearer is preferred over Basic; other schemes are skipped. A Bearer
 * challenge must have a realm. A value that breaks the grammar, holds
 * control characters or passes the limits above is an EPROTO error saying
 * where; no challenge we know is EPROTO too. On success C is for
 * scute_challenge_free (also safe after a failure). */
int scute_challenge_parse(const char *header, struct scute_challenge *c, struct scute_err *err);
void scute_challenge_free(struct scute_challenge *c);

/* The token from a token server's JSON answer (LEN bytes): "token", else
 * "access_token"; it must be 1..SCUTE_TOKEN_MAX printable ASCII
 * characters (it becomes a header). *EXPIRES_IN gets "expires_in"
 * (seconds), at least 60 as docker takes it. Anything else is an EPROTO
 * error naming the member. *TOKEN is the caller's to free. */
int scute_token_parse(const char *body, size_t len, char **token, int64_t *expires_in,
		      struct scute_err *err);

/* "Basic base64(USER:PASSWORD)" (allocated; NULL when out of memory). */
char *scute_auth_basic(const char *user, const char *password);

/* A registry's error body (LEN bytes) in a few words for an error
 * message: the {"errors":[{"code","message"}]} of the distribution spec
 * as "CODE: message" (at most three, joined with "; "), else the start of
 * the body; printable ASCII only, at most SIZE - 1 characters. Empty when
 * the body says nothing. */
void scute_registry_error_summary(const char *body, size_t len, char *out, size_t size);

#endif
