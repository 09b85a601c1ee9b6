#include "sysctl.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fsutil.h"

/* IPC sysctls isolated by the ipc namespace (ipc_sysctls / mq_sysctls). */
static const char *const ipc_keys[] = { "kernel.msgmax", "kernel.msgmnb",	  "kernel.msgmni",
					"kernel.sem",	 "kernel.shmall",	  "kernel.shmmax",
					"kernel.shmmni", "kernel.shm_rmid_forced" };

static bool is_ipc_key(const char *key)
{
	if (strncmp(key, "fs.mqueue.", 10) == 0)
		return true;
	for (size_t i = 0; i < sizeof(ipc_keys) / sizeof(ipc_keys[0]); i++)
		if (strcmp(key, ipc_keys[i]) == 0)
			return true;
	return false;
}

static bool owns(const struct scute_spec *spec, enum scute_ns_type t)
{
	return spec->ns[t].present;
}

int scute_sysctl_check(const char *key, const struct scute_spec *spec, struct scute_err *err)
{
	if (!*key || key[0] == '.' || strstr(key, "..") || strchr(key, '/'))
		return scute_err_set(err, EINVAL, "malformed sysctl name");
	for (const char *p = key; *p; p++)
		if (*p < 0x21 || *p > 0x7e)
			return scute_err_set(err, EINVAL, "malformed sysctl name");
	if (is_ipc_key(key))
		return owns(spec, SCUTE_NS_IPC)
			       ? 0
			       : scute_err_set(err, EINVAL, "needs an ipc namespace");
	if (strncmp(key, "net.", 4) == 0)
		return owns(spec, SCUTE_NS_NET)
			       ? 0
			       : scute_err_set(err, EINVAL, "needs a network namespace");
	if (strcmp(key, "kernel.hostname") == 0 || strcmp(key, "kernel.domainname") == 0)
		return owns(spec, SCUTE_NS_UTS)
			       ? 0
			       : scute_err_set(err, EINVAL, "needs a uts namespace");
	return scute_err_set(err, EINVAL, "not isolated by a namespace: it would change the host");
}

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
