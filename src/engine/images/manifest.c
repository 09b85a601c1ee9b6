#include "manifest.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#include "base/cleanup.h"

/* The document as JSON: an object, within `max` bytes. */
static json_t *load_doc(const char *buf, size_t len, size_t max, const char *where,
			struct scute_err *err)
{
	json_error_t jerr;
	json_t *doc;

	if (len > max) {
		scute_err_set(err, EFBIG, "%s: %zu bytes, more than the %zu a document may have",
			      where, len, max);
		return NULL;
	}
	doc = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!doc) {
		scute_err_set(err, EINVAL, "%s: invalid JSON at line %d: %s", where, jerr.line,
			      jerr.text);
		return NULL;
	}
	if (!json_is_object(doc)) {
		json_decref(doc);
		scute_err_set(err, EINVAL, "%s: not a JSON object", where);
		return NULL;
	}
	return doc;
}

/* An optional string member; NULL when absent, an error when not a string. */
static int opt_string(json_t *obj, const char *key, const char **out, const char *where,
		      const char *path, struct scute_err *err)
{
	json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return scute_err_set(err, EINVAL, "%s: %s%s: not a string", where, path, key);
	*out = json_string_value(v);
	return 0;
}

static int req_string(json_t *obj, const char *key, const char **out, const char *where,
		      const char *path, struct scute_err *err)
{
	if (opt_string(obj, key, out, where, path, err) < 0)
		return -1;
	if (!*out)
		return scute_err_set(err, EINVAL, "%s: %s%s: missing", where, path, key);
	return 0;
}

static int dup_opt(json_t *obj, const char *key, char **out, const char *where, const char *path,
		   struct scute_err *err)
{
	const char *s;

	*out = NULL;
	if (opt_string(obj, key, &s, where, path, err) < 0)
		return -1;
	if (s && !(*out = strdup(s)))
		return scute_err_sys(err, "%s", where);
	return 0;
}

/* A descriptor {mediaType, digest, size[, platform]} at `path`. */
static int parse_descriptor(json_t *d, struct scute_descriptor *out, const char *where,
			    const char *path, struct scute_err *err)
{
	const char *digest;
	json_t *size = json_object_get(d, "size"), *plat;

	if (!json_is_object(d))
		return scute_err_set(err, EINVAL, "%s: %s: not an object", where, path);
	if (dup_opt(d, "mediaType", &out->media_type, where, path, err) < 0 ||
	    req_string(d, "digest", &digest, where, path, err) < 0)
		return -1;
	if (scute_digest_parse(digest, &out->digest, err) < 0)
		return scute_err_prefix(err, "%s: %sdigest", where, path);
	if (!json_is_integer(size) || json_integer_value(size) < 0)
		return scute_err_set(err, EINVAL, "%s: %ssize: missing or not a size", where, path);
	out->size = json_integer_value(size);
	plat = json_object_get(d, "platform");
	if (!plat)
		return 0;
	if (!json_is_object(plat))
		return scute_err_set(err, EINVAL, "%s: %splatform: not an object", where, path);
	if (dup_opt(plat, "os", &out->os, where, path, err) < 0 ||
	    dup_opt(plat, "architecture", &out->architecture, where, path, err) < 0 ||
	    dup_opt(plat, "variant", &out->variant, where, path, err) < 0)
		return -1;
	return 0;
}

static void descriptor_free(struct scute_descriptor *d)
{
	free(d->media_type);
	free(d->os);
	free(d->architecture);
	free(d->variant);
}

/* ---- config ---------------------------------------------------------- */

static int parse_diff_ids(json_t *doc, struct scute_image_config *c, const char *where,
			  struct scute_err *err)
{
	json_t *rootfs = json_object_get(doc, "rootfs"), *ids, *v;
	const char *type;
	size_t i;

	if (!json_is_object(rootfs))
		return scute_err_set(err, EINVAL, "%s: rootfs: missing or not an object", where);
	if (req_string(rootfs, "type", &type, where, "rootfs.", err) < 0 || !type)
		return -1;
	if (strcmp(type, "layers") != 0)
		return scute_err_set(err, EINVAL, "%s: rootfs.type: \"%s\", not \"layers\"", where,
				     type);
	ids = json_object_get(rootfs, "diff_ids");
	if (ids && !json_is_array(ids))
		return scute_err_set(err, EINVAL, "%s: rootfs.diff_ids: not an array", where);
	c->n_layers = json_array_size(ids);
	if (c->n_layers > SCUTE_IMAGE_MAX_LAYERS)
		return scute_err_set(err, E2BIG, "%s: rootfs.diff_ids: %zu layers, more than %d",
				     where, c->n_layers, SCUTE_IMAGE_MAX_LAYERS);
	c->diff_ids = calloc(c->n_layers + 1, sizeof(*c->diff_ids));
	if (!c->diff_ids)
		return scute_err_sys(err, "%s", where);
	json_array_foreach(ids, i, v)
	{
		if (!json_is_string(v) ||
		    scute_digest_parse(json_string_value(v), &c->diff_ids[i], err) < 0) {
			if (!json_is_string(v))
				scute_err_set(err, EINVAL, "not a string");
			return scute_err_prefix(err, "%s: rootfs.diff_ids[%zu]", where, i);
		}
	}
	return 0;
}

int scute_image_config_parse(const char *buf, size_t len, const char *where,
			     struct scute_image_config *c, struct scute_err *err)
{
	const char *created;

	memset(c, 0, sizeof(*c));
	c->doc = load_doc(buf, len, SCUTE_CONFIG_MAX_SIZE, where, err);
	if (!c->doc)
		return -1;
	if (parse_diff_ids(c->doc, c, where, err) < 0 ||
	    opt_string(c->doc, "created", &created, where, "", err) < 0 ||
	    opt_string(c->doc, "os", &c->os, where, "", err) < 0 ||
	    opt_string(c->doc, "architecture", &c->architecture, where, "", err) < 0)
		goto fail;
	if (created && scute_parse_rfc3339(created, &c->created, err) < 0) {
		scute_err_prefix(err, "%s: created", where);
		goto fail;
	}
	if (!c->os)
		c->os = "";
	if (!c->architecture)
		c->architecture = "";
	return 0;
fail:
	scute_image_config_free(c);
	return -1;
}

void scute_image_config_free(struct scute_image_config *c)
{
	json_decref(c->doc);
	free(c->diff_ids);
	memset(c, 0, sizeof(*c));
}

/* ---- manifest and index ------------------------------------------------ */

int scute_doc_kind(const char *buf, size_t len, const char *hint, const char *where,
		   enum scute_doc_kind *kind, struct scute_err *err)
{
	auto_json json_t *doc = load_doc(buf, len, SCUTE_MANIFEST_MAX_SIZE, where, err);
	const char *mt;

	if (!doc || opt_string(doc, "mediaType", &mt, where, "", err) < 0)
		return -1;
	if (!mt)
		mt = hint;
	/* OCI lets an index go without mediaType: "manifests" says which */
	if (!mt)
		mt = json_object_get(doc, "manifests") ? SCUTE_MEDIA_OCI_INDEX
						       : SCUTE_MEDIA_OCI_MANIFEST;
	if (!strcmp(mt, SCUTE_MEDIA_OCI_MANIFEST) || !strcmp(mt, SCUTE_MEDIA_DOCKER_MANIFEST))
		*kind = SCUTE_DOC_MANIFEST;
	else if (!strcmp(mt, SCUTE_MEDIA_OCI_INDEX) || !strcmp(mt, SCUTE_MEDIA_DOCKER_LIST))
		*kind = SCUTE_DOC_INDEX;
	else
		return scute_err_set(err, EINVAL,
				     "%s: mediaType: \"%s\" is not an image manifest or index "
				     "scute reads (docker schema 1 is not supported)",
				     where, mt);
	return 0;
}

static int check_schema(json_t *doc, const char *where, struct scute_err *err)
{
	json_t *v = json_object_get(doc, "schemaVersion");

	if (!json_is_integer(v) || json_integer_value(v) != 2)
		return scute_err_set(err, EINVAL, "%s: schemaVersion: not 2", where);
	return 0;
}

static int parse_layers(json_t *doc, struct scute_manifest *m, const char *where,
			struct scute_err *err)
{
	json_t *layers = json_object_get(doc, "layers"), *v;
	char path[48];
	size_t i;

	if (!json_is_array(layers))
		return scute_err_set(err, EINVAL, "%s: layers: missing or not an array", where);
	m->n_layers = json_array_size(layers);
	if (m->n_layers > SCUTE_IMAGE_MAX_LAYERS)
		return scute_err_set(err, E2BIG, "%s: layers: %zu layers, more than %d", where,
				     m->n_layers, SCUTE_IMAGE_MAX_LAYERS);
	m->layers = calloc(m->n_layers + 1, sizeof(*m->layers));
	if (!m->layers)
		return scute_err_sys(err, "%s", where);
	json_array_foreach(layers, i, v)
	{
		snprintf(path, sizeof(path), "layers[%zu].", i);
		if (parse_descriptor(v, &m->layers[i], where, path, err) < 0)
			return -1;
		if (!m->layers[i].media_type)
			return scute_err_set(err, EINVAL, "%s: %smediaType: missing", where, path);
	}
	return 0;
}

int scute_manifest_parse(const char *buf, size_t len, const char *where, struct scute_manifest *m,
			 struct scute_err *err)
{
	auto_json json_t *doc = NULL;

	memset(m, 0, sizeof(*m));
	doc = load_doc(buf, len, SCUTE_MANIFEST_MAX_SIZE, where, err);
	if (!doc || check_schema(doc, where, err) < 0 ||
	    dup_opt(doc, "mediaType", &m->media_type, where, "", err) < 0 ||
	    parse_descriptor(json_object_get(doc, "config"), &m->config, where, "config.", err) <
		    0 ||
	    parse_layers(doc, m, where, err) < 0) {
		scute_manifest_free(m);
		return -1;
	}
	if (m->config.size > SCUTE_CONFIG_MAX_SIZE) {
		scute_err_set(err, EFBIG,
			      "%s: config.size: %lld bytes, more than the %d a config may have",
			      where, (long long)m->config.size, SCUTE_CONFIG_MAX_SIZE);
		scute_manifest_free(m);
		return -1;
	}
	return 0;
}

void scute_manifest_free(struct scute_manifest *m)
{
	free(m->media_type);
	descriptor_free(&m->config);
	for (size_t i = 0; m->layers && i < m->n_layers; i++)
		descriptor_free(&m->layers[i]);
	free(m->layers);
	memset(m, 0, sizeof(*m));
}

int scute_index_parse(const char *buf, size_t len, const char *where, struct scute_index *ix,
		      struct scute_err *err)
{
	auto_json json_t *doc = NULL;
	json_t *list, *v;
	char path[48];
	size_t i;

	memset(ix, 0, sizeof(*ix));
	doc = load_doc(buf, len, SCUTE_MANIFEST_MAX_SIZE, where, err);
	if (!doc || check_schema(doc, where, err) < 0)
		return -1;
	list = json_object_get(doc, "manifests");
	if (!json_is_array(list))
		return scute_err_set(err, EINVAL, "%s: manifests: missing or not an array", where);
	if (json_array_size(list) > SCUTE_INDEX_MAX_MANIFESTS)
		return scute_err_set(err, E2BIG, "%s: manifests: %zu entries, more than %d", where,
				     json_array_size(list), SCUTE_INDEX_MAX_MANIFESTS);
	ix->manifests = calloc(json_array_size(list) + 1, sizeof(*ix->manifests));
	if (!ix->manifests)
		return scute_err_sys(err, "%s", where);
	json_array_foreach(list, i, v)
	{
		snprintf(path, sizeof(path), "manifests[%zu].", i);
		ix->n = i + 1;
		if (parse_descriptor(v, &ix->manifests[i], where, path, err) < 0) {
			scute_index_free(ix);
			return -1;
		}
	}
	return 0;
}

void scute_index_free(struct scute_index *ix)
{
	for (size_t i = 0; i < ix->n; i++)
		descriptor_free(&ix->manifests[i]);
	free(ix->manifests);
	memset(ix, 0, sizeof(*ix));
}

/* ---- platforms ---------------------------------------------------------- */

const char *scute_platform_host(void)
{
	static const struct {
		const char *machine, *platform;
	} map[] = {
		{ "x86_64", "linux/amd64" },  { "aarch64", "linux/arm64" },
		{ "armv7l", "linux/arm/v7" }, { "armv6l", "linux/arm/v6" },
		{ "i686", "linux/386" },      { "ppc64le", "linux/ppc64le" },
		{ "s390x", "linux/s390x" },   { "riscv64", "linux/riscv64" },
	};
	struct utsname u;

	if (uname(&u) == 0)
		for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
			if (!strcmp(u.machine, map[i].machine))
				return map[i].platform;
	return "linux/amd64";
}

static bool platform_matches(const struct scute_descriptor *d, const char *os, size_t oslen,
			     const char *arch, size_t archlen, const char *variant)
{
	if (!d->os || !d->architecture || strlen(d->os) != oslen ||
	    strncmp(d->os, os, oslen) != 0 || strlen(d->architecture) != archlen ||
	    strncmp(d->architecture, arch, archlen) != 0)
		return false;
	/* no variant asked for: any; arm64's is "v8" or absent */
	return !variant || (d->variant && !strcmp(d->variant, variant)) ||
	       (!d->variant && !strcmp(variant, "v8"));
}

int scute_index_select(const struct scute_index *ix, const char *platform, const char *where,
		       struct scute_err *err)
{
	const char *p = platform ? platform : scute_platform_host();
	const char *slash = strchr(p, '/'), *variant = NULL, *arch;
	size_t oslen, archlen;
	char have[256] = "";
	size_t used = 0;

	if (!slash || slash == p || !slash[1])
		return scute_err_set(err, EINVAL, "platform \"%s\": not OS/ARCH[/VARIANT]", p);
	oslen = (size_t)(slash - p);
	arch = slash + 1;
	archlen = strcspn(arch, "/");
	if (arch[archlen] == '/')
		variant = arch + archlen + 1;
	for (size_t i = 0; i < ix->n; i++)
		if (platform_matches(&ix->manifests[i], p, oslen, arch, archlen, variant))
			return (int)i;
	for (size_t i = 0; i < ix->n && used < sizeof(have) - 1; i++) {
		const struct scute_descriptor *d = &ix->manifests[i];
		int n = snprintf(have + used, sizeof(have) - used, "%s%s/%s%s%s", i ? ", " : "",
				 d->os ? d->os : "?", d->architecture ? d->architecture : "?",
				 d->variant ? "/" : "", d->variant ? d->variant : "");

		used += n > 0 ? (size_t)n : 0;
	}
	return scute_err_set(err, ENOENT, "%s: no manifest for platform %s (it has: %s)", where, p,
			     ix->n ? have : "none");
}

/* ---- time --------------------------------------------------------------- */

int scute_parse_rfc3339(const char *s, int64_t *out, struct scute_err *err)
{
	struct tm tm = { 0 };
	int y, mo, d, h, mi, sec, n = 0, oh = 0, om = 0;
	const char *p;
	time_t t;

	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6 ||
	    n != 19 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		return scute_err_set(err, EINVAL, "\"%.40s\": not an RFC 3339 time", s);
	p = s + n;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			;
	if ((*p == '+' || *p == '-') && sscanf(p + 1, "%2d:%2d%n", &oh, &om, &n) == 2 && n == 5) {
		int sign = *p == '-' ? -1 : 1;

		oh *= sign, om *= sign;
		p += 6;
	} else if (*p == 'Z' || *p == 'z') {
		p++;
	} else {
		return scute_err_set(err, EINVAL, "\"%.40s\": not an RFC 3339 time", s);
	}
	if (*p)
		return scute_err_set(err, EINVAL, "\"%.40s\": not an RFC 3339 time", s);
	tm.tm_year = y - 1900, tm.tm_mon = mo - 1, tm.tm_mday = d;
	tm.tm_hour = h, tm.tm_min = mi, tm.tm_sec = sec;
	t = timegm(&tm);
	*out = (int64_t)t - (int64_t)oh * 3600 - (int64_t)om * 60;
	return 0;
}
