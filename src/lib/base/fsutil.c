#include "fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"

int scute_openat2(int dirfd, const char *path, int flags, mode_t mode, uint64_t resolve)
{
	struct open_how how = { .flags = (__u64)(unsigned int)flags,
				.mode = mode,
				.resolve = resolve };

	return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
}

static int is_procfs(int fd)
{
	struct statfs st;

	return fstatfs(fd, &st) == 0 && st.f_type == PROC_SUPER_MAGIC;
}

int scute_proc_open(const char *path, struct scute_err *err)
{
	auto_fd int fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return scute_err_sys(err, "open %s", path);
	if (!is_procfs(fd))
		return scute_err_set(err, EXDEV, "%s is not a procfs mount", path);
	return scute_take_fd(&fd);
}

static int write_all(int fd, const char *value, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, value, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		value += n;
		len -= (size_t)n;
	}
	return 0;
}

static int proc_write_fd(int dirfd, const char *path, const char *shown, const char *value,
			 struct scute_err *err)
{
	auto_fd int fd = scute_openat2(dirfd, path, O_WRONLY | O_CLOEXEC, 0,
				       RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
					       RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV);

	if (fd < 0)
		return scute_err_sys(err, "open /proc/%s", shown);
	if (!is_procfs(fd))
		return scute_err_set(err, EXDEV, "/proc/%s is not on procfs", shown);
	if (write_all(fd, value, strlen(value)) < 0)
		return scute_err_sys(err, "write \"%s\" to /proc/%s", value, shown);
	return 0;
}

int scute_proc_write(int procfd, const char *path, const char *value, struct scute_err *err)
{
	return proc_write_fd(procfd, path, path, value, err);
}

/* PATH under procfs's own link `link` ("self" or "thread-self"): the only
 * link followed, and it cannot leave the verified mount. */
static int proc_link_write(int procfd, const char *link, const char *path, const char *value,
			   struct scute_err *err)
{
	char shown[256];
	auto_fd int dir = -1;

	dir = scute_openat2(procfd, link, O_PATH | O_DIRECTORY | O_CLOEXEC, 0,
			    RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV);
	if (dir < 0)
		return scute_err_sys(err, "open /proc/%s", link);
	snprintf(shown, sizeof(shown), "%s/%s", link, path);
	return proc_write_fd(dir, path, shown, value, err);
}

int scute_proc_self_write(int procfd, const char *path, const char *value, struct scute_err *err)
{
	return proc_link_write(procfd, "self", path, value, err);
}

int scute_proc_thread_write(int procfd, const char *path, const char *value, struct scute_err *err)
{
	return proc_link_write(procfd, "thread-self", path, value, err);
}

#define IN_ROOT (RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS)

static int create_component(int parentfd, const char *name, bool as_file)
{
	if (as_file) {
		/* Made, not used: closed at once. */
		int fd = openat(parentfd, name,
				O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd < 0)
			return errno == EEXIST ? 0 : -1;
		close(fd);
		return 0;
	}
	if (mkdirat(parentfd, name, 0755) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

/* A component that does not resolve may be a dangling symlink: return its
 * target joined with the rest of the path, to be made instead (inside the
 * root: every prefix is resolved from the root fd). */
static int expand_dangling(int rootfd, char *buf, size_t len, char *cut, const char *rest)
{
	char target[PATH_MAX], next[PATH_MAX];
	const char *name = cut ? cut + 1 : buf;
	ssize_t n;

	if (cut)
		*cut = '\0';
	{
		auto_fd int parent = scute_openat2(rootfd, cut ? buf : ".",
						   O_PATH | O_DIRECTORY | O_CLOEXEC, 0, IN_ROOT);
		if (parent < 0)
			return -1;
		n = readlinkat(parent, name, target, sizeof(target) - 1);
	}
	if (n < 0)
		return -1;
	target[n] = '\0';
	if (target[0] == '/')
		n = snprintf(next, sizeof(next), "%s%s%s", target, rest ? "/" : "",
			     rest ? rest : "");
	else
		n = snprintf(next, sizeof(next), "%s%s%s%s%s", cut ? buf : "", cut ? "/" : "",
			     target, rest ? "/" : "", rest ? rest : "");
	if (n < 0 || (size_t)n >= len)
		return -1;
	snprintf(buf, len, "%s", next);
	return 0;
}

/* Make the missing component `name` of buf (below parent `cut`, or at the
 * top); whether what is there now is a symlink that does not resolve. */
static int make_missing(int rootfd, char *buf, char *cut, bool as_file, bool *dangling,
			struct scute_err *err)
{
	const char *name = cut ? cut + 1 : buf;
	auto_fd int parent = -1;
	struct stat st;

	if (cut)
		*cut = '\0';
	parent = scute_openat2(rootfd, cut ? buf : ".", O_PATH | O_DIRECTORY | O_CLOEXEC, 0,
			       IN_ROOT);
	if (cut)
		*cut = '/';
	if (parent < 0)
		return scute_err_sys(err, "resolve parent of %s", buf);
	if (create_component(parent, name, as_file) < 0)
		return scute_err_sys(err, "create %s in the container root", buf);
	*dangling = fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode);
	return 0;
}

int scute_resolve_in_root(int rootfd, const char *path, bool create, bool last_is_file,
			  struct scute_err *err)
{
	char buf[PATH_MAX], rest[PATH_MAX];
	char *slash;
	int links = 0;

	if (strlen(path) >= sizeof(buf))
		return scute_err_set(err, ENAMETOOLONG, "%s: path too long", path);
	while (*path == '/')
		path++;
	if (!*path)
		path = ".";
	int first = scute_openat2(rootfd, path, O_PATH | O_CLOEXEC, 0, IN_ROOT);
	if (first >= 0 || errno != ENOENT || !create) {
		if (first < 0)
			return scute_err_sys(err, "resolve %s in the container root", path);
		return first;
	}
	/* Make each missing component in turn; every prefix is resolved anew
	 * from the root fd, so a symlink swapped in meanwhile stays inside. */
	snprintf(buf, sizeof(buf), "%s", path);
restart:
	for (char *p = buf;; p = slash + 1) {
		while (*p == '/')
			p++;
		slash = strchr(p, '/');
		bool last = slash == NULL;
		if (slash)
			*slash = '\0';
		auto_fd int fd = scute_openat2(rootfd, buf, O_PATH | O_CLOEXEC, 0, IN_ROOT);
		if (fd < 0 && errno == ENOENT) {
			char *cut = strrchr(buf, '/');
			bool dangling = false;
			if (make_missing(rootfd, buf, cut, last && last_is_file, &dangling, err) <
			    0)
				return -1;
			if (dangling) {
				snprintf(rest, sizeof(rest), "%s", last ? "" : slash + 1);
				if (++links > 40 || expand_dangling(rootfd, buf, sizeof(buf), cut,
								    last ? NULL : rest) < 0)
					return scute_err_set(err, ELOOP,
							     "%s: too many or broken "
							     "symlinks",
							     path);
				goto restart;
			}
			fd = scute_openat2(rootfd, buf, O_PATH | O_CLOEXEC, 0, IN_ROOT);
		}
		if (fd < 0)
			return scute_err_sys(err, "resolve %s in the container root", buf);
		if (last)
			return scute_take_fd(&fd);
		*slash = '/';
	}
}

int scute_write_at(int dirfd, const char *path, const char *value, struct scute_err *err)
{
	auto_fd int fd = openat(dirfd, path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0)
		return scute_err_sys(err, "open %s", path);
	if (write_all(fd, value, strlen(value)) < 0)
		return scute_err_sys(err, "write \"%s\" to %s", value, path);
	return 0;
}

ssize_t scute_read_at(int dirfd, const char *path, char *buf, size_t len, struct scute_err *err)
{
	size_t total = 0;
	ssize_t n;
	auto_fd int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0)
		return scute_err_sys(err, "open %s", path);
	while (total + 1 < len && (n = read(fd, buf + total, len - 1 - total)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return scute_err_sys(err, "read %s", path);
		total += (size_t)n;
	}
	buf[total] = '\0';
	return (ssize_t)total;
}

/* NAME below dirfd (mode 0600, never through a symlink) holding `data`;
 * `flags` is O_TRUNC or O_EXCL. Removed again if the write fails; closed
 * on return. */
static int create_and_write(int dirfd, const char *name, int flags, const char *data, size_t len,
			    struct scute_err *err)
{
	auto_fd int fd =
		openat(dirfd, name, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | flags, 0600);

	if (fd < 0)
		return scute_err_sys(err, "create %s", name);
	if (write_all(fd, data, len) < 0) {
		scute_err_sys(err, "write %s", name);
		unlinkat(dirfd, name, 0);
		return -1;
	}
	return 0;
}

int scute_write_file_atomic(int dirfd, const char *name, const char *data, size_t len,
			    struct scute_err *err)
{
	char tmp[NAME_MAX + 1];
	int n = snprintf(tmp, sizeof(tmp), ".%s.tmp", name);

	if (n < 0 || (size_t)n >= sizeof(tmp))
		return scute_err_set(err, ENAMETOOLONG, "%s: name too long", name);
	if (create_and_write(dirfd, tmp, O_TRUNC, data, len, err) < 0)
		return -1;
	if (renameat(dirfd, tmp, dirfd, name) < 0) {
		scute_err_sys(err, "rename %s to %s", tmp, name);
		unlinkat(dirfd, tmp, 0);
		return -1;
	}
	return 0;
}

/* All of a regular file's fd, up to `max` bytes, NUL-terminated; NULL with
 * errno set (EFBIG past max). */
static char *read_all(int fd, size_t max, size_t *len)
{
	struct stat st;
	size_t cap, got = 0;
	auto_free char *buf = NULL;
	char *grown;

	if (fstat(fd, &st) < 0)
		return NULL;
	cap = (size_t)st.st_size + 1;
	if ((size_t)st.st_size > max) {
		errno = EFBIG;
		return NULL;
	}
	if (!(buf = malloc(cap)))
		return NULL;
	/* The size is a hint: read to the end, whatever it is by then. */
	for (;;) {
		if (got + 1 == cap) {
			if (cap > max || !(grown = realloc(buf, cap * 2))) {
				/* auto_free (cleanup.h); clang-tidy 14 does not run cleanups */
				/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc) */
				errno = cap > max ? EFBIG : ENOMEM;
				return NULL;
			}
			buf = grown;
			cap *= 2;
		}
		ssize_t n = read(fd, buf + got, cap - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return NULL;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	if (got > max) {
		errno = EFBIG;
		return NULL;
	}
	buf[got] = '\0';
	*len = got;
	return scute_take_ptr(&buf);
}

char *scute_read_file_at(int dirfd, const char *path, int flags, size_t max, size_t *len,
			 struct scute_err *err)
{
	struct stat st;
	char *buf;
	/* O_NONBLOCK: a FIFO or a device put there must not hang the open. */
	auto_fd int fd = openat(dirfd, path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC | flags);

	if (fd < 0) {
		scute_err_sys(err, "%s", path);
		return NULL;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		scute_err_set(err, EINVAL, "%s: not a regular file", path);
		/* auto_fd closes it; cppcheck does not know cleanup attributes */
		/* cppcheck-suppress resourceLeak */
		return NULL;
	}
	buf = read_all(fd, max, len);
	if (!buf)
		scute_err_sys(err, "read %s", path);
	return buf;
}

char *scute_read_file(const char *path, size_t *len, struct scute_err *err)
{
	return scute_read_file_at(AT_FDCWD, path, 0, 64UL * 1024 * 1024, len, err);
}

int scute_write_new_file(int dirfd, const char *name, const char *data, size_t len,
			 struct scute_err *err)
{
	return create_and_write(dirfd, name, O_EXCL, data, len, err);
}
