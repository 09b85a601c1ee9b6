/* /dev inside the container: the default devices, linux.devices, the
 * standard symlinks and /dev/shm. /dev is opened once, refusing symlinks
 * (an image's /dev must not redirect device creation), and every node is
 * made relative to that fd. */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "cleanup.h"
#include "fsutil.h"
#include "mount_api.h"
#include "rootfs_parts.h"

static const struct scute_device default_devices[] = {
	{ .path = "/dev/null", .type = 'c', .major = 1, .minor = 3 },
	{ .path = "/dev/zero", .type = 'c', .major = 1, .minor = 5 },
	{ .path = "/dev/full", .type = 'c', .major = 1, .minor = 7 },
	{ .path = "/dev/random", .type = 'c', .major = 1, .minor = 8 },
	{ .path = "/dev/urandom", .type = 'c', .major = 1, .minor = 9 },
	{ .path = "/dev/tty", .type = 'c', .major = 5, .minor = 0 },
};

static const struct {
	const char *name, *target;
} dev_links[] = {
	{ "fd", "/proc/self/fd" },	 { "stdin", "/proc/self/fd/0" },
	{ "stdout", "/proc/self/fd/1" }, { "stderr", "/proc/self/fd/2" },
	{ "ptmx", "pts/ptmx" },
};

#define NO_LINKS (RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS)

static int open_dev(int rootfd, struct scute_err *err)
{
	int fd = scute_openat2(rootfd, "dev", O_PATH | O_DIRECTORY | O_CLOEXEC, 0, NO_LINKS);

	if (fd < 0 && errno == ENOENT) {
		if (mkdirat(rootfd, "dev", 0755) < 0 && errno != EEXIST)
			return scute_err_sys(err, "create /dev");
		fd = scute_openat2(rootfd, "dev", O_PATH | O_DIRECTORY | O_CLOEXEC, 0, NO_LINKS);
	}
	if (fd < 0)
		return scute_err_sys(err, "open /dev (it must be a directory, not a symlink)");
	return fd;
}

/* One directory below `dirfd`, made if missing and opened without following
 * a symlink: an image's dev/a -> /host/dir must not make /host/dir/b. */
static int step_into(int dirfd, const char *name, const char *shown, struct scute_err *err)
{
	int fd;

	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return scute_err_set(err, EINVAL, "device %s: \"%s\" in the path", shown, name);
	if (mkdirat(dirfd, name, 0755) < 0 && errno != EEXIST)
		return scute_err_sys(err, "create the parent directories of %s", shown);
	fd = scute_openat2(dirfd, name, O_PATH | O_DIRECTORY | O_CLOEXEC, 0,
			   RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
	if (fd < 0)
		return scute_err_sys(err, "open the parent directories of %s (no symlinks allowed)",
				     shown);
	return fd;
}

/* The parent directory of a /dev/... path, made one component at a time. */
static int open_parent(int devfd, const char *path, const char **name, struct scute_err *err)
{
	const char *rel = path + 5, *slash = strrchr(rel, '/');
	char dir[4096], *save = NULL;
	auto_fd int fd = -1;

	*name = slash ? slash + 1 : rel;
	fd = fcntl(devfd, F_DUPFD_CLOEXEC, 0);
	if (fd < 0)
		return scute_err_sys(err, "open /dev");
	if (!slash)
		return scute_take_fd(&fd);
	if ((size_t)(slash - rel) >= sizeof(dir))
		return scute_err_set(err, ENAMETOOLONG, "device %s: path too long", path);
	memcpy(dir, rel, (size_t)(slash - rel));
	dir[slash - rel] = '\0';
	for (char *c = strtok_r(dir, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		int next = step_into(fd, c, path, err);
		if (next < 0)
			return -1;
		close(fd);
		fd = next;
	}
	return scute_take_fd(&fd);
}

/* In a user namespace mknod is not allowed: bind the host's node, after
 * checking that it is the device the config names. */
static int bind_host_device(int dirfd, const char *name, const struct scute_device *d,
			    struct scute_err *err)
{
	struct stat st;
	auto_fd int src = -1;
	auto_fd int target = -1;
	auto_fd int mnt = -1;

	src = open(d->path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (src < 0)
		return scute_err_sys(err, "open host device %s", d->path);
	if (fstat(src, &st) < 0 || (d->type == 'b' ? !S_ISBLK(st.st_mode) : !S_ISCHR(st.st_mode)) ||
	    major(st.st_rdev) != d->major || minor(st.st_rdev) != d->minor)
		return scute_err_set(err, EPERM, "host %s is not device %c %lld:%lld", d->path,
				     d->type, (long long)d->major, (long long)d->minor);
	target = openat(dirfd, name, O_CREAT | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (target < 0)
		return scute_err_sys(err, "create %s", d->path);
	mnt = open_tree(src, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
	if (mnt < 0)
		return scute_err_sys(err, "clone %s", d->path);
	return scute_mount_attach(mnt, target, d->path, err);
}

static bool is_device(int dirfd, const char *name, const struct scute_device *d)
{
	mode_t type = d->type == 'b' ? S_IFBLK : d->type == 'p' ? S_IFIFO : S_IFCHR;
	struct stat st;

	return fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	       (st.st_mode & S_IFMT) == type &&
	       (d->type == 'p' || (major(st.st_rdev) == (unsigned)d->major &&
				   minor(st.st_rdev) == (unsigned)d->minor));
}

/* `host`: the container shares the host's mount tree; nothing is bound. */
static int make_device(int devfd, const struct scute_device *d, bool userns, bool host,
		       struct scute_err *err)
{
	mode_t type = d->type == 'b' ? S_IFBLK : d->type == 'p' ? S_IFIFO : S_IFCHR;
	mode_t mode = d->has_mode ? d->mode : 0666;
	const char *name;
	auto_fd int dirfd = -1;
	int rc = 0;

	if (strncmp(d->path, "/dev/", 5) != 0 || strstr(d->path, "/../") ||
	    strcmp(d->path + strlen(d->path) - 3, "/..") == 0)
		return scute_err_set(err, EINVAL, "device %s is not below /dev", d->path);
	dirfd = open_parent(devfd, d->path, &name, err);
	if (dirfd < 0)
		return -1;
	/* In the host's mount tree, a node that already is this device stays
	 * (a new user namespace could not make it again). */
	if (host && is_device(dirfd, name, d))
		return 0;
	/* Whatever the image has there (a file, a symlink) is replaced. */
	if (unlinkat(dirfd, name, 0) < 0 && errno != ENOENT && errno != EISDIR)
		return scute_err_sys(err, "replace %s", d->path);
	if (userns && !host && d->type != 'p')
		rc = bind_host_device(dirfd, name, d, err);
	else if (mknodat(dirfd, name, type | (mode & 07777),
			 makedev((unsigned)d->major, (unsigned)d->minor)) < 0)
		rc = scute_err_sys(err, "create device %s", d->path);
	if (rc == 0 && !(userns && !host && d->type != 'p') &&
	    fchownat(dirfd, name, d->has_uid ? d->uid : 0, d->has_gid ? d->gid : 0,
		     AT_SYMLINK_NOFOLLOW) < 0)
		rc = scute_err_sys(err, "chown %s", d->path);
	return rc;
}

static bool config_has_device(const struct scute_spec *spec, const char *path)
{
	for (size_t i = 0; i < spec->n_devices; i++)
		if (strcmp(spec->devices[i].path, path) == 0)
			return true;
	return false;
}

static bool config_mounts(const struct scute_spec *spec, const char *dest)
{
	for (size_t i = 0; i < spec->n_mounts; i++)
		if (strcmp(spec->mounts[i].destination, dest) == 0)
			return true;
	return false;
}

static int make_links(int devfd, struct scute_err *err)
{
	for (size_t i = 0; i < sizeof(dev_links) / sizeof(dev_links[0]); i++)
		if (symlinkat(dev_links[i].target, devfd, dev_links[i].name) < 0 && errno != EEXIST)
			return scute_err_sys(err, "create /dev/%s", dev_links[i].name);
	return 0;
}

/* A private /dev/shm when the config mounts none, as Docker gives one. */
static int make_shm(int devfd, struct scute_err *err)
{
	auto_fd int target = -1;
	auto_fd int mnt = -1;

	if (mkdirat(devfd, "shm", 01777) < 0 && errno != EEXIST)
		return scute_err_sys(err, "create /dev/shm");
	target = scute_openat2(devfd, "shm", O_PATH | O_DIRECTORY | O_CLOEXEC, 0,
			       RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS);
	if (target < 0)
		return scute_err_sys(err, "open /dev/shm");
	mnt = scute_mount_new_fs("tmpfs", "shm", (char *[]){ "mode=1777", "size=65536k" }, 2,
				 MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC,
				 "/dev/shm", err);
	if (mnt < 0)
		return -1;
	return scute_mount_attach(mnt, target, "/dev/shm", err);
}

/* The mount point for the console's pty, made without opening whatever the
 * image put at dev/console: a FIFO would block the open, a device node would
 * be opened by the runtime. A regular file is kept, a symlink refused (it
 * could point anywhere), anything else replaced by an empty file. */
static int make_console_target(int devfd, struct scute_err *err)
{
	struct stat st;
	auto_fd int fd = openat(devfd, "console", O_PATH | O_NOFOLLOW | O_CLOEXEC);

	if (fd >= 0) {
		int rc = fstat(fd, &st);
		close(scute_take_fd(&fd));
		if (rc < 0)
			return scute_err_sys(err, "create /dev/console");
		if (S_ISREG(st.st_mode))
			return 0;
		if (S_ISLNK(st.st_mode))
			return scute_err_set(err, ELOOP, "create /dev/console: %s",
					     strerror(ELOOP));
		if (S_ISDIR(st.st_mode))
			return scute_err_set(err, EISDIR, "create /dev/console: it is a directory");
		if (unlinkat(devfd, "console", 0) < 0)
			return scute_err_sys(err, "replace /dev/console");
	} else if (errno != ENOENT) {
		return scute_err_sys(err, "create /dev/console");
	}
	/* O_EXCL: never opens what might have appeared in the meantime. */
	fd = openat(devfd, "console", O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return scute_err_sys(err, "create /dev/console");
	return 0;
}

int scute_devices_setup(struct scute_rootfs_ctx *ctx, struct scute_err *err)
{
	const struct scute_spec *spec = ctx->spec;
	bool host = scute_rootfs_host_mountns(ctx);
	auto_fd int devfd = -1;
	int rc = 0;

	devfd = open_dev(ctx->rootfd, err);
	if (devfd < 0)
		return -1;
	for (size_t i = 0; rc == 0 && i < sizeof(default_devices) / sizeof(default_devices[0]); i++)
		if (!config_has_device(spec, default_devices[i].path))
			rc = make_device(devfd, &default_devices[i], ctx->userns, host, err);
	for (size_t i = 0; rc == 0 && i < spec->n_devices; i++)
		if ((rc = make_device(devfd, &spec->devices[i], ctx->userns, host, err)) < 0)
			scute_err_prefix(err, "linux.devices[%zu]", i);
	if (rc == 0)
		rc = make_links(devfd, err);
	if (rc == 0 && !host && !config_mounts(spec, "/dev/shm"))
		rc = make_shm(devfd, err);
	if (rc == 0 && spec->process.terminal)
		rc = make_console_target(devfd, err);
	return rc;
}
