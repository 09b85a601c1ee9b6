/* The scheme decision, authentication (tokens cached per scope) and the
 * error of an unexpected status: what every API call goes through. */
#include "session.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/cleanup.h"

static void unlock(pthread_mutex_t **m)
{
	if (*m)
		pthread_mutex_unlock(*m);
}

#define auto_unlock __attribute__((cleanup(unlock)))

static pthread_mutex_t *lock(pthread_mutex_t *m)
{
	pthread_mutex_lock(m);
	return m;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* GET BASE/v2/: any HTTP answer means the scheme works. */
static int ping_one(struct scute_registry *r, const char *base, struct scute_http_resp *p,
		    struct scute_err *err)
{
	char url[SCUTE_HOST_MAX + 32];
	struct scute_http_req q = { .method = "GET",
				    .url = url,
				    .body_fd = -1,
				    .limit = SCUTE_HTTP_ERROR_BODY_MAX,
				    .what = "ping" };

	snprintf(url, sizeof(url), "%s/v2/", base);
	return scute_http_do(r, &q, p, err);
}

/* Plain HTTP where allowed, after HTTPS failed with FIRST for another
 * reason than the server's certificate. Only a registry's answers to
 * /v2/ (200, 401) count: anything else (a TLS server's 400 to plain HTTP)
 * means HTTPS was right, and its error is the one to report. */
static int fallback(struct scute_registry *r, const char *http, const struct scute_err *first,
		    struct scute_http_resp *p, struct scute_err *err)
{
	scute_http_resp_free(p);
	if (ping_one(r, http, p, err) < 0)
		return scute_err_prefix(err, "%s; then", first->msg);
	if (p->status == 200 || p->status == 401)
		return 0;
	*err = *first;
	return scute_err_set(err, first->code, "%s (plain HTTP: HTTP %ld)", first->msg, p->status);
}

static int ping_locked(struct scute_registry *r, struct scute_err *err)
{
	char https[SCUTE_HOST_MAX + 16], http[SCUTE_HOST_MAX + 16];
	struct scute_http_resp p = { 0 };
	struct scute_err first = { 0 };
	const char *base = https;
	int rc;

	snprintf(https, sizeof(https), "https://%s", r->host);
	snprintf(http, sizeof(http), "http://%s", r->host);
	rc = ping_one(r, https, &p, &first);
	if (rc < 0 && r->plain_ok && !p.tls_refused) {
		base = http;
		rc = fallback(r, http, &first, &p, err);
	} else if (rc < 0) {
		*err = first;
	}
	if (rc == 0 && (!(r->base = strdup(base)) ||
			(p.www_authenticate && !(r->challenge = strdup(p.www_authenticate)))))
		rc = scute_err_set(err, ENOMEM, "ping");
	if (rc == 0)
		rc = scute_origin_parse(r->base, &r->origin, err);
	scute_http_resp_free(&p);
	return rc;
}

int scute_registry_ping(struct scute_registry *r, struct scute_err *err)
{
	/* cppcheck-suppress unreadVariable */
	auto_unlock pthread_mutex_t *m = lock(&r->mu);

	return r->base ? 0 : ping_locked(r, err);
}

/* The cached token for SCOPE (allocated), or NULL. */
static char *cached_token(struct scute_registry *r, const char *scope)
{
	/* cppcheck-suppress unreadVariable */
	auto_unlock pthread_mutex_t *m = lock(&r->mu);
	int64_t now = now_ms();

	for (int i = 0; i < SCUTE_TOKEN_CACHE; i++) {
		struct scute_token_entry *t = &r->tokens[i];

		if (t->scope && strcmp(t->scope, scope) == 0 && t->expires_ms > now)
			return strdup(t->token);
	}
	return NULL;
}

static void cache_token(struct scute_registry *r, const char *scope, const char *token,
			int64_t expires_in)
{
	char *s = scope ? strdup(scope) : NULL, *t = token ? strdup(token) : NULL;
	/* cppcheck-suppress unreadVariable */
	auto_unlock pthread_mutex_t *m = lock(&r->mu);
	struct scute_token_entry *slot = &r->tokens[0];

	if (!s || !t) {
		free(s);
		free(t);
		return; /* not cached: the next request asks again */
	}

	for (int i = 0; i < SCUTE_TOKEN_CACHE; i++) {
		struct scute_token_entry *e = &r->tokens[i];

		if (!e->scope || strcmp(e->scope, scope) == 0) {
			slot = e;
			break;
		}
		if (e->expires_ms < slot->expires_ms)
			slot = e;
	}
	free(slot->scope);
	free(slot->token);
	slot->scope = s;
	slot->token = t;
	/* Ten seconds early: a token must not expire on its way. */
	slot->expires_ms = now_ms() + (expires_in - 10) * 1000;
}

/* "Basic ..." for the known credentials, or NULL. */
static char *basic_auth(struct scute_registry *r)
{
	/* cppcheck-suppress unreadVariable */
	auto_unlock pthread_mutex_t *m = lock(&r->mu);

	return r->user ? scute_auth_basic(r->user, r->password) : NULL;
}

/* The realm, untrusted: https, or plain HTTP only where allowed. */
static int check_realm(struct scute_registry *r, const char *realm, struct scute_err *err)
{
	struct scute_origin o;

	if (scute_origin_parse(realm, &o, err) < 0)
		return scute_err_prefix(err, "token realm");
	if (!o.https && !scute_plain_http_allowed(o.host, o.port, (const char *const *)r->insecure,
						  r->n_insecure))
		return scute_err_set(
			err, EPERM,
			"token realm http://%s:%u refused (plain HTTP only to loopback "
			"or insecure registries)",
			o.host, o.port);
	return 0;
}

/* REALM?service=S&scope=X&account=U, escaped. */
static char *token_url(CURL *h, const struct scute_challenge *c, const char *scope,
		       const char *user)
{
	const char *v[3] = { c->service, scope, user };
	const char *k[3] = { "service", "scope", "account" };
	size_t cap = strlen(c->realm) + 1;
	char *url, *p;
	char sep = strchr(c->realm, '?') ? '&' : '?';

	for (int i = 0; i < 3; i++)
		cap += v[i] ? strlen(k[i]) + 2 + 3 * strlen(v[i]) : 0;
	url = malloc(cap);
	if (!url)
		return NULL;
	p = stpcpy(url, c->realm);
	for (int i = 0; i < 3; i++) {
		char *e;

		if (!v[i])
			continue;
		e = curl_easy_escape(h, v[i], 0);
		if (!e) {
			free(url);
			return NULL;
		}
		p += sprintf(p, "%c%s=%s", sep, k[i], e);
		sep = '&';
		curl_free(e);
	}
	return url;
}

static void auto_easy_cleanup(CURL **h)
{
	curl_easy_cleanup(*h);
}

int scute_registry_fetch_token(struct scute_registry *r, const struct scute_challenge *c,
			       const char *scope, char **token, struct scute_err *err)
{
	__attribute__((cleanup(auto_easy_cleanup))) CURL *h = curl_easy_init();
	auto_free char *basic = basic_auth(r);
	auto_free char *url = NULL;
	auto_free char *user = NULL;
	struct scute_http_resp p = { 0 };
	int64_t expires_in = 60;
	int rc;

	*token = NULL;
	if (check_realm(r, c->realm, err) < 0)
		return -1;
	{
		/* cppcheck-suppress unreadVariable */
		auto_unlock pthread_mutex_t *m = lock(&r->mu);

		user = r->user ? strdup(r->user) : NULL;
	}
	if (!h || !(url = token_url(h, c, scope, user)))
		/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc) */
		return scute_err_set(err, ENOMEM, "token");
	struct scute_http_req q = { .method = "GET",
				    .url = url,
				    .authorization = basic,
				    .body_fd = -1,
				    .follow = true,
				    .limit = SCUTE_TOKEN_RESPONSE_MAX,
				    .what = "token" };
	rc = scute_http_do(r, &q, &p, err);
	if (rc == 0 && p.status != 200)
		rc = scute_registry_status_error(&p, err);
	if (rc == 0)
		rc = scute_token_parse(p.body ? p.body : "", p.len, token, &expires_in, err);
	if (basic)
		explicit_bzero(basic, strlen(basic));
	scute_http_resp_free(&p);
	if (rc < 0)
		return scute_err_prefix(err, "token");
	if (scope)
		cache_token(r, scope, *token, expires_in);
	return 0;
}

static int bearer(char **auth, const char *token, struct scute_err *err)
{
	return asprintf(auth, "Bearer %s", token) < 0 ? scute_err_set(err, ENOMEM, "auth") : 0;
}

/* The Authorization to try first: a cached token, a new one when the
 * ping asked for Bearer, Basic when it asked for that; NULL for none. */
static int first_auth(struct scute_registry *r, const char *scope, char **auth,
		      struct scute_err *err)
{
	struct scute_challenge c;
	struct scute_err ignored;
	auto_free char *challenge = NULL;
	auto_free char *token = scope ? cached_token(r, scope) : NULL;
	enum scute_auth_scheme scheme;
	bool basic;

	*auth = NULL;
	if (token)
		/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc) auto_free: cleanup.h */
		return bearer(auth, token, err);
	{
		/* cppcheck-suppress unreadVariable */
		auto_unlock pthread_mutex_t *m = lock(&r->mu);

		challenge = r->challenge ? strdup(r->challenge) : NULL;
		basic = r->basic;
	}
	if (!challenge || scute_challenge_parse(challenge, &c, &ignored) < 0)
		return 0; /* the 401 will say more */
	/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc) auto_free: cleanup.h */
	if (c.scheme == SCUTE_AUTH_BEARER && scope) {
		int rc = scute_registry_fetch_token(r, &c, scope, &token, err);

		scute_challenge_free(&c);
		if (rc < 0)
			return -1;
		return bearer(auth, token, err);
	}
	scheme = c.scheme;
	scute_challenge_free(&c);
	if (basic || scheme == SCUTE_AUTH_BASIC)
		*auth = basic_auth(r);
	return 0;
}

/* After a 401: the Authorization its challenge asks for, or NULL when we
 * have nothing to offer (no credentials for Basic). */
static int answer_401(struct scute_registry *r, const struct scute_http_resp *p, const char *scope,
		      char **auth, struct scute_err *err)
{
	struct scute_challenge c;
	auto_free char *token = NULL;
	int rc;

	*auth = NULL;
	if (!p->www_authenticate)
		return 0;
	if (scute_challenge_parse(p->www_authenticate, &c, err) < 0)
		return -1;
	if (c.scheme == SCUTE_AUTH_BASIC) {
		scute_challenge_free(&c);
		{
			/* cppcheck-suppress unreadVariable */
			auto_unlock pthread_mutex_t *m = lock(&r->mu);

			r->basic = true;
		}
		*auth = basic_auth(r);
		return 0;
	}
	rc = scute_registry_fetch_token(r, &c, c.scope ? c.scope : scope, &token, err);
	if (rc == 0 && scope && c.scope && strcmp(c.scope, scope) != 0)
		cache_token(r, scope, token, 60);
	scute_challenge_free(&c);
	if (rc < 0)
		return -1;
	return bearer(auth, token, err);
}

static void auto_free_secret(char **s)
{
	if (*s)
		explicit_bzero(*s, strlen(*s));
	free(*s);
	*s = NULL;
}

/* URL (an upload location the registry named) is the registry itself:
 * only then do credentials go to it. Elsewhere it must pass the redirect
 * rules. False with err when it does not. */
static bool same_origin(struct scute_registry *r, const char *url, bool *same,
			struct scute_err *err)
{
	struct scute_origin o;

	if (scute_origin_parse(url, &o, err) < 0)
		return false;
	return scute_redirect_check(&r->origin, &r->origin, &o, (const char *const *)r->insecure,
				    r->n_insecure, same, err) == 0;
}

/* The answer came from URL (where the redirects ended): the registry? */
static bool from_registry(const struct scute_registry *r, const char *url)
{
	struct scute_origin o;
	struct scute_err ignored;

	return scute_origin_parse(url, &o, &ignored) == 0 && scute_origin_equal(&o, &r->origin);
}

int scute_registry_request(struct scute_registry *r, const struct scute_registry_call *call,
			   struct scute_http_req *q, struct scute_http_resp *p,
			   struct scute_err *err)
{
	__attribute__((cleanup(auto_free_secret))) char *auth = NULL;
	auto_free char *url = NULL;
	bool same;

	memset(p, 0, sizeof(*p));
	if (scute_registry_ping(r, err) < 0)
		return -1;
	if (strncmp(call->path, "http", 4) == 0)
		url = strdup(call->path);
	else if (asprintf(&url, "%s%s", r->base, call->path) < 0)
		url = NULL;
	if (!url)
		return scute_err_set(err, ENOMEM, "%s", q->what);
	if (!same_origin(r, url, &same, err))
		/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc) */
		return -1;
	if (same && first_auth(r, call->scope, &auth, err) < 0)
		return -1;
	q->url = url;
	q->authorization = auth;
	if (scute_http_do(r, q, p, err) < 0)
		return -1;
	if (p->status != 401 || !same)
		return 0;
	/* Only the registry's own challenge is answered: a host it redirected
	 * to would otherwise name a token realm to send the credentials to. */
	if (!from_registry(r, p->url))
		return 0;
	/* Basic credentials already refused: asking again changes nothing. */
	if (auth && strncmp(auth, "Basic ", 6) == 0 && p->www_authenticate &&
	    strncasecmp(p->www_authenticate, "Basic", 5) == 0)
		return 0;
	auto_free_secret(&auth);
	if (answer_401(r, p, call->scope, &auth, err) < 0)
		return -1;
	if (!auth)
		return 0; /* the 401 stands */
	scute_http_resp_free(p);
	q->authorization = auth;
	return scute_http_do(r, q, p, err);
}

int scute_registry_status_error(const struct scute_http_resp *p, struct scute_err *err)
{
	char summary[512];
	int code = p->status == 401 || p->status == 403 ? EACCES
		   : p->status == 404			? ENOENT
		   : p->status == 429			? EAGAIN
		   : p->status >= 500			? EIO
							: EPROTO;

	scute_registry_error_summary(p->body ? p->body : "", p->len, summary, sizeof(summary));
	return scute_err_set(err, code, "HTTP %ld%s%s", p->status, summary[0] ? ": " : "", summary);
}
