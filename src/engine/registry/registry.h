/* The registry client: the Docker Registry HTTP API v2 (OCI distribution)
 * over libcurl, for pull, push and login. Everything a registry sends is
 * untrusted: bodies and headers have limits, digests are checked, and
 * the transport's rules hold whatever the registry answers:
 *
 * - HTTPS is verified against the system CAs plus CERTS_DIR/HOST:PORT/NAME.crt
 *   (docker's certs.d; client.cert/client.key there give a client
 *   certificate). Verification is never turned off.
 * - Plain HTTP only to loopback or a registry in `insecure`, and only when
 *   HTTPS fails there for another reason than a certificate (docker tries
 *   HTTPS first too).
 * - Redirects are followed by us, at most SCUTE_REGISTRY_REDIRECTS, never
 *   from https to http, and the Authorization header and client
 *   certificate go only to the origin they were meant for.
 * - 401: a Bearer challenge gets a token from its realm (with the
 *   credentials when known; the realm must be https unless plain HTTP is
 *   allowed to it), a Basic one the credentials.
 * - A stalled registry fails: connect timeout, and a transfer slower than
 *   one byte a second for `stall_timeout` seconds is cut.
 *
 * Errors name the registry, the repository and what failed: "registry
 * localhost:5000: manifest library/busybox:latest: HTTP 404:
 * MANIFEST_UNKNOWN: manifest unknown". err->code tells the kind: EACCES
 * (refused credentials, 401/403), ENOENT (404), EBADMSG (a digest
 * mismatch), EFBIG (a body past its limit), EPERM (a redirect or scheme
 * the rules refuse), ETIMEDOUT, ECONNREFUSED, EPROTO (anything else the
 * registry got wrong), EIO (5xx).
 *
 * A struct scute_registry may be used from several threads at once. */
#ifndef SCUTE_ENGINE_REGISTRY_H
#define SCUTE_ENGINE_REGISTRY_H

#include <stddef.h>
#include <stdint.h>

#include "digest.h"
#include "scute.h"

/* The largest manifest or index taken, and the largest token response. */
#define SCUTE_MANIFEST_MAX (4 << 20)
#define SCUTE_TOKEN_RESPONSE_MAX (1 << 20)
/* Redirects followed for one request. */
#define SCUTE_REGISTRY_REDIRECTS 5

/* The media types a manifest GET accepts. */
#define SCUTE_MT_OCI_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define SCUTE_MT_OCI_INDEX "application/vnd.oci.image.index.v1+json"
#define SCUTE_MT_DOCKER_MANIFEST "application/vnd.docker.distribution.manifest.v2+json"
#define SCUTE_MT_DOCKER_LIST "application/vnd.docker.distribution.manifest.list.v2+json"

struct scute_registry_opts {
	const char *certs_dir;	     /* NULL: /etc/docker/certs.d */
	const char *const *insecure; /* docker's insecure-registries: "host[:port]" or CIDR */
	size_t n_insecure;
	const char *config_path; /* docker config.json; NULL: scute_credentials_default_path */
	const char *user_agent;	 /* NULL: "scute/VERSION" */
	long connect_timeout;	 /* seconds; 0: 30 */
	long stall_timeout;	 /* seconds under 1 byte/s before a transfer is cut; 0: 60 */
};

struct scute_registry;

/* A client for DOMAIN as a reference names it ("docker.io", which is
 * served by registry-1.docker.io; "localhost:5000"; "[::1]:5000").
 * Credentials for it are read from the config file now (an ENOTSUP error
 * when a credential helper keeps them); nothing is sent yet. NULL with
 * err on failure. */
struct scute_registry *scute_registry_open(const struct scute_registry_opts *o, const char *domain,
					   struct scute_err *err);
void scute_registry_close(struct scute_registry *r);

/* Get the manifest (or index) REF ("latest", or "sha256:...") of REPO
 * ("library/busybox"): *BODY (LEN bytes, NUL-terminated, the caller's to
 * free), *MEDIA_TYPE (the Content-Type without parameters; NULL when the
 * registry sent none; the caller's to free) and *DIGEST, the SHA-256 of
 * the body. That digest must equal EXPECT when given (and REF when it is
 * a digest) and the Docker-Content-Digest header when the registry sends
 * one: a mismatch is an EBADMSG error naming both. */
int scute_registry_get_manifest(struct scute_registry *r, const char *repo, const char *ref,
				const struct scute_digest *expect, char **body, size_t *len,
				char **media_type, struct scute_digest *digest,
				struct scute_err *err);

/* The sink of a blob's bytes: 0, or -1 with err to stop the download. It
 * is also called with BUF NULL and LEN 0 at least once a second while the
 * transfer runs, bytes flowing or not, so that a caller can stop a
 * download that sends nothing. */
typedef int (*scute_registry_sink)(void *arg, const void *buf, size_t len, struct scute_err *err);

/* Stream blob DIGEST of REPO, SIZE bytes, to SINK. A body longer than
 * SIZE is cut at once (EFBIG, "endless body"), a shorter one is an EPROTO
 * error. The content is not hashed here: the sink (the blob store)
 * verifies it. */
int scute_registry_get_blob(struct scute_registry *r, const char *repo,
			    const struct scute_digest *digest, int64_t size,
			    scute_registry_sink sink, void *arg, struct scute_err *err);

/* 1 when REPO has blob DIGEST (HEAD), 0 when not, -1 with err. */
int scute_registry_blob_exists(struct scute_registry *r, const char *repo,
			       const struct scute_digest *digest, struct scute_err *err);

/* Upload SIZE bytes read from FD (from offset 0, with pread) as blob
 * DIGEST of REPO: a POST for an upload location, then one PUT with the
 * whole body (a monolithic upload). */
int scute_registry_push_blob(struct scute_registry *r, const char *repo,
			     const struct scute_digest *digest, int64_t size, int fd,
			     struct scute_err *err);

/* PUT manifest BODY (LEN bytes, MEDIA_TYPE) as REF (a tag or a digest) of
 * REPO. */
int scute_registry_put_manifest(struct scute_registry *r, const char *repo, const char *ref,
				const char *media_type, const void *body, size_t len,
				struct scute_err *err);

/* Check USER and PASSWORD against the registry (GET /v2/, then the Basic
 * or Bearer flow its challenge asks for); EACCES when refused. On success
 * the client uses them from then on. Storing them is the caller's
 * (credentials.h). */
int scute_registry_login(struct scute_registry *r, const char *user, const char *password,
			 struct scute_err *err);

/* The config.json key of this registry's credentials (credentials.h). */
const char *scute_registry_credentials_key(const struct scute_registry *r);

#endif
