#include "selfexec.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "coverage.h"
#include "inherit.h"

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif

#define SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

extern char **environ;

static bool fd_sealed(int fd)
{
	int seals = fcntl(fd, F_GET_SEALS);

	return seals >= 0 && (seals & SEALS) == SEALS;
}

bool scute_self_is_sealed(void)
{
	auto_fd int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);

	return fd >= 0 && fd_sealed(fd);
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
