/* config.json: the linux section. */
#include <errno.h>
#include <linux/capability.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "cleanup.h"
#include "spec_walk.h"
#include "sysctl_rules.h"

static const char *const ns_names[SCUTE_NS_COUNT] = {
	[SCUTE_NS_PID] = "pid",	      [SCUTE_NS_NET] = "network", [SCUTE_NS_MNT] = "mount",
	[SCUTE_NS_IPC] = "ipc",	      [SCUTE_NS_UTS] = "uts",	  [SCUTE_NS_USER] = "user",
	[SCUTE_NS_CGROUP] = "cgroup", [SCUTE_NS_TIME] = "time",
};

static const int ns_flags[SCUTE_NS_COUNT] = {
	[SCUTE_NS_PID] = CLONE_NEWPID,	     [SCUTE_NS_NET] = CLONE_NEWNET,
	[SCUTE_NS_MNT] = CLONE_NEWNS,	     [SCUTE_NS_IPC] = CLONE_NEWIPC,
	[SCUTE_NS_UTS] = CLONE_NEWUTS,	     [SCUTE_NS_USER] = CLONE_NEWUSER,
	[SCUTE_NS_CGROUP] = CLONE_NEWCGROUP, [SCUTE_NS_TIME] = CLONE_NEWTIME,
};

const char *scute_ns_name(enum scute_ns_type type)
{
	return ns_names[type];
}

int scute_ns_clone_flag(enum scute_ns_type type)
{
	return ns_flags[type];
}

static int parse_namespaces(struct spec_walk *w, json_t *lx, struct scute_spec *spec)
{
	json_t *arr, *item;
	char path[64];
	size_t i;
	int t;

	if (walk_array(w, lx, "linux", "namespaces", false, &arr) < 0)
		return -1;
	json_array_foreach(arr, i, item)
	{
		snprintf(path, sizeof(path), "linux.namespaces[%zu]", i);
		if (!json_is_object(item))
			return walk_fail(w, path, "expected an object");
		auto_free char *type = NULL;
		if (walk_string(w, item, path, "type", true, &type) < 0)
			return -1;
		for (t = 0; t < SCUTE_NS_COUNT; t++)
			if (strcmp(type, ns_names[t]) == 0)
				break;
		if (t == SCUTE_NS_COUNT)
			return walk_fail(w, path, "unknown namespace type \"%s\"", type);
		if (spec->ns[t].present)
			return walk_fail(w, path, "namespace \"%s\" is listed twice", ns_names[t]);
		spec->ns[t].present = true;
		if (walk_string(w, item, path, "path", false, &spec->ns[t].path) < 0)
			return -1;
		if (spec->ns[t].path && spec->ns[t].path[0] != '/')
			return walk_fail(w, path, "path \"%s\" is not absolute", spec->ns[t].path);
	}
	if (spec->ns[SCUTE_NS_USER].path && spec->ns[SCUTE_NS_PID].present &&
	    !spec->ns[SCUTE_NS_PID].path)
		return walk_fail(w, "linux.namespaces",
				 "a new pid namespace inside a joined user namespace is not "
				 "supported by this build");
	return 0;
}

/* Without a mount namespace the container's root is a chroot in the host's
 * tree, not a pivoted root with the host's tree detached: a process holding
 * CAP_SYS_CHROOT leaves it (chroot into a subdirectory, walk ".." up from the
 * cwd left outside, chroot(".")) and is in the host's /. Any set counts:
 * bounding and inheritable are what an execve can give back to root. */
static int check_host_chroot_caps(struct spec_walk *w, const struct scute_spec *spec)
{
	static const struct {
		enum scute_cap_set set;
		const char *key;
	} sets[] = {
		{ SCUTE_CAP_BOUNDING, "bounding" },   { SCUTE_CAP_EFFECTIVE, "effective" },
		{ SCUTE_CAP_PERMITTED, "permitted" }, { SCUTE_CAP_INHERITABLE, "inheritable" },
		{ SCUTE_CAP_AMBIENT, "ambient" },
	};
	char field[64];

	for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		if (!(spec->process.caps[sets[i].set] & (1ULL << CAP_SYS_CHROOT)))
			continue;
		snprintf(field, sizeof(field), "process.capabilities.%s", sets[i].key);
		return walk_fail(w, field,
				 "CAP_SYS_CHROOT without a mount namespace: the container's root "
				 "is only a chroot in the host's mount tree, which CAP_SYS_CHROOT "
				 "leaves; drop the capability or give the container a mount "
				 "namespace");
	}
	return 0;
}

/* Without a mount namespace the container shares the runtime's mount tree
 * (runtime-spec: an omitted namespace is inherited): the init only chroots
 * into the root, it never mounts or pivots. So whatever needs a mount, or
 * would put a node of the config's choosing in the host's filesystem, is
 * refused, naming the field. */
static int check_host_mountns(struct spec_walk *w, json_t *lx, const struct scute_spec *spec)
{
	static const char why[] =
		"needs a mount namespace (linux.namespaces has none: the "
		"container shares the host's mount tree, where nothing is mounted)";
	if (spec->ns[SCUTE_NS_MNT].present)
		return 0;
	if (spec->n_mounts)
		return walk_fail(w, "mounts", "%s", why);
	if (spec->n_masked_paths)
		return walk_fail(w, "linux.maskedPaths", "%s", why);
	if (spec->n_readonly_paths)
		return walk_fail(w, "linux.readonlyPaths", "%s", why);
	if (spec->root_readonly)
		return walk_fail(w, "root.readonly", "%s", why);
	if (spec->n_devices)
		return walk_fail(w, "linux.devices", "%s", why);
	if (json_object_get(lx, "rootfsPropagation"))
		return walk_fail(w, "linux.rootfsPropagation", "%s", why);
	if (spec->process.terminal)
		return walk_fail(w, "process.terminal", "%s (for /dev/console)", why);
	return check_host_chroot_caps(w, spec);
}

static int parse_idmaps(struct spec_walk *w, json_t *lx, const char *key, struct scute_idmap **out,
			size_t *n)
{
	char path[64];
	json_t *arr, *item;
	int64_t v[3];
	size_t i;

	if (walk_array(w, lx, "linux", key, false, &arr) < 0)
		return -1;
	if (!arr)
		return 0;
	*out = calloc(json_array_size(arr) + 1, sizeof(**out));
	if (!*out)
		return scute_err_set(w->err, ENOMEM, "out of memory");
	json_array_foreach(arr, i, item)
	{
		snprintf(path, sizeof(path), "linux.%s[%zu]", key, i);
		if (!json_is_object(item))
			return walk_fail(w, path, "expected an object");
		if (walk_int(w, item, path, "containerID", 0, UINT32_MAX - 1, NULL, &v[0]) < 0 ||
		    walk_int(w, item, path, "hostID", 0, UINT32_MAX - 1, NULL, &v[1]) < 0 ||
		    walk_int(w, item, path, "size", 1, UINT32_MAX, NULL, &v[2]) < 0)
			return -1;
		(*out)[i] = (struct scute_idmap){ (uint32_t)v[0], (uint32_t)v[1], (uint32_t)v[2] };
		*n = i + 1;
	}
	return 0;
}

static int parse_device(struct spec_walk *w, json_t *item, const char *path, struct scute_device *d)
{
	auto_free char *type = NULL;
	int64_t v;

	if (!json_is_object(item))
		return walk_fail(w, path, "expected an object");
	if (walk_string(w, item, path, "path", true, &d->path) < 0 ||
	    walk_string(w, item, path, "type", true, &type) < 0)
		return -1;
	if (d->path[0] != '/')
		return walk_fail(w, path, "path \"%s\" is not absolute", d->path);
	if (strcmp(type, "c") != 0 && strcmp(type, "u") != 0 && strcmp(type, "b") != 0 &&
	    strcmp(type, "p") != 0)
		return walk_fail(w, path, "unknown device type \"%s\" (c, u, b or p)", type);
	d->type = (char)(type[0] == 'u' ? 'c' : type[0]);
	if (d->type != 'p') {
		if (walk_int(w, item, path, "major", 0, 4095, NULL, &d->major) < 0 ||
		    walk_int(w, item, path, "minor", 0, 1048575, NULL, &d->minor) < 0)
			return -1;
	}
	if (walk_int(w, item, path, "fileMode", 0, 07777, &d->has_mode, &v) < 0)
		return -1;
	d->mode = (mode_t)v;
	if (walk_int(w, item, path, "uid", 0, UINT32_MAX - 1, &d->has_uid, &v) < 0)
		return -1;
	d->uid = (uid_t)v;
	if (walk_int(w, item, path, "gid", 0, UINT32_MAX - 1, &d->has_gid, &v) < 0)
		return -1;
	d->gid = (gid_t)v;
	return 0;
}

static int parse_devices(struct spec_walk *w, json_t *lx, struct scute_spec *spec)
{
	json_t *arr, *item;
	char path[64];
	size_t i;

	if (walk_array(w, lx, "linux", "devices", false, &arr) < 0)
		return -1;
	if (!arr)
		return 0;
	spec->devices = calloc(json_array_size(arr) + 1, sizeof(*spec->devices));
	if (!spec->devices)
		return scute_err_set(w->err, ENOMEM, "out of memory");
	json_array_foreach(arr, i, item)
	{
		snprintf(path, sizeof(path), "linux.devices[%zu]", i);
		spec->n_devices = i + 1;
		if (parse_device(w, item, path, &spec->devices[i]) < 0)
			return -1;
	}
	return 0;
}

static int parse_propagation(struct spec_walk *w, json_t *lx, struct scute_spec *spec)
{
	static const struct {
		const char *name;
		uint64_t flags;
	} values[] = {
		{ "shared", MS_SHARED | MS_REC },	  { "rshared", MS_SHARED | MS_REC },
		{ "slave", MS_SLAVE | MS_REC },		  { "rslave", MS_SLAVE | MS_REC },
		{ "private", MS_PRIVATE | MS_REC },	  { "rprivate", MS_PRIVATE | MS_REC },
		{ "unbindable", MS_UNBINDABLE | MS_REC }, { "runbindable", MS_UNBINDABLE | MS_REC },
	};
	auto_free char *value = NULL;

	/* runc's default: host mount events reach the container, not back. */
	spec->rootfs_propagation = MS_SLAVE | MS_REC;
	if (walk_string(w, lx, "linux", "rootfsPropagation", false, &value) < 0)
		return -1;
	if (!value)
		return 0;
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		if (strcmp(value, values[i].name) == 0) {
			spec->rootfs_propagation = values[i].flags;
			return 0;
		}
	}
	return walk_fail(w, "linux.rootfsPropagation", "unknown propagation \"%s\"", value);
}

static int parse_sysctls(struct spec_walk *w, json_t *lx, struct scute_spec *spec)
{
	json_t *obj, *v;
	const char *key;
	char path[320];
	size_t i = 0;

	if (walk_object(w, lx, "linux", "sysctl", false, &obj) < 0)
		return -1;
	if (!obj)
		return 0;
	spec->sysctls = calloc(json_object_size(obj) + 1, sizeof(*spec->sysctls));
	if (!spec->sysctls)
		return scute_err_set(w->err, ENOMEM, "out of memory");
	json_object_foreach(obj, key, v)
	{
		snprintf(path, sizeof(path), "linux.sysctl.%s", key);
		if (!json_is_string(v))
			return walk_fail(w, path, "expected a string");
		if (scute_sysctl_check(key, spec, w->err) < 0)
			return scute_err_prefix(w->err, "%s: %s", w->origin, path);
		spec->sysctls[i].key = strdup(key);
		spec->sysctls[i].value = strdup(json_string_value(v));
		spec->n_sysctls = ++i;
		if (!spec->sysctls[i - 1].key || !spec->sysctls[i - 1].value)
			return scute_err_set(w->err, ENOMEM, "out of memory");
	}
	return 0;
}

static int parse_offset(struct spec_walk *w, json_t *offsets, const char *key, int64_t *secs,
			uint32_t *nsecs)
{
	char path[64];
	json_t *o;
	int64_t ns = 0;
	bool has;

	snprintf(path, sizeof(path), "linux.timeOffsets.%s", key);
	if (walk_object(w, offsets, "linux.timeOffsets", key, false, &o) < 0)
		return -1;
	if (walk_int(w, o, path, "secs", INT64_MIN, INT64_MAX, &has, secs) < 0 ||
	    walk_int(w, o, path, "nanosecs", 0, 999999999, &has, &ns) < 0)
		return -1;
	*nsecs = (uint32_t)ns;
	return 0;
}

static int parse_time_offsets(struct spec_walk *w, json_t *lx, struct scute_spec *spec)
{
	json_t *offsets;

	if (walk_object(w, lx, "linux", "timeOffsets", false, &offsets) < 0)
		return -1;
	if (!offsets)
		return 0;
	if (!spec->ns[SCUTE_NS_TIME].present || spec->ns[SCUTE_NS_TIME].path)
		return walk_fail(w, "linux.timeOffsets", "needs a new time namespace");
	spec->has_time_offsets = true;
	if (parse_offset(w, offsets, "monotonic", &spec->monotonic_secs, &spec->monotonic_nsecs) <
	    0)
		return -1;
	return parse_offset(w, offsets, "boottime", &spec->boottime_secs, &spec->boottime_nsecs);
}

static int check_userns(struct spec_walk *w, struct scute_spec *spec)
{
	bool new_userns = spec->ns[SCUTE_NS_USER].present && !spec->ns[SCUTE_NS_USER].path;

	if (new_userns && (!spec->n_uid_maps || !spec->n_gid_maps))
		return walk_fail(w, "linux",
				 "a new user namespace needs uidMappings and "
				 "gidMappings");
	if (!new_userns && (spec->n_uid_maps || spec->n_gid_maps))
		return walk_fail(w, "linux",
				 "uidMappings and gidMappings need a new user "
				 "namespace in linux.namespaces");
	return 0;
}

static const char *const linux_refused[] = { "intelRdt", "personality", "memoryPolicy",
					     "netDevices" };

int spec_parse_linux(struct spec_walk *w, json_t *root, struct scute_spec *spec)
{
	json_t *lx;

	if (walk_object(w, root, "", "linux", true, &lx) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(linux_refused) / sizeof(linux_refused[0]); i++)
		if (walk_refuse(w, lx, "linux", linux_refused[i]) < 0)
			return -1;
	if (parse_namespaces(w, lx, spec) < 0 ||
	    parse_idmaps(w, lx, "uidMappings", &spec->uid_maps, &spec->n_uid_maps) < 0 ||
	    parse_idmaps(w, lx, "gidMappings", &spec->gid_maps, &spec->n_gid_maps) < 0 ||
	    check_userns(w, spec) < 0 || parse_devices(w, lx, spec) < 0 ||
	    walk_string(w, lx, "linux", "cgroupsPath", false, &spec->cgroups_path) < 0 ||
	    spec_parse_mount_label(w, lx, spec) < 0 ||
	    spec_parse_resources(w, lx, &spec->resources) < 0 ||
	    parse_propagation(w, lx, spec) < 0 ||
	    walk_string_array(w, lx, "linux", "maskedPaths", &spec->masked_paths,
			      &spec->n_masked_paths) < 0 ||
	    walk_string_array(w, lx, "linux", "readonlyPaths", &spec->readonly_paths,
			      &spec->n_readonly_paths) < 0 ||
	    parse_sysctls(w, lx, spec) < 0 || parse_time_offsets(w, lx, spec) < 0)
		return -1;
	json_t *sc;
	if (walk_object(w, lx, "linux", "seccomp", false, &sc) < 0 ||
	    (sc && scute_seccomp_parse(sc, w->origin, &spec->seccomp, w->err) < 0))
		return -1;
	if (check_host_mountns(w, lx, spec) < 0)
		return -1;
	if (spec->hostname && *spec->hostname && !spec->ns[SCUTE_NS_UTS].present)
		return walk_fail(w, "hostname", "setting a hostname needs a uts namespace");
	if (spec->domainname && *spec->domainname && !spec->ns[SCUTE_NS_UTS].present)
		return walk_fail(w, "domainname", "setting a domainname needs a uts namespace");
	return 0;
}
