/* The config that `scute-runtime spec` writes: hardened by default, stricter
 * than Docker's defaults (see docs/scute-runtime.8.scd, "spec"). */
#include <jansson.h>
#include <unistd.h>

#include "caps.h"
#include "lsm.h"
#include "seccomp_docker.h"
#include "spec.h"

static const char *const default_caps[] = { "CAP_CHOWN",  "CAP_DAC_OVERRIDE",
					    "CAP_FOWNER", "CAP_FSETID",
					    "CAP_KILL",	  "CAP_NET_BIND_SERVICE",
					    "CAP_SETGID", "CAP_SETPCAP",
					    "CAP_SETUID" };

/* Docker's masked and read-only paths, plus none removed. */
static const char *const masked_paths[] = {
	"/proc/acpi",
	"/proc/asound",
	"/proc/interrupts",
	"/proc/kcore",
	"/proc/keys",
	"/proc/latency_stats",
	"/proc/sched_debug",
	"/proc/scsi",
	"/proc/timer_list",
	"/proc/timer_stats",
	"/sys/devices/virtual/powercap",
	"/sys/firmware",
	"/sys/kernel/security",
};
static const char *const readonly_paths[] = { "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
					      "/proc/sysrq-trigger" };
static const char *const namespaces[] = { "pid", "ipc", "uts", "mount", "network", "cgroup" };

static json_t *strings(const char *const *v, size_t n)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_string(v[i]));
	return arr;
}

#define STRINGS(v) strings(v, sizeof(v) / sizeof((v)[0]))

static json_t *capabilities(void)
{
	return json_pack("{s:o, s:o, s:o, s:[], s:[]}", "bounding", STRINGS(default_caps),
			 "effective", STRINGS(default_caps), "permitted", STRINGS(default_caps),
			 "inheritable", "ambient");
}

static json_t *mount(const char *dest, const char *type, const char *src, json_t *opts)
{
	return json_pack("{s:s, s:s, s:s, s:o}", "destination", dest, "type", type, "source", src,
			 "options", opts);
}

static json_t *mounts(bool rootless)
{
	json_t *m = json_array();

	json_array_append_new(m, mount("/proc", "proc", "proc",
				       json_pack("[s,s,s]", "nosuid", "noexec", "nodev")));
	json_array_append_new(m, mount("/dev", "tmpfs", "tmpfs",
				       json_pack("[s,s,s,s,s]", "nosuid", "noexec", "strictatime",
						 "mode=755", "size=65536k")));
	json_t *pts = json_pack("[s,s,s,s,s]", "nosuid", "noexec", "newinstance", "ptmxmode=0666",
				"mode=0620");
	if (!rootless) /* gid 5 (tty) is not mapped in a rootless namespace */
		json_array_append_new(pts, json_string("gid=5"));
	json_array_append_new(m, mount("/dev/pts", "devpts", "devpts", pts));
	json_array_append_new(m, mount("/dev/shm", "tmpfs", "shm",
				       json_pack("[s,s,s,s,s]", "nosuid", "noexec", "nodev",
						 "mode=1777", "size=65536k")));
	json_array_append_new(m, mount("/dev/mqueue", "mqueue", "mqueue",
				       json_pack("[s,s,s]", "nosuid", "noexec", "nodev")));
	json_array_append_new(m, mount("/sys", "sysfs", "sysfs",
				       json_pack("[s,s,s,s]", "nosuid", "noexec", "nodev", "ro")));
	json_array_append_new(
		m, mount("/sys/fs/cgroup", "cgroup", "cgroup",
			 json_pack("[s,s,s,s,s]", "nosuid", "noexec", "nodev", "relatime", "ro")));
	return m;
}

static json_t *linux_section(bool rootless)
{
	json_t *ns = json_array(), *lx;

	for (size_t i = 0; i < sizeof(namespaces) / sizeof(namespaces[0]); i++)
		json_array_append_new(ns, json_pack("{s:s}", "type", namespaces[i]));
	lx = json_pack("{s:o, s:o, s:o}", "namespaces", ns, "maskedPaths", STRINGS(masked_paths),
		       "readonlyPaths", STRINGS(readonly_paths));
	if (rootless) {
		/* An unprivileged user cannot write cgroups: no resources. */
		json_array_append_new(ns, json_pack("{s:s}", "type", "user"));
		json_object_set_new(lx, "uidMappings",
				    json_pack("[{s:i, s:i, s:i}]", "containerID", 0, "hostID",
					      (int)getuid(), "size", 1));
		json_object_set_new(lx, "gidMappings",
				    json_pack("[{s:i, s:i, s:i}]", "containerID", 0, "hostID",
					      (int)getgid(), "size", 1));
	} else {
		json_object_set_new(lx, "resources", json_pack("{s:{s:i}}", "pids", "limit", 1024));
	}
	return lx;
}

/* The default profile for the spec's own bounding set. */
static json_t *default_seccomp(struct scute_err *err)
{
	struct scute_docker_env env;
	uint64_t caps = 0;

	for (size_t i = 0; i < sizeof(default_caps) / sizeof(default_caps[0]); i++)
		caps |= 1ULL << scute_cap_from_name(default_caps[i]);
	if (scute_docker_env_native(&env, caps, err) < 0)
		return NULL;
	return scute_seccomp_default(&env, err);
}

json_t *scute_spec_hardened(bool rootless, struct scute_err *err)
{
	json_t *seccomp = default_seccomp(err), *lx;

	if (!seccomp)
		return NULL;
	json_t *process = json_pack(
		"{s:b, s:{s:i, s:i}, s:[s], s:[s, s], s:s, s:o, s:[{s:s, s:i, s:i}], s:b}",
		"terminal", 0, "user", "uid", 0, "gid", 0, "args", "sh", "env",
		"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm",
		"cwd", "/", "capabilities", capabilities(), "rlimits", "type", "RLIMIT_NOFILE",
		"hard", 1024, "soft", 1024, "noNewPrivileges", 1);

	/* Confined by scute's own profile where the host runs AppArmor (create
	 * loads it on first use). */
	if (scute_apparmor_enabled())
		json_object_set_new(process, "apparmorProfile",
				    json_string(SCUTE_APPARMOR_DEFAULT));
	lx = linux_section(rootless);
	json_object_set_new(lx, "seccomp", seccomp);
	return json_pack("{s:s, s:o, s:{s:s, s:b}, s:s, s:o, s:o}", "ociVersion", "1.2.0",
			 "process", process, "root", "path", "rootfs", "readonly", 1, "hostname",
			 "scute", "mounts", mounts(rootless), "linux", lx);
}
