/* An iterative tree removal (remove_tree.h). One directory is open at a
 * time; going down opens a child by name with O_NOFOLLOW | O_DIRECTORY,
 * going up opens ".." and checks that it is the directory we came from
 * (device and inode, kept on a stack), so a directory renamed out of the
 * tree while we work in it cannot lead the walk elsewhere. Each directory
 * is checked to be on the mount of the directory the tree is in (statx's
 * mount ID, and the device) before anything in it is removed. */
#include "remove_tree.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "base/cleanup.h"

/* Where a directory is: its mount, device and inode. */
struct dir_id {
	uint64_t mnt_id; /* 0: not known (a kernel before 5.8) */
	dev_t dev;
	ino_t ino;
};

/* A directory being emptied: its identity, the one it is in (NULL for
 * the tree's top), and its name there (to remove it once it is empty). */
struct level {
	struct level *up;
	struct dir_id id;
	char name[];
};

struct walk {
	struct level *cur;   /* the directory being emptied */
	int fd;		     /* it, open */
	struct dir_id mount; /* of the directory the tree is in */
	const char *top;
};

static int dir_id_of(int fd, struct dir_id *id)
{
	struct statx stx;

	if (statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, STATX_INO | STATX_MNT_ID, &stx) < 0)
		return -1;
	id->mnt_id = (stx.stx_mask & STATX_MNT_ID) ? stx.stx_mnt_id : 0;
	id->dev = makedev(stx.stx_dev_major, stx.stx_dev_minor);
	id->ino = stx.stx_ino;
	return 0;
}

static bool same_mount(const struct dir_id *a, const struct dir_id *b)
{
	return a->dev == b->dev && a->mnt_id == b->mnt_id;
}

/* Open the directory NAME below `at` and make it the current one. A
 * directory on another mount than the tree's parent is refused. */
static int enter(struct walk *w, int at, const char *name, struct scute_err *err)
{
	auto_fd int fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	size_t len = strlen(name);
	struct level *l;
	struct dir_id id;

	if (fd < 0 || dir_id_of(fd, &id) < 0)
		return scute_err_sys(err, "remove %s: open %s", w->top, name);
	if (!same_mount(&id, &w->mount))
		return scute_err_set(err, EBUSY, "remove %s: %s is a mount point, not entered",
				     w->top, name);
	l = malloc(sizeof(*l) + len + 1);
	if (!l)
		return scute_err_set(err, ENOMEM, "remove %s: out of memory", w->top);
	l->up = w->cur;
	l->id = id;
	memcpy(l->name, name, len + 1);
	w->cur = l;
	if (w->fd >= 0)
		close(w->fd);
	w->fd = scute_take_fd(&fd);
	return 0;
}

/* Back from `cur` to `up`, checked to be the directory we came down
 * from, and remove the now empty `cur` from it. */
static int leave_to(struct walk *w, struct level *cur, struct level *up, struct scute_err *err)
{
	auto_fd int parent = openat(w->fd, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dir_id id;

	if (parent < 0 || dir_id_of(parent, &id) < 0)
		return scute_err_sys(err, "remove %s: back from %s", w->top, cur->name);
	if (id.ino != up->id.ino || !same_mount(&id, &up->id))
		return scute_err_set(err, EXDEV, "remove %s: %s was moved out of the tree", w->top,
				     cur->name);
	if (unlinkat(parent, cur->name, AT_REMOVEDIR) < 0 && errno != ENOENT)
		return scute_err_sys(err, "remove %s: %s", w->top, cur->name);
	w->cur = up;
	free(cur);
	close(w->fd);
	w->fd = scute_take_fd(&parent);
	return 0;
}

/* Back to the parent of the current directory: 0, or 1 when the current
 * one is the tree's top (nothing to go back to). */
static int leave(struct walk *w, struct scute_err *err)
{
	struct level *cur = w->cur;
	struct level *up = cur ? cur->up : NULL;

	if (!up)
		return 1;
	return leave_to(w, cur, up, err);
}

/* The current directory's name, for errors. */
static const char *cur_name(const struct walk *w)
{
	return w->cur ? w->cur->name : w->top;
}

/* Unlink everything in the current directory that is not a directory;
 * the first subdirectory's name goes to `sub` (1 returned), 0 when none
 * is left. A new open each time: the stream starts at the beginning. */
static int clear_files(struct walk *w, char sub[256], struct scute_err *err)
{
	int fd = openat(w->fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	auto_closedir DIR *d = fd < 0 ? NULL : fdopendir(fd);
	struct dirent *e;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return scute_err_sys(err, "remove %s: read %s", w->top, cur_name(w));
	}
	while ((errno = 0, e = readdir(d))) {
		struct stat st;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (fstatat(w->fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno == ENOENT)
				continue;
			return scute_err_sys(err, "remove %s: %s", w->top, e->d_name);
		}
		if (S_ISDIR(st.st_mode)) {
			memcpy(sub, e->d_name, strlen(e->d_name) + 1);
			return 1;
		}
		if (unlinkat(w->fd, e->d_name, 0) < 0 && errno != ENOENT)
			return scute_err_sys(err, "remove %s: %s", w->top, e->d_name);
	}
	if (errno)
		return scute_err_sys(err, "remove %s: read %s", w->top, cur_name(w));
	return 0;
}

static int remove_dir(struct walk *w, int dirfd, const char *name, struct scute_err *err)
{
	char sub[256];
	int found, at_top;

	if (enter(w, dirfd, name, err) < 0)
		return -1;
	for (;;) {
		found = clear_files(w, sub, err);
		if (found < 0)
			return -1;
		if (found) {
			if (enter(w, w->fd, sub, err) < 0)
				return -1;
			continue;
		}
		at_top = leave(w, err);
		if (at_top < 0)
			return -1;
		if (at_top)
			break;
	}
	if (unlinkat(dirfd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
		return scute_err_sys(err, "remove %s", name);
	return 0;
}

int scute_remove_tree_at(int dirfd, const char *name, struct scute_err *err)
{
	struct walk w = { .fd = -1, .top = name };
	struct stat st;
	int rc;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : scute_err_sys(err, "remove %s", name);
	if (!S_ISDIR(st.st_mode)) {
		if (unlinkat(dirfd, name, 0) < 0 && errno != ENOENT)
			return scute_err_sys(err, "remove %s", name);
		return 0;
	}
	if (dir_id_of(dirfd, &w.mount) < 0)
		return scute_err_sys(err, "remove %s", name);
	rc = remove_dir(&w, dirfd, name, err);
	if (w.fd >= 0)
		close(w.fd);
	while (w.cur) {
		struct level *up = w.cur->up;

		free(w.cur);
		w.cur = up;
	}
	return rc;
}
