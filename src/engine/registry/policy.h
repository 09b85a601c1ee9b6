/* The registry transport's decisions, as pure functions (no network, unit
 * tested in tests/unit/test_registry_policy.c): which hosts may be spoken
 * to in plain HTTP, which redirects are followed and whether credentials
 * go along, and how untrusted text from a registry is shown in an error. */
#ifndef SCUTE_ENGINE_REGISTRY_POLICY_H
#define SCUTE_ENGINE_REGISTRY_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "scute.h"

/* Longest host name kept (DNS's limit, brackets of an IPv6 literal). */
#define SCUTE_HOST_MAX 256

/* Where a URL points: scheme, host and port (the default port filled in),
 * lowercase host, IPv6 literals without brackets. Two URLs with equal
 * origins reach the same server. */
struct scute_origin {
	bool https;
	char host[SCUTE_HOST_MAX];
	unsigned port;
};

/* Parse an absolute http or https URL's origin. Anything else (another
 * scheme, user info, no host) is an EINVAL error naming the URL. */
int scute_origin_parse(const char *url, struct scute_origin *o, struct scute_err *err);

bool scute_origin_equal(const struct scute_origin *a, const struct scute_origin *b);

/* HOST (no port, no brackets) is loopback: "localhost", 127.0.0.0/8 or
 * ::1. Decided on the name alone, never on what DNS says about it. */
bool scute_host_is_loopback(const char *host);

/* Plain HTTP may be spoken to HOST:PORT: it is loopback, or an entry of
 * INSECURE (docker's insecure-registries) names it. An entry is
 * "host:port" (that port only), "host" (any port), or a CIDR
 * ("10.0.0.0/8", "fd00::/8") matched against an IP literal HOST only: a
 * name is not resolved, as a DNS answer must not turn TLS off. */
bool scute_plain_http_allowed(const char *host, unsigned port, const char *const *insecure,
			      size_t n_insecure);

/* The redirect rules. A redirect FROM one URL TO another is refused (an
 * EPERM error saying why) when it goes from https to http, or to plain
 * HTTP on a host not allowed it (above). Otherwise it is followed, and
 * *send_auth says whether the Authorization header (and the client
 * certificate) may go along: only when TO has the origin AUTH_ORIGIN, the
 * one the credentials were meant for. */
int scute_redirect_check(const struct scute_origin *auth_origin, const struct scute_origin *from,
			 const struct scute_origin *to, const char *const *insecure,
			 size_t n_insecure, bool *send_auth, struct scute_err *err);

/* Copy untrusted text S (LEN bytes) into OUT (SIZE > 4) for an error
 * message: control characters and non-ASCII bytes become '?', and text
 * past SIZE - 4 bytes is cut with "...". */
void scute_registry_printable(const char *s, size_t len, char *out, size_t size);

#endif
