#include "http.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "policy.h"
#include "session.h"

/* One exchange's state, seen by curl's callbacks. */
struct xfer {
	const struct scute_http_req *q;
	struct scute_http_resp *p;
	size_t cap;	 /* bytes allocated in p->body */
	size_t headers;	 /* header bytes read */
	int64_t off;	 /* upload position */
	bool over_limit; /* a 2xx body past q->limit */
	bool cut;	 /* an error body past its cap: kept as far as it went */
	bool too_long;	 /* headers past SCUTE_HTTP_HEADERS_MAX */
	bool sink_failed;
	struct scute_err sink_err;
};

char *scute_http_shown_url(const char *url)
{
	size_t n = strcspn(url, "?#");
	char *s = malloc(n + 4);

	if (s)
		scute_registry_printable(url, n, s, n + 4 < 300 ? n + 4 : 300);
	return s;
}

static void reset_headers(struct scute_http_resp *p)
{
	free(p->www_authenticate);
	free(p->location);
	free(p->content_type);
	free(p->docker_digest);
	p->www_authenticate = p->location = p->content_type = p->docker_digest = NULL;
}

/* Keep VALUE (LEN bytes) in *SLOT; a header given twice is one list
 * (RFC 7230), so a second WWW-Authenticate is appended. */
static bool keep_header(char **slot, const char *value, size_t len, bool list)
{
	size_t old = *slot ? strlen(*slot) : 0;
	char *s;

	if (old && !list)
		return true; /* the first one counts */
	if (old + 2 + len > SCUTE_HTTP_HEADER_VALUE_MAX)
		return false;
	s = realloc(*slot, old + 2 + len + 1);
	if (!s)
		return false;
	if (old)
		memcpy(s + old, ", ", 2), old += 2;
	memcpy(s + old, value, len);
	s[old + len] = '\0';
	*slot = s;
	return true;
}

static size_t on_header(char *buf, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;
	size_t len = size * n, nl = len;
	const char *colon = memchr(buf, ':', len);
	const char *v;

	x->headers += len;
	if (x->headers > SCUTE_HTTP_HEADERS_MAX) {
		x->too_long = true;
		return 0;
	}
	while (nl > 0 && (buf[nl - 1] == '\n' || buf[nl - 1] == '\r'))
		nl--;
	if (len > 5 && strncmp(buf, "HTTP/", 5) == 0) {
		/* A new response (after a 100 Continue): its own headers only. */
		const char *sp = memchr(buf, ' ', nl);

		reset_headers(x->p);
		x->p->status = sp ? strtol(sp + 1, NULL, 10) : 0;
		return len;
	}
	if (!colon)
		return len;
	v = colon + 1;
	while (v < buf + nl && (*v == ' ' || *v == '\t'))
		v++;
	size_t name = (size_t)(colon - buf),
	       vl = nl > (size_t)(v - buf) ? nl - (size_t)(v - buf) : 0;
	char **slot = name == 16 && strncasecmp(buf, "WWW-Authenticate", 16) == 0
			      ? &x->p->www_authenticate
		      : name == 8 && strncasecmp(buf, "Location", 8) == 0 ? &x->p->location
		      : name == 12 && strncasecmp(buf, "Content-Type", 12) == 0
			      ? &x->p->content_type
		      : name == 21 && strncasecmp(buf, "Docker-Content-Digest", 21) == 0
			      ? &x->p->docker_digest
			      : NULL;
	if (slot && !keep_header(slot, v, vl, slot == &x->p->www_authenticate)) {
		x->too_long = true;
		return 0;
	}
	return len;
}

static bool grow(struct xfer *x, size_t want)
{
	size_t cap = x->cap ? x->cap : 4096;
	char *b;

	while (cap < want + 1)
		cap *= 2;
	if (cap == x->cap)
		return true;
	b = realloc(x->p->body, cap);
	if (!b)
		return false;
	x->p->body = b;
	x->cap = cap;
	return true;
}

/* curl's progress callback (often, and at least once a second even when
 * nothing arrives): the sink may stop the transfer. */
static int on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
		       curl_off_t ulnow)
{
	struct xfer *x = arg;

	(void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
	if (x->q->sink(x->q->sink_arg, NULL, 0, &x->sink_err) < 0) {
		x->sink_failed = true;
		return 1;
	}
	return 0;
}

static size_t on_body(char *buf, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;
	size_t len = size * n;
	bool ok = x->p->status >= 200 && x->p->status < 300;
	size_t cap = ok ? x->q->limit : SCUTE_HTTP_ERROR_BODY_MAX;

	if (ok && (uint64_t)x->p->received + len > x->q->limit) {
		x->over_limit = true;
		return 0;
	}
	if (ok && x->q->sink) {
		if (x->q->sink(x->q->sink_arg, buf, len, &x->sink_err) < 0) {
			x->sink_failed = true;
			return 0;
		}
		x->p->received += (int64_t)len;
		return len;
	}
	if (!ok && x->p->len + len > cap) {
		len = cap - x->p->len; /* enough to say what went wrong */
		x->cut = true;
	}
	if (!grow(x, x->p->len + len)) {
		x->sink_failed = true;
		scute_err_set(&x->sink_err, ENOMEM, "%s", x->q->what);
		return 0;
	}
	memcpy(x->p->body + x->p->len, buf, len);
	x->p->len += len;
	x->p->body[x->p->len] = '\0';
	if (ok)
		x->p->received += (int64_t)len;
	return x->cut ? 0 : len;
}

static size_t on_read(char *buf, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;
	size_t len = size * n;
	int64_t left =
		x->q->body_fd >= 0 ? x->q->body_size - x->off : (int64_t)x->q->body_len - x->off;
	ssize_t got;

	if (left <= 0)
		return 0;
	if ((int64_t)len > left)
		len = (size_t)left;
	if (x->q->body_fd < 0) {
		memcpy(buf, (const char *)x->q->body + x->off, len);
		got = (ssize_t)len;
	} else {
		got = pread(x->q->body_fd, buf, len, (off_t)x->off);
		if (got <= 0) {
			x->sink_failed = true;
			if (got < 0)
				scute_err_sys(&x->sink_err, "read %s", x->q->what);
			else
				scute_err_set(&x->sink_err, EIO,
					      "read %s: file shorter than %lld bytes", x->q->what,
					      (long long)x->q->body_size);
			return CURL_READFUNC_ABORT;
		}
	}
	x->off += got;
	return (size_t)got;
}

static void auto_slist(struct curl_slist **l)
{
	curl_slist_free_all(*l);
}

static void auto_easy(CURL **h)
{
	curl_easy_cleanup(*h);
}

/* The request's headers; Authorization only when SEND_AUTH. */
static struct curl_slist *headers(const struct scute_http_req *q, bool send_auth)
{
	struct curl_slist *l = NULL, *n;
	char line[SCUTE_TOKEN_MAX + 64];
	const char *h[3] = { q->accept, q->content_type, send_auth ? q->authorization : NULL };
	const char *names[3] = { "Accept", "Content-Type", "Authorization" };

	/* No 100-continue round trip; and a registry's answer to an upload is
	 * read before the body is sent anyway. */
	if (!(l = curl_slist_append(l, "Expect:")))
		return NULL;
	for (int i = 0; i < 3; i++) {
		if (!h[i])
			continue;
		snprintf(line, sizeof(line), "%s: %s", names[i], h[i]);
		n = curl_slist_append(l, line);
		explicit_bzero(line, sizeof(line));
		if (!n) {
			curl_slist_free_all(l);
			return NULL;
		}
		l = n;
	}
	return l;
}

static void set_method(CURL *h, const struct scute_http_req *q, struct xfer *x)
{
	int64_t size = q->body_fd >= 0 ? q->body_size : (int64_t)q->body_len;

	curl_easy_setopt(h, CURLOPT_READFUNCTION, on_read);
	curl_easy_setopt(h, CURLOPT_READDATA, x);
	if (strcmp(q->method, "HEAD") == 0) {
		curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
	} else if (strcmp(q->method, "POST") == 0) {
		curl_easy_setopt(h, CURLOPT_POST, 1L);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)size);
	} else if (strcmp(q->method, "PUT") == 0) {
		curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
		curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)size);
	}
}

/* The settings every exchange has: TLS verified (the extra CAs, the
 * client certificate only for the registry itself), http and https only,
 * no redirects by curl, timeouts, no signals (threads). */
static void set_common(CURL *h, struct scute_registry *r, const struct scute_origin *to,
		       char *errbuf)
{
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	if (r->cafd >= 0)
		curl_easy_setopt(h, CURLOPT_CAINFO, r->ca_path);
	if (r->client_cert && to->https && strcmp(to->host, r->origin.host) == 0 &&
	    to->port == r->origin.port) {
		curl_easy_setopt(h, CURLOPT_SSLCERT, r->client_cert);
		curl_easy_setopt(h, CURLOPT_SSLKEY, r->client_key);
	}
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, r->connect_timeout);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, r->stall_timeout);
	curl_easy_setopt(h, CURLOPT_USERAGENT, r->user_agent);
	curl_easy_setopt(h, CURLOPT_SHARE, r->share);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_NETRC, (long)CURL_NETRC_IGNORED);
}

static int curl_error(CURLcode rc, const char *errbuf, struct scute_http_resp *p,
		      struct scute_err *err)
{
	const char *why = errbuf[0] ? errbuf : curl_easy_strerror(rc);
	int code = EPROTO;

	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT: code = ETIMEDOUT; break;
	case CURLE_COULDNT_CONNECT: code = ECONNREFUSED; break;
	case CURLE_COULDNT_RESOLVE_HOST: code = EHOSTUNREACH; break;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR: p->tls_refused = true; break;
	default: break;
	}
	return scute_err_set(err, code, "%s", why);
}

/* One request to URL (origin TO), no redirect followed; *NEXT gets the
 * redirect's target when there is one. */
static int hop(struct scute_registry *r, const struct scute_http_req *q, const char *url,
	       const struct scute_origin *to, bool send_auth, struct xfer *x, char **next,
	       struct scute_err *err)
{
	__attribute__((cleanup(auto_easy))) CURL *h = curl_easy_init();
	__attribute__((cleanup(auto_slist))) struct curl_slist *hl = headers(q, send_auth);
	char errbuf[CURL_ERROR_SIZE] = "";
	const char *redirect = NULL;
	CURLcode rc;

	if (!h || !hl)
		return scute_err_set(err, ENOMEM, "%s", q->what);
	set_common(h, r, to, errbuf);
	set_method(h, q, x);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hl);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, x);
	if (q->sink) {
		curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
		curl_easy_setopt(h, CURLOPT_XFERINFODATA, x);
		curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	}
	rc = curl_easy_perform(h);
	if (x->too_long)
		return scute_err_set(err, EPROTO, "response headers longer than %d bytes",
				     SCUTE_HTTP_HEADERS_MAX);
	if (x->over_limit)
		return x->q->exact ? scute_err_set(err, EFBIG, "more than %zu bytes (endless body)",
						   q->limit)
				   : scute_err_set(err, EFBIG, "body larger than %zu bytes (limit)",
						   q->limit);
	if (x->sink_failed) {
		*err = x->sink_err;
		return -1;
	}
	if (rc != CURLE_OK && !(rc == CURLE_WRITE_ERROR && x->cut))
		return curl_error(rc, errbuf, x->p, err);
	if (curl_easy_getinfo(h, CURLINFO_REDIRECT_URL, &redirect) == CURLE_OK && redirect &&
	    !(*next = strdup(redirect)))
		return scute_err_set(err, ENOMEM, "%s", q->what);
	return 0;
}

static bool is_redirect(long status)
{
	return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

static void reset_resp(struct scute_http_resp *p)
{
	reset_headers(p);
	free(p->body);
	p->body = NULL;
	p->len = 0;
	p->status = 0;
	p->received = 0;
}

static int follow(struct scute_registry *r, const struct scute_http_req *q,
		  struct scute_http_resp *p, struct scute_err *err)
{
	struct scute_origin auth_origin, from, to;
	bool send_auth = true;

	if (scute_origin_parse(q->url, &auth_origin, err) < 0)
		return -1;
	from = auth_origin;
	to = auth_origin;
	for (int n = 0;; n++) {
		struct xfer x = { .q = q, .p = p };
		auto_free char *next = NULL;

		reset_resp(p);
		if (hop(r, q, p->url, &to, send_auth, &x, &next, err) < 0)
			return -1;
		if (!q->follow || !is_redirect(p->status))
			/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc) */
			return 0;
		if (!next)
			return scute_err_set(err, EPROTO, "HTTP %ld without a usable Location",
					     p->status);
		if (n == SCUTE_REGISTRY_REDIRECTS)
			return scute_err_set(err, EPROTO, "more than %d redirects",
					     SCUTE_REGISTRY_REDIRECTS);
		if (scute_origin_parse(next, &to, err) < 0)
			return scute_err_prefix(err, "redirect");
		if (scute_redirect_check(&auth_origin, &from, &to, (const char *const *)r->insecure,
					 r->n_insecure, &send_auth, err) < 0)
			return -1;
		from = to;
		free(p->url);
		p->url = scute_take_ptr(&next);
	}
}

int scute_http_do(struct scute_registry *r, const struct scute_http_req *q,
		  struct scute_http_resp *p, struct scute_err *err)
{
	auto_free char *shown = NULL;

	memset(p, 0, sizeof(*p));
	p->url = strdup(q->url);
	if (!p->url)
		return scute_err_set(err, ENOMEM, "%s", q->what);
	if (follow(r, q, p, err) == 0)
		return 0;
	shown = scute_http_shown_url(p->url);
	return scute_err_prefix(err, "%s %s", q->method, shown ? shown : "");
}

void scute_http_resp_free(struct scute_http_resp *p)
{
	reset_resp(p);
	free(p->url);
	p->url = NULL;
}
