#include "root.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "remove_tree.h"

/* mkdir -p, mode 0700 for what it makes. Parents are walked by path: the
 * root's own path is trusted (see root.h), only what is below it is not. */
static int make_root(const char *root, struct scute_err *err)
{
	char path[PATH_MAX];
	size_t len = strlen(root);

	if (len == 0 || len >= sizeof(path))
		return scute_err_set(err, EINVAL, "engine root \"%s\": not a usable path", root);
	memcpy(path, root, len + 1);
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0700) < 0 && errno != EEXIST)
			return scute_err_sys(err, "engine root: create %s", path);
		*p = '/';
	}
	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		return scute_err_sys(err, "engine root: create %s", path);
	return 0;
}

int scute_store_root_open(const char *root, struct scute_err *err)
{
	int fd;

	if (make_root(root, err) < 0)
		return -1;
	fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return scute_err_sys(err, "engine root: open %s", root);
	return fd;
}

int scute_store_subdir(int dirfd, const char *name, struct scute_err *err)
{
	struct stat st;
	int fd;

	if (mkdirat(dirfd, name, 0700) < 0 && errno != EEXIST)
		return scute_err_sys(err, "create %s", name);
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0)
		return fd;
	/* The kernel says ENOTDIR for a symlink here (O_DIRECTORY is checked
	 * first); say what it is. */
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
		return scute_err_set(err, ELOOP, "open %s: a symlink, not followed", name);
	return scute_err_sys(err, "open %s", name);
}

/* Creating a temporary file and locking it are two steps; the sweep takes
 * the tmp directory's lock exclusively, so it never sees a file between
 * the two (it would take it for an orphan). Creators share that lock. The
 * lock is taken on a new open of the directory, so that it is this call's
 * own (flock locks belong to an open file, and a process's writers share
 * one tmpfd), and closing the returned fd releases it. */
static int lock_dir(int tmpfd, int how, struct scute_err *err)
{
	auto_fd int fd = openat(tmpfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return scute_err_sys(err, "lock %s", SCUTE_STORE_TMP);
	while (flock(fd, how) < 0)
		if (errno != EINTR)
			return scute_err_sys(err, "lock %s", SCUTE_STORE_TMP);
	return scute_take_fd(&fd);
}

static int random_name(char name[SCUTE_STORE_TMP_NAME_MAX], struct scute_err *err)
{
	unsigned char rnd[16];

	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		return scute_err_sys(err, "%s: random name", SCUTE_STORE_TMP);
	memcpy(name, "tmp-", 5);
	for (size_t i = 0; i < sizeof(rnd); i++)
		snprintf(name + 4 + 2 * i, 3, "%02x", rnd[i]);
	return 0;
}

/* A new file (mode `mode`) or directory under tmp, open and locked (see
 * scute_store_tmp_file). O_EXCL and mkdirat fail on any existing name, so a
 * name planted there is never reused, nor followed. */
static int make_tmp(int tmpfd, bool dir, mode_t mode, char name[SCUTE_STORE_TMP_NAME_MAX],
		    struct scute_err *err)
{
	auto_fd int lock = -1;
	auto_fd int fd = -1;

	if (random_name(name, err) < 0)
		return -1;
	lock = lock_dir(tmpfd, LOCK_SH, err);
	if (lock < 0)
		return -1;
	if (dir && mkdirat(tmpfd, name, 0700) < 0)
		return scute_err_sys(err, "%s: create %s", SCUTE_STORE_TMP, name);
	fd = dir ? openat(tmpfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
		 : openat(tmpfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	/* a file O_EXCL did not make is not this call's to remove */
	if (fd < 0 && !dir)
		return scute_err_sys(err, "%s: create %s", SCUTE_STORE_TMP, name);
	/* made by this call from here on: on failure it goes again */
	if (fd < 0 || (dir && fchmod(fd, mode) < 0) || flock(fd, LOCK_EX | LOCK_NB) < 0) {
		scute_err_sys(err, "%s: open and lock %s", SCUTE_STORE_TMP, name);
		unlinkat(tmpfd, name, dir ? AT_REMOVEDIR : 0);
		return -1;
	}
	return scute_take_fd(&fd);
}

int scute_store_tmp_file(int tmpfd, mode_t mode, char name[SCUTE_STORE_TMP_NAME_MAX],
			 struct scute_err *err)
{
	return make_tmp(tmpfd, false, mode, name, err);
}

int scute_store_tmp_dir(int tmpfd, char name[SCUTE_STORE_TMP_NAME_MAX], struct scute_err *err)
{
	return make_tmp(tmpfd, true, 0755, name, err);
}

/* Remove the tmp entry NAME unless a live process holds it locked. Only
 * a directory or a regular file is opened (to try its lock), never a
 * device or a FIFO a half-unpacked layer may hold; the lock is held while
 * the tree goes, so its owner cannot be taken for dead halfway. */
static int sweep_entry(int tmpfd, const char *name, struct scute_err *err)
{
	auto_fd int fd = -1;
	struct stat st;

	if (fstatat(tmpfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : scute_err_sys(err, "remove %s", name);
	if (S_ISDIR(st.st_mode) || S_ISREG(st.st_mode)) {
		fd = openat(tmpfd, name,
			    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC |
				    (S_ISDIR(st.st_mode) ? O_DIRECTORY : 0));
		if (fd < 0)
			return errno == ENOENT ? 0 : scute_err_sys(err, "remove %s", name);
		if (flock(fd, LOCK_EX | LOCK_NB) < 0)
			return errno == EWOULDBLOCK ? 0
						    : scute_err_sys(err, "remove %s: lock", name);
	}
	return scute_remove_tree_at(tmpfd, name, err);
}

/* Every entry of tmp that no live process holds. */
static int sweep_entries(int tmpfd, struct scute_err *err)
{
	int dupfd = openat(tmpfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	auto_closedir DIR *d = dupfd < 0 ? NULL : fdopendir(dupfd);
	struct dirent *e;

	if (!d) {
		if (dupfd >= 0)
			close(dupfd);
		return scute_err_sys(err, "read directory");
	}
	while ((errno = 0, e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (sweep_entry(tmpfd, e->d_name, err) < 0)
			return -1;
	}
	if (errno)
		return scute_err_sys(err, "read directory");
	return 0;
}

int scute_store_sweep_tmp(int rootfd, struct scute_err *err)
{
	auto_fd int tmpfd = scute_store_subdir(rootfd, SCUTE_STORE_TMP, err);
	auto_fd int lock = tmpfd < 0 ? -1 : lock_dir(tmpfd, LOCK_EX, err);

	if (lock < 0 || sweep_entries(tmpfd, err) < 0)
		return scute_err_prefix(err, "engine root: sweep %s", SCUTE_STORE_TMP);
	return 0;
}
