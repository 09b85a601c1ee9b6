/* The record → OCI config derivation (oci_config.h): the process, the
 * root, names, rlimits, sysctls and resources here; security, mounts and
 * namespaces in their own files. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "oci_config.h"
#include "oci_resources.h"
#include "user_lookup.h"

static int string_array(json_t *into, json_t *from, const char *where, struct scute_err *err)
{
	size_t i;
	json_t *v;

	if (from && !json_is_array(from) && !json_is_null(from))
		return scute_err_set(err, EINVAL, "%s: not an array", where);
	json_array_foreach(from, i, v)
	{
		if (!json_is_string(v))
			return scute_err_set(err, EINVAL, "%s[%zu]: not a string", where, i);
		json_array_append(into, v);
	}
	return 0;
}

/* Entrypoint then Cmd, behind the init with --init. */
static int process_args(json_t *process, const struct scute_container *c, struct scute_err *err)
{
	json_t *args = json_array();

	if (!args)
		return scute_err_set(err, ENOMEM, "out of memory");
	json_object_set_new(process, "args", args);
	if (json_is_true(json_object_get(c->host_config, "Init"))) {
		json_array_append_new(args, json_string(SCUTE_INIT_DESTINATION));
		json_array_append_new(args, json_string("--"));
	}
	if (string_array(args, json_object_get(c->config, "Entrypoint"), "Config.Entrypoint", err) <
		    0 ||
	    string_array(args, json_object_get(c->config, "Cmd"), "Config.Cmd", err) < 0)
		return -1;
	if (json_array_size(args) ==
	    (json_is_true(json_object_get(c->host_config, "Init")) ? 2 : 0))
		return scute_err_set(err, EINVAL,
				     "no command specified (Config.Cmd and Entrypoint)");
	return 0;
}

static bool env_has(json_t *env, const char *name)
{
	size_t n = strlen(name), i;
	json_t *v;

	json_array_foreach(env, i, v) if (!strncmp(json_string_value(v), name, n) &&
					  json_string_value(v)[n] == '=') return true;
	return false;
}

static void env_add(json_t *env, const char *name, const char *value)
{
	char buf[512];

	if (env_has(env, name))
		return;
	snprintf(buf, sizeof(buf), "%s=%s", name, value);
	json_array_append_new(env, json_string(buf));
}

/* Config.Env (the image's, merged at create), then what docker adds:
 * PATH when missing, HOSTNAME, HOME from the user, TERM with a tty. */
static int process_env(json_t *process, const struct scute_container *c, const char *hostname,
		       const char *home, struct scute_err *err)
{
	json_t *env = json_array();
	size_t i;
	json_t *v;

	if (!env)
		return scute_err_set(err, ENOMEM, "out of memory");
	json_object_set_new(process, "env", env);
	if (string_array(env, json_object_get(c->config, "Env"), "Config.Env", err) < 0)
		return -1;
	json_array_foreach(env, i, v) if (
		!strchr(json_string_value(v), '=') ||
		json_string_value(v)[0] ==
			'=') return scute_err_set(err, EINVAL,
						  "Config.Env[%zu]: not NAME=VALUE: \"%.100s\"", i,
						  json_string_value(v));
	env_add(env, "PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
	if (hostname)
		env_add(env, "HOSTNAME", hostname);
	if (home)
		env_add(env, "HOME", home);
	if (json_is_true(json_object_get(c->config, "Tty")))
		env_add(env, "TERM", "xterm");
	return 0;
}

static int process_user(json_t *process, const struct scute_oci_inputs *in, char *home,
			size_t home_size, struct scute_err *err)
{
	const char *user = json_string_value(json_object_get(in->c->config, "User"));
	json_t *group_add = json_object_get(in->c->host_config, "GroupAdd");
	struct scute_user u;
	json_t *groups, *ju;

	if (group_add && !json_is_array(group_add) && !json_is_null(group_add))
		return scute_err_set(err, EINVAL, "HostConfig.GroupAdd: not an array");
	if (in->rootfd < 0) /* names are looked up in the root at start */
		return 0;
	if (scute_user_resolve(in->rootfd, user, group_add, &u, err) < 0)
		return -1;
	groups = json_array();
	for (size_t i = 0; groups && i < u.n_groups; i++)
		json_array_append_new(groups, json_integer(u.groups[i]));
	ju = json_pack("{s:I, s:I, s:o}", "uid", (json_int_t)u.uid, "gid", (json_int_t)u.gid,
		       "additionalGids", groups);
	snprintf(home, home_size, "%s", u.home);
	scute_user_clear(&u);
	if (!ju)
		return scute_err_set(err, ENOMEM, "out of memory");
	return json_object_set_new(process, "user", ju);
}

static int process_cwd(json_t *process, const struct scute_container *c, struct scute_err *err)
{
	const char *wd = json_string_value(json_object_get(c->config, "WorkingDir"));

	if (!wd || !wd[0])
		return 0;
	if (wd[0] != '/')
		return scute_err_set(err, EINVAL,
				     "Config.WorkingDir: \"%.200s\" is not an absolute path", wd);
	return json_object_set_new(process, "cwd", json_string(wd));
}

/* ---- rlimits ---------------------------------------------------------------- */

static int rlimit_type(const char *name, char *type, size_t size)
{
	static const char *const kinds[] = { "core",	"cpu",	    "data",   "fsize",	    "locks",
					     "memlock", "msgqueue", "nice",   "nofile",	    "nproc",
					     "rss",	"rtprio",   "rttime", "sigpending", "stack",
					     "as",	NULL };

	for (size_t i = 0; kinds[i]; i++)
		if (name && !strcmp(name, kinds[i])) {
			snprintf(type, size, "RLIMIT_%s", name);
			for (char *p = type; *p; p++)
				*p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
			return 0;
		}
	return -1;
}

static int rlimits(json_t *process, const struct scute_container *c, struct scute_err *err)
{
	json_t *list = json_object_get(process, "rlimits"), *u, *r;
	size_t i, j;

	if (!list) {
		list = json_array();
		json_object_set_new(process, "rlimits", list);
	}
	json_array_foreach(json_object_get(c->host_config, "Ulimits"), i, u)
	{
		char type[32];
		json_int_t soft = json_integer_value(json_object_get(u, "Soft"));
		json_int_t hard = json_integer_value(json_object_get(u, "Hard"));
		const char *name = json_string_value(json_object_get(u, "Name"));

		if (rlimit_type(name, type, sizeof(type)) < 0 || soft < 0 || hard < 0 ||
		    soft > hard)
			return scute_err_set(err, EINVAL,
					     "HostConfig.Ulimits[%zu]: invalid ulimit %.50s", i,
					     name ? name : "(no name)");
		json_array_foreach(
			list, j,
			r) if (!strcmp(json_string_value(json_object_get(r, "type")), type)) break;
		r = json_pack("{s:s, s:I, s:I}", "type", type, "soft", soft, "hard", hard);
		if (j < json_array_size(list))
			json_array_set_new(list, j, r);
		else
			json_array_append_new(list, r);
	}
	return 0;
}

/* ---- the rest of linux ------------------------------------------------------ */

static int sysctls_and_resources(json_t *spec, const struct scute_container *c,
				 struct scute_err *err)
{
	json_t *lx = json_object_get(spec, "linux");
	json_t *sysctls = json_object_get(c->host_config, "Sysctls");
	json_t *res = json_object_get(lx, "resources");
	auto_json json_t *limits = scute_oci_resources_from_host_config(c->host_config, err);
	json_t *score = json_object_get(c->host_config, "OomScoreAdj");

	if (!limits)
		return -1;
	if (json_is_object(sysctls) && json_object_size(sysctls))
		json_object_set(lx, "sysctl", sysctls);
	else if (sysctls && !json_is_object(sysctls) && !json_is_null(sysctls))
		return scute_err_set(err, EINVAL, "HostConfig.Sysctls: not an object");
	if (!res) {
		res = json_object();
		json_object_set_new(lx, "resources", res);
	}
	json_object_update(res, limits);
	if (json_integer_value(score)) {
		if (json_integer_value(score) < -1000 || json_integer_value(score) > 1000)
			return scute_err_set(err, EINVAL,
					     "HostConfig.OomScoreAdj: %lld is not in -1000..1000",
					     (long long)json_integer_value(score));
		json_object_set(json_object_get(spec, "process"), "oomScoreAdj", score);
	}
	return 0;
}

/* A field of the wrong type would read as unset: ReadonlyRootfs 1 as a
 * writable root, User 1000 as root. Refused instead; null is unset. */
static int field_types(const struct scute_container *c, struct scute_err *err)
{
	static const char *const bools[] = { "ReadonlyRootfs", "Privileged", "Init", NULL };
	static const char *const strings[] = { "User",	     "WorkingDir", "Hostname",
					       "Domainname", "StopSignal", NULL };
	json_t *v;

	for (size_t i = 0; bools[i]; i++)
		if ((v = json_object_get(c->host_config, bools[i])) && !json_is_null(v) &&
		    !json_is_boolean(v))
			return scute_err_set(err, EINVAL, "HostConfig.%s: not a boolean", bools[i]);
	for (size_t i = 0; strings[i]; i++)
		if ((v = json_object_get(c->config, strings[i])) && !json_is_null(v) &&
		    !json_is_string(v))
			return scute_err_set(err, EINVAL, "Config.%s: not a string", strings[i]);
	return 0;
}

/* An image's StopSignal that is no signal would make every stop fail, the
 * container left running: refused before the record exists. */
static int stop_signal(const struct scute_container *c, struct scute_err *err)
{
	const char *stop = json_string_value(json_object_get(c->config, "StopSignal"));
	int sig;

	if (stop && stop[0] && scute_parse_signal(stop, &sig, err) < 0)
		return scute_err_prefix(err, "Config.StopSignal");
	return 0;
}

#define HOSTNAME_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_"

void scute_container_hostname(const struct scute_container *c, char *out, size_t size)
{
	const char *host = json_string_value(json_object_get(c->config, "Hostname"));
	const char *net = json_string_value(json_object_get(c->host_config, "NetworkMode"));
	char name[HOST_NAME_MAX + 1] = "";

	if (host && host[0])
		snprintf(out, size, "%s", host);
	else if (net && !strcmp(net, "host") && gethostname(name, sizeof(name)) == 0 && name[0] &&
		 strspn(name, HOSTNAME_CHARS) == strlen(name))
		snprintf(out, size, "%s", name);
	else
		snprintf(out, size, "%.12s", c->id);
}

static int names(json_t *spec, const struct scute_container *c, struct scute_err *err)
{
	const char *host = json_string_value(json_object_get(c->config, "Hostname"));
	const char *domain = json_string_value(json_object_get(c->config, "Domainname"));
	char given[HOST_NAME_MAX + 1];
	if (host && strlen(host) > 63)
		return scute_err_set(err, EINVAL, "Config.Hostname: longer than 63 characters");
	/* it becomes a line of /etc/hosts and HOSTNAME: a newline or a space
	 * would add entries of the caller's choosing */
	if (host && strspn(host, HOSTNAME_CHARS) != strlen(host))
		return scute_err_set(err, EINVAL, "Config.Hostname: invalid hostname \"%.63s\"",
				     host);
	scute_container_hostname(c, given, sizeof(given));
	json_object_set_new(spec, "hostname", json_string(given));
	if (domain && domain[0])
		json_object_set_new(spec, "domainname", json_string(domain));
	return 0;
}

json_t *scute_oci_config_derive(const struct scute_oci_inputs *in, struct scute_err *err)
{
	auto_json json_t *spec = json_deep_copy(in->d->base);
	const struct scute_container *c = in->c;
	json_t *process = json_object_get(spec, "process");
	char home[256] = "";

	if (!spec || !process)
		return scute_err_set(err, ENOMEM, "OCI config: out of memory"), NULL;
	if (json_is_true(json_object_get(c->config, "Tty")))
		return scute_err_set(err, EOPNOTSUPP,
				     "Config.Tty: a terminal needs the monitor, which is not there "
				     "yet: run without -t"),
		       NULL;
	json_object_set_new(process, "terminal", json_false());
	json_object_set_new(
		json_object_get(spec, "root"), "readonly",
		json_boolean(json_is_true(json_object_get(c->host_config, "ReadonlyRootfs"))));
	if (field_types(c, err) < 0 || names(spec, c, err) < 0 || stop_signal(c, err) < 0 ||
	    process_args(process, c, err) < 0 ||
	    process_user(process, in, home, sizeof(home), err) < 0 ||
	    process_cwd(process, c, err) < 0 || rlimits(process, c, err) < 0 ||
	    scute_oci_namespaces(spec, in, err) < 0 ||
	    process_env(process, c, json_string_value(json_object_get(spec, "hostname")),
			home[0] ? home : NULL, err) < 0 ||
	    sysctls_and_resources(spec, c, err) < 0 || scute_oci_security(spec, in, err) < 0 ||
	    scute_oci_mounts(spec, in, err) < 0)
		return NULL;
	return scute_take_ptr(&spec);
}
