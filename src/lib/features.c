/* The runtime-spec features document (features.md): what this build
 * enforces, so engines can tell before they ask. */
#include <jansson.h>

#include "caps.h"
#include "spec.h"

static json_t *capability_names(void)
{
	json_t *arr = json_array();
	char name[64];

	for (int cap = 0; cap <= scute_cap_last(); cap++)
		json_array_append_new(arr, json_string(scute_cap_name(cap, name, sizeof(name))));
	return arr;
}

static json_t *mount_options(void)
{
	json_t *arr = json_array();
	const char *o;

	for (size_t i = 0; (o = scute_mount_option_name(i)); i++)
		json_array_append_new(arr, json_string(o));
	return arr;
}

static json_t *namespaces(void)
{
	json_t *arr = json_array();

	for (int t = 0; t < SCUTE_NS_COUNT; t++)
		json_array_append_new(arr, json_string(scute_ns_name(t)));
	return arr;
}

json_t *scute_features(void)
{
	json_t *off = json_pack("{s:b}", "enabled", 0);
	json_t *lx = json_pack(
		"{s:o, s:o, s:{s:b, s:b, s:b, s:b, s:b}, s:O, s:O, s:O, s:O, s:{s:O}}",
		"namespaces", namespaces(), "capabilities", capability_names(), "cgroup", "v1", 1,
		"v2", 1, "systemd", 0, "systemdUser", 0, "rdma", 0, "seccomp", off, "apparmor",
		off, "selinux", off, "intelRdt", off, "mountExtensions", "idmap", off);
	json_decref(off);
	return json_pack("{s:s, s:s, s:[], s:o, s:o, s:{s:s}}", "ociVersionMin", "1.0.0",
			 "ociVersionMax", "1.2.0", "hooks", "mountOptions", mount_options(),
			 "linux", lx, "annotations", "org.scute.runtime.version", SCUTE_VERSION);
}
