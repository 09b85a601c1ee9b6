/* SELinux labels for the container's init and mounts. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "fsutil.h"
#include "lsm.h"

#define SELINUX_MAGIC 0xf97cff8c

bool scute_selinux_enabled(void)
{
	struct statfs st;

	return statfs("/sys/fs/selinux", &st) == 0 && (unsigned long)st.f_type == SELINUX_MAGIC &&
	       access("/sys/fs/selinux/enforce", F_OK) == 0;
}

int scute_selinux_apply(int procfd, const char *label, struct scute_err *err)
{
	if (scute_proc_thread_write(procfd, "attr/exec", label, err) < 0 ||
	    scute_proc_thread_write(procfd, "attr/keycreate", label, err) < 0)
		return scute_err_prefix(err, "process.selinuxLabel");
	return 0;
}
