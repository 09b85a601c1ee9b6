/* linux.maskedPaths and linux.readonlyPaths. Both fail closed: a path that
 * exists but cannot be masked or made read-only stops the container. */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "cleanup.h"
#include "fsutil.h"
#include "mount_api.h"
#include "rootfs_parts.h"

static int open_existing(int rootfd, const char *path, struct scute_err *err)
{
	int fd = scute_openat2(rootfd, path, O_PATH | O_CLOEXEC, 0,
			       RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);

	if (fd < 0 && errno != ENOENT)
		return scute_err_sys(err, "open %s", path);
	return fd < 0 ? -ENOENT : fd;
}

/* The mask for files is the host's /dev/null, opened and checked to be the
 * 1:3 character device before use (CVE-2025-31133): never a path inside the
 * container that could have been swapped for a symlink. */
static int null_mount(int devnullfd, struct scute_err *err)
{
	struct stat st;
	int fd;

	if (fstat(devnullfd, &st) < 0 || !S_ISCHR(st.st_mode) || major(st.st_rdev) != 1 ||
	    minor(st.st_rdev) != 3)
		return scute_err_set(err, EPERM, "/dev/null is not the null device");
	fd = open_tree(devnullfd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
	if (fd < 0)
		return scute_err_sys(err, "clone /dev/null");
	return fd;
}

/* Masked directories share one empty read-only tmpfs: the first is a new
 * filesystem, the others are clones of that mount once it is attached
 * (a new tmpfs per path costs a superblock each). */
static int empty_dir_mount(int *shared, const char *path, struct scute_err *err)
{
	int fd;

	if (*shared < 0)
		return scute_mount_new_fs("tmpfs", "tmpfs", (char *[]){ "size=0", "mode=0555" }, 2,
					  MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
						  MOUNT_ATTR_NOEXEC,
					  path, err);
	fd = open_tree(*shared, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
	if (fd < 0)
		return scute_err_sys(err, "clone the mask for %s", path);
	return fd;
}

static int mask_one(struct scute_rootfs_ctx *ctx, const char *path, int *shared_dir,
		    struct scute_err *err)
{
	struct stat st;
	auto_fd int target = -1;
	auto_fd int mnt = -1;

	target = open_existing(ctx->rootfd, path, err);
	if (target == -ENOENT)
		return 0;
	if (target < 0)
		return -1;
	if (fstat(target, &st) < 0)
		return scute_err_sys(err, "stat %s", path);
	bool dir = S_ISDIR(st.st_mode);
	mnt = dir ? empty_dir_mount(shared_dir, path, err) : null_mount(ctx->devnullfd, err);
	if (mnt < 0 || scute_mount_attach(mnt, target, path, err) < 0)
		return -1;
	/* Keep the first attached directory mask to clone for the rest. */
	if (dir && *shared_dir < 0)
		*shared_dir = scute_take_fd(&mnt);
	return 0;
}

int scute_mask_paths(struct scute_rootfs_ctx *ctx, struct scute_err *err)
{
	auto_fd int shared_dir = -1;

	for (size_t i = 0; i < ctx->spec->n_masked_paths; i++)
		if (mask_one(ctx, ctx->spec->masked_paths[i], &shared_dir, err) < 0)
			return scute_err_prefix(err, "linux.maskedPaths[%zu]", i);
	return 0;
}

static int readonly_one(struct scute_rootfs_ctx *ctx, const char *path, struct scute_err *err)
{
	struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID |
					       MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC };
	auto_fd int target = -1;
	auto_fd int mnt = -1;

	target = open_existing(ctx->rootfd, path, err);
	if (target == -ENOENT)
		return 0;
	if (target < 0)
		return -1;
	mnt = open_tree(target, "",
			OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH | AT_RECURSIVE);
	if (mnt < 0)
		return scute_err_sys(err, "clone %s", path);
	if (mount_setattr(mnt, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof(attr)) < 0)
		return scute_err_sys(err, "make %s read-only", path);
	return scute_mount_attach(mnt, target, path, err);
}

int scute_readonly_paths(struct scute_rootfs_ctx *ctx, struct scute_err *err)
{
	for (size_t i = 0; i < ctx->spec->n_readonly_paths; i++)
		if (readonly_one(ctx, ctx->spec->readonly_paths[i], err) < 0)
			return scute_err_prefix(err, "linux.readonlyPaths[%zu]", i);
	return 0;
}
