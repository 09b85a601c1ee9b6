#include "tar_entry.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

#define WHITEOUT_PREFIX ".wh."
#define WHITEOUT_META_PREFIX ".wh..wh."
#define WHITEOUT_OPAQUE ".wh..wh..opq"

/* The length of the UTF-8 sequence at s (1-4), or 0 if it is not valid:
 * overlong forms, surrogates and code points past U+10FFFF are refused, as
 * a name that two tools decode differently could mean two files. */
static size_t utf8_seq(const unsigned char *s)
{
	uint32_t cp;
	size_t n;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return n;
}

static bool valid_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		size_t n = utf8_seq(p);

		if (n == 0)
			return false;
		p += n;
	}
	return true;
}

/* Append the component [c, c+len) to out (at *used). */
static int append_component(char out[PATH_MAX], size_t *used, const char *c, size_t len,
			    const char *name, struct scute_err *err)
{
	if (len == 2 && c[0] == '.' && c[1] == '.')
		return scute_err_set(err, EINVAL, "member \"%s\": \"..\" in the path", name);
	if (len > NAME_MAX)
		return scute_err_set(err, ENAMETOOLONG,
				     "member \"%.64s...\": a name longer than %d bytes", name,
				     NAME_MAX);
	if (*used + (*used ? 1 : 0) + len >= PATH_MAX)
		return scute_err_set(err, ENAMETOOLONG,
				     "member \"%.64s...\": a path longer than %d bytes", name,
				     PATH_MAX - 1);
	if (*used)
		out[(*used)++] = '/';
	memcpy(out + *used, c, len);
	*used += len;
	out[*used] = '\0';
	return 0;
}

int scute_tar_path_normalise(const char *name, char out[PATH_MAX], struct scute_err *err)
{
	size_t used = 0;
	const char *p = name;

	out[0] = '\0';
	if (!name)
		return scute_err_set(err, EINVAL, "a member without a name");
	if (name[0] == '/')
		return scute_err_set(err, EINVAL, "member \"%s\": an absolute path", name);
	if (!valid_utf8(name))
		return scute_err_set(err, EILSEQ, "member \"%s\": a name that is not UTF-8", name);
	for (size_t depth = 0; *p;) {
		size_t len = strcspn(p, "/");

		if (len && !(len == 1 && p[0] == '.') && ++depth > SCUTE_TAR_MAX_DEPTH)
			return scute_err_set(err, ENAMETOOLONG,
					     "member \"%.64s...\": more than %d directories deep",
					     name, SCUTE_TAR_MAX_DEPTH);

		/* "" (from "a//b") and "." name nothing new */
		if (len && !(len == 1 && p[0] == '.') &&
		    append_component(out, &used, p, len, name, err) < 0)
			return -1;
		p += len;
		p += *p == '/';
	}
	return 0;
}

/* Split a normalised path into its directory (left in `path`) and its
 * last component (returned, pointing into `path`). */
static const char *split_last(char *path)
{
	char *slash = strrchr(path, '/');

	if (!slash) {
		memmove(path + 1, path, strlen(path) + 1);
		path[0] = '\0';
		return path + 1;
	}
	*slash = '\0';
	return slash + 1;
}

/* ".wh.NAME" and the opaque marker: rewrite out->path to what they hide. */
static int classify_whiteout(const char *name, struct scute_tar_entry *out, struct scute_err *err)
{
	char dir[PATH_MAX];
	const char *base;

	memcpy(dir, out->path, sizeof(dir));
	base = split_last(dir);
	if (strncmp(base, WHITEOUT_PREFIX, strlen(WHITEOUT_PREFIX)) != 0)
		return 0;
	if (!strcmp(base, WHITEOUT_OPAQUE)) {
		out->kind = SCUTE_TAR_OPAQUE;
	} else if (!strncmp(base, WHITEOUT_META_PREFIX, strlen(WHITEOUT_META_PREFIX))) {
		out->kind = SCUTE_TAR_SKIP;
	} else {
		const char *hidden = base + strlen(WHITEOUT_PREFIX);
		size_t used = strlen(dir);

		if (!*hidden || !strcmp(hidden, "."))
			return scute_err_set(err, EINVAL, "member \"%s\": a whiteout of nothing",
					     name);
		out->kind = SCUTE_TAR_WHITEOUT;
		memcpy(out->path, dir, used + 1);
		return append_component(out->path, &used, hidden, strlen(hidden), name, err);
	}
	memcpy(out->path, dir, strlen(dir) + 1);
	return 0;
}

static enum scute_tar_kind kind_of_type(mode_t type)
{
	switch (type & S_IFMT) {
	case S_IFREG: return SCUTE_TAR_FILE;
	case S_IFDIR: return SCUTE_TAR_DIR;
	case S_IFLNK: return SCUTE_TAR_SYMLINK;
	case S_IFIFO: return SCUTE_TAR_FIFO;
	case S_IFCHR:
	case S_IFBLK: return SCUTE_TAR_DEVICE;
	default: return SCUTE_TAR_OTHER;
	}
}

int scute_tar_entry_classify(const char *name, mode_t type, const char *hardlink,
			     struct scute_tar_entry *out, struct scute_err *err)
{
	out->link[0] = '\0';
	if (scute_tar_path_normalise(name, out->path, err) < 0)
		return -1;
	out->kind = hardlink ? SCUTE_TAR_HARDLINK : kind_of_type(type);
	if (!out->path[0]) {
		if (out->kind != SCUTE_TAR_DIR)
			return scute_err_set(err, EINVAL,
					     "member \"%s\": names the layer's root but is not a "
					     "directory",
					     name);
		out->kind = SCUTE_TAR_SKIP;
		return 0;
	}
	if (out->kind != SCUTE_TAR_DIR && classify_whiteout(name, out, err) < 0)
		return -1;
	if (out->kind != SCUTE_TAR_HARDLINK)
		return 0;
	if (scute_tar_path_normalise(hardlink, out->link, err) < 0)
		return scute_err_prefix(err, "member \"%s\": hard link", name);
	if (!out->link[0] || !strcmp(out->link, out->path))
		return scute_err_set(err, EINVAL, "member \"%s\": a hard link to \"%s\"", name,
				     hardlink);
	return 0;
}
