/* The container's mounts beyond the base's (oci_config.h): -v binds and
 * volumes, --mount, --tmpfs, anonymous volumes, /dev/shm's size, the init
 * binary, /etc/hostname and /etc/hosts; and --device. Every destination is
 * resolved inside the root by libscute, never here. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "oci_config.h"

static int add_mount(json_t *spec, const char *dst, const char *type, const char *src, json_t *opts,
		     struct scute_err *err)
{
	json_t *m = json_pack("{s:s, s:s, s:s, s:o}", "destination", dst, "type", type, "source",
			      src, "options", opts ? opts : json_array());

	if (!m || json_array_append_new(json_object_get(spec, "mounts"), m) < 0)
		return scute_err_set(err, ENOMEM, "mounts: out of memory");
	return 0;
}

/* An absolute path with no ".." component. */
static bool abs_clean(const char *p)
{
	if (!p || p[0] != '/')
		return false;
	for (const char *c = p; (c = strstr(c, "..")); c += 2)
		if (c[-1] == '/' && (c[2] == '/' || c[2] == '\0'))
			return false;
	return true;
}

/* A volume's directory: from the caller's map at start; at create only
 * the destination is checked. */
static const char *volume_path(const struct scute_oci_inputs *in, const char *dst)
{
	return json_string_value(json_object_get(in->volume_paths, dst));
}

static int bind_or_volume(json_t *spec, const struct scute_oci_inputs *in, const char *where,
			  const char *src, const char *dst, json_t *opts, struct scute_err *err)
{
	const char *path = src;

	/* opts is this function's: released on every way out */
	if (!abs_clean(dst)) {
		json_decref(opts);
		return scute_err_set(err, EINVAL,
				     "%s: destination \"%.200s\" is not an absolute path", where,
				     dst);
	}
	if (!src || src[0] != '/') { /* a named or anonymous volume */
		path = volume_path(in, dst);
		if (!path) {
			json_decref(opts);
			if (!in->volume_paths)
				return 0;
			return scute_err_set(err, ENOENT, "%s: no volume for %.200s", where, dst);
		}
	}
	json_array_insert_new(opts, 0, json_string("rbind"));
	return add_mount(spec, dst, "bind", path, opts, err);
}

/* ---- -v HOST:CTR[:OPTS] and NAME:CTR[:OPTS] ---------------------------------- */

static const char *const bind_opts[] = { "ro",	    "rw",     "shared",	  "slave",  "private",
					 "rshared", "rslave", "rprivate", "nocopy", NULL };

static int bind_options(const char *where, const char *text, json_t *opts, bool selinux,
			struct scute_err *err)
{
	auto_free char *copy = strdup(text ? text : "");
	char *save = NULL;

	if (!copy)
		return scute_err_set(err, ENOMEM, "out of memory");
	for (char *o = strtok_r(copy, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
		size_t k = 0;

		if (!strcmp(o, "z") || !strcmp(o, "Z")) {
			if (!selinux)
				return scute_err_set(
					err, EOPNOTSUPP,
					"%s: option %s relabels for SELinux, which is not "
					"enabled on this host",
					where, o);
			continue;
		}
		while (bind_opts[k] && strcmp(bind_opts[k], o))
			k++;
		if (!bind_opts[k])
			return scute_err_set(err, EINVAL, "%s: invalid option \"%.50s\"", where, o);
		if (strcmp(o, "nocopy"))
			json_array_append_new(opts, json_string(o));
	}
	return 0;
}

static int binds(json_t *spec, const struct scute_oci_inputs *in, struct scute_err *err)
{
	json_t *list = json_object_get(in->c->host_config, "Binds"), *v;
	size_t i;

	json_array_foreach(list, i, v)
	{
		auto_free char *copy = json_string_value(v) ? strdup(json_string_value(v)) : NULL;
		char where[64], *dst, *opts_text;
		json_t *opts = json_array();

		snprintf(where, sizeof(where), "HostConfig.Binds[%zu]", i);
		dst = copy ? strchr(copy, ':') : NULL;
		if (!dst || !opts) {
			json_decref(opts);
			return scute_err_set(err, EINVAL, "%s: not SOURCE:DESTINATION[:OPTIONS]",
					     where);
		}
		*dst++ = '\0';
		opts_text = strchr(dst, ':');
		if (opts_text)
			*opts_text++ = '\0';
		if (bind_options(where, opts_text, opts, in->d->selinux_enabled, err) < 0) {
			json_decref(opts);
			return -1;
		}
		if (bind_or_volume(spec, in, where, copy, dst, opts, err) < 0)
			return -1;
	}
	return 0;
}

/* ---- --mount ---------------------------------------------------------------- */

static int tmpfs_mount(json_t *spec, const char *where, const char *dst, json_t *tmpfs_opts,
		       bool ro, struct scute_err *err)
{
	json_t *opts = json_pack("[s,s,s]", "nosuid", "nodev", "noexec");
	json_int_t size = json_integer_value(json_object_get(tmpfs_opts, "SizeBytes"));
	json_int_t mode = json_integer_value(json_object_get(tmpfs_opts, "Mode"));
	char buf[64];

	if (!abs_clean(dst) || size < 0 || mode < 0 || mode > 07777) {
		json_decref(opts);
		return scute_err_set(err, EINVAL, "%s: invalid tmpfs mount at \"%.200s\"", where,
				     dst ? dst : "");
	}
	if (size > 0) {
		snprintf(buf, sizeof(buf), "size=%lld", (long long)size);
		json_array_append_new(opts, json_string(buf));
	}
	if (mode > 0) {
		snprintf(buf, sizeof(buf), "mode=%llo", (long long)mode);
		json_array_append_new(opts, json_string(buf));
	}
	if (ro)
		json_array_append_new(opts, json_string("ro"));
	return add_mount(spec, dst, "tmpfs", "tmpfs", opts, err);
}

static int one_mount(json_t *spec, const struct scute_oci_inputs *in, json_t *m, size_t i,
		     struct scute_err *err)
{
	const char *type = json_string_value(json_object_get(m, "Type"));
	const char *src = json_string_value(json_object_get(m, "Source"));
	const char *dst = json_string_value(json_object_get(m, "Target"));
	bool ro = json_is_true(json_object_get(m, "ReadOnly"));
	const char *prop = json_string_value(
		json_object_get(json_object_get(m, "BindOptions"), "Propagation"));
	char where[64];
	json_t *opts;

	snprintf(where, sizeof(where), "HostConfig.Mounts[%zu]", i);
	if (!type || !dst)
		return scute_err_set(err, EINVAL, "%s: Type and Target are required", where);
	if (!strcmp(type, "tmpfs"))
		return tmpfs_mount(spec, where, dst, json_object_get(m, "TmpfsOptions"), ro, err);
	if (strcmp(type, "bind") && strcmp(type, "volume"))
		return scute_err_set(err, EINVAL, "%s: unsupported type \"%.50s\"", where, type);
	if (!strcmp(type, "bind") && (!src || src[0] != '/'))
		return scute_err_set(err, EINVAL,
				     "%s: a bind mount's Source must be an absolute path", where);
	if (!strcmp(type, "volume") && src && src[0] == '/')
		return scute_err_set(err, EINVAL, "%s: a volume's Source is a name, not a path",
				     where);
	opts = json_array();
	if (ro)
		json_array_append_new(opts, json_string("ro"));
	if (prop && prop[0] && bind_options(where, prop, opts, false, err) < 0) {
		json_decref(opts);
		return -1;
	}
	return bind_or_volume(spec, in, where, !strcmp(type, "bind") ? src : NULL, dst, opts, err);
}

static int mounts(json_t *spec, const struct scute_oci_inputs *in, struct scute_err *err)
{
	size_t i;
	json_t *m;

	json_array_foreach(json_object_get(in->c->host_config, "Mounts"), i,
			   m) if (one_mount(spec, in, m, i, err) < 0) return -1;
	return 0;
}

/* ---- --tmpfs /path[:opts] and anonymous volumes -------------------------------- */

static int tmpfs_map(json_t *spec, const struct scute_oci_inputs *in, struct scute_err *err)
{
	const char *dst;
	json_t *v;

	json_object_foreach(json_object_get(in->c->host_config, "Tmpfs"), dst, v)
	{
		json_t *opts = json_pack("[s,s,s]", "nosuid", "nodev", "noexec");
		auto_free char *copy = strdup(json_string_value(v) ? json_string_value(v) : "");
		char *save = NULL;

		if (!abs_clean(dst) || !copy) {
			json_decref(opts);
			return scute_err_set(err, EINVAL,
					     "HostConfig.Tmpfs: invalid path \"%.200s\"", dst);
		}
		for (char *o = strtok_r(copy, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
			/* the runtime takes these for a bind of "tmpfs" in the bundle */
			if (!strcmp(o, "bind") || !strcmp(o, "rbind")) {
				json_decref(opts);
				return scute_err_set(
					err, EINVAL,
					"HostConfig.Tmpfs: %.200s: invalid option \"%s\"", dst, o);
			}
			json_array_append_new(opts, json_string(o));
		}
		if (add_mount(spec, dst, "tmpfs", "tmpfs", opts, err) < 0)
			return -1;
	}
	return 0;
}

/* The same path but for trailing slashes ("/data/" is "/data"). */
static bool same_path(const char *a, size_t alen, const char *b)
{
	size_t blen = strlen(b);

	while (alen > 1 && a[alen - 1] == '/')
		alen--;
	while (blen > 1 && b[blen - 1] == '/')
		blen--;
	return alen == blen && !strncmp(a, b, alen);
}

bool scute_oci_mounted_at(json_t *host_config, const char *dst)
{
	json_t *v;
	const char *key;
	size_t i;

	json_array_foreach(json_object_get(host_config, "Binds"), i, v)
	{
		const char *b = json_string_value(v), *d = b ? strchr(b, ':') : NULL;

		if (d && same_path(d + 1, strcspn(d + 1, ":"), dst))
			return true;
	}
	json_array_foreach(json_object_get(host_config, "Mounts"), i, v)
	{
		const char *t = json_string_value(json_object_get(v, "Target"));

		if (t && same_path(t, strlen(t), dst))
			return true;
	}
	json_object_foreach(json_object_get(host_config, "Tmpfs"), key,
			    v) if (same_path(key, strlen(key), dst)) return true;
	return false;
}

static int anonymous_volumes(json_t *spec, const struct scute_oci_inputs *in, struct scute_err *err)
{
	const char *dst;
	json_t *v;

	json_object_foreach(json_object_get(in->c->config, "Volumes"), dst, v)
	{
		if (scute_oci_mounted_at(in->c->host_config, dst))
			continue;
		if (bind_or_volume(spec, in, "Config.Volumes", NULL, dst, json_array(), err) < 0)
			return -1;
	}
	return 0;
}

/* ---- /dev/shm, the init, hostname and hosts ------------------------------------ */

static json_t *find_mount(json_t *spec, const char *dst, size_t *index)
{
	size_t i;
	json_t *m;

	json_array_foreach(
		json_object_get(spec, "mounts"), i,
		m) if (!strcmp(json_string_value(json_object_get(m, "destination")), dst))
	{
		*index = i;
		return m;
	}
	return NULL;
}

static int shm(json_t *spec, const struct scute_oci_inputs *in, struct scute_err *err)
{
	json_t *host = in->c->host_config;
	const char *ipc = json_string_value(json_object_get(host, "IpcMode"));
	json_int_t size = json_integer_value(json_object_get(host, "ShmSize"));
	size_t index = 0, i;
	json_t *m = find_mount(spec, "/dev/shm", &index), *opt;
	char buf[64];

	if (!m)
		return 0;
	if (ipc && !strcmp(ipc, "none"))
		return json_array_remove(json_object_get(spec, "mounts"), index);
	if (ipc && !strcmp(ipc, "host"))
		return json_array_set_new(json_object_get(spec, "mounts"), index,
					  json_pack("{s:s, s:s, s:s, s:[s,s,s,s]}", "destination",
						    "/dev/shm", "type", "bind", "source",
						    "/dev/shm", "options", "rbind", "nosuid",
						    "nodev", "noexec"));
	if (size < 0)
		return scute_err_set(err, EINVAL, "HostConfig.ShmSize: negative");
	if (size == 0)
		return 0;
	json_array_foreach(json_object_get(m, "options"), i,
			   opt) if (!strncmp(json_string_value(opt), "size=", 5))
	{
		snprintf(buf, sizeof(buf), "size=%lldk", (long long)((size + 1023) / 1024));
		json_array_set_new(json_object_get(m, "options"), i, json_string(buf));
	}
	return 0;
}

static int write_file(const char *dir, const char *name, const char *text, char *path, size_t size,
		      struct scute_err *err)
{
	auto_fd int fd = -1;
	size_t len = strlen(text);

	snprintf(path, size, "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0 || write(fd, text, len) != (ssize_t)len)
		return scute_err_sys(err, "write %s", path);
	return 0;
}

/* A copy of the host's FILE (at most 64 KiB) into the container's
 * directory, bound at DEST: with the host's network, its hosts and
 * resolv.conf, as docker gives them. A host without one gives none. */
static int host_copy(json_t *spec, const struct scute_oci_inputs *in, const char *file,
		     const char *name, const char *dest, struct scute_err *err)
{
	auto_fclose FILE *f = fopen(file, "re");
	char text[65536], path[PATH_MAX];
	size_t n;

	if (!f)
		return 0;
	n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = '\0';
	if (write_file(in->run_dir, name, text, path, sizeof(path), err) < 0)
		return -1;
	return add_mount(spec, dest, "bind", path, json_pack("[s,s,s]", "rbind", "nosuid", "nodev"),
			 err);
}

/* docker's /etc/hostname and /etc/hosts, in the container's directory
 * (with the host's network: the host's hosts and resolv.conf). */
static int etc_files(json_t *spec, const struct scute_oci_inputs *in, struct scute_err *err)
{
	const char *host = json_string_value(json_object_get(spec, "hostname"));
	const char *net = json_string_value(json_object_get(in->c->host_config, "NetworkMode"));
	bool host_net = net && !strcmp(net, "host");
	char text[1024], path[PATH_MAX];

	if (!in->run_dir)
		return 0;
	if (host) {
		snprintf(text, sizeof(text), "%s\n", host);
		if (write_file(in->run_dir, "hostname", text, path, sizeof(path), err) < 0 ||
		    add_mount(spec, "/etc/hostname", "bind", path,
			      json_pack("[s,s,s]", "rbind", "nosuid", "nodev"), err) < 0)
			return -1;
	}
	if (host_net)
		return host_copy(spec, in, "/etc/hosts", "hosts", "/etc/hosts", err) < 0 ||
				       host_copy(spec, in, "/etc/resolv.conf", "resolv.conf",
						 "/etc/resolv.conf", err) < 0
			       ? -1
			       : 0;
	snprintf(text, sizeof(text),
		 "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n%s%s%s",
		 host ? "127.0.1.1\t" : "", host ? host : "", host ? "\n" : "");
	if (write_file(in->run_dir, "hosts", text, path, sizeof(path), err) < 0)
		return -1;
	return add_mount(spec, "/etc/hosts", "bind", path,
			 json_pack("[s,s,s]", "rbind", "nosuid", "nodev"), err);
}

static int init_binary(json_t *spec, const struct scute_oci_inputs *in, struct scute_err *err)
{
	if (!json_is_true(json_object_get(in->c->host_config, "Init")))
		return 0;
	if (!in->d->init_path)
		return scute_err_set(err, ENOENT,
				     "--init: no init binary (engine config init-path)");
	if (in->rootfd >= 0 && access(in->d->init_path, X_OK) < 0)
		return scute_err_sys(err, "--init: %s", in->d->init_path);
	return add_mount(spec, SCUTE_INIT_DESTINATION, "bind", in->d->init_path,
			 json_pack("[s,s,s]", "bind", "ro", "nosuid"), err);
}

/* ---- --device and --device-cgroup-rule ----------------------------------------- */

static int device_rule(json_t *spec, bool allow, const char *type, json_int_t major,
		       json_int_t minor, const char *access, struct scute_err *err)
{
	json_t *lx = json_object_get(spec, "linux");
	json_t *res = json_object_get(lx, "resources");
	json_t *rule = json_pack("{s:b, s:s, s:s}", "allow", allow, "type", type, "access", access);

	if (!res) {
		res = json_object();
		json_object_set_new(lx, "resources", res);
	}
	if (!json_object_get(res, "devices"))
		json_object_set_new(res, "devices", json_array());
	if (!rule)
		return scute_err_set(err, ENOMEM, "devices: out of memory");
	if (major >= 0)
		json_object_set_new(rule, "major", json_integer(major));
	if (minor >= 0)
		json_object_set_new(rule, "minor", json_integer(minor));
	return json_array_append_new(json_object_get(res, "devices"), rule);
}

static int one_device(json_t *spec, json_t *d, size_t i, struct scute_err *err)
{
	const char *host = json_string_value(json_object_get(d, "PathOnHost"));
	const char *ctr = json_string_value(json_object_get(d, "PathInContainer"));
	const char *perms = json_string_value(json_object_get(d, "CgroupPermissions"));
	struct stat st;
	json_t *dev;

	if (!host || stat(host, &st) < 0)
		return scute_err_sys(err, "HostConfig.Devices[%zu]: %.200s", i,
				     host ? host : "(none)");
	if (!S_ISCHR(st.st_mode) && !S_ISBLK(st.st_mode))
		return scute_err_set(err, EINVAL,
				     "HostConfig.Devices[%zu]: %.200s is not a device node", i,
				     host);
	if (!ctr || !ctr[0])
		ctr = host;
	if (!perms || !perms[0])
		perms = "rwm";
	if (!abs_clean(ctr) || strspn(perms, "rwm") != strlen(perms))
		return scute_err_set(err, EINVAL,
				     "HostConfig.Devices[%zu]: invalid device \"%.200s\"", i, ctr);
	dev = json_pack("{s:s, s:s, s:I, s:I, s:i, s:i, s:i}", "path", ctr, "type",
			S_ISCHR(st.st_mode) ? "c" : "b", "major", (json_int_t)major(st.st_rdev),
			"minor", (json_int_t)minor(st.st_rdev), "fileMode",
			(int)(st.st_mode & 0777), "uid", 0, "gid", 0);
	if (!json_object_get(json_object_get(spec, "linux"), "devices"))
		json_object_set_new(json_object_get(spec, "linux"), "devices", json_array());
	json_array_append_new(json_object_get(json_object_get(spec, "linux"), "devices"), dev);
	return device_rule(spec, true, S_ISCHR(st.st_mode) ? "c" : "b", major(st.st_rdev),
			   minor(st.st_rdev), perms, err);
}

/* "c 1:3 rwm", "b *:* r", "a": docker's --device-cgroup-rule. */
static int cgroup_rule(json_t *spec, const char *rule, size_t i, struct scute_err *err)
{
	char type = 0, maj[16] = "", min[16] = "", access[8] = "rwm";
	int n = rule ? sscanf(rule, "%c %15[0-9*]:%15[0-9*] %7s", &type, maj, min, access) : 0;
	json_int_t ma = -1, mi = -1;

	if (n == 1 && type == 'a' && rule[1] == '\0')
		return device_rule(spec, true, "a", -1, -1, "rwm", err);
	if (n < 3 || !strchr("cba", type) || strspn(access, "rwm") != strlen(access))
		return scute_err_set(err, EINVAL,
				     "HostConfig.DeviceCgroupRules[%zu]: invalid rule \"%.100s\"",
				     i, rule ? rule : "");
	if (strcmp(maj, "*"))
		ma = strtoll(maj, NULL, 10);
	if (strcmp(min, "*"))
		mi = strtoll(min, NULL, 10);
	return device_rule(spec, true, (char[]){ type, 0 }, ma, mi, access, err);
}

static int add_node(json_t *spec, const char *path, const struct stat *st, struct scute_err *err)
{
	json_t *lx = json_object_get(spec, "linux");
	json_t *dev = json_pack(
		"{s:s, s:s, s:I, s:I, s:i, s:i, s:i}", "path", path, "type",
		S_ISCHR(st->st_mode) ? "c" : "b", "major", (json_int_t)major(st->st_rdev), "minor",
		(json_int_t)minor(st->st_rdev), "fileMode", (int)(st->st_mode & 0777), "uid",
		(int)st->st_uid, "gid", (int)st->st_gid);

	if (!dev)
		return scute_err_set(err, ENOMEM, "devices: out of memory");
	if (!json_object_get(lx, "devices"))
		json_object_set_new(lx, "devices", json_array());
	return json_array_append_new(json_object_get(lx, "devices"), dev);
}

/* The nodes the runtime makes itself, and the trees that are mounts of
 * their own in a container (devpts, shm, mqueue). */
static bool own_node(const char *name)
{
	static const char *const own[] = { "null",   "zero", "full",	"random", "urandom",
					   "tty",    "ptmx", "console", "pts",	  "shm",
					   "mqueue", "fd",   "stdin",	"stdout", "stderr" };

	for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++)
		if (!strcmp(name, own[i]))
			return true;
	return false;
}

/* --privileged: every device node of the host's /dev and of its
 * directories one level down (/dev/net/tun, /dev/mapper/...), as docker
 * gives them; symlinks are not followed. */
static int host_devices(json_t *spec, const char *dir, int depth, struct scute_err *err)
{
	auto_closedir DIR *d = opendir(dir);
	struct dirent *e;
	char path[PATH_MAX];
	struct stat st;

	if (!d)
		return depth ? 0 : scute_err_sys(err, "--privileged: %s", dir);
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || (depth == 0 && own_node(e->d_name)) ||
		    fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if ((S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) &&
		    add_node(spec, path, &st, err) < 0)
			return -1;
		if (S_ISDIR(st.st_mode) && depth == 0 && host_devices(spec, path, 1, err) < 0)
			return -1;
	}
	return 0;
}

static int devices(json_t *spec, const struct scute_oci_inputs *in, struct scute_err *err)
{
	json_t *host = in->c->host_config, *v;
	size_t i;

	if (json_is_true(json_object_get(host, "Privileged")) &&
	    (device_rule(spec, true, "a", -1, -1, "rwm", err) < 0 ||
	     (in->rootfd >= 0 && host_devices(spec, "/dev", 0, err) < 0)))
		return -1;
	json_array_foreach(json_object_get(host, "Devices"), i,
			   v) if (one_device(spec, v, i, err) < 0) return -1;
	json_array_foreach(json_object_get(host, "DeviceCgroupRules"), i,
			   v) if (cgroup_rule(spec, json_string_value(v), i, err) < 0) return -1;
	return 0;
}

/* ---- order ------------------------------------------------------------------ */

static size_t depth(json_t *m)
{
	const char *p = json_string_value(json_object_get(m, "destination"));
	size_t n = 0;

	for (size_t i = 0; p && p[i]; i++)
		n += p[i] != '/' && (i == 0 || p[i - 1] == '/');
	return n;
}

/* The request's mounts, parents before what goes below them, as docker
 * sorts them: in the order they were added, an image's VOLUME /data came
 * after -v HOST:/data/sub:ro and hid it. Stable, and only from `from` on:
 * the base's mounts keep their place and order. */
static void parents_first(json_t *list, size_t from)
{
	for (size_t i = from + 1; i < json_array_size(list); i++)
		for (size_t j = i; j > from && depth(json_array_get(list, j - 1)) >
						       depth(json_array_get(list, j));
		     j--) {
			json_t *prev = json_incref(json_array_get(list, j - 1));

			json_array_set(list, j - 1, json_array_get(list, j));
			json_array_set_new(list, j, prev);
		}
}

int scute_oci_mounts(json_t *spec, const struct scute_oci_inputs *in, struct scute_err *err)
{
	size_t from;

	if (shm(spec, in, err) < 0)
		return -1;
	from = json_array_size(json_object_get(spec, "mounts"));
	if (etc_files(spec, in, err) < 0 || init_binary(spec, in, err) < 0 ||
	    binds(spec, in, err) < 0 || mounts(spec, in, err) < 0 || tmpfs_map(spec, in, err) < 0 ||
	    anonymous_volumes(spec, in, err) < 0 || devices(spec, in, err) < 0)
		return -1;
	parents_first(json_object_get(spec, "mounts"), from);
	return 0;
}
