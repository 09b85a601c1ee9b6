/* Internal to src/engine/registry: one HTTP exchange with libcurl, the
 * redirects followed by hand under the rules of policy.h, every response
 * header and body kept within limits. */
#ifndef SCUTE_ENGINE_REGISTRY_HTTP_H
#define SCUTE_ENGINE_REGISTRY_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "registry.h"

/* The most of an error (non-2xx) body kept, the most of all response
 * headers read, and the longest header value kept. */
#define SCUTE_HTTP_ERROR_BODY_MAX (64 << 10)
#define SCUTE_HTTP_HEADERS_MAX (256 << 10)
#define SCUTE_HTTP_HEADER_VALUE_MAX 8192

struct scute_registry;

struct scute_http_req {
	const char *method; /* "GET", "HEAD", "POST", "PUT" */
	const char *url;    /* absolute */
	const char *accept; /* or NULL */
	const char *content_type;
	/* The Authorization value, sent to the origin of URL only (never
	 * after a redirect elsewhere); NULL for none. */
	const char *authorization;
	const void *body; /* a body from memory ... */
	size_t body_len;
	int body_fd; /* ... or from an fd (>= 0; read with pread from 0) */
	int64_t body_size;
	bool follow;		  /* follow redirects (GET and HEAD) */
	size_t limit;		  /* the longest 2xx body taken */
	bool exact;		  /* with a sink: the body must be exactly LIMIT bytes */
	const char *what;	  /* names the body in errors: "manifest", "blob sha256:..." */
	scute_registry_sink sink; /* 2xx body to the sink, else to resp.body */
	void *sink_arg;
};

struct scute_http_resp {
	long status;	  /* 0 when no response came */
	bool tls_refused; /* the failure was the server's certificate */
	char *www_authenticate, *location, *content_type, *docker_digest;
	char *body; /* NUL-terminated */
	size_t len;
	int64_t received; /* 2xx body bytes, sink or not */
	char *url;	  /* the last URL asked (after redirects) */
};

/* Run Q through R's TLS settings and share handle. Transport failures,
 * refused redirects and bodies past their limits are errors; any HTTP
 * status is not. P is the caller's to free (also after a failure). */
int scute_http_do(struct scute_registry *r, const struct scute_http_req *q,
		  struct scute_http_resp *p, struct scute_err *err);
void scute_http_resp_free(struct scute_http_resp *p);

/* The URL without its query (a pre-signed URL's signature), for errors
 * (allocated; NULL when out of memory). */
char *scute_http_shown_url(const char *url);

#endif
