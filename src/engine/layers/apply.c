#include "apply.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "base/cleanup.h"

/* How many skipped device nodes are named one by one before a count. */
#define DEVICE_WARNINGS 5

/* Resolution of a member's parent: beneath the layer, never through a
 * symlink (a layer's own symlinks point into the container, not here),
 * never onto another mount. */
#define RESOLVE_LAYER \
	(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV)

struct dir_times {
	char *path;
	struct timespec ts[2];
};

struct scute_layer_apply {
	int rootfd;
	const char *what;
	/* The parent of the last member: members come grouped by directory,
	 * so it is resolved once per directory, not once per member. Dropped
	 * whenever a member replaces something, which could be it. */
	int cachefd;
	char cachepath[PATH_MAX];
	struct dir_times *dirs;
	size_t ndirs, capdirs;
	int64_t size;
	size_t devices;
};

struct scute_layer_apply *scute_layer_apply_new(int rootfd, const char *what, struct scute_err *err)
{
	struct scute_layer_apply *la = calloc(1, sizeof(*la));

	if (!la) {
		scute_err_sys(err, "%s: unpack", what);
		return NULL;
	}
	la->rootfd = rootfd;
	la->what = what;
	la->cachefd = -1;
	return la;
}

void scute_layer_apply_free(struct scute_layer_apply *la)
{
	if (!la)
		return;
	if (la->cachefd >= 0)
		close(la->cachefd);
	for (size_t i = 0; i < la->ndirs; i++)
		free(la->dirs[i].path);
	free(la->dirs);
	free(la);
}

static int open_beneath(int dirfd, const char *path)
{
	struct open_how how = {
		.flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC,
		.resolve = RESOLVE_LAYER,
	};

	return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
}

static int resolve_error(const char *member, const char *dir, struct scute_err *err)
{
	if (errno == ELOOP)
		return scute_err_set(err, EINVAL, "member \"%s\": \"%s\" is a symlink", member,
				     dir);
	/* O_NOFOLLOW | O_DIRECTORY on the last component: ENOTDIR for a
	 * symlink as for a file */
	if (errno == ENOTDIR)
		return scute_err_set(err, EINVAL,
				     "member \"%s\": \"%s\" is a symlink or not a directory",
				     member, dir);
	return scute_err_sys(err, "member \"%s\": open \"%s\"", member, dir);
}

/* Open `dir` below the root one component at a time, making what is
 * missing (root-owned, 0755, as a tar that names a file before its
 * directory expects). */
static int make_dirs(int rootfd, const char *dir, const char *member, struct scute_err *err)
{
	auto_fd int cur = fcntl(rootfd, F_DUPFD_CLOEXEC, 0);
	char comp[PATH_MAX];

	if (cur < 0)
		return scute_err_sys(err, "member \"%s\": open the layer", member);
	for (const char *p = dir; *p;) {
		size_t len = strcspn(p, "/");
		int next;

		memcpy(comp, p, len);
		comp[len] = '\0';
		p += len + (p[len] == '/');
		next = open_beneath(cur, comp);
		if (next < 0 && errno == ENOENT) {
			if (mkdirat(cur, comp, 0755) < 0 && errno != EEXIST)
				return scute_err_sys(err, "member \"%s\": make \"%s\"", member,
						     dir);
			next = open_beneath(cur, comp);
			if (next >= 0 && fchmod(next, 0755) < 0) {
				close(next);
				return scute_err_sys(err, "member \"%s\": make \"%s\"", member,
						     dir);
			}
		}
		if (next < 0)
			return resolve_error(member, dir, err);
		close(cur);
		cur = next;
	}
	return scute_take_fd(&cur);
}

static void drop_cache(struct scute_layer_apply *la)
{
	if (la->cachefd >= 0)
		close(la->cachefd);
	la->cachefd = -1;
	la->cachepath[0] = '\0';
}

/* The parent directory `dir` of a member, borrowed (the apply keeps it).
 * With create, missing directories are made. */
static int parent_dir(struct scute_layer_apply *la, const char *dir, bool create,
		      const char *member, struct scute_err *err)
{
	int fd;

	if (!dir[0])
		return la->rootfd;
	if (la->cachefd >= 0 && !strcmp(la->cachepath, dir))
		return la->cachefd;
	fd = open_beneath(la->rootfd, dir);
	if (fd < 0 && errno == ENOENT && create)
		fd = make_dirs(la->rootfd, dir, member, err);
	else if (fd < 0)
		return resolve_error(member, dir, err);
	if (fd < 0)
		return -1;
	drop_cache(la);
	la->cachefd = fd;
	snprintf(la->cachepath, sizeof(la->cachepath), "%s", dir);
	return fd;
}

/* Make room for a member at base: what is there goes (tar's rule: a later
 * member replaces an earlier one), except a directory that a directory
 * member only updates. Returns 1 if an existing directory is kept. */
static int clear_name(struct scute_layer_apply *la, int pfd, const char *base, bool keep_dir,
		      const char *member, struct scute_err *err)
{
	struct stat st;

	if (fstatat(pfd, base, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : scute_err_sys(err, "member \"%s\"", member);
	if (S_ISDIR(st.st_mode) && keep_dir)
		return 1;
	drop_cache(la);
	if (unlinkat(pfd, base, S_ISDIR(st.st_mode) ? AT_REMOVEDIR : 0) == 0)
		return 0;
	if (errno == ENOTEMPTY || errno == EEXIST)
		return scute_err_set(err, ENOTSUP,
				     "member \"%s\": replaces a directory that is not empty",
				     member);
	return scute_err_sys(err, "member \"%s\": replace", member);
}

static int check_ids(struct archive_entry *ae, const char *member, struct scute_err *err)
{
	int64_t uid = archive_entry_uid(ae), gid = archive_entry_gid(ae);

	if (uid < 0 || uid >= UINT32_MAX || gid < 0 || gid >= UINT32_MAX)
		return scute_err_set(err, EINVAL, "member \"%s\": owner %lld:%lld out of range",
				     member, (long long)uid, (long long)gid);
	return 0;
}

/* Only what a container may rely on: user.* (an application's own) and
 * security.capability (file capabilities). trusted.* would steer overlayfs
 * (redirects, metacopy, opaque marks) and security.* labels are the host's
 * to give, so they are dropped. */
static bool xattr_allowed(const char *name)
{
	return !strncmp(name, "user.", 5) || !strcmp(name, "security.capability");
}

static int set_xattrs(int fd, struct archive_entry *ae, const char *member, struct scute_err *err)
{
	const char *name;
	const void *value;
	size_t size;

	archive_entry_xattr_reset(ae);
	while (archive_entry_xattr_next(ae, &name, &value, &size) == ARCHIVE_OK) {
		if (!xattr_allowed(name)) {
			scute_log(SCUTE_LOG_DEBUG, "member \"%s\": xattr %s dropped", member, name);
			continue;
		}
		if (fsetxattr(fd, name, value, size, 0) < 0)
			return scute_err_sys(err, "member \"%s\": set xattr %s", member, name);
	}
	return 0;
}

static void entry_times(struct archive_entry *ae, struct timespec ts[2])
{
	ts[1].tv_sec = archive_entry_mtime(ae);
	ts[1].tv_nsec = archive_entry_mtime_nsec(ae);
	ts[0] = ts[1];
	if (archive_entry_atime_is_set(ae)) {
		ts[0].tv_sec = archive_entry_atime(ae);
		ts[0].tv_nsec = archive_entry_atime_nsec(ae);
	}
}

/* Owner, then mode (chown clears setuid/setgid, so the mode comes after
 * it), then xattrs (chown drops security.capability too). */
static int set_meta(int fd, struct archive_entry *ae, const char *member, struct scute_err *err)
{
	if (fchown(fd, (uid_t)archive_entry_uid(ae), (gid_t)archive_entry_gid(ae)) < 0)
		return scute_err_sys(err, "member \"%s\": chown", member);
	if (fchmod(fd, archive_entry_perm(ae) & 07777) < 0)
		return scute_err_sys(err, "member \"%s\": chmod", member);
	return set_xattrs(fd, ae, member, err);
}

static int write_data(int fd, struct archive *ar, int64_t *total, const char *member,
		      struct scute_err *err)
{
	const void *buf;
	size_t size;
	la_int64_t off;
	int r;

	while ((r = archive_read_data_block(ar, &buf, &size, &off)) == ARCHIVE_OK) {
		const char *p = buf;

		while (size > 0) {
			ssize_t n = pwrite(fd, p, size, off);

			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				return scute_err_sys(err, "member \"%s\": write", member);
			p += n, off += n, size -= (size_t)n, *total += n;
		}
	}
	if (r != ARCHIVE_EOF)
		return scute_err_set(err, EBADMSG, "member \"%s\": %s", member,
				     archive_error_string(ar) ? archive_error_string(ar)
							      : "unreadable data");
	return 0;
}

static int make_file(struct scute_layer_apply *la, int pfd, const char *base,
		     const struct scute_tar_entry *e, struct archive_entry *ae, struct archive *ar,
		     struct scute_err *err)
{
	auto_fd int fd = -1;
	struct timespec ts[2] = { 0 };

	/* O_EXCL: an existing name, whatever it is (a link to elsewhere in
	 * the layer above all), is never opened for writing; it is replaced. */
	for (int tries = 0; fd < 0 && tries < 2; tries++) {
		fd = openat(pfd, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0 && errno == EEXIST && tries == 0) {
			if (clear_name(la, pfd, base, false, e->path, err) < 0)
				return -1;
		} else if (fd < 0) {
			return scute_err_sys(err, "member \"%s\": create", e->path);
		}
	}
	if (write_data(fd, ar, &la->size, e->path, err) < 0)
		return -1;
	if (archive_entry_size_is_set(ae) && ftruncate(fd, archive_entry_size(ae)) < 0)
		return scute_err_sys(err, "member \"%s\": size", e->path);
	if (set_meta(fd, ae, e->path, err) < 0)
		return -1;
	entry_times(ae, ts);
	if (futimens(fd, ts) < 0)
		return scute_err_sys(err, "member \"%s\": times", e->path);
	return 0;
}

static int remember_dir(struct scute_layer_apply *la, const char *path, struct archive_entry *ae,
			struct scute_err *err)
{
	if (la->ndirs == la->capdirs) {
		size_t cap = la->capdirs ? la->capdirs * 2 : 64;
		struct dir_times *d = realloc(la->dirs, cap * sizeof(*d));

		if (!d)
			return scute_err_sys(err, "member \"%s\"", path);
		la->dirs = d;
		la->capdirs = cap;
	}
	la->dirs[la->ndirs].path = strdup(path);
	if (!la->dirs[la->ndirs].path)
		return scute_err_sys(err, "member \"%s\"", path);
	entry_times(ae, la->dirs[la->ndirs].ts);
	la->ndirs++;
	return 0;
}

static int make_dir(struct scute_layer_apply *la, int pfd, const char *base,
		    const struct scute_tar_entry *e, struct archive_entry *ae,
		    struct scute_err *err)
{
	auto_fd int fd = -1;

	if (mkdirat(pfd, base, 0700) < 0) {
		int kept;

		if (errno != EEXIST)
			return scute_err_sys(err, "member \"%s\": mkdir", e->path);
		kept = clear_name(la, pfd, base, true, e->path, err);
		if (kept < 0 || (!kept && mkdirat(pfd, base, 0700) < 0))
			return kept < 0 ? -1 : scute_err_sys(err, "member \"%s\": mkdir", e->path);
	}
	fd = openat(pfd, base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return scute_err_sys(err, "member \"%s\": open", e->path);
	if (set_meta(fd, ae, e->path, err) < 0)
		return -1;
	return remember_dir(la, e->path, ae, err);
}

/* Owner and times of what was just made at base (not opened: a symlink,
 * a FIFO). The directory is the layer's own, written by this process only. */
static int set_meta_at(int pfd, const char *base, struct archive_entry *ae, bool chmod_too,
		       const char *member, struct scute_err *err)
{
	struct timespec ts[2] = { 0 };

	if (fchownat(pfd, base, (uid_t)archive_entry_uid(ae), (gid_t)archive_entry_gid(ae),
		     AT_SYMLINK_NOFOLLOW) < 0)
		return scute_err_sys(err, "member \"%s\": chown", member);
	if (chmod_too && fchmodat(pfd, base, archive_entry_perm(ae) & 07777, 0) < 0)
		return scute_err_sys(err, "member \"%s\": chmod", member);
	entry_times(ae, ts);
	if (utimensat(pfd, base, ts, AT_SYMLINK_NOFOLLOW) < 0)
		return scute_err_sys(err, "member \"%s\": times", member);
	return 0;
}

/* Retry a creation once after clearing the name it collided with. */
#define CREATE_REPLACING(la, pfd, base, member, call)                                  \
	({                                                                             \
		int _r = (call);                                                       \
		if (_r < 0 && errno == EEXIST) {                                       \
			if (clear_name((la), (pfd), (base), false, (member), err) < 0) \
				return -1;                                             \
			_r = (call);                                                   \
		}                                                                      \
		_r;                                                                    \
	})

static int make_symlink(struct scute_layer_apply *la, int pfd, const char *base,
			const struct scute_tar_entry *e, struct archive_entry *ae,
			struct scute_err *err)
{
	const char *target = archive_entry_symlink(ae);

	if (!target || !*target)
		return scute_err_set(err, EINVAL, "member \"%s\": a symlink to nothing", e->path);
	if (CREATE_REPLACING(la, pfd, base, e->path, symlinkat(target, pfd, base)) < 0)
		return scute_err_sys(err, "member \"%s\": symlink", e->path);
	return set_meta_at(pfd, base, ae, false, e->path, err);
}

static int make_hardlink(struct scute_layer_apply *la, int pfd, const char *base,
			 const struct scute_tar_entry *e, struct scute_err *err)
{
	char tdir[PATH_MAX];
	char *slash;
	const char *tbase;
	auto_fd int tfd = -1;

	snprintf(tdir, sizeof(tdir), "%s", e->link);
	slash = strrchr(tdir, '/');
	tbase = slash ? slash + 1 : tdir;
	if (slash) {
		*slash = '\0';
		tfd = open_beneath(la->rootfd, tdir);
		if (tfd < 0 && errno == ENOENT)
			return scute_err_set(err, EINVAL,
					     "member \"%s\": a hard link to \"%s\", which is not "
					     "in the layer",
					     e->path, e->link);
		if (tfd < 0)
			return resolve_error(e->path, tdir, err);
	}
	if (CREATE_REPLACING(la, pfd, base, e->path,
			     linkat(slash ? tfd : la->rootfd, tbase, pfd, base, 0)) == 0)
		return 0;
	if (errno == ENOENT)
		return scute_err_set(err, EINVAL,
				     "member \"%s\": a hard link to \"%s\", which is not in the "
				     "layer",
				     e->path, e->link);
	return scute_err_sys(err, "member \"%s\": hard link to \"%s\"", e->path, e->link);
}

static int make_node(struct scute_layer_apply *la, int pfd, const char *base,
		     const struct scute_tar_entry *e, struct archive_entry *ae,
		     struct scute_err *err)
{
	if (e->kind == SCUTE_TAR_WHITEOUT) {
		/* overlayfs's whiteout: a 0:0 character device, owned by root */
		if (CREATE_REPLACING(la, pfd, base, e->path,
				     mknodat(pfd, base, S_IFCHR, makedev(0, 0))) < 0)
			return scute_err_sys(err, "member \"%s\": whiteout", e->path);
		return 0;
	}
	if (CREATE_REPLACING(la, pfd, base, e->path, mknodat(pfd, base, S_IFIFO | 0600, 0)) < 0)
		return scute_err_sys(err, "member \"%s\": mkfifo", e->path);
	return set_meta_at(pfd, base, ae, true, e->path, err);
}

static int make_opaque(struct scute_layer_apply *la, const struct scute_tar_entry *e,
		       struct scute_err *err)
{
	int fd = parent_dir(la, e->path, true, e->path, err);

	if (fd < 0)
		return -1;
	if (fsetxattr(fd, "trusted.overlay.opaque", "y", 1, 0) < 0)
		return scute_err_sys(err, "member \"%s/.wh..wh..opq\": mark opaque", e->path);
	return 0;
}

static void warn_device(struct scute_layer_apply *la, const struct scute_tar_entry *e)
{
	if (la->devices++ < DEVICE_WARNINGS)
		scute_log(SCUTE_LOG_WARN, "%s: member \"%s\": a device node, not created", la->what,
			  e->path);
}

int scute_layer_apply_entry(struct scute_layer_apply *la, const struct scute_tar_entry *e,
			    struct archive_entry *ae, struct archive *ar, struct scute_err *err)
{
	char dir[PATH_MAX];
	const char *slash, *base;
	int pfd;

	switch (e->kind) {
	case SCUTE_TAR_SKIP: return 0;
	case SCUTE_TAR_DEVICE: warn_device(la, e); return 0;
	case SCUTE_TAR_OTHER:
		scute_log(SCUTE_LOG_WARN, "%s: member \"%s\": a socket or unknown type, skipped",
			  la->what, e->path);
		return 0;
	case SCUTE_TAR_OPAQUE: return make_opaque(la, e, err);
	default: break;
	}
	if (check_ids(ae, e->path, err) < 0)
		return -1;
	slash = strrchr(e->path, '/');
	base = slash ? slash + 1 : e->path;
	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - e->path) : 0, e->path);
	pfd = parent_dir(la, dir, true, e->path, err);
	if (pfd < 0)
		return -1;
	switch (e->kind) {
	case SCUTE_TAR_FILE: return make_file(la, pfd, base, e, ae, ar, err);
	case SCUTE_TAR_DIR: return make_dir(la, pfd, base, e, ae, err);
	case SCUTE_TAR_SYMLINK: return make_symlink(la, pfd, base, e, ae, err);
	case SCUTE_TAR_HARDLINK: return make_hardlink(la, pfd, base, e, err);
	default: return make_node(la, pfd, base, e, ae, err);
	}
}

int scute_layer_apply_finish(struct scute_layer_apply *la, int64_t *size, struct scute_err *err)
{
	int rc = 0;

	if (la->devices > DEVICE_WARNINGS)
		scute_log(SCUTE_LOG_WARN, "%s: %zu device nodes in all, none created", la->what,
			  la->devices);
	for (size_t i = 0; i < la->ndirs && rc == 0; i++) {
		auto_fd int fd = open_beneath(la->rootfd, la->dirs[i].path);

		/* gone or replaced by a later member: nothing to date */
		if (fd < 0 && (errno == ENOENT || errno == ELOOP || errno == ENOTDIR))
			continue;
		if (fd < 0 || futimens(fd, la->dirs[i].ts) < 0)
			rc = scute_err_sys(err, "member \"%s\": times", la->dirs[i].path);
	}
	if (size)
		*size = la->size;
	scute_layer_apply_free(la);
	return rc;
}
