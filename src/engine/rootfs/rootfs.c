/* Container roots (rootfs.h): the row, the directory, the mount, in that
 * order, and back in reverse. */
#include "rootfs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "db.h"
#include "digest.h"
#include "image_store.h"
#include "overlay.h"
#include "remove_tree.h"

/* Where a root's directory goes: its parent (the caller's path, trusted as
 * the engine root is) and its one-component name there. */
struct place {
	char dir[PATH_MAX]; /* absolute: the parent's real path and the name */
	char name[NAME_MAX + 1];
	int parentfd;
};

/* A root being mounted: what the row says, and the layers' chain IDs, top
 * first, read in the transaction that writes the row. */
struct plan {
	const char *ref;
	const char *dir;
	const char *target;
	struct scute_digest image;
	struct scute_digest layers[SCUTE_OVERLAY_MAX_LAYERS];
	size_t n_layers;
	bool ephemeral; /* scute_rootfs_remount's: mounted volatile */
};

static void close_place(struct place *p)
{
	if (p->parentfd >= 0)
		close(p->parentfd);
}

#define auto_place __attribute__((cleanup(close_place)))

/* Split DIR into its parent's path (into `parent`) and its last name. */
static int split_dir(const char *dir, char parent[PATH_MAX], struct place *p, struct scute_err *err)
{
	size_t len = strlen(dir);
	const char *name;

	while (len > 1 && dir[len - 1] == '/')
		len--;
	if (len == 0 || len >= PATH_MAX)
		return scute_err_set(err, EINVAL,
				     "container root directory \"%s\": not a usable path", dir);
	name = memrchr(dir, '/', len);
	name = name ? name + 1 : dir;
	if ((size_t)(dir + len - name) > NAME_MAX || name == dir + len ||
	    !strncmp(name, ".", (size_t)(dir + len - name)) ||
	    !strncmp(name, "..", (size_t)(dir + len - name)))
		return scute_err_set(
			err, EINVAL,
			"container root directory \"%s\": not a name for a new directory", dir);
	memcpy(p->name, name, (size_t)(dir + len - name));
	p->name[dir + len - name] = '\0';
	if (name == dir)
		snprintf(parent, PATH_MAX, ".");
	else if (name == dir + 1)
		snprintf(parent, PATH_MAX, "/");
	else
		snprintf(parent, PATH_MAX, "%.*s", (int)(name - 1 - dir), dir);
	return 0;
}

static int place_dir(const char *dir, struct place *p, struct scute_err *err)
{
	char parent[PATH_MAX], real[PATH_MAX];

	p->parentfd = -1;
	if (split_dir(dir, parent, p, err) < 0)
		return -1;
	if (!realpath(parent, real))
		return scute_err_sys(err, "container root directory %s: its parent", dir);
	if (snprintf(p->dir, sizeof(p->dir), "%s/%s", strcmp(real, "/") ? real : "", p->name) >=
	    (int)sizeof(p->dir))
		return scute_err_set(err, ENAMETOOLONG, "container root directory %s: too long",
				     dir);
	p->parentfd = open(real, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (p->parentfd < 0)
		return scute_err_sys(err, "container root directory %s: open its parent", dir);
	return 0;
}

/* The layers from a top layer down, top first, and whether there are too
 * many for overlayfs (one more than it stacks is read to tell). %s picks
 * the row the top layer comes from (an image's or a root's), its key
 * bound to ?3. */
static const char chain_sql[] =
	"WITH RECURSIVE chain(id, depth) AS (SELECT top_layer, 0 FROM %s = ?3 "
	"AND top_layer IS NOT NULL UNION ALL SELECT l.parent, c.depth + 1 FROM layers l "
	"JOIN chain c ON l.chain_id = c.id WHERE l.parent IS NOT NULL AND c.depth < ?2) "
	"SELECT id FROM chain ORDER BY depth";

/* The layers of the image p->image (from_root false) or of the root
 * p->dir's row (true: the image may be gone, its layers are not). */
static int read_chain(sqlite3 *db, struct plan *p, bool from_root, struct scute_err *err)
{
	auto_stmt sqlite3_stmt *st = NULL;
	char sql[sizeof(chain_sql) + 32];
	int rc;

	p->n_layers = 0;
	snprintf(sql, sizeof(sql), chain_sql, from_root ? "rootfs WHERE dir" : "images WHERE id");
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_bind_text(st, 3, from_root ? p->dir : p->image.str, -1, SQLITE_STATIC) !=
		    SQLITE_OK ||
	    sqlite3_bind_int(st, 2, SCUTE_OVERLAY_MAX_LAYERS) != SQLITE_OK)
		return scute_db_err(db, err, "image %s: layers", p->ref);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 0);

		if (p->n_layers == SCUTE_OVERLAY_MAX_LAYERS)
			return scute_err_set(err, E2BIG,
					     "image %s: more than %d layers, the most overlayfs "
					     "stacks",
					     p->ref, SCUTE_OVERLAY_MAX_LAYERS);
		if (scute_digest_parse(id ? id : "", &p->layers[p->n_layers++], err) < 0)
			return scute_err_prefix(err, "image %s: layer", p->ref);
	}
	if (rc != SQLITE_DONE)
		return scute_db_err(db, err, "image %s: layers", p->ref);
	if (p->n_layers == 0)
		return scute_err_set(err, EINVAL, "image %s has no layers: no root to mount",
				     p->ref);
	return 0;
}

static const char insert_sql[] =
	"INSERT INTO rootfs (dir, image, top_layer, target) VALUES (?, ?, ?, ?)";

/* In one transaction: find the image, read its layers, write the row. */
static int record(sqlite3 *db, void *arg, struct scute_err *err)
{
	struct plan *p = arg;
	auto_stmt sqlite3_stmt *st = NULL;

	if (scute_image_resolve(db, p->ref, &p->image, err) < 0 ||
	    read_chain(db, p, false, err) < 0)
		return -1;
	if (sqlite3_prepare_v2(db, insert_sql, -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_bind_text(st, 1, p->dir, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_text(st, 2, p->image.str, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_text(st, 3, p->layers[0].str, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_text(st, 4, p->target, -1, SQLITE_STATIC) != SQLITE_OK)
		return scute_db_err(db, err, "container root %s", p->dir);
	if (sqlite3_step(st) != SQLITE_DONE) {
		scute_db_err(db, err, "container root %s", p->dir);
		if (err->code == EEXIST)
			return scute_err_set(err, EEXIST, "container root %s: made already",
					     p->dir);
		return -1;
	}
	return 0;
}

static int forget(sqlite3 *db, void *arg, struct scute_err *err)
{
	auto_stmt sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(db, "DELETE FROM rootfs WHERE dir = ?", -1, &st, NULL) !=
		    SQLITE_OK ||
	    sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_DONE)
		return scute_db_err(db, err, "container root %s: remove its row",
				    (const char *)arg);
	return 0;
}

/* The root's own directory, with upper/ (0755: the root directory the
 * container sees, as docker makes it) and work/ (overlayfs's, private). */
static int make_dir(const struct place *p, struct scute_err *err)
{
	auto_fd int fd = -1;

	if (mkdirat(p->parentfd, p->name, 0700) < 0)
		return scute_err_sys(err, "container root directory %s", p->dir);
	fd = openat(p->parentfd, p->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || mkdirat(fd, "upper", 0755) < 0 || mkdirat(fd, "work", 0700) < 0) {
		scute_err_sys(err, "container root directory %s: make its parts", p->dir);
		/* made by this call: it goes */
		scute_remove_tree_at(p->parentfd, p->name, &(struct scute_err){ 0 });
		return -1;
	}
	return scute_take_fd(&fd);
}

static int open_target(const char *target, char real[PATH_MAX], struct scute_err *err)
{
	int fd;

	if (!realpath(target, real))
		return scute_err_sys(err, "mount target %s", target);
	fd = open(real, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return scute_err_sys(err, "mount target %s", target);
	return fd;
}

static int check_writer(const struct scute_store *s, struct scute_err *err)
{
	if (s->mode == SCUTE_STORE_READ)
		return scute_err_set(err, EINVAL, "container root: the store is open read-only");
	return 0;
}

/* After the row: the directory; on failure the row goes too. Returns the
 * directory's fd. */
static int make_after_row(struct scute_store *s, const struct place *p, struct scute_err *err)
{
	int dirfd = make_dir(p, err);
	struct scute_err ignored;

	if (dirfd < 0)
		scute_db_tx(s->db, forget, (void *)p->dir, &ignored);
	return dirfd;
}

static int overlay_at(struct scute_store *s, struct plan *plan, int dirfd, int targetfd,
		      struct scute_err *err)
{
	struct scute_overlay o = {
		.layersfd = s->layersfd,
		.layers = plan->layers,
		.n_layers = plan->n_layers,
		.dirfd = dirfd,
		.targetfd = targetfd,
		.target = plan->target,
		.volatile_upper = plan->ephemeral,
	};

	return scute_overlay_mount(&o, err);
}

/* The row, the directory, and for `mount` the overlay: on failure what
 * was made goes, the row last. */
static int make_root(struct scute_store *s, const char *image, const char *dir, const char *target,
		     bool mount, struct scute_err *err)
{
	auto_place struct place p = { .parentfd = -1 };
	auto_free struct plan *plan = NULL;
	auto_fd int targetfd = -1;
	auto_fd int dirfd = -1;
	char real_target[PATH_MAX];
	struct scute_err ignored;

	if (check_writer(s, err) < 0 || place_dir(dir, &p, err) < 0)
		return -1;
	targetfd = open_target(target, real_target, err);
	if (targetfd < 0)
		return -1;
	plan = calloc(1, sizeof(*plan));
	if (!plan)
		return scute_err_set(err, ENOMEM, "container root %s: out of memory", p.dir);
	plan->ref = image;
	plan->dir = p.dir;
	plan->target = real_target;
	if (scute_db_tx(s->db, record, plan, err) < 0)
		return -1;
	dirfd = make_after_row(s, &p, err);
	if (dirfd < 0)
		return scute_err_prefix(err, "image %s", image);
	if (!mount || overlay_at(s, plan, dirfd, targetfd, err) == 0)
		return 0;
	scute_remove_tree_at(p.parentfd, p.name, &ignored);
	scute_db_tx(s->db, forget, (void *)p.dir, &ignored);
	return scute_err_prefix(err, "image %s", image);
}

int scute_rootfs_mount(struct scute_store *s, const char *image, const char *dir,
		       const char *target, struct scute_err *err)
{
	return make_root(s, image, dir, target, true, err);
}

int scute_rootfs_make(struct scute_store *s, const char *image, const char *dir, const char *target,
		      struct scute_err *err)
{
	return make_root(s, image, dir, target, false, err);
}

/* ---- removal ------------------------------------------------------------ */

/* The target the row of `dir` names into `target`; ENOENT without a row. */
static int recorded_target(sqlite3 *db, const char *dir, char target[PATH_MAX],
			   struct scute_err *err)
{
	auto_stmt sqlite3_stmt *st = NULL;
	const char *t;
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT target FROM rootfs WHERE dir = ?", -1, &st, NULL) !=
		    SQLITE_OK ||
	    sqlite3_bind_text(st, 1, dir, -1, SQLITE_STATIC) != SQLITE_OK)
		return scute_db_err(db, err, "container root %s", dir);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		return scute_err_set(err, ENOENT, "no container root was made in %s", dir);
	if (rc != SQLITE_ROW)
		return scute_db_err(db, err, "container root %s", dir);
	t = (const char *)sqlite3_column_text(st, 0);
	snprintf(target, PATH_MAX, "%s", t ? t : "");
	return 0;
}

/* Unmount the overlay at `target`, if one is there still (a crash may
 * have come after the unmount). Anything else mounted there is not ours
 * to take away. */
static int unmount_target(const char *target, struct scute_err *err)
{
	struct statx stx;
	struct statfs sfs;

	bool root_known;

	if (statx(AT_FDCWD, target, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &stx) < 0)
		return errno == ENOENT ? 0 : scute_err_sys(err, "unmount %s", target);
	root_known = stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT;
	if (root_known && !(stx.stx_attributes & STATX_ATTR_MOUNT_ROOT))
		return 0;
	if (statfs(target, &sfs) < 0)
		return scute_err_sys(err, "unmount %s", target);
	if (sfs.f_type != OVERLAYFS_SUPER_MAGIC && !root_known)
		return 0; /* before 5.8: no overlay there, so not ours */
	/* unmounted meanwhile (the container's waiter tidying): done */
	if (sfs.f_type != OVERLAYFS_SUPER_MAGIC &&
	    statx(AT_FDCWD, target, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &stx) == 0 &&
	    !(stx.stx_attributes & STATX_ATTR_MOUNT_ROOT))
		return 0;
	if (sfs.f_type != OVERLAYFS_SUPER_MAGIC)
		return scute_err_set(err, EBUSY, "unmount %s: not an overlay mount, left alone",
				     target);
	if (umount2(target, UMOUNT_NOFOLLOW) == 0)
		return 0;
	if (errno == EINVAL) /* not a mount point: nothing to do */
		return 0;
	if (errno != EBUSY)
		return scute_err_sys(err, "unmount %s", target);
	/* Busy: a process still has its working directory or a file in the
	 * root (a container process that outlived its container), or a mount
	 * is stacked inside it. Detaching takes the whole tree out of every
	 * path now; the kernel drops it when its last user goes, and the
	 * directory below can go meanwhile (the busy user keeps what it has
	 * open). Waiting instead could wait forever. */
	if (umount2(target, UMOUNT_NOFOLLOW | MNT_DETACH) < 0)
		return scute_err_sys(err, "unmount %s", target);
	return 0;
}

/* The target the caller names, as the row would hold it. */
static void canonical_target(const char *target, char out[PATH_MAX])
{
	if (!realpath(target, out))
		snprintf(out, PATH_MAX, "%s", target);
}

int scute_rootfs_remove(struct scute_store *s, const char *dir, const char *target,
			struct scute_err *err)
{
	auto_place struct place p = { .parentfd = -1 };
	char recorded[PATH_MAX], given[PATH_MAX];

	if (check_writer(s, err) < 0 || place_dir(dir, &p, err) < 0 ||
	    recorded_target(s->db, p.dir, recorded, err) < 0)
		return -1;
	canonical_target(target, given);
	if (strcmp(given, recorded) != 0)
		return scute_err_set(err, EINVAL, "container root %s is mounted at %s, not at %s",
				     p.dir, recorded, target);
	if (unmount_target(recorded, err) < 0 || scute_remove_tree_at(p.parentfd, p.name, err) < 0)
		return scute_err_prefix(err, "container root %s", p.dir);
	/* its files are gone already: a lost commit leaves a row the next
	 * removal drops (the row only keeps its layers from collection) */
	return scute_db_tx_state(s->db, forget, (void *)p.dir, err);
}

/* ---- mounting a root made before ------------------------------------------ */

static bool overlay_mounted(const char *target)
{
	struct statx stx;
	struct statfs sfs;

	return statx(AT_FDCWD, target, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &stx) == 0 &&
	       (stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) &&
	       (stx.stx_attributes & STATX_ATTR_MOUNT_ROOT) && statfs(target, &sfs) == 0 &&
	       sfs.f_type == OVERLAYFS_SUPER_MAGIC;
}

/* A volatile overlay leaves work/work/incompat/volatile, and the kernel
 * mounts that work directory again only without it: a throwaway root's
 * writes need no such guard, so its work/work goes (overlayfs makes it
 * anew). */
static int forget_volatile(int dirfd, struct scute_err *err)
{
	auto_fd int workfd = openat(dirfd, "work", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (workfd < 0)
		return scute_err_sys(err, "open work");
	if (scute_remove_tree_at(workfd, "work", err) < 0 && err->code != ENOENT)
		return -1;
	return 0;
}

int scute_rootfs_remount(struct scute_store *s, const char *dir, bool ephemeral,
			 struct scute_err *err)
{
	auto_place struct place p = { .parentfd = -1 };
	auto_free struct plan *plan = calloc(1, sizeof(struct plan));
	char recorded[PATH_MAX], real_target[PATH_MAX];
	auto_fd int targetfd = -1;
	auto_fd int dirfd = -1;

	if (!plan)
		return scute_err_set(err, ENOMEM, "container root %s: out of memory", dir);
	/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc) auto_free: cleanup.h */
	if (check_writer(s, err) < 0 || place_dir(dir, &p, err) < 0 ||
	    recorded_target(s->db, p.dir, recorded, err) < 0)
		return -1;
	if (overlay_mounted(recorded))
		return 0;
	plan->ref = p.dir;
	plan->dir = p.dir;
	plan->target = real_target;
	plan->ephemeral = ephemeral;
	if (read_chain(s->db, plan, true, err) < 0)
		return -1;
	targetfd = open_target(recorded, real_target, err);
	if (targetfd < 0)
		return -1;
	dirfd = openat(p.parentfd, p.name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dirfd < 0)
		return scute_err_sys(err, "container root directory %s", p.dir);
	if (ephemeral && forget_volatile(dirfd, err) < 0)
		return scute_err_prefix(err, "container root %s", p.dir);
	if (overlay_at(s, plan, dirfd, targetfd, err) < 0)
		return scute_err_prefix(err, "container root %s", p.dir);
	return 0;
}

int scute_rootfs_unmount(struct scute_store *s, const char *dir, struct scute_err *err)
{
	auto_place struct place p = { .parentfd = -1 };
	char recorded[PATH_MAX];

	if (check_writer(s, err) < 0 || place_dir(dir, &p, err) < 0 ||
	    recorded_target(s->db, p.dir, recorded, err) < 0)
		return -1;
	if (unmount_target(recorded, err) < 0)
		return scute_err_prefix(err, "container root %s", p.dir);
	return 0;
}
