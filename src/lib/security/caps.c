#include "caps.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cap_names.h"

int scute_caps_drop_bounding(uint64_t bounding, struct scute_err *err)
{
	char name[64];
	int last = scute_cap_last();

	for (int cap = 0; cap <= last; cap++) {
		if (bounding & (1ULL << cap))
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
			return scute_err_sys(err, "drop %s from the bounding set",
					     scute_cap_name(cap, name, sizeof(name)));
	}
	return 0;
}

static int set_ambient(uint64_t ambient, struct scute_err *err)
{
	char name[64];

	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
		return scute_err_sys(err, "clear the ambient capability set");
	for (int cap = 0; cap <= scute_cap_last(); cap++) {
		if (!(ambient & (1ULL << cap)))
			continue;
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0)
			return scute_err_sys(err,
					     "raise %s in the ambient set (it must also be "
					     "permitted and inheritable)",
					     scute_cap_name(cap, name, sizeof(name)));
	}
	return 0;
}

int scute_caps_raise_effective(struct scute_err *err)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data) < 0)
		return scute_err_sys(err, "read capabilities");
	for (int i = 0; i < 2; i++)
		data[i].effective = data[i].permitted;
	if (syscall(SYS_capset, &hdr, data) < 0)
		return scute_err_sys(err, "raise effective capabilities");
	return 0;
}

int scute_caps_apply(const uint64_t sets[SCUTE_CAP_SET_COUNT], struct scute_err *err)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];

	for (int i = 0; i < 2; i++) {
		data[i].effective = (uint32_t)(sets[SCUTE_CAP_EFFECTIVE] >> (32 * i));
		data[i].permitted = (uint32_t)(sets[SCUTE_CAP_PERMITTED] >> (32 * i));
		data[i].inheritable = (uint32_t)(sets[SCUTE_CAP_INHERITABLE] >> (32 * i));
	}
	if (syscall(SYS_capset, &hdr, data) < 0)
		return scute_err_sys(err,
				     "set capabilities (effective %#llx, permitted %#llx, "
				     "inheritable %#llx)",
				     (unsigned long long)sets[SCUTE_CAP_EFFECTIVE],
				     (unsigned long long)sets[SCUTE_CAP_PERMITTED],
				     (unsigned long long)sets[SCUTE_CAP_INHERITABLE]);
	return set_ambient(sets[SCUTE_CAP_AMBIENT], err);
}
