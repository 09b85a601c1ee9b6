#include "policy.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cleanup.h"

static void auto_url_cleanup(CURLU **u)
{
	curl_url_cleanup(*u);
}

static void auto_curl_free(char **p)
{
	curl_free(*p);
}

int scute_origin_parse(const char *url, struct scute_origin *o, struct scute_err *err)
{
	__attribute__((cleanup(auto_url_cleanup))) CURLU *u = curl_url();
	__attribute__((cleanup(auto_curl_free))) char *scheme = NULL;
	__attribute__((cleanup(auto_curl_free))) char *host = NULL;
	__attribute__((cleanup(auto_curl_free))) char *port = NULL;
	__attribute__((cleanup(auto_curl_free))) char *user = NULL;
	char shown[128];
	size_t hl;

	scute_registry_printable(url, strlen(url), shown, sizeof(shown));
	if (!u)
		return scute_err_set(err, ENOMEM, "URL \"%s\"", shown);
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) != CURLUE_OK)
		return scute_err_set(err, EINVAL, "URL \"%s\": not an absolute URL", shown);
	if (strcmp(scheme, "https") != 0 && strcmp(scheme, "http") != 0)
		return scute_err_set(err, EINVAL, "URL \"%s\": scheme %s (want http or https)",
				     shown, scheme);
	/* Credentials in a URL would be sent by curl behind our back. */
	if (curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK)
		return scute_err_set(err, EINVAL, "URL \"%s\": user information in a URL", shown);
	o->https = strcmp(scheme, "https") == 0;
	hl = strlen(host);
	if (host[0] == '[' && hl > 2 && host[hl - 1] == ']') {
		memmove(host, host + 1, hl - 2);
		host[hl - 2] = '\0';
		hl -= 2;
	}
	if (hl == 0 || hl >= sizeof(o->host))
		return scute_err_set(err, EINVAL, "URL \"%s\": bad host", shown);
	for (size_t i = 0; i <= hl; i++)
		o->host[i] = (char)tolower((unsigned char)host[i]);
	o->port = (unsigned)strtoul(port, NULL, 10);
	return 0;
}

bool scute_origin_equal(const struct scute_origin *a, const struct scute_origin *b)
{
	return a->https == b->https && a->port == b->port && strcmp(a->host, b->host) == 0;
}

bool scute_host_is_loopback(const char *host)
{
	struct in_addr a4;
	struct in6_addr a6;

	if (strcasecmp(host, "localhost") == 0)
		return true;
	if (inet_pton(AF_INET, host, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	return inet_pton(AF_INET6, host, &a6) == 1 && IN6_IS_ADDR_LOOPBACK(&a6);
}

/* HOST is an IP literal inside the CIDR ENTRY ("a.b.c.d/n", "x::/n"). */
static bool in_cidr(const char *host, const char *entry)
{
	char net[64];
	const char *slash = strchr(entry, '/');
	unsigned char h[16], n[16];
	int af = strchr(entry, ':') ? AF_INET6 : AF_INET;
	size_t len = af == AF_INET6 ? 16 : 4;
	char *end;
	unsigned long bits;

	if (!slash || (size_t)(slash - entry) >= sizeof(net))
		return false;
	memcpy(net, entry, (size_t)(slash - entry));
	net[slash - entry] = '\0';
	bits = strtoul(slash + 1, &end, 10);
	if (!slash[1] || *end || bits > len * 8 || inet_pton(af, net, n) != 1 ||
	    inet_pton(af, host, h) != 1)
		return false;
	for (size_t i = 0; i < len && bits > 0; i++, bits = bits >= 8 ? bits - 8 : 0) {
		unsigned char mask = bits >= 8 ? 0xff : (unsigned char)(0xff << (8 - bits));

		if ((h[i] & mask) != (n[i] & mask))
			return false;
	}
	return true;
}

/* ENTRY is "host", "host:port", "[v6]:port" or a bare IPv6 literal. */
static bool names_host(const char *host, unsigned port, const char *entry)
{
	char name[SCUTE_HOST_MAX];
	const char *colon = strrchr(entry, ':');
	const char *p = NULL;
	size_t len;

	if (entry[0] == '[') {
		const char *close = strchr(entry, ']');

		if (!close)
			return false;
		len = (size_t)(close - entry - 1);
		entry++;
		if (close[1] == ':')
			p = close + 2;
		else if (close[1])
			return false;
	} else if (colon && colon == strchr(entry, ':')) {
		len = (size_t)(colon - entry);
		p = colon + 1;
	} else {
		len = strlen(entry); /* a name, or an IPv6 literal without a port */
	}
	if (len == 0 || len >= sizeof(name))
		return false;
	memcpy(name, entry, len);
	name[len] = '\0';
	if (strcasecmp(name, host) != 0)
		return false;
	if (!p)
		return true;
	char *end;
	unsigned long want = strtoul(p, &end, 10);
	return *p && !*end && want == port;
}

bool scute_plain_http_allowed(const char *host, unsigned port, const char *const *insecure,
			      size_t n_insecure)
{
	if (scute_host_is_loopback(host))
		return true;
	for (size_t i = 0; i < n_insecure; i++) {
		const char *e = insecure[i];

		if (strchr(e, '/') ? in_cidr(host, e) : names_host(host, port, e))
			return true;
	}
	return false;
}

int scute_redirect_check(const struct scute_origin *auth_origin, const struct scute_origin *from,
			 const struct scute_origin *to, const char *const *insecure,
			 size_t n_insecure, bool *send_auth, struct scute_err *err)
{
	*send_auth = false;
	if (from->https && !to->https)
		return scute_err_set(err, EPERM,
				     "redirect from https to http://%s:%u refused (a downgrade)",
				     to->host, to->port);
	if (!to->https && !scute_plain_http_allowed(to->host, to->port, insecure, n_insecure))
		return scute_err_set(
			err, EPERM,
			"redirect to http://%s:%u refused (plain HTTP only to loopback or insecure registries)",
			to->host, to->port);
	*send_auth = scute_origin_equal(auth_origin, to);
	return 0;
}

void scute_registry_printable(const char *s, size_t len, char *out, size_t size)
{
	size_t n = 0, i = 0;

	for (; i < len && n + 4 < size; i++) {
		char c = s[i];

		if ((unsigned char)c < 0x20 || (unsigned char)c >= 0x7f)
			c = '?';
		out[n++] = c;
	}
	if (i < len)
		out[n++] = '.', out[n++] = '.', out[n++] = '.';
	out[n] = '\0';
}
