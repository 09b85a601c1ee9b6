#include "selfexec.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <libgen.h>
#include <limits.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "cleanup.h"
#include "coverage.h"
#include "fsutil.h"
#include "inherit.h"
#include "mount_api.h"

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif

#define SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)
#define OVERLAY_MAGIC 0x794c7630L

extern char **environ;

/* The two forms of a sealed binary: a memfd copy sealed against writes,
 * or a file on a read-only overlay (sealed_view below; an overlay without
 * an upper layer is read-only in its superblock, and only this runtime
 * or a host administrator builds one under a running binary). */
static bool fd_sealed(int fd)
{
	int seals = fcntl(fd, F_GET_SEALS);
	struct statfs sf;

	if (seals >= 0)
		return (seals & SEALS) == SEALS;
	return fstatfs(fd, &sf) == 0 && sf.f_type == OVERLAY_MAGIC && (sf.f_flags & ST_RDONLY);
}

bool scute_self_is_sealed(void)
{
	auto_fd int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);

	return fd >= 0 && fd_sealed(fd);
}

/* The running binary `src` seen through a detached overlay whose layers
 * are its own directory and an empty tmpfs, and no upper layer: nothing
 * can write the file through it (EROFS), nor through a clone of the mount
 * made writable, since the overlay's superblock itself is read-only. No
 * byte is copied. -1 (errno set) where the kernel cannot build it (no
 * overlayfs, a directory overlayfs cannot stack on, a binary replaced
 * since it started): the caller falls back to the memfd copy. */
static int sealed_view(int src)
{
	char exe[PATH_MAX], dir[PATH_MAX], layers[64];
	struct stat want, got;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	struct scute_err ignored;

	if (n <= 0 || fstat(src, &want) < 0)
		return -1;
	exe[n] = '\0';
	memcpy(dir, exe, (size_t)n + 1);
	const char *base = strrchr(exe, '/');
	if (!base || !base[1] || exe[0] != '/')
		return errno = ENOENT, -1;
	base++;
	auto_fd int dirfd = open(dirname(dir), O_PATH | O_DIRECTORY | O_CLOEXEC);
	/* The name must still be the running binary, on the directory's own
	 * filesystem: the overlay sees the directory's entries, not what is
	 * mounted on them, so through a binary that is a bind mount point it
	 * would show (and we would run) the file the mount covers. */
	auto_fd int named = dirfd < 0 ? -1
				      : scute_openat2(dirfd, base, O_PATH | O_NOFOLLOW | O_CLOEXEC,
						      0, RESOLVE_NO_XDEV);
	if (named < 0 || fstat(named, &got) < 0)
		return -1;
	if (!S_ISREG(got.st_mode) || got.st_dev != want.st_dev || got.st_ino != want.st_ino)
		return errno = ESTALE, -1;
	auto_fd int empty = scute_mount_new_fs("tmpfs", "scute-seal", NULL, 0, MOUNT_ATTR_RDONLY,
					       "the runtime's sealed view", &ignored);
	if (empty < 0)
		return -1;
	snprintf(layers, sizeof(layers), "lowerdir=/proc/self/fd/%d:/proc/self/fd/%d", dirfd,
		 empty);
	/* xino=off: a file of a lower layer keeps its inode number, checked
	 * below against the binary (the name could change in between). */
	char xino[] = "xino=off", *opts[] = { layers, xino };
	auto_fd int mnt =
		scute_mount_new_fs("overlay", "scute-seal", opts, 2,
				   MOUNT_ATTR_RDONLY | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOSUID,
				   "the runtime's sealed view", &ignored);
	if (mnt < 0)
		return -1;
	int fd = openat(mnt, base, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0 && (fstat(fd, &got) < 0 || !S_ISREG(got.st_mode) || got.st_ino != want.st_ino ||
			got.st_size != want.st_size || !fd_sealed(fd))) {
		close(fd);
		return errno = ESTALE, -1;
	}
	return fd;
}

/* A sealed memfd copy of the binary open as `src`. */
static int sealed_copy(int src, struct scute_err *err)
{
	struct stat st;
	off_t off = 0;
	auto_fd int memfd =
		memfd_create("scute-runtime", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);

	if (memfd < 0 && errno == EINVAL) /* kernels before 6.3 know no MFD_EXEC */
		memfd = memfd_create("scute-runtime", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (memfd < 0 || fstat(src, &st) < 0)
		return scute_err_sys(err, "create the sealed runtime copy");
	while (off < st.st_size)
		if (sendfile(memfd, src, &off, (size_t)(st.st_size - off)) <= 0)
			return scute_err_sys(err, "copy the runtime binary");
	if (fcntl(memfd, F_ADD_SEALS, SEALS) < 0)
		return scute_err_sys(err, "seal the runtime copy");
	return scute_take_fd(&memfd);
}

int scute_self_reexec_sealed(char **argv, struct scute_err *err)
{
	/* One open serves the check and the copy. */
	auto_fd int src = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	auto_fd int fd = -1;

	if (src < 0)
		return scute_err_sys(err, "open /proc/self/exe");
	if (fd_sealed(src)) {
		/* The loop guard below is the runtime's own: no container
		 * process inherits it. */
		unsetenv("_SCUTE_SEALED_REEXEC");
		return 0;
	}
	/* A guard against looping if the kernel ever hands back an unsealed exe. */
	if (getenv("_SCUTE_SEALED_REEXEC"))
		return scute_err_set(err, EPERM, "re-executed, but /proc/self/exe is not sealed");
	fd = sealed_view(src);
	if (fd < 0)
		fd = sealed_copy(src, err);
	if (fd < 0)
		return -1;
	setenv("_SCUTE_SEALED_REEXEC", "1", 1);
	/* The copy counts the fds it was passed again, bounded by what this
	 * process counted before it opened anything (inherit.h). */
	char count[16];
	snprintf(count, sizeof(count), "%d", scute_fds_inherited());
	setenv(SCUTE_INHERITED_ENV, count, 1);
	scute_coverage_dump(); /* gcov sees execve, not fexecve */
	fexecve(fd, argv, environ);
	return scute_err_sys(err, "re-execute the runtime from its sealed copy");
}

int scute_self_require_sealed(struct scute_err *err)
{
	if (scute_self_is_sealed())
		return 0;
	return scute_err_set(err, EPERM,
			     "the runtime is not running from its sealed copy: a container "
			     "could reach its binary (CVE-2019-5736); call "
			     "scute_self_reexec_sealed() first");
}
