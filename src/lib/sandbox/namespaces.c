#include "namespaces.h"

#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

int scute_ns_join(enum scute_ns_type type, const char *path, struct scute_err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc = 0;

	if (fd < 0)
		return scute_err_sys(err, "linux.namespaces: open %s", path);
	if (setns(fd, scute_ns_clone_flag(type)) < 0)
		rc = scute_err_sys(err, "linux.namespaces: join %s namespace %s",
				   scute_ns_name(type), path);
	close(fd);
	return rc;
}
