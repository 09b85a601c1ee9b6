/* Built only with -Db_coverage=true; see coverage.h. */
#include "coverage.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

void __gcov_dump(void);

static int host_root = -1;

void scute_coverage_keep_root(void)
{
	char prefix[32];

	if (host_root >= 0)
		return;
	host_root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (host_root < 0)
		return;
	/* gcov puts GCOV_PREFIX in front of the build directory's absolute
	 * path; /proc/self/fd/N leads back to the host's root, wherever "/"
	 * is by then. Set now, so that hooks forked later write theirs too. */
	snprintf(prefix, sizeof(prefix), "/proc/self/fd/%d", host_root);
	setenv("GCOV_PREFIX", prefix, 1);
}

static bool prefix_reaches_root(void)
{
	struct stat a, b;
	char prefix[32];
	int fd;

	snprintf(prefix, sizeof(prefix), "/proc/self/fd/%d", host_root);
	fd = open(prefix, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return false;
	bool same = fstat(fd, &a) == 0 && fstat(host_root, &b) == 0 && a.st_dev == b.st_dev &&
		    a.st_ino == b.st_ino;
	close(fd);
	return same;
}

void scute_coverage_dump(void)
{
	int saved_stderr, devnull;

	if (host_root < 0) {
		__gcov_dump();
		return;
	}
	/* Without a procfs at /proc (a container without a mount namespace
	 * is only chrooted), the prefix would not lead back to the host: gcov
	 * would make /proc/self/fd/N/... directories in the container's root.
	 * Those counters are lost instead. */
	if (!prefix_reaches_root())
		return;
	saved_stderr = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	devnull = openat(host_root, "dev/null", O_WRONLY | O_CLOEXEC);
	if (devnull >= 0)
		dup2(devnull, STDERR_FILENO);
	__gcov_dump();
	if (saved_stderr >= 0) {
		dup2(saved_stderr, STDERR_FILENO);
		close(saved_stderr);
	}
	if (devnull >= 0)
		close(devnull);
}
