/* Capability names as configs and flags give them, and the highest
 * capability the running kernel knows. */
#include "cap_names.h"

#include <ctype.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/capability.h>

#include "fsutil.h"
#include "values.h"

int scute_cap_from_name(const char *name)
{
	cap_value_t v;

	/* libcap also takes numbers and names without the prefix; the OCI
	 * config only names capabilities as CAP_*. */
	if (strncasecmp(name, "CAP_", 4) != 0 || !isalpha((unsigned char)name[4]))
		return -1;
	if (cap_from_name(name, &v) < 0)
		return -1;
	return v;
}

const char *scute_cap_name(int cap, char *buf, size_t len)
{
	char *n = cap_to_name(cap);

	if (!n) {
		snprintf(buf, len, "CAP_%d", cap);
		return buf;
	}
	snprintf(buf, len, "%s", n);
	cap_free(n);
	for (char *p = buf; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	return buf;
}

int scute_cap_last(void)
{
	static int last = -1;
	struct scute_err ignored;
	char buf[16] = "";
	int64_t v;

	if (last >= 0)
		return last;
	/* The kernel's answer when it gives one that makes sense; the
	 * headers' otherwise. */
	last = CAP_LAST_CAP;
	if (scute_read_at(AT_FDCWD, "/proc/sys/kernel/cap_last_cap", buf, sizeof(buf), &ignored) <
	    0)
		return last;
	buf[strcspn(buf, "\n")] = '\0';
	if (scute_parse_int(buf, 1, 63, &v, &ignored) == 0)
		last = (int)v;
	return last;
}
