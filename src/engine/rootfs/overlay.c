/* The overlay mount (overlay.h). Two ways into the kernel:
 *
 * - Kernels with overlayfs's "lowerdir+" key (6.8 and later): fsopen, one
 *   fsconfig per lower layer, top first, so no string limit applies and
 *   the stack can be as deep as overlayfs allows. Layers, upper and work
 *   go as open directories: FSCONFIG_SET_FD where the key takes one (6.13
 *   and later), "/proc/self/fd/N" otherwise, which names the same open
 *   directory and resolves nothing a store path could swap.
 *
 * - Older kernels (Debian 12's 6.1): fsconfig takes one "lowerdir" string
 *   of at most 256 bytes, so mount(2), whose data may fill a page, with
 *   names short enough for the deepest stack: the container's directory
 *   becomes the working directory and l/0, l/1 ... are symlinks to
 *   /proc/self/fd/N of the open layers. */
#include "overlay.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "remove_tree.h"

/* Options every mount gets. index and metacopy off: both make overlayfs
 * trust trusted.overlay.* xattrs found in the layers, which hold whatever
 * an image put there (the unpacker drops them, but a layer is not worth
 * trusting twice); redirect_dir off for the same reason (docker leaves it
 * off too): a directory renamed in the container is copied up instead. */
static const char *const fixed_options[][2] = {
	{ "index", "off" },
	{ "redirect_dir", "off" },
	{ "metacopy", "off" },
};

#define FIXED_OPTIONS_DATA "index=off,redirect_dir=off,metacopy=off"

/* A layer's directory below ROOT/layers, never through a symlink (a layer
 * replaced by one is refused). O_RDONLY, not O_PATH: FSCONFIG_SET_FD
 * takes no O_PATH file. A directory opened for reading has no effect. */
static int open_layer(const struct scute_overlay *o, size_t i, int flags, struct scute_err *err)
{
	const struct scute_digest *id = &o->layers[i];
	int fd = openat(o->layersfd, scute_digest_hex(id),
			flags | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;

	if (fd >= 0)
		return fd;
	if (errno == ELOOP ||
	    (errno == ENOTDIR &&
	     fstatat(o->layersfd, scute_digest_hex(id), &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	     S_ISLNK(st.st_mode)))
		return scute_err_set(err, ELOOP, "layer %s: a symlink in the store, not followed",
				     id->str);
	return scute_err_sys(err, "layer %s: open", id->str);
}

/* A failed fsconfig: what failed, errno's words and the kernel's own from
 * the context's log ("e overlay: ..."), the last error there. */
__attribute__((format(printf, 3, 4))) static int fs_err(int fsfd, struct scute_err *err,
							const char *fmt, ...)
{
	int code = errno;
	char what[256];
	char said[256] = "";
	char line[256];
	va_list ap;
	ssize_t n;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	while ((n = read(fsfd, line, sizeof(line) - 1)) > 0) {
		line[n] = '\0';
		if (line[0] == 'e' && line[1] == ' ')
			snprintf(said, sizeof(said), " (the kernel says: %s)", line + 2);
	}
	return scute_err_set(err, code, "%s: %s%s", what, strerror(code), said);
}

/* Whether overlayfs takes "lowerdir+" through the new mount API. On a
 * throwaway context: "lowerdir+" must be taken, and an unknown key
 * refused, for the first answer to mean anything (a kernel whose
 * overlayfs predates the new API, 6.4 and older, takes any key there and
 * only parses them all at mount time). */
static bool has_lowerdir_add(void)
{
	auto_fd int fsfd = fsopen("overlay", FSOPEN_CLOEXEC);

	if (fsfd < 0 || fsconfig(fsfd, FSCONFIG_SET_STRING, "lowerdir+", "/", 0) < 0)
		return false;
	return fsconfig(fsfd, FSCONFIG_SET_FLAG, "scute-no-such-option", NULL, 0) < 0 &&
	       errno == EINVAL;
}

/* Give the key an open directory: as the fd itself where the kernel
 * takes one for the key (6.13), else as /proc/self/fd/N. *by_fd learns
 * which, at the first call. */
static int set_dir(int fsfd, const char *key, int fd, bool *by_fd)
{
	char path[32];

	if (*by_fd) {
		if (fsconfig(fsfd, FSCONFIG_SET_FD, key, NULL, fd) == 0)
			return 0;
		if (errno != EINVAL)
			return -1;
		*by_fd = false;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return fsconfig(fsfd, FSCONFIG_SET_STRING, key, path, 0);
}

static int set_own_dir(int fsfd, const struct scute_overlay *o, const char *key, const char *name,
		       bool *by_fd, struct scute_err *err)
{
	auto_fd int fd = openat(o->dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return scute_err_sys(err, "open %s", name);
	if (set_dir(fsfd, key, fd, by_fd) < 0)
		return fs_err(fsfd, err, "set %s", key);
	return 0;
}

static int configure(int fsfd, const struct scute_overlay *o, struct scute_err *err)
{
	bool by_fd = true;

	for (size_t i = 0; i < o->n_layers; i++) {
		/* closed once given: the context holds the layer */
		auto_fd int fd = open_layer(o, i, O_RDONLY, err);

		if (fd < 0)
			return -1;
		if (set_dir(fsfd, "lowerdir+", fd, &by_fd) < 0)
			return fs_err(fsfd, err, "lower layer %s", o->layers[i].str);
	}
	if (set_own_dir(fsfd, o, "upperdir", "upper", &by_fd, err) < 0 ||
	    set_own_dir(fsfd, o, "workdir", "work", &by_fd, err) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(fixed_options) / sizeof(fixed_options[0]); i++)
		if (fsconfig(fsfd, FSCONFIG_SET_STRING, fixed_options[i][0], fixed_options[i][1],
			     0) < 0)
			return fs_err(fsfd, err, "set %s", fixed_options[i][0]);
	if (o->volatile_upper && fsconfig(fsfd, FSCONFIG_SET_FLAG, "volatile", NULL, 0) < 0)
		return fs_err(fsfd, err, "set volatile");
	if (fsconfig(fsfd, FSCONFIG_SET_STRING, "source", "overlay", 0) < 0)
		return fs_err(fsfd, err, "set source");
	return 0;
}

static int mount_new_api(const struct scute_overlay *o, struct scute_err *err)
{
	auto_fd int fsfd = fsopen("overlay", FSOPEN_CLOEXEC);
	auto_fd int mfd = -1;

	if (fsfd < 0)
		return scute_err_sys(err, "overlay on %s: fsopen", o->target);
	if (configure(fsfd, o, err) < 0)
		return scute_err_prefix(err, "overlay on %s", o->target);
	if (fsconfig(fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		return fs_err(fsfd, err, "overlay on %s: create", o->target);
	mfd = fsmount(fsfd, FSMOUNT_CLOEXEC, MOUNT_ATTR_NODEV);
	if (mfd < 0)
		return scute_err_sys(err, "overlay on %s: fsmount", o->target);
	if (move_mount(mfd, "", o->targetfd, "",
		       MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return scute_err_sys(err, "overlay on %s: move_mount", o->target);
	return 0;
}

/* ---- the legacy path -------------------------------------------------- */

/* mount(2)'s data: at most a page. */
#define LEGACY_DATA_MAX 4096

struct legacy {
	int fds[SCUTE_OVERLAY_MAX_LAYERS];
	size_t n_fds;
	int ldirfd; /* the container's l/ */
	char data[LEGACY_DATA_MAX];
};

static void legacy_release(struct legacy *l)
{
	for (size_t i = 0; i < l->n_fds; i++)
		close(l->fds[i]);
	if (l->ldirfd >= 0)
		close(l->ldirfd);
}

/* Open every layer (O_PATH: nothing but a name for the symlinks) and make
 * l/I -> /proc/self/fd/N for each, top first. */
static int legacy_links(const struct scute_overlay *o, struct legacy *l, struct scute_err *err)
{
	char name[16], link[32];

	if (mkdirat(o->dirfd, "l", 0700) < 0)
		return scute_err_sys(err, "overlay on %s: create l", o->target);
	l->ldirfd = openat(o->dirfd, "l", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (l->ldirfd < 0)
		return scute_err_sys(err, "overlay on %s: open l", o->target);
	for (size_t i = 0; i < o->n_layers; i++) {
		int fd = open_layer(o, i, O_PATH, err);

		if (fd < 0)
			return -1;
		l->fds[l->n_fds++] = fd;
		snprintf(name, sizeof(name), "%zu", i);
		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		if (symlinkat(link, l->ldirfd, name) < 0)
			return scute_err_sys(err, "overlay on %s: link l/%s", o->target, name);
	}
	return 0;
}

static int legacy_data(const struct scute_overlay *o, struct legacy *l, struct scute_err *err)
{
	size_t len = 0;
	int n;

	for (size_t i = 0; i < o->n_layers; i++) {
		n = snprintf(l->data + len, sizeof(l->data) - len, "%sl/%zu",
			     i ? ":" : "lowerdir=", i);
		if (n < 0 || (size_t)n >= sizeof(l->data) - len)
			goto too_long;
		len += (size_t)n;
	}
	n = snprintf(l->data + len, sizeof(l->data) - len, ",upperdir=upper,workdir=work,%s%s",
		     FIXED_OPTIONS_DATA, o->volatile_upper ? ",volatile" : "");
	if (n >= 0 && (size_t)n < sizeof(l->data) - len)
		return 0;
too_long:
	return scute_err_set(err, E2BIG,
			     "overlay on %s: %zu layers do not fit in the %d bytes of mount "
			     "options this kernel takes (it has no \"lowerdir+\")",
			     o->target, o->n_layers, LEGACY_DATA_MAX);
}

/* mount(2) with the container's directory as the working directory, for
 * the short relative names; the old one is restored before returning.
 * The working directory is the process's: the engine mounts from one
 * thread, with no other thread resolving relative paths meanwhile. */
static int legacy_mount(const struct scute_overlay *o, const char *data, struct scute_err *err)
{
	auto_fd int oldcwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	char target[32];
	int rc, code;

	if (oldcwd < 0)
		return scute_err_sys(err, "overlay on %s: open the working directory", o->target);
	if (fchdir(o->dirfd) < 0)
		return scute_err_sys(err, "overlay on %s: enter its directory", o->target);
	snprintf(target, sizeof(target), "/proc/self/fd/%d", o->targetfd);
	rc = mount("overlay", target, "overlay", MS_NODEV, data);
	code = errno;
	if (fchdir(oldcwd) < 0)
		return scute_err_sys(err, "overlay on %s: back to the working directory",
				     o->target);
	errno = code;
	if (rc < 0)
		return scute_err_sys(err, "overlay on %s: mount %zu layers", o->target,
				     o->n_layers);
	return 0;
}

static int mount_legacy(const struct scute_overlay *o, struct scute_err *err)
{
	struct legacy l = { .ldirfd = -1 };
	struct scute_err ignored;
	int rc;

	rc = legacy_links(o, &l, err);
	if (rc == 0)
		rc = legacy_data(o, &l, err);
	if (rc == 0)
		rc = legacy_mount(o, l.data, err);
	legacy_release(&l);
	/* the kernel has the layers now; the links named fds of this process */
	scute_remove_tree_at(o->dirfd, "l", &ignored);
	return rc;
}

int scute_overlay_mount(const struct scute_overlay *o, struct scute_err *err)
{
	if (o->n_layers == 0 || o->n_layers > SCUTE_OVERLAY_MAX_LAYERS)
		return scute_err_set(err, EINVAL,
				     "overlay on %s: %zu layers; overlayfs stacks 1 to %d",
				     o->target, o->n_layers, SCUTE_OVERLAY_MAX_LAYERS);
	if (has_lowerdir_add())
		return mount_new_api(o, err);
	return mount_legacy(o, err);
}
