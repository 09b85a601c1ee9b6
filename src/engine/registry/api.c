/* The API calls: manifests, blobs, uploads and login, each one request
 * (or two) through scute_registry_request, with its limits and checks. */
#include <errno.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cleanup.h"
#include "session.h"

/* REPO and REF go into URLs: only the characters a reference allows. */
static int check_names(const char *repo, const char *ref, struct scute_err *err)
{
	char shown[80];

	for (const char *p = repo; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || strchr("._-/", *p)) ||
		    (*p == '.' && p[1] == '.')) {
			scute_registry_printable(repo, strlen(repo), shown, sizeof(shown));
			return scute_err_set(err, EINVAL, "bad repository name \"%s\"", shown);
		}
	for (const char *p = ref ? ref : ""; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr("._-:", *p))) {
			scute_registry_printable(ref, strlen(ref), shown, sizeof(shown));
			return scute_err_set(err, EINVAL, "bad tag or digest \"%s\"", shown);
		}
	if (!repo[0] || repo[0] == '/' || (ref && !ref[0]))
		return scute_err_set(err, EINVAL, "empty repository, tag or digest");
	return 0;
}

static void free_resp(struct scute_http_resp *p)
{
	scute_http_resp_free(p);
}

#define auto_resp __attribute__((cleanup(free_resp)))

/* The Content-Type without parameters, printable (allocated), or NULL. */
static char *media_type_of(const char *ct)
{
	char buf[256];

	if (!ct)
		return NULL;
	size_t n = strcspn(ct, "; \t");
	scute_registry_printable(ct, n, buf, sizeof(buf));
	return strdup(buf);
}

static int check_manifest_digest(const struct scute_http_resp *p, const struct scute_digest *expect,
				 struct scute_digest *got, struct scute_err *err)
{
	struct sha256_ctx sha;
	uint8_t raw[SCUTE_SHA256_SIZE];
	struct scute_digest header;

	sha256_init(&sha);
	sha256_update(&sha, p->len, (const uint8_t *)p->body);
	sha256_digest(&sha, sizeof(raw), raw);
	scute_digest_from_sha256(raw, got);
	if (expect && strcmp(expect->str, got->str) != 0)
		return scute_err_set(err, EBADMSG, "digest mismatch: asked for %s, got %s",
				     expect->str, got->str);
	if (!p->docker_digest)
		return 0;
	if (scute_digest_parse(p->docker_digest, &header, err) < 0)
		return scute_err_prefix(err, "Docker-Content-Digest");
	if (strcmp(header.str, got->str) != 0)
		return scute_err_set(err, EBADMSG,
				     "digest mismatch: Docker-Content-Digest says %s, body is %s",
				     header.str, got->str);
	return 0;
}

static int get_manifest(struct scute_registry *r, const char *repo, const char *ref,
			const struct scute_digest *expect, char **body, size_t *len,
			char **media_type, struct scute_digest *digest, struct scute_err *err)
{
	char path[1024], scope[600];
	struct scute_digest ref_digest;
	auto_resp struct scute_http_resp p = { 0 };
	struct scute_http_req q = {
		.method = "GET",
		.body_fd = -1,
		.follow = true,
		.limit = SCUTE_MANIFEST_MAX,
		.what = "manifest",
		.accept = SCUTE_MT_OCI_MANIFEST
		", " SCUTE_MT_OCI_INDEX ", " SCUTE_MT_DOCKER_MANIFEST ", " SCUTE_MT_DOCKER_LIST,
	};
	struct scute_registry_call call = { .path = path, .scope = scope };

	if (check_names(repo, ref, err) < 0)
		return -1;
	if (!expect && strchr(ref, ':')) {
		if (scute_digest_parse(ref, &ref_digest, err) < 0)
			return -1;
		expect = &ref_digest;
	}
	snprintf(path, sizeof(path), "/v2/%s/manifests/%s", repo, ref);
	snprintf(scope, sizeof(scope), "repository:%s:pull", repo);
	if (scute_registry_request(r, &call, &q, &p, err) < 0)
		return -1;
	if (p.status != 200)
		return scute_registry_status_error(&p, err);
	if (!p.body && !(p.body = calloc(1, 1)))
		return scute_err_set(err, ENOMEM, "manifest");
	if (check_manifest_digest(&p, expect, digest, err) < 0)
		/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc) */
		return -1;
	*media_type = media_type_of(p.content_type);
	*len = p.len;
	*body = scute_take_ptr(&p.body);
	return 0;
}

int scute_registry_get_manifest(struct scute_registry *r, const char *repo, const char *ref,
				const struct scute_digest *expect, char **body, size_t *len,
				char **media_type, struct scute_digest *digest,
				struct scute_err *err)
{
	*body = NULL;
	*media_type = NULL;
	*len = 0;
	if (get_manifest(r, repo, ref, expect, body, len, media_type, digest, err) < 0)
		return scute_err_prefix(err, "registry %s: manifest %.255s%s%.80s", r->domain, repo,
					strchr(ref, ':') ? "@" : ":", ref);
	return 0;
}

int scute_registry_get_blob(struct scute_registry *r, const char *repo,
			    const struct scute_digest *digest, int64_t size,
			    scute_registry_sink sink, void *arg, struct scute_err *err)
{
	char path[1024], scope[600];
	auto_resp struct scute_http_resp p = { 0 };
	struct scute_http_req q = { .method = "GET",
				    .body_fd = -1,
				    .follow = true,
				    .limit = (size_t)(size < 0 ? 0 : size),
				    .exact = true,
				    .what = "blob",
				    .sink = sink,
				    .sink_arg = arg };
	struct scute_registry_call call = { .path = path, .scope = scope };
	int rc = 0;

	if (size < 0)
		rc = scute_err_set(err, EINVAL, "negative size %lld", (long long)size);
	else if (check_names(repo, NULL, err) < 0)
		rc = -1;
	snprintf(path, sizeof(path), "/v2/%s/blobs/%s", repo, digest->str);
	snprintf(scope, sizeof(scope), "repository:%s:pull", repo);
	if (rc == 0)
		rc = scute_registry_request(r, &call, &q, &p, err);
	if (rc == 0 && p.status != 200)
		rc = scute_registry_status_error(&p, err);
	if (rc == 0 && p.received != size)
		rc = scute_err_set(err, EPROTO, "%lld of %lld bytes", (long long)p.received,
				   (long long)size);
	if (rc < 0)
		return scute_err_prefix(err, "registry %s: blob %.255s@%s", r->domain, repo,
					digest->str);
	return 0;
}

int scute_registry_blob_exists(struct scute_registry *r, const char *repo,
			       const struct scute_digest *digest, struct scute_err *err)
{
	char path[1024], scope[600];
	auto_resp struct scute_http_resp p = { 0 };
	struct scute_http_req q = {
		.method = "HEAD", .body_fd = -1, .follow = true, .what = "blob"
	};
	struct scute_registry_call call = { .path = path, .scope = scope };
	int rc = check_names(repo, NULL, err);

	snprintf(path, sizeof(path), "/v2/%s/blobs/%s", repo, digest->str);
	snprintf(scope, sizeof(scope), "repository:%s:pull", repo);
	if (rc == 0)
		rc = scute_registry_request(r, &call, &q, &p, err);
	if (rc == 0 && (p.status == 200 || p.status == 404))
		return p.status == 200;
	if (rc == 0)
		scute_registry_status_error(&p, err);
	return scute_err_prefix(err, "registry %s: blob %.255s@%s", r->domain, repo, digest->str);
}

static void auto_url(CURLU **u)
{
	curl_url_cleanup(*u);
}

/* The upload location, resolved against the URL that gave it, with
 * ?digest= added (allocated in *OUT). */
static int upload_url(const struct scute_http_resp *p, const struct scute_digest *digest,
		      char **out, struct scute_err *err)
{
	__attribute__((cleanup(auto_url))) CURLU *u = curl_url();
	char q[128];
	char *s = NULL;

	if (!p->location)
		return scute_err_set(err, EPROTO, "upload: HTTP %ld without Location", p->status);
	snprintf(q, sizeof(q), "digest=%s", digest->str);
	if (!u || curl_url_set(u, CURLUPART_URL, p->url, 0) != CURLUE_OK ||
	    curl_url_set(u, CURLUPART_URL, p->location, 0) != CURLUE_OK ||
	    curl_url_set(u, CURLUPART_QUERY, q, CURLU_APPENDQUERY) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_URL, &s, 0) != CURLUE_OK)
		return scute_err_set(err, EPROTO, "upload: bad Location");
	*out = strdup(s);
	curl_free(s);
	return *out ? 0 : scute_err_set(err, ENOMEM, "upload");
}

static int push_blob(struct scute_registry *r, const char *repo, const struct scute_digest *digest,
		     int64_t size, int fd, struct scute_err *err)
{
	char path[1024], scope[600];
	auto_free char *put = NULL;
	auto_resp struct scute_http_resp p = { 0 };
	struct scute_http_req post = { .method = "POST", .body_fd = -1, .what = "upload" };
	struct scute_http_req q = { .method = "PUT",
				    .body_fd = fd,
				    .body_size = size,
				    .content_type = "application/octet-stream",
				    .what = "blob" };
	struct scute_registry_call call = { .path = path, .scope = scope };

	if (check_names(repo, NULL, err) < 0)
		return -1;
	if (size < 0 || fd < 0)
		return scute_err_set(err, EINVAL, "bad size or fd");
	snprintf(path, sizeof(path), "/v2/%s/blobs/uploads/", repo);
	snprintf(scope, sizeof(scope), "repository:%s:pull,push", repo);
	if (scute_registry_request(r, &call, &post, &p, err) < 0)
		return -1;
	if (p.status != 202)
		return scute_registry_status_error(&p, err);
	if (upload_url(&p, digest, &put, err) < 0)
		return -1;
	scute_http_resp_free(&p);
	call.path = put;
	if (scute_registry_request(r, &call, &q, &p, err) < 0)
		return -1;
	if (p.status != 201)
		return scute_registry_status_error(&p, err);
	return 0;
}

int scute_registry_push_blob(struct scute_registry *r, const char *repo,
			     const struct scute_digest *digest, int64_t size, int fd,
			     struct scute_err *err)
{
	if (push_blob(r, repo, digest, size, fd, err) < 0)
		return scute_err_prefix(err, "registry %s: push blob %.255s@%s", r->domain, repo,
					digest->str);
	return 0;
}

static int put_manifest(struct scute_registry *r, const char *repo, const char *ref,
			const char *media_type, const void *body, size_t len, struct scute_err *err)
{
	char path[1024], scope[600];
	auto_resp struct scute_http_resp p = { 0 };
	struct scute_http_req q = { .method = "PUT",
				    .body_fd = -1,
				    .body = body,
				    .body_len = len,
				    .content_type = media_type,
				    .what = "manifest" };
	struct scute_registry_call call = { .path = path, .scope = scope };

	if (check_names(repo, ref, err) < 0)
		return -1;
	for (const char *c = media_type; *c; c++)
		if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f)
			return scute_err_set(err, EINVAL, "bad media type");
	snprintf(path, sizeof(path), "/v2/%s/manifests/%s", repo, ref);
	snprintf(scope, sizeof(scope), "repository:%s:pull,push", repo);
	if (scute_registry_request(r, &call, &q, &p, err) < 0)
		return -1;
	return p.status == 201 ? 0 : scute_registry_status_error(&p, err);
}

int scute_registry_put_manifest(struct scute_registry *r, const char *repo, const char *ref,
				const char *media_type, const void *body, size_t len,
				struct scute_err *err)
{
	if (put_manifest(r, repo, ref, media_type, body, len, err) < 0)
		return scute_err_prefix(err, "registry %s: put manifest %.255s%s%.80s", r->domain,
					repo, strchr(ref, ':') ? "@" : ":", ref);
	return 0;
}

/* Swap the client's credentials with *USER and *PASSWORD. */
static void swap_creds(struct scute_registry *r, char **user, char **password)
{
	char *u, *pw;

	pthread_mutex_lock(&r->mu);
	u = r->user;
	pw = r->password;
	r->user = *user;
	r->password = *password;
	*user = u;
	*password = pw;
	pthread_mutex_unlock(&r->mu);
}

static void free_secret(char *s)
{
	if (s)
		explicit_bzero(s, strlen(s));
	free(s);
}

int scute_registry_login(struct scute_registry *r, const char *user, const char *password,
			 struct scute_err *err)
{
	char *u = strdup(user), *pw = strdup(password);
	auto_resp struct scute_http_resp p = { 0 };
	struct scute_http_req q = {
		.method = "GET", .body_fd = -1, .limit = SCUTE_HTTP_ERROR_BODY_MAX, .what = "login"
	};
	struct scute_registry_call call = { .path = "/v2/" };
	int rc;

	if (!u || !pw) {
		free(u);
		free_secret(pw);
		return scute_err_set(err, ENOMEM, "registry %s: login", r->domain);
	}
	swap_creds(r, &u, &pw);
	rc = scute_registry_request(r, &call, &q, &p, err);
	if (rc == 0 && p.status != 200)
		rc = scute_registry_status_error(&p, err);
	if (rc < 0)
		swap_creds(r, &u, &pw); /* the old ones stay */
	free_secret(u);
	free_secret(pw);
	if (rc < 0)
		return scute_err_prefix(err, "registry %s: login as %.64s", r->domain, user);
	return 0;
}
