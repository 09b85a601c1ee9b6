/* The runtime-spec features document (features.md): what this build
 * enforces, so engines can tell before they ask. */
#include <jansson.h>
#include <stdio.h>

#include "caps.h"
#include "landlock.h"
#include "lsm.h"
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

static json_t *seccomp_features(void)
{
	static const char *const archs[] = {
		"SCMP_ARCH_X86",      "SCMP_ARCH_X86_64",      "SCMP_ARCH_X32",
		"SCMP_ARCH_ARM",      "SCMP_ARCH_AARCH64",     "SCMP_ARCH_MIPS",
		"SCMP_ARCH_MIPS64",   "SCMP_ARCH_MIPS64N32",   "SCMP_ARCH_MIPSEL",
		"SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC",
		"SCMP_ARCH_PPC64",    "SCMP_ARCH_PPC64LE",     "SCMP_ARCH_S390",
		"SCMP_ARCH_S390X",    "SCMP_ARCH_PARISC",      "SCMP_ARCH_PARISC64",
		"SCMP_ARCH_RISCV64"
	};
	json_t *a = json_array();

	for (size_t i = 0; i < sizeof(archs) / sizeof(archs[0]); i++)
		json_array_append_new(a, json_string(archs[i]));
	return json_pack(
		"{s:b, s:[s,s,s,s,s,s,s,s,s], s:[s,s,s,s,s,s,s], s:o, s:[s,s,s,s], s:[s,s,s,s]}",
		"enabled", 1, "actions", "SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL",
		"SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY",
		"SCMP_ACT_TRACE", "SCMP_ACT_TRAP", "operators", "SCMP_CMP_EQ", "SCMP_CMP_GE",
		"SCMP_CMP_GT", "SCMP_CMP_LE", "SCMP_CMP_LT", "SCMP_CMP_MASKED_EQ", "SCMP_CMP_NE",
		"archs", a, "knownFlags", "SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
		"SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
		"supportedFlags", "SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
		"SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV");
}

/* Beyond runc's fields (whose apparmor/selinux "enabled" means "this
 * runtime supports it"), annotations say what the host has: whether
 * AppArmor and SELinux are on, and the Landlock ABI (0: none). */
static json_t *annotations(void)
{
	char abi[16];

	snprintf(abi, sizeof(abi), "%d", scute_landlock_abi());
	return json_pack("{s:s, s:s, s:s, s:s}", "org.scute.runtime.version", SCUTE_VERSION,
			 "org.scute.apparmor.host",
			 scute_apparmor_enabled() ? "enabled" : "disabled",
			 "org.scute.selinux.host", scute_selinux_enabled() ? "enabled" : "disabled",
			 "org.scute.landlock.abi", abi);
}

json_t *scute_features(void)
{
	json_t *off = json_pack("{s:b}", "enabled", 0), *on = json_pack("{s:b}", "enabled", 1);
	json_t *lx = json_pack(
		"{s:o, s:o, s:{s:b, s:b, s:b, s:b, s:b}, s:o, s:O, s:O, s:O, s:{s:O}}",
		"namespaces", namespaces(), "capabilities", capability_names(), "cgroup", "v1", 1,
		"v2", 1, "systemd", 0, "systemdUser", 0, "rdma", 1, "seccomp", seccomp_features(),
		"apparmor", on, "selinux", on, "intelRdt", off, "mountExtensions", "idmap", off);
	json_decref(off);
	json_decref(on);
	return json_pack("{s:s, s:s, s:[s, s, s, s, s, s], s:o, s:o, s:o}", "ociVersionMin",
			 "1.0.0", "ociVersionMax", "1.2.0", "hooks", "prestart", "createRuntime",
			 "createContainer", "startContainer", "poststart", "poststop",
			 "mountOptions", mount_options(), "linux", lx, "annotations",
			 annotations());
}
