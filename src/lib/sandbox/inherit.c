#include "inherit.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include "values.h"

static int inherited;

static int fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur > 1 << 20)
		return 1 << 20;
	return (int)rl.rlim_cur;
}

/* The length of the run of open fds from 3: poll reports POLLNVAL for a
 * closed one, without opening anything (64 fds per call). */
static int measure(void)
{
	struct pollfd p[64];
	int limit = fd_limit(), fd = 3;

	while (fd < limit) {
		int n = limit - fd < 64 ? limit - fd : 64;
		for (int i = 0; i < n; i++)
			p[i] = (struct pollfd){ .fd = fd + i };
		if (poll(p, (nfds_t)n, 0) < 0)
			return fd - 3;
		for (int i = 0; i < n; i++)
			if (p[i].revents & POLLNVAL)
				return fd + i - 3;
		fd += n;
	}
	return fd - 3;
}

void scute_fds_record_inherited(void)
{
	const char *carried = getenv(SCUTE_INHERITED_ENV);
	struct scute_err err;
	int64_t before;

	inherited = measure();
	/* The first process's count bounds ours: whatever the process before
	 * the re-exec opened cannot count as passed. (A caller setting the
	 * variable itself can only lower the count.) */
	if (carried) {
		if (scute_parse_int(carried, 0, 1 << 20, &before, &err) < 0)
			before = 0;
		if (before < inherited)
			inherited = (int)before;
		unsetenv(SCUTE_INHERITED_ENV);
	}
}

int scute_fds_inherited(void)
{
	return inherited;
}

int scute_fds_check_passed(int first, int n, const char *what, struct scute_err *err)
{
	int limit = fd_limit();

	if (n <= 0)
		return 0;
	if (first + n > limit)
		return scute_err_set(err, EBADF, "%s %d: fd %d is past the fd limit (%d)", what, n,
				     first + n - 1, limit);
	for (int fd = first; fd < first + n; fd++)
		if (fd >= 3 + inherited)
			return scute_err_set(err, EBADF,
					     "%s %d: fd %d was not passed to the runtime", what, n,
					     fd);
	return 0;
}

int scute_listen_fds_from_env(int *n, struct scute_err *err)
{
	const char *fds = getenv("LISTEN_FDS"), *pid = getenv("LISTEN_PID");
	struct scute_err ignored;
	int64_t v, owner;

	*n = 0;
	/* Meant for another process (a parent that did not clear them): not
	 * ours to hand on. */
	if (!fds || !pid || scute_parse_int(pid, 1, INT32_MAX, &owner, &ignored) < 0 ||
	    owner != getpid())
		return 0;
	if (scute_parse_int(fds, 0, 4096, &v, err) < 0)
		return scute_err_prefix(err, "LISTEN_FDS");
	*n = (int)v;
	return 0;
}
