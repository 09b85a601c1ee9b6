/* Which linux.sysctl keys a container may set: those isolated by a
 * namespace the container owns. */
#include "sysctl_rules.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

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

/* The namespace that isolates a key, or SCUTE_NS_COUNT for none. */
static enum scute_ns_type key_namespace(const char *key)
{
	if (is_ipc_key(key))
		return SCUTE_NS_IPC;
	if (strncmp(key, "net.", 4) == 0)
		return SCUTE_NS_NET;
	if (strcmp(key, "kernel.hostname") == 0 || strcmp(key, "kernel.domainname") == 0)
		return SCUTE_NS_UTS;
	return SCUTE_NS_COUNT;
}

bool scute_sysctl_is_runtime_ns(const struct stat *ns, enum scute_ns_type t)
{
	static const char *const proc_names[SCUTE_NS_COUNT] = {
		[SCUTE_NS_NET] = "net", [SCUTE_NS_IPC] = "ipc", [SCUTE_NS_UTS] = "uts"
	};
	char own[64];
	struct stat st;

	if (!proc_names[t])
		return false;
	snprintf(own, sizeof(own), "/proc/self/ns/%s", proc_names[t]);
	/* Not knowing counts as the runtime's: the caller refuses. */
	if (stat(own, &st) < 0)
		return true;
	return st.st_dev == ns->st_dev && st.st_ino == ns->st_ino;
}

/* A namespace joined by path is the container's own only if it is not the
 * runtime's (as runc checks): a config joining the host's network
 * namespace must not get to write the host's net.* sysctls. A path that
 * cannot be read here is left to the join, which reports it. */
static int owns(const struct scute_spec *spec, enum scute_ns_type t, struct scute_err *err)
{
	struct stat st;

	if (!spec->ns[t].present)
		return scute_err_set(err, EINVAL, "needs a%s %s namespace",
				     t == SCUTE_NS_IPC ? "n" : "",
				     t == SCUTE_NS_NET ? "network" : scute_ns_name(t));
	if (spec->ns[t].path && stat(spec->ns[t].path, &st) == 0 &&
	    scute_sysctl_is_runtime_ns(&st, t))
		return scute_err_set(err, EINVAL,
				     "the %s namespace %s is the runtime's own: it would change "
				     "the host",
				     t == SCUTE_NS_NET ? "network" : scute_ns_name(t),
				     spec->ns[t].path);
	return 0;
}

int scute_sysctl_check(const char *key, const struct scute_spec *spec, struct scute_err *err)
{
	enum scute_ns_type t;

	if (!*key || key[0] == '.' || strstr(key, "..") || strchr(key, '/'))
		return scute_err_set(err, EINVAL, "malformed sysctl name");
	for (const char *p = key; *p; p++)
		if (*p < 0x21 || *p > 0x7e)
			return scute_err_set(err, EINVAL, "malformed sysctl name");
	t = key_namespace(key);
	if (t == SCUTE_NS_COUNT)
		return scute_err_set(err, EINVAL,
				     "not isolated by a namespace: it would change the host");
	return owns(spec, t, err);
}

const char *scute_sysctl_needing(const struct scute_spec *spec, enum scute_ns_type t)
{
	for (size_t i = 0; i < spec->n_sysctls; i++)
		if (key_namespace(spec->sysctls[i].key) == t)
			return spec->sysctls[i].key;
	return NULL;
}
