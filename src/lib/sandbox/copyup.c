/* tmpcopyup: a new tmpfs starts with a copy of what the image has at its
 * target (runc's extension; Podman asks for it with --read-only). The image
 * is untrusted: the copy walks it by fd, never follows a symlink, copies
 * only directories, regular files and symlinks, and stops at a depth. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <stdbool.h>
#include <unistd.h>

#include "cleanup.h"
#include "mount_api.h"

#define MAX_DEPTH 32

static int copy_file(int from_dir, int to_dir, const char *name, const struct stat *st)
{
	auto_fd int in = openat(from_dir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	auto_fd int out = -1;
	int rc = 0;

	if (in < 0)
		return -1;
	out = openat(to_dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		     st->st_mode & 07777);
	if (out < 0)
		return -1;
	for (off_t left = st->st_size; left > 0 && rc == 0;) {
		ssize_t n = sendfile(out, in, NULL, (size_t)left);
		if (n <= 0)
			rc = n < 0 ? -1 : 0, left = 0;
		else
			left -= n;
	}
	if (rc == 0 && ((fchown(out, st->st_uid, st->st_gid) < 0 && errno != EINVAL) ||
			fchmod(out, st->st_mode & 07777) < 0))
		rc = -1;
	return rc;
}

/* The owner of the original; an id the user namespace does not map
 * (EINVAL) leaves the copy to the namespace's root. */
static bool owned(int dir, const char *name, const struct stat *st)
{
	return fchownat(dir, name, st->st_uid, st->st_gid, AT_SYMLINK_NOFOLLOW) == 0 ||
	       errno == EINVAL;
}

/* On failure, `failed` gets the name of the entry that failed (copied:
 * the directory stream holding it is closed before the caller reads it). */
static int copy_tree(int from, int to, int depth, char *failed, size_t failed_len)
{
	auto_closedir DIR *d = NULL;
	struct dirent *e;
	int rc = 0;
	auto_fd int fd = fcntl(from, F_DUPFD_CLOEXEC, 0);

	if (fd < 0 || !(d = fdopendir(fd)))
		return -1;
	(void)scute_take_fd(&fd); /* the stream owns it now */
	while (rc == 0 && (e = readdir(d))) {
		struct stat st;
		char target[4096];
		ssize_t n;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(failed, failed_len, "%s", e->d_name);
		if (fstatat(from, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) {
			auto_fd int sub_from = -1;
			auto_fd int sub_to = -1;
			if (depth >= MAX_DEPTH) {
				errno = ELOOP;
				rc = -1;
				break;
			}
			if (mkdirat(to, e->d_name, 0700) < 0 || !owned(to, e->d_name, &st))
				rc = -1;
			sub_from = rc ? -1
				      : openat(from, e->d_name,
					       O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			sub_to = rc ? -1
				    : openat(to, e->d_name,
					     O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub_from < 0 || sub_to < 0)
				rc = -1;
			else
				rc = copy_tree(sub_from, sub_to, depth + 1, failed, failed_len);
			/* The directory's own mode once its contents are in. */
			if (rc == 0 && fchmodat(to, e->d_name, st.st_mode & 07777, 0) < 0)
				rc = -1;
		} else if (S_ISREG(st.st_mode)) {
			rc = copy_file(from, to, e->d_name, &st);
		} else if (S_ISLNK(st.st_mode)) {
			n = readlinkat(from, e->d_name, target, sizeof(target) - 1);
			if (n < 0)
				rc = -1;
			else {
				target[n] = '\0';
				if (symlinkat(target, to, e->d_name) < 0 ||
				    !owned(to, e->d_name, &st))
					rc = -1;
			}
		}
		/* Devices, fifos and sockets are not copied. */
	}
	return rc; /* the stream is closed keeping errno (cleanup.h) */
}

int scute_mount_copyup(int targetfd, int mntfd, const char *shown, struct scute_err *err)
{
	char failed[256] = "";
	auto_fd int from = -1;
	auto_fd int to = -1;
	int rc;
	struct stat st;

	/* The mount is detached yet: its root is the fd itself. */
	from = openat(targetfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	to = openat(mntfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (from < 0 || to < 0) {
		rc = scute_err_sys(err, "tmpcopyup %s", shown);
	} else {
		rc = copy_tree(from, to, 0, failed, sizeof(failed));
		if (rc < 0 && errno == ELOOP)
			scute_err_set(err, ELOOP,
				      "tmpcopyup %s: directory %s is nested deeper than %d levels",
				      shown, failed, MAX_DEPTH);
		else if (rc < 0)
			scute_err_sys(err, "tmpcopyup %s: copy %s", shown, failed);
		else if (fstat(from, &st) == 0 &&
			 ((fchown(to, st.st_uid, st.st_gid) < 0 && errno != EINVAL) ||
			  fchmod(to, st.st_mode & 07777) < 0))
			rc = scute_err_sys(err, "tmpcopyup %s", shown);
	}
	return rc;
}
