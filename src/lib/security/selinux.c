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

static bool label_part(const char *s, size_t n)
{
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("_.-", s[i]))
			return false;
	return true;
}

/* user:role:type, then optionally an MLS/MCS level such as
 * "s0-s0:c0.c1023" or "s0:c1,c2" (which has colons of its own). */
bool scute_selinux_label_valid(const char *label)
{
	const char *p = label;

	for (int part = 0; part < 3; part++) {
		size_t n = strcspn(p, ":");
		if (!label_part(p, n))
			return false;
		p += n;
		if (part < 2 && *p++ != ':')
			return false;
	}
	if (!*p)
		return true;
	if (*p++ != ':' || !*p || strlen(label) > 4000)
		return false;
	for (; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("_.,:-", *p))
			return false;
	return true;
}

int scute_selinux_context_option(const char *label, char *buf, size_t len)
{
	int n = snprintf(buf, len, "context=%s", label);

	return n < 0 || (size_t)n >= len ? -1 : 0;
}

int scute_selinux_apply(int procfd, const char *label, struct scute_err *err)
{
	if (scute_proc_thread_write(procfd, "attr/exec", label, err) < 0 ||
	    scute_proc_thread_write(procfd, "attr/keycreate", label, err) < 0)
		return scute_err_prefix(err, "process.selinuxLabel");
	return 0;
}
