/* Internal to src/engine/registry: the client's state, shared by its
 * files, and the request with authentication that the API calls make. */
#ifndef SCUTE_ENGINE_REGISTRY_SESSION_H
#define SCUTE_ENGINE_REGISTRY_SESSION_H

#include <curl/curl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "auth.h"
#include "http.h"
#include "policy.h"
#include "registry.h"

#define SCUTE_TOKEN_CACHE 16

struct scute_token_entry {
	char *scope;
	char *token;
	int64_t expires_ms; /* CLOCK_MONOTONIC */
};

struct scute_registry {
	char *domain;	/* as given: "docker.io" */
	char *host;	/* the URL authority: "registry-1.docker.io", "localhost:5000" */
	char *hostname; /* without port or brackets */
	unsigned port;	/* 0 when the domain gave none */
	const char *cred_key;
	char **insecure;
	size_t n_insecure;
	bool plain_ok; /* loopback or insecure */
	char *user_agent;
	long connect_timeout, stall_timeout;
	int cafd;	   /* memfd: the system CAs plus certs.d/HOST/NAME.crt files; -1 for none */
	char ca_path[40];  /* /proc/self/fd/N of cafd */
	char *client_cert; /* certs.d/HOST/client.cert, or NULL */
	char *client_key;  /* certs.d/HOST/client.key */
	CURLSH *share;
	pthread_mutex_t share_mu[CURL_LOCK_DATA_LAST];

	pthread_mutex_t mu; /* everything below */
	char *base;	    /* "https://HOST" once the ping decided the scheme */
	struct scute_origin origin;
	char *challenge; /* the ping's WWW-Authenticate, or NULL */
	char *user, *password;
	bool basic; /* the registry asked for Basic */
	struct scute_token_entry tokens[SCUTE_TOKEN_CACHE];
};

/* What a request needs on top of the HTTP exchange. */
struct scute_registry_call {
	const char *path;  /* "/v2/REPO/manifests/REF", or an absolute URL (an upload location) */
	const char *scope; /* "repository:REPO:pull", or NULL (login) */
};

/* Decide the scheme once (GET /v2/ over HTTPS, then plain HTTP where
 * allowed), under r->mu. */
int scute_registry_ping(struct scute_registry *r, struct scute_err *err);

/* Run request Q for CALL with authentication: a cached token or Basic
 * first, and after a 401 the challenge's flow, then once more. The
 * response is the caller's (scute_http_resp_free) even on failure. A
 * non-2xx status is no error here. */
int scute_registry_request(struct scute_registry *r, const struct scute_registry_call *call,
			   struct scute_http_req *q, struct scute_http_resp *p,
			   struct scute_err *err);

/* The error of a response with an unexpected STATUS: "HTTP 404:
 * MANIFEST_UNKNOWN: manifest unknown", its code chosen by status. */
int scute_registry_status_error(const struct scute_http_resp *p, struct scute_err *err);

/* Fill a token for SCOPE from the challenge C (creds if known). */
int scute_registry_fetch_token(struct scute_registry *r, const struct scute_challenge *c,
			       const char *scope, char **token, struct scute_err *err);

#endif
