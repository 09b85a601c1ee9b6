#include "reference.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_DOMAIN "docker.io"
#define LEGACY_DOMAIN "index.docker.io"
#define OFFICIAL_PREFIX "library/"
/* Anything longer is refused before it is looked at: the longest valid
 * reference is a name, ':' and a tag, '@' and a digest. */
#define REF_MAX (SCUTE_REF_NAME_MAX + 1 + SCUTE_REF_TAG_MAX + 1 + SCUTE_DIGEST_LEN)

/* The value as an error may show it: untrusted text, so at most 80
 * characters and nothing a terminal would act on (as digest.c). */
static void printable(const char *s, char *out, size_t size)
{
	size_t n = 0;

	for (; *s && n + 4 < size && n < 80; s++) {
		char c = *s;

		if ((unsigned char)c < 0x20 || (unsigned char)c >= 0x7f)
			c = '?';
		out[n++] = c;
	}
	if (*s)
		out[n++] = '.', out[n++] = '.', out[n++] = '.';
	out[n] = '\0';
}

static int refuse(const char *s, const char *why, struct scute_err *err)
{
	char shown[96];

	printable(s, shown, sizeof(shown));
	return scute_err_set(err, EINVAL, "invalid image reference \"%s\": %s", shown, why);
}

static bool digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static bool alnum(char c)
{
	return digit(c) || upper(c) || (c >= 'a' && c <= 'z');
}

static bool hex(char c)
{
	return digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* [A-Za-z0-9_][A-Za-z0-9_.-]{0,127} */
static const char *tag_error(const char *p, size_t n)
{
	if (n == 0)
		return "empty tag";
	if (n > SCUTE_REF_TAG_MAX)
		return "tag longer than 128 characters";
	if (!alnum(p[0]) && p[0] != '_')
		return "tag must start with a letter, a digit or '_'";
	for (size_t i = 1; i < n; i++)
		if (!alnum(p[i]) && p[i] != '_' && p[i] != '.' && p[i] != '-')
			return "tag may hold only letters, digits, '_', '.' and '-'";
	return NULL;
}

/* host ("a.b-c.d" or "[ipv6]") and an optional ":port" */
static const char *domain_error(const char *p, size_t n)
{
	size_t i = 0;

	if (n > 0 && p[0] == '[') {
		for (i = 1; i < n && (hex(p[i]) || p[i] == ':'); i++)
			;
		if (i == 1 || i >= n || p[i] != ']')
			return "invalid IPv6 address in the domain";
		i++;
	} else {
		for (;;) {
			size_t start = i;

			while (i < n && (alnum(p[i]) || p[i] == '-'))
				i++;
			if (i == start || p[start] == '-' || p[i - 1] == '-')
				return "domain components must be letters, digits and inner '-'";
			if (i < n && p[i] == '.') {
				i++;
				continue;
			}
			break;
		}
	}
	if (i < n && p[i] == ':') {
		size_t start = ++i;

		while (i < n && digit(p[i]))
			i++;
		if (i == start)
			return "the domain's port must be digits";
	}
	if (i != n)
		return "invalid character in the domain";
	return NULL;
}

/* [a-z0-9]+ ((\.|_|__|-+) [a-z0-9]+)*, uppercase noted rather than refused
 * (docker says "must be lowercase" of a name valid but for its case). */
static const char *component_error(const char *p, size_t n, bool *has_upper)
{
	size_t i = 0;

	if (n == 0)
		return "empty path component (a leading, trailing or double '/')";
	for (;;) {
		size_t start = i;

		while (i < n && alnum(p[i]))
			*has_upper |= upper(p[i++]);
		if (i == start)
			return start == 0
				       ? "path components must start with a letter or a digit"
				       : "separators ('.', '_', '__', '-') must be between letters "
					 "or digits";
		if (i == n)
			return NULL;
		if (p[i] == '.')
			i++;
		else if (p[i] == '_')
			i += (i + 1 < n && p[i + 1] == '_') ? 2 : 1;
		else if (p[i] == '-')
			while (i < n && p[i] == '-')
				i++;
		else
			return "path components may hold only lowercase letters, digits, '.', '_' "
			       "and '-'";
		if (i == n)
			return "path components must end with a letter or a digit";
	}
}

static const char *path_error(const char *p, size_t n)
{
	bool has_upper = false;
	const char *end = p + n;

	for (;;) {
		const char *slash = memchr(p, '/', (size_t)(end - p));
		const char *stop = slash ? slash : end;
		const char *why = component_error(p, (size_t)(stop - p), &has_upper);

		if (why)
			return why;
		if (!slash)
			break;
		p = slash + 1;
	}
	return has_upper ? "repository name must be lowercase" : NULL;
}

static bool only_lower_hex(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!digit(p[i]) && !(p[i] >= 'a' && p[i] <= 'f'))
			return false;
	return true;
}

void scute_image_ref_free(struct scute_image_ref *ref)
{
	if (!ref)
		return;
	free(ref->domain);
	free(ref->path);
	free(ref->tag);
	free(ref->digest);
	free(ref);
}

int scute_image_ref_parse(const char *s, struct scute_image_ref **out, struct scute_err *err)
{
	size_t len = strnlen(s, REF_MAX + 1);
	struct scute_digest digest;
	const char *at, *name_end, *slash, *colon, *tag = NULL, *path, *why;
	const char *domain = DEFAULT_DOMAIN;
	size_t name_len, tag_len = 0, domain_len = sizeof(DEFAULT_DOMAIN) - 1, path_len;
	bool official;
	struct scute_image_ref *ref;

	*out = NULL;
	if (len == 0)
		return refuse(s, "empty", err);
	if (len > REF_MAX)
		return refuse(s, "too long", err);

	at = memchr(s, '@', len);
	name_end = at ? at : s + len;
	if (at && scute_digest_parse(at + 1, &digest, err) < 0)
		return refuse(s, "the digest must be \"sha256:\" and 64 lowercase hex digits", err);

	/* A ':' after the last '/' starts the tag; one before it is a port. */
	slash = s;
	for (const char *p = s; p < name_end; p++)
		if (*p == '/')
			slash = p + 1;
	colon = memchr(slash, ':', (size_t)(name_end - slash));
	if (colon) {
		tag = colon + 1;
		tag_len = (size_t)(name_end - tag);
		why = tag_error(tag, tag_len);
		if (why)
			return refuse(s, why, err);
	}
	name_len = (size_t)((colon ? colon : name_end) - s);
	if (name_len == 0)
		return refuse(s, "no repository name", err);
	if (name_len == 64 && !tag && !at && only_lower_hex(s, 64))
		return refuse(s, "a 64-digit hex string is an image ID, not a reference", err);

	/* The first component is a domain if it has a '.' or a ':', is
	 * "localhost", or has uppercase (which a path may not), as docker's
	 * splitDockerDomain decides. */
	path = s;
	path_len = name_len;
	slash = memchr(s, '/', name_len);
	if (slash) {
		size_t first = (size_t)(slash - s);
		bool is_domain = memchr(s, '.', first) || memchr(s, ':', first) ||
				 (first == 9 && memcmp(s, "localhost", 9) == 0);

		for (size_t i = 0; !is_domain && i < first; i++)
			is_domain = upper(s[i]);
		if (is_domain) {
			why = domain_error(s, first);
			if (why)
				return refuse(s, why, err);
			domain = s;
			domain_len = first;
			path = slash + 1;
			path_len = name_len - first - 1;
		}
	}
	why = path_error(path, path_len);
	if (why)
		return refuse(s, why, err);
	if (domain_len == sizeof(LEGACY_DOMAIN) - 1 &&
	    memcmp(domain, LEGACY_DOMAIN, domain_len) == 0) {
		domain = DEFAULT_DOMAIN;
		domain_len = sizeof(DEFAULT_DOMAIN) - 1;
	}
	official = domain_len == sizeof(DEFAULT_DOMAIN) - 1 &&
		   memcmp(domain, DEFAULT_DOMAIN, domain_len) == 0 && !memchr(path, '/', path_len);
	if (domain_len + 1 + (official ? sizeof(OFFICIAL_PREFIX) - 1 : 0) + path_len >
	    SCUTE_REF_NAME_MAX)
		return refuse(s, "name longer than 255 characters", err);

	ref = calloc(1, sizeof(*ref));
	if (!ref)
		return scute_err_set(err, ENOMEM, "out of memory");
	ref->domain = strndup(domain, domain_len);
	if (ref->domain) {
		size_t plen = official ? sizeof(OFFICIAL_PREFIX) - 1 : 0;

		ref->path = malloc(plen + path_len + 1);
		if (ref->path) {
			memcpy(ref->path, OFFICIAL_PREFIX, plen);
			memcpy(ref->path + plen, path, path_len);
			ref->path[plen + path_len] = '\0';
		}
	}
	if (tag || !at)
		ref->tag = tag ? strndup(tag, tag_len) : strdup("latest");
	if (at) {
		ref->digest = malloc(sizeof(*ref->digest));
		if (ref->digest)
			*ref->digest = digest;
	}
	if (!ref->domain || !ref->path || ((tag || !at) && !ref->tag) || (at && !ref->digest)) {
		scute_image_ref_free(ref);
		return scute_err_set(err, ENOMEM, "out of memory");
	}
	*out = ref;
	return 0;
}

/* Whether the first of PATH's components, before a '/', would be taken
 * for a domain (a path component has no ':' nor uppercase). */
static bool domain_like(const char *path)
{
	const char *slash = strchr(path, '/');
	size_t n = slash ? (size_t)(slash - path) : 0;

	return slash && (memchr(path, '.', n) || (n == 9 && memcmp(path, "localhost", 9) == 0));
}

static char *format(const struct scute_image_ref *ref, bool familiar)
{
	const char *domain = ref->domain, *path = ref->path, *sep = "/";
	char *s;

	/* docker.io is left out only when the path's first component would not
	 * read as a domain: docker shows docker.io/a.b/c as "a.b/c", which
	 * parses as the domain a.b; here it stays docker.io/a.b/c. */
	if (familiar && strcmp(domain, DEFAULT_DOMAIN) == 0 && !domain_like(path)) {
		domain = sep = "";
		if (strncmp(path, OFFICIAL_PREFIX, sizeof(OFFICIAL_PREFIX) - 1) == 0 &&
		    !strchr(path + sizeof(OFFICIAL_PREFIX) - 1, '/'))
			path += sizeof(OFFICIAL_PREFIX) - 1;
	}
	if (asprintf(&s, "%s%s%s%s%s%s%s", domain, sep, path, ref->tag ? ":" : "",
		     ref->tag ? ref->tag : "", ref->digest ? "@" : "",
		     ref->digest ? ref->digest->str : "") < 0)
		return NULL;
	return s;
}

char *scute_image_ref_string(const struct scute_image_ref *ref)
{
	return format(ref, false);
}

char *scute_image_ref_familiar(const struct scute_image_ref *ref)
{
	return format(ref, true);
}
