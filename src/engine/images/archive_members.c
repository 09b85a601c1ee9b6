#include "archive_members.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "archive_load.h"
#include "base/cleanup.h"
#include "layer_store.h"
#include "manifest.h"
#include "tar_entry.h"

/* How much of a member is read to tell a JSON document from a layer. */
#define PEEK_SIZE ((size_t)64 << 10)
#define BLOBS_DIR "blobs/sha256/"

/* A layer member's bytes: what was peeked, then the rest of the member. */
struct member_source {
	struct archive *ar;
	const char *peek;
	size_t peek_len, peek_off;
};

static ssize_t member_read(void *arg, void *buf, size_t len, struct scute_err *err)
{
	struct member_source *ms = arg;
	la_ssize_t n;

	if (ms->peek_off < ms->peek_len) {
		size_t k = ms->peek_len - ms->peek_off;

		k = k < len ? k : len;
		memcpy(buf, ms->peek + ms->peek_off, k);
		ms->peek_off += k;
		return (ssize_t)k;
	}
	n = archive_read_data(ms->ar, buf, len);
	if (n < 0)
		return scute_err_set(err, EBADMSG, "archive: %s", archive_error_string(ms->ar));
	return n;
}

/* Fill buf with up to len bytes of the member. */
static ssize_t read_full(struct archive *ar, char *buf, size_t len, const char *path,
			 struct scute_err *err)
{
	size_t got = 0;

	while (got < len) {
		la_ssize_t n = archive_read_data(ar, buf + got, len - got);

		if (n < 0)
			return scute_err_set(err, EBADMSG, "archive: member \"%s\": %s", path,
					     archive_error_string(ar));
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

/* Room for one more element at the end of the array *arr of n elements
 * (zeroed); NULL with err when out of memory, *arr unchanged. */
static void *grow(void **arr, size_t n, size_t size, struct scute_err *err)
{
	char *p = realloc(*arr, (n + 1) * size);

	if (!p) {
		scute_err_sys(err, "archive");
		return NULL;
	}
	*arr = p;
	memset(p + n * size, 0, size);
	return p + n * size;
}

static bool is_json_start(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (buf[i] == '{')
			return true;
		if (buf[i] != ' ' && buf[i] != '\n' && buf[i] != '\r' && buf[i] != '\t')
			return false;
	}
	return false;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && !strcmp(s + n - k, suffix);
}

/* What `load` does with a regular member. */
enum member_use { USE_SKIP, USE_JSON, USE_LAYER, USE_SNIFF };

static enum member_use use_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;

	/* docker save's legacy metadata, which the manifests make redundant */
	if (!strcmp(path, "repositories") || !strcmp(path, "oci-layout") ||
	    (slash && (!strcmp(base, "VERSION") || !strcmp(base, "json"))))
		return USE_SKIP;
	if (ends_with(path, ".json"))
		return USE_JSON;
	/* layers have many names (ID/layer.tar, HEX.tar, blobs/sha256/HEX);
	 * so do the OCI layout's JSON blobs: the content tells */
	return USE_SNIFF;
}

static int keep_json(struct archive_members *m, struct archive *ar, const char *path,
		     const char *peek, size_t peek_len, int64_t size, struct scute_err *err)
{
	struct archive_json *j;
	ssize_t rest;

	if (size < 0 || (size_t)size < peek_len)
		return scute_err_set(err, EBADMSG, "archive: member \"%s\": a size of %lld bytes",
				     path, (long long)size);
	if (size > SCUTE_CONFIG_MAX_SIZE)
		return scute_err_set(err, EFBIG,
				     "archive: member \"%s\": a JSON document of %lld bytes, more "
				     "than the %d scute takes",
				     path, (long long)size, SCUTE_CONFIG_MAX_SIZE);
	if (m->json_bytes + (size_t)size > SCUTE_LOAD_MAX_JSON)
		return scute_err_set(err, EFBIG,
				     "archive: member \"%s\": more than %d bytes of JSON in all",
				     path, SCUTE_LOAD_MAX_JSON);
	j = grow((void **)&m->json, m->n_json, sizeof(*j), err);
	if (!j)
		return -1;
	j->path = strdup(path);
	j->data = malloc((size_t)size + 1);
	if (!j->path || !j->data) {
		free(j->path);
		free(j->data);
		return scute_err_sys(err, "archive");
	}
	m->n_json++;
	memcpy(j->data, peek, peek_len);
	rest = read_full(ar, j->data + peek_len, (size_t)size - peek_len, path, err);
	if (rest < 0)
		return -1;
	j->len = peek_len + (size_t)rest;
	j->data[j->len] = '\0';
	m->json_bytes += j->len;
	return 0;
}

bool scute_archive_promised_digest(const char *path, struct scute_digest *d)
{
	char s[SCUTE_DIGEST_LEN + 8];
	struct scute_err ignored;
	size_t n = strlen(path);

	if (!strncmp(path, BLOBS_DIR, strlen(BLOBS_DIR)))
		snprintf(s, sizeof(s), "%s%s", SCUTE_DIGEST_PREFIX, path + strlen(BLOBS_DIR));
	else if (n == SCUTE_DIGEST_HEX_LEN + 5 && !strcmp(path + SCUTE_DIGEST_HEX_LEN, ".json"))
		snprintf(s, sizeof(s), "%s%.*s", SCUTE_DIGEST_PREFIX, SCUTE_DIGEST_HEX_LEN, path);
	else
		return false;
	return scute_digest_parse(s, d, &ignored) == 0;
}

static int unpack_member(struct scute_store *s, struct archive_layer *l, struct member_source *ms,
			 int64_t size, int64_t max_size, struct scute_err *err)
{
	struct scute_layer_source src = { member_read, ms };
	char what[PATH_MAX + 16];
	struct scute_digest want;
	/* the name of an OCI layout's blob is its digest: checked as it is kept */
	bool named = scute_archive_promised_digest(l->path, &want);
	struct scute_layer_stream in = { &src, max_size, what, named ? &want : NULL, size };

	snprintf(what, sizeof(what), "archive: layer \"%s\"", l->path);
	if (scute_layer_unpack_stream(s, &in, l->tmp, &l->tmpfd, &l->blob, &l->res, err) < 0)
		return -1;
	/* the directory is named in l->tmp; its fd is not needed any more, and
	 * one kept per layer would run out of fds before the layer limit (no
	 * sweep runs while this writer holds the store) */
	close(l->tmpfd);
	l->tmpfd = -1;
	return 0;
}

static int add_layer(struct scute_store *s, struct archive_members *m, struct archive *ar,
		     const char *path, const char *peek, size_t peek_len, int64_t size,
		     int64_t max_size, struct scute_err *err)
{
	struct member_source ms = { ar, peek, peek_len, 0 };
	struct archive_layer *l;

	if (m->n_layers >= SCUTE_LOAD_MAX_LAYERS)
		return scute_err_set(err, E2BIG, "archive: more than %d layers",
				     SCUTE_LOAD_MAX_LAYERS);
	l = grow((void **)&m->layers, m->n_layers, sizeof(*l), err);
	if (!l)
		return -1;
	l->tmpfd = -1;
	l->path = strdup(path);
	if (!l->path)
		return scute_err_sys(err, "archive");
	m->n_layers++;
	return unpack_member(s, l, &ms, size, max_size, err);
}

/* A link's target as a member path: a hard link names the member, a
 * symlink is relative to its own directory ("ID/layer.tar ->
 * ../OTHER/layer.tar"). "." and ".." are folded; ".." above the archive's
 * top or an absolute target is refused. Only compared with member names,
 * never used on disk. */
static int link_target(const char *path, const char *target, bool symlink, char out[PATH_MAX],
		       struct scute_err *err)
{
	char buf[2 * PATH_MAX];
	const char *slash = strrchr(path, '/'), *p;
	size_t used = 0;

	if (!target || target[0] == '/' || !target[0])
		return scute_err_set(err, EINVAL,
				     "archive: link \"%s\": target \"%s\" not in the archive", path,
				     target ? target : "");
	if (symlink && slash)
		snprintf(buf, sizeof(buf), "%.*s/%s", (int)(slash - path), path, target);
	else
		snprintf(buf, sizeof(buf), "%s", target);
	out[0] = '\0';
	for (p = buf; *p; p += *p == '/') {
		size_t len = strcspn(p, "/");

		if (len == 2 && !strncmp(p, "..", 2)) {
			char *last = strrchr(out, '/');

			if (!used)
				return scute_err_set(
					err, EINVAL,
					"archive: link \"%s\": target \"%s\" not in the archive",
					path, target);
			used = last ? (size_t)(last - out) : 0;
			out[used] = '\0';
		} else if (len && !(len == 1 && *p == '.')) {
			if (used + len + 2 >= PATH_MAX)
				return scute_err_set(err, ENAMETOOLONG,
						     "archive: link \"%s\": too long", path);
			if (used)
				out[used++] = '/';
			memcpy(out + used, p, len);
			used += len;
			out[used] = '\0';
		}
		p += len;
	}
	return 0;
}

static int add_link(struct archive_members *m, const char *path, const char *target, bool symlink,
		    struct scute_err *err)
{
	char norm[PATH_MAX];
	struct archive_link *l;

	if (link_target(path, target, symlink, norm, err) < 0)
		return -1;
	l = grow((void **)&m->links, m->n_links, sizeof(*l), err);
	if (!l)
		return -1;
	l->path = strdup(path);
	l->target = strdup(norm);
	if (!l->path || !l->target) {
		free(l->path);
		free(l->target);
		return scute_err_sys(err, "archive");
	}
	m->n_links++;
	return 0;
}

static int read_member(struct scute_store *s, struct archive_members *m, struct archive *ar,
		       struct archive_entry *ae, int64_t max_size, struct scute_err *err)
{
	char path[PATH_MAX];
	auto_free char *peek = NULL;
	enum member_use use;
	ssize_t n;

	if (!archive_entry_pathname(ae) ||
	    scute_tar_path_normalise(archive_entry_pathname(ae), path, err) < 0)
		return scute_err_prefix(err, "archive");
	if (archive_entry_hardlink(ae))
		return add_link(m, path, archive_entry_hardlink(ae), false, err);
	if (archive_entry_filetype(ae) == AE_IFLNK)
		return add_link(m, path, archive_entry_symlink(ae), true, err);
	if (archive_entry_filetype(ae) != AE_IFREG || (use = use_of(path)) == USE_SKIP)
		return 0;
	peek = malloc(PEEK_SIZE);
	if (!peek)
		return scute_err_sys(err, "archive");
	n = read_full(ar, peek, PEEK_SIZE, path, err);
	if (n < 0)
		return -1;
	if (use == USE_SNIFF)
		use = is_json_start(peek, (size_t)n) ? USE_JSON : USE_LAYER;
	if (use == USE_JSON)
		return keep_json(m, ar, path, peek, (size_t)n, archive_entry_size(ae), err);
	return add_layer(s, m, ar, path, peek, (size_t)n, archive_entry_size(ae), max_size, err);
}

int scute_archive_read_members(struct scute_store *s, int fd, int64_t max_layer_size,
			       struct archive_members *m, struct scute_err *err)
{
	struct archive *ar = archive_read_new();
	struct archive_entry *ae;
	int r, rc = 0;

	memset(m, 0, sizeof(*m));
	if (!ar)
		return scute_err_set(err, ENOMEM, "archive: out of memory");
	archive_read_support_format_tar(ar);
	archive_read_support_filter_gzip(ar);
	archive_read_support_filter_zstd(ar);
	archive_read_support_filter_xz(ar);
	archive_read_support_filter_bzip2(ar);
	if (archive_read_open_fd(ar, fd, (size_t)256 << 10) != ARCHIVE_OK)
		rc = scute_err_set(err, EBADMSG, "archive: %s", archive_error_string(ar));
	while (rc == 0 && (r = archive_read_next_header(ar, &ae)) != ARCHIVE_EOF) {
		if (r < ARCHIVE_WARN)
			rc = scute_err_set(err, EBADMSG, "archive: %s", archive_error_string(ar));
		else
			rc = read_member(s, m, ar, ae, max_layer_size, err);
	}
	archive_read_free(ar);
	return rc;
}

/* Follow the archive's links from path (a few hops at most). */
static const char *follow(const struct archive_members *m, const char *path)
{
	for (int hops = 0; hops < 8; hops++) {
		size_t i;

		for (i = 0; i < m->n_links && strcmp(m->links[i].path, path); i++)
			;
		if (i == m->n_links)
			return path;
		path = m->links[i].target;
	}
	return path;
}

const struct archive_json *scute_archive_json(const struct archive_members *m, const char *path)
{
	path = follow(m, path);
	for (size_t i = 0; i < m->n_json; i++)
		if (!strcmp(m->json[i].path, path))
			return &m->json[i];
	return NULL;
}

struct archive_layer *scute_archive_layer(struct archive_members *m, const char *path)
{
	path = follow(m, path);
	for (size_t i = 0; i < m->n_layers; i++)
		if (!strcmp(m->layers[i].path, path))
			return &m->layers[i];
	return NULL;
}

void scute_archive_members_free(struct scute_store *s, struct archive_members *m)
{
	for (size_t i = 0; i < m->n_json; i++) {
		free(m->json[i].path);
		free(m->json[i].data);
	}
	for (size_t i = 0; i < m->n_layers; i++) {
		if (m->layers[i].tmp[0])
			scute_layer_tmp_discard(s, m->layers[i].tmp);
		if (m->layers[i].tmpfd >= 0)
			close(m->layers[i].tmpfd);
		free(m->layers[i].path);
	}
	for (size_t i = 0; i < m->n_links; i++) {
		free(m->links[i].path);
		free(m->links[i].target);
	}
	free(m->json);
	free(m->layers);
	free(m->links);
	memset(m, 0, sizeof(*m));
}
