/* The formats of the security labels a config names: SELinux contexts and
 * AppArmor profile names, checked before anything is made. */
#include "labels.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

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

/* Names as apparmor_parser takes them in a profile line: no spaces,
 * quotes, or characters the policy language gives a meaning. */
bool scute_apparmor_name_valid(const char *name)
{
	size_t n = strlen(name);

	if (!n || n > SCUTE_APPARMOR_NAME_MAX)
		return false;
	for (const char *p = name; *p; p++)
		if ((unsigned char)*p <= ' ' || strchr("\"'{}[]()*?,#\\", *p) || *p == 0x7f)
			return false;
	return true;
}
