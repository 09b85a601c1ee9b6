#include "sysctl.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>

#include "fsutil.h"

int scute_sysctl_apply(int procfd, const struct scute_spec *spec, struct scute_err *err)
{
	char path[512];

	for (size_t i = 0; i < spec->n_sysctls; i++) {
		const char *key = spec->sysctls[i].key;
		size_t n = (size_t)snprintf(path, sizeof(path), "sys/%s", key);
		if (n >= sizeof(path))
			return scute_err_set(err, ENAMETOOLONG, "sysctl %s: name too long", key);
		for (char *p = path + 4; *p; p++)
			if (*p == '.')
				*p = '/';
		if (scute_proc_write(procfd, path, spec->sysctls[i].value, err) < 0)
			return scute_err_prefix(err, "sysctl %s", key);
	}
	return 0;
}
