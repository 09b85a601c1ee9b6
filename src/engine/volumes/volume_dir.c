/* Volume directories (volume_dir.h). */
#include "volume_dir.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <search.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "remove_tree.h"
#include "volume_rows.h"

/* The name a volume directory has inside its tmp entry. */
#define HELD "volume"
#define DATA "_data"

static void held_reset(struct scute_volume_held *h)
{
	h->tmp[0] = '\0';
	h->lockfd = -1;
}

struct scute_volume_held *scute_volume_held_next(struct scute_volume_held_list *l,
						 struct scute_err *err)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct scute_volume_held *v = reallocarray(l->v, cap, sizeof(*v));

		if (!v) {
			scute_err_set(err, ENOMEM, "volumes: out of memory");
			return NULL;
		}
		l->v = v;
		l->cap = cap;
	}
	held_reset(&l->v[l->n]);
	l->v[l->n].name[0] = '\0';
	return &l->v[l->n++];
}

void scute_volume_held_list_free(struct scute_volume_held_list *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

int scute_volume_dirs_open(struct scute_store *s, struct scute_volume_dirs *d,
			   struct scute_err *err)
{
	d->volfd = d->tmpfd = -1;
	if (s->mode == SCUTE_STORE_READ)
		return scute_err_set(err, EINVAL, "volumes: the store is open read-only");
	if (scute_volume_root_path(s, d->root, err) < 0)
		return -1;
	d->volfd = scute_store_subdir(s->rootfd, SCUTE_VOLUMES_DIR, err);
	if (d->volfd >= 0)
		d->tmpfd = scute_store_subdir(s->rootfd, SCUTE_STORE_TMP, err);
	if (d->tmpfd < 0) {
		scute_volume_dirs_close(d);
		return scute_err_prefix(err, "engine root %s", d->root);
	}
	return 0;
}

void scute_volume_dirs_close(struct scute_volume_dirs *d)
{
	if (d->volfd >= 0)
		close(d->volfd);
	if (d->tmpfd >= 0)
		close(d->tmpfd);
	d->volfd = d->tmpfd = -1;
}

void scute_volume_dir_path(const struct scute_volume_dirs *d, const char *name, char *out,
			   size_t size)
{
	snprintf(out, size, "%s/%s/%s/%s", d->root, SCUTE_VOLUMES_DIR, name, DATA);
}

/* mkdirat with exactly MODE (no umask), opened. */
static int make_dir_at(int dirfd, const char *name, mode_t mode, struct scute_err *err)
{
	auto_fd int fd = -1;

	if (mkdirat(dirfd, name, 0700) < 0)
		return scute_err_sys(err, "create %s", name);
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fchmod(fd, mode) < 0)
		return scute_err_sys(err, "create %s", name);
	return scute_take_fd(&fd);
}

int scute_volume_dir_make(struct scute_volume_dirs *d, const char *name,
			  struct scute_volume_held *h, struct scute_err *err)
{
	auto_fd int vol = -1;
	auto_fd int data = -1;
	struct scute_err ignored;

	held_reset(h);
	snprintf(h->name, sizeof(h->name), "%s", name);
	h->lockfd = scute_store_tmp_dir(d->tmpfd, h->tmp, err);
	if (h->lockfd < 0)
		return scute_err_prefix(err, "volume %s", name);
	vol = make_dir_at(h->lockfd, HELD, 0755, err);
	if (vol >= 0)
		data = make_dir_at(vol, DATA, 0755, err);
	/* on disk before the rename that publishes it */
	if (data < 0 || fsync(data) < 0 || fsync(vol) < 0 || fsync(h->lockfd) < 0) {
		if (data >= 0)
			scute_err_sys(err, "sync");
		scute_err_prefix(err, "volume %s", name);
		scute_volume_dir_discard(d, h, &ignored);
		return -1;
	}
	return 0;
}

int scute_volume_dir_publish(struct scute_volume_dirs *d, struct scute_volume_held *h,
			     struct scute_err *err)
{
	struct scute_err ignored;

	if (renameat2(h->lockfd, HELD, d->volfd, h->name, RENAME_NOREPLACE) < 0)
		return scute_err_sys(err, "volume %s: rename into %s", h->name, SCUTE_VOLUMES_DIR);
	if (fsync(d->volfd) < 0)
		return scute_err_sys(err, "volume %s: sync %s", h->name, SCUTE_VOLUMES_DIR);
	/* the tmp entry is empty now; a failure to remove it leaves it to
	 * the tmp sweep */
	scute_volume_dir_discard(d, h, &ignored);
	return 0;
}

int scute_volume_dir_retire(struct scute_volume_dirs *d, const char *name,
			    struct scute_volume_held *h, struct scute_err *err)
{
	struct stat st;
	struct scute_err ignored;

	held_reset(h);
	snprintf(h->name, sizeof(h->name), "%s", name);
	if (fstatat(d->volfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 1 : scute_err_sys(err, "volume %s", name);
	h->lockfd = scute_store_tmp_dir(d->tmpfd, h->tmp, err);
	if (h->lockfd < 0)
		return scute_err_prefix(err, "volume %s", name);
	if (renameat2(d->volfd, name, h->lockfd, HELD, RENAME_NOREPLACE) < 0) {
		int e = errno;

		scute_volume_dir_discard(d, h, &ignored);
		if (e == ENOENT)
			return 1;
		errno = e;
		return scute_err_sys(err, "volume %s: move out of %s", name, SCUTE_VOLUMES_DIR);
	}
	return 0;
}

int scute_volume_dir_restore(struct scute_volume_dirs *d, struct scute_volume_held *h,
			     struct scute_err *err)
{
	if (h->lockfd < 0)
		return 0;
	if (renameat2(h->lockfd, HELD, d->volfd, h->name, RENAME_NOREPLACE) < 0)
		return scute_err_sys(err, "volume %s: move back into %s", h->name,
				     SCUTE_VOLUMES_DIR);
	return scute_volume_dir_discard(d, h, err);
}

int scute_volume_dir_discard(struct scute_volume_dirs *d, struct scute_volume_held *h,
			     struct scute_err *err)
{
	int rc = 0;

	if (h->lockfd < 0)
		return 0;
	/* removed while still locked, so no sweep takes it for an orphan
	 * halfway; a failure leaves it to the next tmp sweep */
	if (scute_remove_tree_at(d->tmpfd, h->tmp, err) < 0)
		rc = scute_err_prefix(err, "volume %s", h->name);
	close(h->lockfd);
	held_reset(h);
	return rc;
}

int scute_volume_dir_exists(struct scute_volume_dirs *d, const char *name, struct scute_err *err)
{
	char path[SCUTE_VOLUME_NAME_MAX + sizeof("/" DATA)];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", name, DATA);
	if (fstatat(d->volfd, path, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT || errno == ENOTDIR ? 0
							   : scute_err_sys(err, "volume %s", name);
	return S_ISDIR(st.st_mode) ? 1 : 0;
}

/* ---- size ------------------------------------------------------------------- */

/* nftw passes no argument to its callback: the walk's totals are this
 * thread's. */
static __thread uint64_t walk_bytes;
static __thread void *walk_seen;

struct inode_key {
	dev_t dev;
	ino_t ino;
};

static int inode_cmp(const void *a, const void *b)
{
	const struct inode_key *x = a, *y = b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	return x->ino < y->ino ? -1 : x->ino > y->ino;
}

/* A hard link counts once: whether (dev, ino) was seen before. */
static int seen_before(const struct stat *st)
{
	struct inode_key *k = malloc(sizeof(*k));
	void *found;

	if (!k)
		return 0;
	k->dev = st->st_dev;
	k->ino = st->st_ino;
	found = tsearch(k, &walk_seen, inode_cmp);
	if (found && *(struct inode_key **)found != k) {
		free(k);
		return 1;
	}
	if (!found)
		free(k);
	return 0;
}

static int count_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)path;
	(void)ftw;
	if (type != FTW_F || st->st_size <= 0)
		return 0;
	if (st->st_nlink > 1 && seen_before(st))
		return 0;
	walk_bytes += (uint64_t)st->st_size;
	return 0;
}

uint64_t scute_volume_dir_size(const struct scute_volume_held *h)
{
	char path[64];

	if (h->lockfd < 0)
		return 0;
	walk_bytes = 0;
	walk_seen = NULL;
	/* FTW_PHYS: symlinks are counted as links, never followed; FTW_MOUNT:
	 * nothing on another file system. A walk that fails partway (a
	 * path longer than PATH_MAX) reports what it counted. */
	snprintf(path, sizeof(path), "/proc/self/fd/%d/" HELD, h->lockfd);
	nftw(path, count_one, 16, FTW_PHYS | FTW_MOUNT);
	tdestroy(walk_seen, free);
	walk_seen = NULL;
	return walk_bytes;
}
