/* Opening a client: the domain's host, the TLS material of certs.d, the
 * credentials, and libcurl's share handle (DNS cache and TLS sessions for
 * every thread; connections are not shared, as libcurl does not support
 * that between threads running at once). */
#include "registry.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "credentials.h"
#include "session.h"

#define CERTS_DIR "/etc/docker/certs.d"
/* The largest CA file read (the system bundle is about 200 KiB). */
#define CA_FILE_MAX (4 << 20)

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc;

static void init_curl(void)
{
	curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

static void share_lock(CURL *h, curl_lock_data data, curl_lock_access access, void *arg)
{
	struct scute_registry *r = arg;

	(void)h;
	(void)access;
	pthread_mutex_lock(&r->share_mu[data]);
}

static void share_unlock(CURL *h, curl_lock_data data, void *arg)
{
	struct scute_registry *r = arg;

	(void)h;
	pthread_mutex_unlock(&r->share_mu[data]);
}

/* DOMAIN is host[:port] or [v6]:port, nothing a URL could read as more. */
static int split_domain(struct scute_registry *r, const char *domain, struct scute_err *err)
{
	const char *host = strcmp(domain, "docker.io") == 0 ? "registry-1.docker.io" : domain;
	const char *end, *colon;
	size_t hl;

	if (!host[0] || strlen(host) >= SCUTE_HOST_MAX)
		return scute_err_set(err, EINVAL, "bad registry domain");
	for (const char *p = host; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr(".-:[]", *p))
			return scute_err_set(err, EINVAL, "bad character in the registry domain");
	end = host[0] == '[' ? strchr(host, ']') : NULL;
	if (host[0] == '[' && !end)
		return scute_err_set(err, EINVAL, "bad IPv6 literal in the registry domain");
	colon = strrchr(end ? end : host, ':');
	if (colon && end && colon != end + 1)
		colon = NULL;
	hl = end ? (size_t)(end - host - 1) : colon ? (size_t)(colon - host) : strlen(host);
	if (colon) {
		char *e;
		unsigned long port = strtoul(colon + 1, &e, 10);

		if (!colon[1] || *e || port == 0 || port > 65535)
			return scute_err_set(err, EINVAL, "bad port in the registry domain");
		r->port = (unsigned)port;
	}
	r->host = strdup(host);
	r->hostname = strndup(end ? host + 1 : host, hl);
	if (!r->host || !r->hostname)
		return scute_err_set(err, ENOMEM, "registry");
	for (char *p = r->hostname; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	/* HTTPS until the ping says otherwise: the client certificate goes
	 * to this origin, the ping's included. */
	r->origin.https = true;
	snprintf(r->origin.host, sizeof(r->origin.host), "%s", r->hostname);
	r->origin.port = r->port ? r->port : 443;
	r->plain_ok = scute_plain_http_allowed(r->hostname, r->port ? r->port : 80,
					       (const char *const *)r->insecure, r->n_insecure);
	return 0;
}

/* Append the file at PATH to FD. */
static int append_file(int fd, const char *path, struct scute_err *err)
{
	auto_fd int in = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	char buf[65536];
	ssize_t n;
	size_t total = 0;

	if (in < 0)
		return scute_err_sys(err, "%s", path);
	while ((n = read(in, buf, sizeof(buf))) > 0) {
		total += (size_t)n;
		if (total > CA_FILE_MAX)
			return scute_err_set(err, EFBIG, "%s: larger than %d bytes", path,
					     CA_FILE_MAX);
		if (write(fd, buf, (size_t)n) != n)
			return scute_err_sys(err, "CA bundle");
	}
	if (n < 0)
		return scute_err_sys(err, "read %s", path);
	return write(fd, "\n", 1) == 1 ? 0 : scute_err_sys(err, "CA bundle");
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t l = strlen(s), sl = strlen(suffix);

	return l > sl && strcmp(s + l - sl, suffix) == 0;
}

/* The memfd of the CA bundle, made on the first NAME.crt: curl's default
 * CA file first (when the build has one; the default CA directory stays
 * in use beside CAINFO either way), so that the system CAs stay trusted. */
static int start_bundle(struct scute_registry *r, struct scute_err *err)
{
	CURL *h = curl_easy_init();
	const char *system = NULL;
	int rc = 0;

	if (!h)
		return scute_err_set(err, ENOMEM, "CA bundle");
	curl_easy_getinfo(h, CURLINFO_CAINFO, &system);
	r->cafd = memfd_create("scute-registry-ca", MFD_CLOEXEC);
	if (r->cafd < 0)
		rc = scute_err_sys(err, "memfd_create");
	else if (system)
		rc = append_file(r->cafd, system, err);
	curl_easy_cleanup(h);
	snprintf(r->ca_path, sizeof(r->ca_path), "/proc/self/fd/%d", r->cafd);
	return rc;
}

/* DIR's NAME.crt files, trusted for this registry (as docker does). */
static int load_cas(struct scute_registry *r, const char *dir, DIR *d, struct scute_err *err)
{
	struct dirent *e;

	while ((e = readdir(d))) {
		char path[4096];

		if (e->d_name[0] == '.' || !ends_with(e->d_name, ".crt"))
			continue;
		if (r->cafd < 0 && start_bundle(r, err) < 0)
			return -1;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (append_file(r->cafd, path, err) < 0)
			return -1;
	}
	return 0;
}

/* certs.d/DOMAIN: *.crt trusted for it, client.cert + client.key offered to it. */
static int load_certs(struct scute_registry *r, const char *certs_dir, const char *domain,
		      struct scute_err *err)
{
	auto_free char *dir = NULL;
	auto_closedir DIR *d = NULL;
	struct stat cert, key;

	if (asprintf(&dir, "%s/%s", certs_dir, domain) < 0)
		return scute_err_set(err, ENOMEM, "certs");
	d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : scute_err_sys(err, "%s", dir);
	if (load_cas(r, dir, d, err) < 0)
		return scute_err_prefix(err, "%s", dir);
	bool has_cert = 0, has_key = 0;
	if (asprintf(&r->client_cert, "%s/client.cert", dir) < 0 ||
	    asprintf(&r->client_key, "%s/client.key", dir) < 0)
		return scute_err_set(err, ENOMEM, "certs");
	has_cert = stat(r->client_cert, &cert) == 0;
	has_key = stat(r->client_key, &key) == 0;
	if (has_cert != has_key)
		return scute_err_set(err, EINVAL, "%s: client.cert and client.key go together",
				     dir);
	if (!has_cert) {
		free(r->client_cert);
		free(r->client_key);
		r->client_cert = r->client_key = NULL;
	}
	return 0;
}

/* The insecure list as one block: the pointers, then the strings. */
static int copy_opts(struct scute_registry *r, const struct scute_registry_opts *o,
		     struct scute_err *err)
{
	size_t size = (o->n_insecure + 1) * sizeof(char *);
	char *p;

	for (size_t i = 0; i < o->n_insecure; i++)
		size += strlen(o->insecure[i]) + 1;
	r->insecure = malloc(size);
	if (!r->insecure)
		return scute_err_set(err, ENOMEM, "registry");
	p = (char *)(r->insecure + o->n_insecure + 1);
	for (size_t i = 0; i < o->n_insecure; i++) {
		r->insecure[i] = p;
		p = stpcpy(p, o->insecure[i]) + 1;
	}
	r->insecure[o->n_insecure] = NULL;
	r->n_insecure = o->n_insecure;
	if (o->user_agent)
		r->user_agent = strdup(o->user_agent);
	else
		r->user_agent = strdup("scute/" SCUTE_VERSION);
	r->connect_timeout = o->connect_timeout > 0 ? o->connect_timeout : 30;
	r->stall_timeout = o->stall_timeout > 0 ? o->stall_timeout : 60;
	return r->user_agent ? 0 : scute_err_set(err, ENOMEM, "registry");
}

static int open_share(struct scute_registry *r, struct scute_err *err)
{
	for (int i = 0; i < CURL_LOCK_DATA_LAST; i++)
		pthread_mutex_init(&r->share_mu[i], NULL);
	r->share = curl_share_init();
	if (!r->share)
		return scute_err_set(err, ENOMEM, "curl share handle");
	curl_share_setopt(r->share, CURLSHOPT_LOCKFUNC, share_lock);
	curl_share_setopt(r->share, CURLSHOPT_UNLOCKFUNC, share_unlock);
	curl_share_setopt(r->share, CURLSHOPT_USERDATA, r);
	curl_share_setopt(r->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
	curl_share_setopt(r->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
	return 0;
}

static int load_credentials(struct scute_registry *r, const char *path, struct scute_err *err)
{
	auto_free char *def = NULL;

	if (!path) {
		struct scute_err ignored;

		def = scute_credentials_default_path(&ignored);
		if (!def)
			return 0; /* no home: anonymous */
		path = def;
	}
	return scute_credentials_lookup(path, r->cred_key, &r->user, &r->password, err) < 0 ? -1
											    : 0;
}

static int open_parts(struct scute_registry *r, const struct scute_registry_opts *o,
		      const char *domain, struct scute_err *err)
{
	pthread_once(&curl_once, init_curl);
	if (curl_init_rc != CURLE_OK)
		return scute_err_set(err, EIO, "curl_global_init: %s",
				     curl_easy_strerror(curl_init_rc));
	if (!(r->domain = strdup(domain)))
		return scute_err_set(err, ENOMEM, "registry");
	r->cred_key = scute_credentials_key(r->domain);
	if (copy_opts(r, o, err) < 0 || split_domain(r, domain, err) < 0 || open_share(r, err) < 0)
		return -1;
	if (load_certs(r, o->certs_dir ? o->certs_dir : CERTS_DIR, domain, err) < 0)
		return -1;
	return load_credentials(r, o->config_path, err);
}

struct scute_registry *scute_registry_open(const struct scute_registry_opts *o, const char *domain,
					   struct scute_err *err)
{
	struct scute_registry *r = calloc(1, sizeof(*r));
	char shown[80];

	if (!r) {
		scute_err_set(err, ENOMEM, "registry");
		return NULL;
	}
	r->cafd = -1;
	pthread_mutex_init(&r->mu, NULL);
	if (open_parts(r, o, domain, err) < 0) {
		scute_registry_printable(domain, strlen(domain), shown, sizeof(shown));
		scute_err_prefix(err, "registry %s", shown);
		scute_registry_close(r);
		return NULL;
	}
	return r;
}

static void free_secret(char *s)
{
	if (s)
		explicit_bzero(s, strlen(s));
	free(s);
}

void scute_registry_close(struct scute_registry *r)
{
	if (!r)
		return;
	if (r->share) {
		curl_share_cleanup(r->share);
		for (int i = 0; i < CURL_LOCK_DATA_LAST; i++)
			pthread_mutex_destroy(&r->share_mu[i]);
	}
	for (int i = 0; i < SCUTE_TOKEN_CACHE; i++) {
		free(r->tokens[i].scope);
		free_secret(r->tokens[i].token);
	}
	free(r->insecure);
	if (r->cafd >= 0)
		close(r->cafd);
	free_secret(r->user);
	free_secret(r->password);
	free(r->domain);
	free(r->host);
	free(r->hostname);
	free(r->user_agent);
	free(r->client_cert);
	free(r->client_key);
	free(r->base);
	free(r->challenge);
	pthread_mutex_destroy(&r->mu);
	free(r);
}

const char *scute_registry_credentials_key(const struct scute_registry *r)
{
	return r->cred_key;
}
