/* run/create flags for what the container is given of the host or of its
 * own: -v (binds, named and anonymous volumes), --tmpfs, --device,
 * --device-cgroup-rule and --ulimit. --mount is run_flags_mount.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "run_flags_values.h"

bool cli_rf_volume_name(const char *s)
{
	/* docker's local volume names: [a-zA-Z0-9][a-zA-Z0-9_.-]+ */
	size_t n = strlen(s);

	if (n < 2 ||
	    strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") < 1)
		return false;
	return strspn(s + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") ==
	       n - 1;
}

/* -v's third part: each option once per kind, nocopy for volumes only. */
static int volume_mode(const char *flag, const char *spec, const char *mode, bool bind,
		       struct scute_err *err)
{
	static const struct {
		const char *name;
		int kind; /* 0 access, 1 SELinux label, 2 propagation, 3 copy */
	} modes[] = { { "ro", 0 },     { "rw", 0 },	  { "z", 1 },	    { "Z", 1 },
		      { "shared", 2 }, { "slave", 2 },	  { "private", 2 }, { "rshared", 2 },
		      { "rslave", 2 }, { "rprivate", 2 }, { "nocopy", 3 } };
	auto_free char *copy = strdup(mode);
	char *save = NULL;
	int seen[4] = { 0 };

	if (!copy)
		return scute_err_set(err, ENOMEM, "out of memory");
	for (char *o = strtok_r(copy, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
		int kind = -1;
		for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
			if (!strcmp(o, modes[i].name))
				kind = modes[i].kind;
		if (kind < 0 || seen[kind]++)
			return scute_err_set(err, EINVAL, "%s: \"%s\": invalid mode \"%s\"", flag,
					     spec, mode);
		if (kind == 3 && bind)
			return scute_err_set(err, EINVAL,
					     "%s: \"%s\": nocopy applies to named volumes only",
					     flag, spec);
		if (kind == 2 && !bind)
			return scute_err_set(err, EINVAL,
					     "%s: \"%s\": propagation applies to bind mounts only",
					     flag, spec);
	}
	if (!*mode || mode[strlen(mode) - 1] == ',')
		return scute_err_set(err, EINVAL, "%s: \"%s\": invalid mode \"%s\"", flag, spec,
				     mode);
	return 0;
}

/* "./dir" and "." are made absolute as docker's CLI makes them. */
static int bind_string(const char *flag, const char *src, const char *rest, char **out,
		       struct scute_err *err)
{
	char cwd[4096];
	const char *tail = src + 1, *base = cwd;

	if (src[0] == '/')
		return asprintf(out, "%s:%s", src, rest) < 0
			       ? scute_err_set(err, ENOMEM, "out of memory")
			       : 0;
	if (!getcwd(cwd, sizeof(cwd)))
		return scute_err_sys(err, "%s: the current directory", flag);
	if (!strcmp(cwd, "/"))
		base = *tail ? "" : "/";
	if (asprintf(out, "%s%s:%s", base, tail, rest) < 0)
		return scute_err_set(err, ENOMEM, "out of memory");
	return 0;
}

int cli_rf_volume(struct cli_rf *st, const char *flag, const char *v, struct scute_err *err)
{
	auto_free char *copy = strdup(v), *bind = NULL;
	char *parts[3], *save = NULL;
	size_t n = 0;
	json_t *vols;
	bool host;

	if (!copy)
		return scute_err_set(err, ENOMEM, "out of memory");
	if (!*v || strstr(v, "::") || v[0] == ':' || v[strlen(v) - 1] == ':')
		return scute_err_set(err, EINVAL, "%s: invalid volume specification \"%s\"", flag,
				     v);
	for (char *p = strtok_r(copy, ":", &save); p; p = strtok_r(NULL, ":", &save)) {
		if (n == 3)
			return scute_err_set(err, EINVAL,
					     "%s: invalid volume specification \"%s\": too many "
					     "parts",
					     flag, v);
		parts[n++] = p;
	}
	if (n == 0)
		return scute_err_set(err, EINVAL, "%s: invalid volume specification \"%s\"", flag,
				     v);
	if (n == 1) {
		if (cli_rf_abs_path(flag, "container path", parts[0], err) < 0 ||
		    cli_rf_target(st, flag, parts[0], err) < 0)
			return -1;
		vols = json_object_get(st->r->config, "Volumes");
		if (!vols && cli_rf_put(st->r->config, "Volumes", vols = json_object(), err) < 0)
			return -1;
		return cli_rf_put(vols, parts[0], json_object(), err);
	}
	host = parts[0][0] == '/' || !strcmp(parts[0], ".") || !strncmp(parts[0], "./", 2);
	if (host && strcmp(parts[0], ".") && parts[0][0] == '.' &&
	    cli_rf_abs_path(flag, "host path", parts[0] + 1, err) < 0)
		return scute_err_set(err, EINVAL, "%s: host path \"%s\" has a \"..\" part", flag,
				     parts[0]);
	if (host && parts[0][0] == '/' && cli_rf_abs_path(flag, "host path", parts[0], err) < 0)
		return -1;
	if (!host && !cli_rf_volume_name(parts[0]))
		return scute_err_set(
			err, EINVAL,
			"%s: \"%s\" is not a volume name ([a-zA-Z0-9][a-zA-Z0-9_.-]+); "
			"a host directory must be an absolute path",
			flag, parts[0]);
	if (cli_rf_abs_path(flag, "container path", parts[1], err) < 0 ||
	    (n == 3 && volume_mode(flag, v, parts[2], host, err) < 0) ||
	    cli_rf_target(st, flag, parts[1], err) < 0)
		return -1;
	if (!host)
		return cli_rf_append(st->r->host_config, "Binds", json_string(v), err);
	if (bind_string(flag, parts[0], strchr(v, ':') + 1, &bind, err) < 0)
		return -1;
	return cli_rf_append(st->r->host_config, "Binds", json_string(bind), err);
}

/* --tmpfs /path[:options]: the flags mount(8) takes and tmpfs's own. */
static bool tmpfs_option(const char *o)
{
	static const char *const flags[] = { "defaults",
					     "ro",
					     "rw",
					     "suid",
					     "nosuid",
					     "dev",
					     "nodev",
					     "exec",
					     "noexec",
					     "sync",
					     "async",
					     "dirsync",
					     "remount",
					     "mand",
					     "nomand",
					     "atime",
					     "noatime",
					     "diratime",
					     "nodiratime",
					     "relatime",
					     "norelatime",
					     "strictatime",
					     "nostrictatime",
					     "private",
					     "rprivate",
					     "shared",
					     "rshared",
					     "slave",
					     "rslave",
					     "unbindable",
					     "runbindable" };
	static const char *const data[] = { "size=",	  "mode=",	"uid=", "gid=",
					    "nr_inodes=", "nr_blocks=", "mpol=" };

	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (!strcmp(o, flags[i]))
			return true;
	for (size_t i = 0; i < sizeof(data) / sizeof(data[0]); i++)
		if (!strncmp(o, data[i], strlen(data[i])) && o[strlen(data[i])])
			return true;
	return false;
}

int cli_rf_tmpfs(struct cli_rf *st, const char *flag, const char *v, struct scute_err *err)
{
	const char *colon = strchr(v, ':');
	auto_free char *path = strndup(v, colon ? (size_t)(colon - v) : strlen(v));
	auto_free char *opts = strdup(colon ? colon + 1 : "");
	char *save = NULL;

	if (!path || !opts)
		/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc) auto_free: cleanup.h */
		return scute_err_set(err, ENOMEM, "out of memory");
	if (cli_rf_abs_path(flag, "path", path, err) < 0 || cli_rf_target(st, flag, path, err) < 0)
		return -1;
	if (colon && (!colon[1] || colon[strlen(colon) - 1] == ',' || strstr(colon, ",,")))
		return scute_err_set(err, EINVAL, "%s: \"%s\": empty option", flag, v);
	for (char *o = strtok_r(opts, ",", &save); o; o = strtok_r(NULL, ",", &save))
		if (!tmpfs_option(o))
			return scute_err_set(err, EINVAL, "%s: \"%s\": invalid tmpfs option \"%s\"",
					     flag, v, o);
	return cli_rf_map_set(st->r->host_config, "Tmpfs", path, colon ? colon + 1 : "", err);
}

static bool device_mode(const char *s)
{
	/* r, w and m, each at most once */
	return *s && strlen(s) <= 3 && strspn(s, "rwm") == strlen(s) &&
	       (strchr(s, 'r') == strrchr(s, 'r')) && (strchr(s, 'w') == strrchr(s, 'w')) &&
	       (strchr(s, 'm') == strrchr(s, 'm'));
}

/* --device HOST[:CTR][:rwm]; the warning names the cgroup rule it adds. */
int cli_rf_device(struct cli_rf *st, const char *flag, const char *v, struct scute_err *err)
{
	auto_free char *copy = strdup(v);
	char *parts[3] = { NULL }, *save = NULL;
	const char *host, *ctr, *perms = "rwm";
	size_t n = 0;
	struct stat sb;

	if (!copy)
		return scute_err_set(err, ENOMEM, "out of memory");
	if (!*v || strstr(v, "::") || v[strlen(v) - 1] == ':' || v[0] == ':')
		return scute_err_set(err, EINVAL, "%s: invalid device specification \"%s\"", flag,
				     v);
	for (char *p = strtok_r(copy, ":", &save); p; p = strtok_r(NULL, ":", &save)) {
		if (n == 3)
			return scute_err_set(err, EINVAL, "%s: invalid device specification \"%s\"",
					     flag, v);
		parts[n++] = p;
	}
	host = parts[0];
	ctr = parts[0];
	if (n == 2 && device_mode(parts[1]))
		perms = parts[1];
	else if (n >= 2)
		ctr = parts[1];
	if (n == 3)
		perms = parts[2];
	if (!device_mode(perms))
		return scute_err_set(err, EINVAL,
				     "%s: \"%s\": invalid permissions \"%s\" (r, w, m)", flag, v,
				     perms);
	if (cli_rf_abs_path(flag, "host device", host, err) < 0 ||
	    cli_rf_abs_path(flag, "container path", ctr, err) < 0)
		return -1;
	if (!host || stat(host, &sb) < 0)
		return scute_err_sys(err, "%s: %s", flag, host ? host : v);
	if (!S_ISCHR(sb.st_mode) && !S_ISBLK(sb.st_mode))
		return scute_err_set(err, EINVAL, "%s: %s is not a device node", flag, host);
	if (cli_rf_warn(st, err,
			"--device %s gives the container %s as %s: cgroup rule \"%c %u:%u %s\"", v,
			host, ctr, S_ISCHR(sb.st_mode) ? 'c' : 'b', major(sb.st_rdev),
			minor(sb.st_rdev), perms) < 0)
		return -1;
	return cli_rf_append(st->r->host_config, "Devices",
			     json_pack("{s:s,s:s,s:s}", "PathOnHost", host, "PathInContainer", ctr,
				       "CgroupPermissions", perms),
			     err);
}

/* "TYPE MAJOR:MINOR PERMS": a, b or c; numbers or *; r, w, m. */
int cli_rf_cgroup_rule(struct cli_rf *st, const char *flag, const char *v, struct scute_err *err)
{
	const char *p = v + 1;
	bool ok = (v[0] == 'a' || v[0] == 'b' || v[0] == 'c') && *p == ' ';

	for (int part = 0; ok && part < 2; part++) {
		p++;
		if (*p == '*')
			p++;
		else if (*p >= '0' && *p <= '9')
			p += strspn(p, "0123456789");
		else
			ok = false;
		ok = ok && *p == (part ? ' ' : ':');
	}
	if (!ok || !device_mode(p + 1))
		return scute_err_set(err, EINVAL,
				     "%s: invalid rule \"%s\" (like \"c 1:3 rwm\" or \"b *:* r\")",
				     flag, v);
	return cli_rf_append(st->r->host_config, "DeviceCgroupRules", json_string(v), err);
}

static int ulimit_value(const char *flag, const char *v, const char *s, int64_t *out,
			struct scute_err *err)
{
	if (scute_parse_int(s, -1, INT64_MAX, out, err) < 0)
		return scute_err_prefix(err, "%s: \"%s\"", flag, v);
	return 0;
}

/* --ulimit NAME=SOFT[:HARD]; a second one for NAME replaces the first. */
int cli_rf_ulimit(struct cli_rf *st, const char *flag, const char *v, struct scute_err *err)
{
	static const char *const names[] = {
		"core",	  "cpu",   "data", "fsize",  "locks",  "memlock",    "msgqueue", "nice",
		"nofile", "nproc", "rss",  "rtprio", "rttime", "sigpending", "stack"
	};
	const char *eq = strchr(v, '='), *colon = eq ? strchr(eq, ':') : NULL;
	auto_free char *name = eq ? strndup(v, (size_t)(eq - v)) : NULL;
	auto_free char *soft_s =
		eq ? strndup(eq + 1, colon ? (size_t)(colon - eq - 1) : strlen(eq + 1)) : NULL;
	int64_t soft, hard;
	bool known = false;
	json_t *list, *item;
	size_t i;

	if (!eq)
		return scute_err_set(err, EINVAL, "%s: \"%s\" is not NAME=SOFT[:HARD]", flag, v);
	if (!name || !soft_s)
		return scute_err_set(err, ENOMEM, "out of memory");
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		known |= !strcmp(name, names[i]);
	if (!known)
		return scute_err_set(err, EINVAL, "%s: unknown ulimit \"%s\"", flag, name);
	if (ulimit_value(flag, v, soft_s, &soft, err) < 0 ||
	    ulimit_value(flag, v, colon ? colon + 1 : soft_s, &hard, err) < 0)
		return -1;
	/* -1 is unlimited: above any number */
	if (hard != -1 && (soft == -1 || soft > hard))
		return scute_err_set(err, EINVAL,
				     "%s: \"%s\": the soft limit is above the hard one", flag, v);
	item = json_pack("{s:s,s:I,s:I}", "Name", name, "Soft", (json_int_t)soft, "Hard",
			 (json_int_t)hard);
	list = json_object_get(st->r->host_config, "Ulimits");
	for (i = 0; list && i < json_array_size(list); i++)
		if (!strcmp(json_string_value(json_object_get(json_array_get(list, i), "Name")),
			    name))
			return json_array_set_new(list, i, item) < 0
				       ? scute_err_set(err, ENOMEM, "out of memory")
				       : 0;
	return cli_rf_append(st->r->host_config, "Ulimits", item, err);
}
