#include "mounts.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/openat2.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cgroups.h"
#include "cleanup.h"
#include "fsutil.h"
#include "log.h"
#include "mount_api.h"
#include "rootfs_parts.h"

/* The copy goes into the tmpfs before it is attached, and before it is
 * made read-only when the mount asks for that. */
static int copyup(const struct scute_mount *m, int targetfd, int mntfd, struct scute_err *err)
{
	struct mount_attr ro = { .attr_set = MOUNT_ATTR_RDONLY };

	if (scute_mount_copyup(targetfd, mntfd, m->destination, err) < 0)
		return -1;
	if ((m->attr_set & MOUNT_ATTR_RDONLY) &&
	    mount_setattr(mntfd, "", AT_EMPTY_PATH, &ro, sizeof(ro)) < 0)
		return scute_err_sys(err, "make %s read-only", m->destination);
	return 0;
}

static int set_propagation(int mntfd, const struct scute_mount *m, const char *shown,
			   struct scute_err *err)
{
	struct mount_attr attr = { .propagation = m->propagation };

	if (!m->propagation)
		return 0;
	if (mount_setattr(mntfd, "", AT_EMPTY_PATH | (m->propagation_recursive ? AT_RECURSIVE : 0),
			  &attr, sizeof(attr)) < 0)
		return scute_err_sys(err, "set propagation of %s", shown);
	return 0;
}

static int bind_source(const struct scute_mount *m, struct scute_err *err)
{
	auto_fd int fd =
		open_tree(AT_FDCWD, m->source,
			  OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (m->recursive ? AT_RECURSIVE : 0));
	struct mount_attr attr = { .attr_set = m->attr_set, .attr_clr = m->attr_clr };

	if (fd < 0)
		return scute_err_sys(err, "bind mount source %s", m->source);
	if ((m->attr_set || m->attr_clr) &&
	    mount_setattr(fd, "", AT_EMPTY_PATH | (m->recursive ? AT_RECURSIVE : 0), &attr,
			  sizeof(attr)) < 0)
		return scute_err_sys(err, "set options of bind mount %s on %s", m->source,
				     m->destination);
	return scute_take_fd(&fd);
}

/* A cgroup filesystem at the destination: cgroup2 on a unified host, else a
 * tmpfs holding one v1 hierarchy per controller, as runc presents it. */
static int mount_cgroup_v1_tree(int targetfd, const char *shown, uint64_t attr, bool cgroupns,
				const struct scute_cgroup *cg, struct scute_err *err);

static int cgroup_mount(const struct scute_mount *m, int targetfd, bool cgroupns,
			const struct scute_cgroup *cg, struct scute_err *err)
{
	struct stat st;

	if (stat("/sys/fs/cgroup/cgroup.controllers", &st) == 0) {
		auto_fd int fd = scute_mount_new_fs("cgroup2", "cgroup2", NULL, 0, m->attr_set,
						    m->destination, err);
		if (fd < 0)
			return -1;
		return scute_mount_attach(fd, targetfd, m->destination, err);
	}
	return mount_cgroup_v1_tree(targetfd, m->destination, m->attr_set, cgroupns, cg, err);
}

static bool is_fs_type(const struct scute_mount *m, const char *type)
{
	return !m->bind && m->type && strcmp(m->type, type) == 0;
}

/* sysfs belongs to a network namespace; without one of our own the kernel
 * refuses a new instance, so bind the host's read-only (runc does the same). */
static int sysfs_fallback(const struct scute_mount *m, struct scute_err *err)
{
	struct scute_mount bind = *m;

	bind.source = "/sys";
	bind.bind = bind.recursive = true;
	bind.attr_set |=
		MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC;
	return bind_source(&bind, err);
}

static bool is_real_directory(int rootfd, const char *dest, int targetfd)
{
	struct stat a, b;
	auto_fd int fd = scute_openat2(rootfd, dest, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0,
				       RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);

	return fd >= 0 && fstat(fd, &a) == 0 && fstat(targetfd, &b) == 0 && S_ISDIR(a.st_mode) &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

static int mount_one(struct scute_rootfs_ctx *ctx, const struct scute_mount *m, int *propagation_fd,
		     struct scute_err *err)
{
	bool file_target = false;
	auto_fd int targetfd = -1;
	auto_fd int mntfd = -1;
	struct stat st;

	if (m->bind) {
		if (stat(m->source, &st) < 0)
			return scute_err_sys(err, "bind mount source %s", m->source);
		file_target = !S_ISDIR(st.st_mode);
	}
	targetfd = scute_resolve_in_root(ctx->rootfd, m->destination, true, file_target, err);
	if (targetfd < 0)
		return -1;
	/* procfs and sysfs over a symlink or a file could be redirected
	 * (CVE-2019-19921): they need a real directory, not a link to one. */
	if ((is_fs_type(m, "proc") || is_fs_type(m, "sysfs")) &&
	    !is_real_directory(ctx->rootfd, m->destination, targetfd))
		return scute_err_set(err, ENOTDIR,
				     "mount %s on %s: not a directory (a symlink "
				     "or a file is refused)",
				     m->type, m->destination);
	if (is_fs_type(m, "cgroup"))
		return cgroup_mount(m, targetfd, ctx->spec->ns[SCUTE_NS_CGROUP].present,
				    ctx->cgroup, err);
	if (m->bind)
		mntfd = bind_source(m, err);
	else
		mntfd = scute_mount_new_fs(m->type, m->source, m->fs_options, m->n_fs_options,
					   m->tmpcopyup ? m->attr_set & ~(uint64_t)MOUNT_ATTR_RDONLY
							: m->attr_set,
					   m->destination, err);
	if (mntfd >= 0 && m->tmpcopyup && copyup(m, targetfd, mntfd, err) < 0) {
		close(mntfd);
		mntfd = -1;
	}
	if (mntfd < 0 && is_fs_type(m, "sysfs") && err->code == EPERM)
		mntfd = sysfs_fallback(m, err);
	if (mntfd < 0 || scute_mount_attach(mntfd, targetfd, m->destination, err) < 0)
		return -1;
	/* The attached mount's fd, for its propagation after pivot_root. */
	if (m->propagation)
		*propagation_fd = scute_take_fd(&mntfd);
	return 0;
}

/* The init's own cgroup path in the hierarchy with these controllers. */
static void own_cgroup_path(const char *controllers, bool v2, char *out, size_t len)
{
	char line[4096];
	auto_fclose FILE *f = fopen("/proc/self/cgroup", "re");

	snprintf(out, len, "/");
	while (f && fgets(line, sizeof(line), f)) {
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2)
			continue;
		*c2 = '\0';
		c2[1 + strcspn(c2 + 1, "\n")] = '\0';
		if (v2 ? c1[1] == '\0' : strcmp(c1 + 1, controllers) == 0) {
			snprintf(out, len, "%s", c2 + 1);
			break;
		}
	}
}

/* One hierarchy under the tmpfs: in a cgroup namespace a fresh cgroup mount
 * (its root is the container's cgroup); without one, a bind of the
 * container's own directory. Read-only either way. */
static int cgroup_hierarchy(int dirfd, const char *name, const char *host_mnt, const char *fstype,
			    const char *superopts, bool cgroupns, uint64_t attr,
			    struct scute_err *err)
{
	char ctl[512], *opts[16], own[PATH_MAX], src[2 * PATH_MAX], *save = NULL;
	size_t n = 0;
	bool v2 = strcmp(fstype, "cgroup2") == 0;
	auto_fd int sub = -1;
	auto_fd int fd = -1;

	attr |= MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC;
	if (mkdirat(dirfd, name, 0755) < 0 && errno != EEXIST)
		return scute_err_sys(err, "create /sys/fs/cgroup/%s", name);
	sub = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC);
	if (sub < 0)
		return scute_err_sys(err, "open /sys/fs/cgroup/%s", name);
	/* The v1 controllers are the super options other than rw/ro etc. */
	snprintf(ctl, sizeof(ctl), "%s", superopts);
	for (char *t = strtok_r(ctl, ",", &save); t && n < 16; t = strtok_r(NULL, ",", &save))
		if (strcmp(t, "rw") && strcmp(t, "ro") && strncmp(t, "release_agent", 13) &&
		    strcmp(t, "clone_children") && strcmp(t, "noprefix") && strcmp(t, "xattr"))
			opts[n++] = t;
	if (cgroupns) {
		fd = scute_mount_new_fs(fstype, "cgroup", v2 ? NULL : opts, v2 ? 0 : n, attr, name,
					err);
	} else {
		char joined[512] = "";
		for (size_t i = 0; i < n; i++)
			snprintf(joined + strlen(joined), sizeof(joined) - strlen(joined), "%s%s",
				 i ? "," : "", opts[i]);
		own_cgroup_path(joined, v2, own, sizeof(own));
		snprintf(src, sizeof(src), "%s%s", host_mnt, own);
		struct scute_mount bind = { .source = src,
					    .destination = (char *)name,
					    .bind = true,
					    .recursive = true,
					    .attr_set = attr };
		fd = bind_source(&bind, err);
	}
	return fd < 0 ? -1 : scute_mount_attach(fd, sub, name, err);
}

static int mount_cgroup_v1_tree(int targetfd, const char *shown, uint64_t attr, bool cgroupns,
				const struct scute_cgroup *cg, struct scute_err *err)
{
	char line[4096], mnt[PATH_MAX], fstype[64], opts[512];
	auto_fd int tmpfd = -1;
	auto_fd int dirfd = -1;
	auto_fclose FILE *f = NULL;
	int rc = 0;

	tmpfd = scute_mount_new_fs("tmpfs", "tmpfs", (char *[]){ "mode=755" }, 1,
				   MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC, shown,
				   err);
	if (tmpfd < 0)
		return -1;
	/* Attach first: mounts can only go on a tree in this namespace. The
	 * fd keeps naming the tmpfs's root after it is attached. */
	if (scute_mount_attach(tmpfd, targetfd, shown, err) < 0)
		return -1;
	dirfd = openat(tmpfd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	f = fopen("/proc/self/mountinfo", "re");
	if (dirfd < 0 || !f)
		rc = scute_err_sys(err, "prepare %s", shown);
	while (rc == 0 && fgets(line, sizeof(line), f)) {
		char *sep = strstr(line, " - ");
		if (!sep || sscanf(line, "%*s %*s %*s %*s %4095s", mnt) != 1 ||
		    sscanf(sep + 3, "%63s %*s %511s", fstype, opts) != 2 ||
		    strncmp(mnt, "/sys/fs/cgroup/", 15) != 0 || strchr(mnt + 15, '/') ||
		    (strcmp(fstype, "cgroup") && strcmp(fstype, "cgroup2")))
			continue;
		/* Where the container has no directory, the mount's root would be
		 * the runtime's cgroup: the host's tree, not the container's. */
		if (!scute_cgroup_shown(cg, mnt))
			continue;
		rc = cgroup_hierarchy(dirfd, mnt + 15, mnt, fstype, opts, cgroupns, attr, err);
	}
	/* The tmpfs takes the mount's own options (ro) once it is filled. */
	struct mount_attr ro = { .attr_set = attr };
	if (rc == 0 && attr && mount_setattr(tmpfd, "", AT_EMPTY_PATH, &ro, sizeof(ro)) < 0)
		rc = scute_err_sys(err, "set options of %s", shown);
	return rc;
}

static int make_rootfs_mount(struct scute_rootfs_ctx *ctx, struct scute_err *err)
{
	const struct scute_spec *spec = ctx->spec;
	auto_fd int fd = -1;
	auto_fd int target = -1;

	if (scute_rootfs_host_mountns(ctx)) {
		ctx->rootfd = open(spec->root_path, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (ctx->rootfd < 0)
			return scute_err_sys(err, "root.path %s", spec->root_path);
		return 0;
	}
	/* A slave first, whatever linux.rootfsPropagation says: on a host whose
	 * / is shared, every mount made below would otherwise appear on the
	 * host too (and stay there if create fails), and pivot_root refuses a
	 * shared root. The configured propagation is applied after the pivot. */
	if (mount(NULL, "/", NULL, MS_SLAVE | MS_REC, NULL) < 0)
		return scute_err_sys(err, "make the mount tree a slave of the host's");
	/* The rootfs becomes a mount point of its own so it can be pivoted to;
	 * attach the bind through the fd so the path is resolved once. */
	fd = open_tree(AT_FDCWD, spec->root_path,
		       OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
	if (fd < 0)
		return scute_err_sys(err, "root.path %s", spec->root_path);
	target = open(spec->root_path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (target < 0)
		return scute_err_sys(err, "root.path %s", spec->root_path);
	if (scute_mount_attach(fd, target, spec->root_path, err) < 0)
		return -1;
	/* Once attached, the tree's fd names the root of the new mount; the
	 * directory fd would still name what lies underneath it. */
	ctx->rootfd = scute_take_fd(&fd);
	return 0;
}

int scute_rootfs_prepare(struct scute_rootfs_ctx *ctx, struct scute_err *err)
{
	const struct scute_spec *spec = ctx->spec;
	auto_fd int cwdfd = -1;

	if (make_rootfs_mount(ctx, err) < 0)
		return -1;
	ctx->propagation_fds = malloc((spec->n_mounts + 1) * sizeof(int));
	if (!ctx->propagation_fds)
		return scute_err_set(err, ENOMEM, "out of memory");
	for (size_t i = 0; i < spec->n_mounts; i++)
		ctx->propagation_fds[i] = -1;
	for (size_t i = 0; i < spec->n_mounts; i++)
		if (mount_one(ctx, &spec->mounts[i], &ctx->propagation_fds[i], err) < 0)
			return scute_err_prefix(err, "config.json: mounts[%zu]", i);
	if (scute_devices_setup(ctx, err) < 0)
		return -1;
	/* Create the working directory now, as root, inside the root. */
	cwdfd = scute_resolve_in_root(ctx->rootfd, spec->process.cwd, true, false, err);
	if (cwdfd < 0)
		return scute_err_prefix(err, "process.cwd");
	return 0;
}

static int apply_propagation(struct scute_rootfs_ctx *ctx, struct scute_err *err);

/* The mount fds kept for propagation, closed with the array (freeing the
 * array alone leaked them in the host's mount tree). */
static void drop_propagation_fds(struct scute_rootfs_ctx *ctx)
{
	for (size_t i = 0; ctx->propagation_fds && i < ctx->spec->n_mounts; i++)
		if (ctx->propagation_fds[i] >= 0)
			close(ctx->propagation_fds[i]);
	free(ctx->propagation_fds);
	ctx->propagation_fds = NULL;
}

int scute_rootfs_pivot(struct scute_rootfs_ctx *ctx, struct scute_err *err)
{
	if (fchdir(ctx->rootfd) < 0)
		return scute_err_sys(err, "enter the rootfs");
	/* The host's mount tree is never pivoted or moved: a chroot only. */
	if (scute_rootfs_host_mountns(ctx)) {
		if (chroot(".") < 0)
			return scute_err_sys(err, "chroot into the rootfs");
		if (chdir("/") < 0)
			return scute_err_sys(err, "chdir /");
		drop_propagation_fds(ctx);
		return 0;
	}
	if (ctx->no_pivot) {
		if (mount(".", "/", NULL, MS_MOVE, NULL) < 0)
			return scute_err_sys(err, "move the rootfs to /");
		if (chroot(".") < 0)
			return scute_err_sys(err, "chroot into the rootfs");
		if (chdir("/") < 0)
			return scute_err_sys(err, "chdir /");
		return apply_propagation(ctx, err);
	}
	/* pivot_root(".", ".") stacks the old root under the new one; detaching
	 * "." afterwards drops the host's tree from the namespace. */
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		return scute_err_sys(err, "pivot_root");
	/* Whatever the configured propagation, detaching the old root must
	 * not travel back to the host: make everything a slave first ("."
	 * names the new root here, and its tree with it), then detach the
	 * old root stacked on top of it. */
	if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0)
		return scute_err_sys(err, "make the old root a slave");
	if (umount2(".", MNT_DETACH) < 0)
		return scute_err_sys(err, "detach the old root");
	if (chdir("/") < 0)
		return scute_err_sys(err, "chdir /");
	return apply_propagation(ctx, err);
}

/* The configured propagation, now that the host can no longer be reached:
 * the root's own (linux.rootfsPropagation), then each mount's option. */
static int apply_propagation(struct scute_rootfs_ctx *ctx, struct scute_err *err)
{
	const struct scute_spec *spec = ctx->spec;
	int rc = 0;

	if ((spec->rootfs_propagation & ~(uint64_t)MS_REC) != MS_SLAVE &&
	    mount(NULL, "/", NULL, (unsigned long)spec->rootfs_propagation, NULL) < 0)
		rc = scute_err_sys(err, "linux.rootfsPropagation");
	for (size_t i = 0; i < spec->n_mounts; i++) {
		int fd = ctx->propagation_fds ? ctx->propagation_fds[i] : -1;
		if (fd < 0)
			continue;
		if (rc == 0 &&
		    set_propagation(fd, &spec->mounts[i], spec->mounts[i].destination, err) < 0)
			rc = scute_err_prefix(err, "config.json: mounts[%zu]", i);
	}
	drop_propagation_fds(ctx);
	return rc;
}

int scute_rootfs_seal(struct scute_rootfs_ctx *ctx, struct scute_err *err)
{
	struct mount_attr ro = { .attr_set = MOUNT_ATTR_RDONLY };

	/* Done before pivot_root: the host's /dev/null can only be cloned
	 * while its mount is still in this namespace. */
	if (scute_mask_paths(ctx, err) < 0 || scute_readonly_paths(ctx, err) < 0)
		return -1;
	if (ctx->spec->root_readonly &&
	    mount_setattr(ctx->rootfd, "", AT_EMPTY_PATH, &ro, sizeof(ro)) < 0)
		return scute_err_sys(err, "root.readonly: make the root read-only");
	return 0;
}
