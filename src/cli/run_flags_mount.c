/* --mount: docker's comma-separated key=value form (CSV: a field may be
 * quoted, "" inside quotes is a quote) into a HostConfig.Mounts object,
 * with the checks dockerd makes of one (daemon/volumes, mounts/validate). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cleanup.h"
#include "run_flags_values.h"

/* The next CSV field of *p into out (at most size - 1 bytes); *p moves past
 * it and its comma. -1 on an unterminated quote or an overlong field. */
static int csv_field(const char **p, char *out, size_t size)
{
	const char *c = *p;
	size_t n = 0;
	bool quoted = *c == '"';

	c += quoted;
	for (; *c && (quoted || *c != ','); c++) {
		if (quoted && *c == '"') {
			if (c[1] != '"') {
				quoted = false;
				continue;
			}
			c++;
		}
		if (n + 1 >= size)
			return -1;
		out[n++] = *c;
	}
	if (quoted)
		return -1;
	out[n] = '\0';
	*p = *c ? c + 1 : c;
	return 0;
}

struct mount_opts {
	char type[16];
	json_t *m, *bind, *volume, *tmpfs;
};

static json_t *sub(json_t *m, json_t **slot, const char *key)
{
	if (!*slot && (*slot = json_object()) && json_object_set(m, key, *slot) < 0)
		return NULL;
	return *slot;
}

static int mount_bool(const char *flag, const char *spec, const char *key, const char *val,
		      bool *out, struct scute_err *err)
{
	if (!val)
		return *out = true, 0;
	if (cli_rf_bool(val, out) < 0)
		return scute_err_set(err, EINVAL, "%s: \"%s\": invalid boolean for %s: \"%s\"",
				     flag, spec, key, val);
	return 0;
}

/* One key of --mount; val is NULL for a bare key ("readonly"). */
static int mount_key(struct mount_opts *o, const char *flag, const char *spec, const char *key,
		     const char *val, struct scute_err *err)
{
	bool b;
	int64_t n;

	if (!strcmp(key, "readonly") || !strcmp(key, "ro")) {
		if (mount_bool(flag, spec, key, val, &b, err) < 0)
			return -1;
		return b ? cli_rf_put(o->m, "ReadOnly", json_true(), err) : 0;
	}
	if (!strcmp(key, "volume-nocopy")) {
		if (mount_bool(flag, spec, key, val, &b, err) < 0)
			return -1;
		return cli_rf_put(sub(o->m, &o->volume, "VolumeOptions"), "NoCopy", json_boolean(b),
				  err);
	}
	if (!val)
		return scute_err_set(err, EINVAL, "%s: \"%s\": field \"%s\" must be key=value",
				     flag, spec, key);
	if (!strcmp(key, "type")) {
		if (strcmp(val, "bind") && strcmp(val, "volume") && strcmp(val, "tmpfs"))
			return scute_err_set(
				err, EINVAL,
				"%s: \"%s\": unknown type \"%s\" (bind, volume or tmpfs)", flag,
				spec, val);
		snprintf(o->type, sizeof(o->type), "%s", val);
		return 0;
	}
	if (!strcmp(key, "source") || !strcmp(key, "src"))
		return cli_rf_put(o->m, "Source", json_string(val), err);
	if (!strcmp(key, "target") || !strcmp(key, "dst") || !strcmp(key, "destination"))
		return cli_rf_put(o->m, "Target", json_string(val), err);
	if (!strcmp(key, "bind-propagation")) {
		static const char *const p[] = { "shared",  "slave",  "private",
						 "rshared", "rslave", "rprivate" };
		for (size_t i = 0; i < sizeof(p) / sizeof(p[0]); i++)
			if (!strcmp(val, p[i]))
				return cli_rf_put(sub(o->m, &o->bind, "BindOptions"), "Propagation",
						  json_string(val), err);
		return scute_err_set(err, EINVAL, "%s: \"%s\": invalid bind-propagation \"%s\"",
				     flag, spec, val);
	}
	if (!strcmp(key, "volume-label")) {
		const char *eq = strchr(val, '=');
		auto_free char *k = strndup(val, eq ? (size_t)(eq - val) : strlen(val));
		if (!k || !*k)
			return scute_err_set(err, EINVAL, "%s: \"%s\": invalid volume-label \"%s\"",
					     flag, spec, val);
		return cli_rf_map_set(sub(o->m, &o->volume, "VolumeOptions"), "Labels", k,
				      eq ? eq + 1 : "", err);
	}
	if (!strcmp(key, "tmpfs-size")) {
		struct scute_err ignored;
		if (scute_parse_size(val, &n, &ignored) < 0 || n < 0)
			return scute_err_set(err, EINVAL, "%s: \"%s\": invalid size \"%s\"", flag,
					     spec, val);
		return cli_rf_put(sub(o->m, &o->tmpfs, "TmpfsOptions"), "SizeBytes",
				  json_integer(n), err);
	}
	if (!strcmp(key, "tmpfs-mode")) {
		char *end;
		unsigned long mode = strtoul(val, &end, 8);
		if (!*val || *end || *val == '-' || *val == '+' || mode > 07777)
			return scute_err_set(err, EINVAL, "%s: \"%s\": invalid octal mode \"%s\"",
					     flag, spec, val);
		return cli_rf_put(sub(o->m, &o->tmpfs, "TmpfsOptions"), "Mode",
				  json_integer((json_int_t)mode), err);
	}
	return scute_err_set(err, EINVAL, "%s: \"%s\": unexpected key \"%s\"", flag, spec, key);
}

/* What dockerd refuses of a parsed mount. */
static int mount_check(struct cli_rf *st, struct mount_opts *o, const char *flag, const char *spec,
		       struct scute_err *err)
{
	const char *src = json_string_value(json_object_get(o->m, "Source"));
	const char *dst = json_string_value(json_object_get(o->m, "Target"));
	const char *t = o->type;

	if (!dst || !*dst)
		return scute_err_set(err, EINVAL, "%s: \"%s\": target is required", flag, spec);
	if ((o->bind && strcmp(t, "bind")) || (o->volume && strcmp(t, "volume")) ||
	    (o->tmpfs && strcmp(t, "tmpfs")))
		return scute_err_set(err, EINVAL, "%s: \"%s\": options of another type than \"%s\"",
				     flag, spec, t);
	if (!strcmp(t, "bind") && (!src || cli_rf_abs_path(flag, "bind source", src, err) < 0))
		return src ? -1
			   : scute_err_set(err, EINVAL, "%s: \"%s\": a bind needs a source", flag,
					   spec);
	if (!strcmp(t, "tmpfs") && src)
		return scute_err_set(err, EINVAL, "%s: \"%s\": a tmpfs takes no source", flag,
				     spec);
	if (!strcmp(t, "volume") && src && *src && !cli_rf_volume_name(src))
		return scute_err_set(err, EINVAL,
				     "%s: \"%s\": \"%s\" is not a volume name "
				     "([a-zA-Z0-9][a-zA-Z0-9_.-]+)",
				     flag, spec, src);
	if (src && !*src && json_object_del(o->m, "Source") < 0)
		return -1;
	if (cli_rf_abs_path(flag, "target", dst, err) < 0 || cli_rf_target(st, flag, dst, err) < 0)
		return -1;
	return cli_rf_put(o->m, "Type", json_string(t), err);
}

int cli_rf_mount(struct cli_rf *st, const char *flag, const char *v, struct scute_err *err)
{
	struct mount_opts o = { .type = "volume" };
	auto_json json_t *m = json_object();
	char field[4096];
	const char *p = v;
	int rc = 0;

	if (!m)
		return scute_err_set(err, ENOMEM, "out of memory");
	o.m = m;
	while (*p && rc == 0) {
		char *eq;
		if (csv_field(&p, field, sizeof(field)) < 0) {
			rc = scute_err_set(err, EINVAL, "%s: \"%s\": invalid CSV", flag, v);
			break;
		}
		eq = strchr(field, '=');
		if (eq)
			*eq = '\0';
		rc = mount_key(&o, flag, v, field, eq ? eq + 1 : NULL, err);
	}
	if (rc == 0)
		rc = mount_check(st, &o, flag, v, err);
	json_decref(o.bind);
	json_decref(o.volume);
	json_decref(o.tmpfs);
	if (rc < 0)
		return -1;
	return cli_rf_append(st->r->host_config, "Mounts", scute_take_ptr(&m), err);
}
