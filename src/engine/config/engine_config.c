#include "engine_config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/cleanup.h"

/* Empty: every key unset (the tristates -1, not 0: "off" is a choice). */
static void config_init(struct scute_engine_config *c)
{
	memset(c, 0, sizeof(*c));
	c->no_new_privileges = -1;
	c->init = -1;
}

/* A size in bytes, as a number or as docker writes one ("64m"), above 0. */
static int parse_size(json_t *v, const char *where, const char *key, int64_t *out,
		      struct scute_err *err)
{
	if (json_is_integer(v) && json_integer_value(v) > 0) {
		*out = json_integer_value(v);
		return 0;
	}
	if (!json_is_string(v) && !json_is_integer(v))
		return scute_err_set(err, EINVAL, "%s: %s: not a size (a string like \"64m\")",
				     where, key);
	if (json_is_string(v) && scute_parse_size(json_string_value(v), out, err) == 0 && *out > 0)
		return 0;
	if (json_is_integer(v))
		return scute_err_set(err, EINVAL, "%s: %s: %lld is not a size above 0", where, key,
				     (long long)json_integer_value(v));
	return scute_err_set(err, EINVAL, "%s: %s: \"%s\" is not a size above 0 (\"64m\", \"1g\")",
			     where, key, json_string_value(v));
}

static int parse_strings(json_t *v, const char *where, const char *key, char ***out, size_t *n,
			 struct scute_err *err)
{
	size_t i;
	json_t *s;

	if (!json_is_array(v))
		return scute_err_set(err, EINVAL, "%s: %s: not an array of strings", where, key);
	*out = calloc(json_array_size(v) + 1, sizeof(**out));
	if (!*out)
		return scute_err_sys(err, "%s", where);
	json_array_foreach(v, i, s)
	{
		if (!json_is_string(s))
			return scute_err_set(err, EINVAL, "%s: %s[%zu]: not a string", where, key,
					     i);
		(*out)[i] = strdup(json_string_value(s));
		if (!(*out)[i])
			return scute_err_sys(err, "%s", where);
		*n = i + 1;
	}
	return 0;
}

static int parse_path(json_t *v, const char *where, const char *key, char **out,
		      struct scute_err *err)
{
	if (!json_is_string(v))
		return scute_err_set(err, EINVAL, "%s: %s: not a string (an absolute path)", where,
				     key);
	if (json_string_value(v)[0] != '/')
		return scute_err_set(err, EINVAL, "%s: %s: \"%s\" is not an absolute path", where,
				     key, json_string_value(v));
	free(*out);
	*out = strdup(json_string_value(v));
	return *out ? 0 : scute_err_sys(err, "%s", where);
}

static int parse_bool(json_t *v, const char *where, const char *key, int *out,
		      struct scute_err *err)
{
	if (!json_is_boolean(v))
		return scute_err_set(err, EINVAL, "%s: %s: not a boolean (true or false)", where,
				     key);
	*out = json_is_true(v) ? 1 : 0;
	return 0;
}

/* A string that must be one of `choices` (NULL-terminated). */
static int parse_choice(json_t *v, const char *where, const char *key, const char *const *choices,
			char **out, struct scute_err *err)
{
	const char *s = json_string_value(v);

	if (!s)
		return scute_err_set(err, EINVAL, "%s: %s: not a string (\"%s\" or \"%s\")", where,
				     key, choices[0], choices[1]);
	for (size_t i = 0; choices[i]; i++) {
		if (!strcmp(s, choices[i])) {
			*out = strdup(s);
			return *out ? 0 : scute_err_sys(err, "%s", where);
		}
	}
	return scute_err_set(err, EINVAL, "%s: %s: \"%s\" is not \"%s\" or \"%s\"", where, key, s,
			     choices[0], choices[1]);
}

static int parse_seccomp(json_t *v, const char *where, struct scute_engine_config *c,
			 struct scute_err *err)
{
	const char *s = json_string_value(v);

	if (!s)
		return scute_err_set(err, EINVAL,
				     "%s: seccomp-profile: not a string (\"builtin\", "
				     "\"unconfined\" or an absolute path)",
				     where);
	/* a relative path would depend on the directory scute runs in */
	if (strcmp(s, "builtin") != 0 && strcmp(s, "unconfined") != 0 && s[0] != '/')
		return scute_err_set(err, EINVAL,
				     "%s: seccomp-profile: \"%s\" is not \"builtin\", "
				     "\"unconfined\" or an absolute path",
				     where, s);
	c->seccomp_profile = strdup(s);
	return c->seccomp_profile ? 0 : scute_err_sys(err, "%s", where);
}

/* docker's ulimit names (go-units), the OCI rlimit type in lower case
 * without RLIMIT_. */
static const char *const ulimit_names[] = {
	"as",	"core",	  "cpu",   "data", "fsize",  "locks",  "memlock",    "msgqueue",
	"nice", "nofile", "nproc", "rss",  "rtprio", "rttime", "sigpending", "stack",
};

static bool ulimit_name_known(const char *name)
{
	for (size_t i = 0; i < sizeof(ulimit_names) / sizeof(ulimit_names[0]); i++)
		if (!strcmp(ulimit_names[i], name))
			return true;
	return false;
}

/* One limit: -1 is unlimited, so it is above every other. */
static int ulimit_value(json_t *u, const char *field, const char *where, const char *name,
			int64_t *out, struct scute_err *err)
{
	json_t *v = json_object_get(u, field);

	if (!json_is_integer(v) || json_integer_value(v) < -1)
		return scute_err_set(err, EINVAL,
				     "%s: default-ulimits.%s.%s: not an integer of -1 (unlimited) "
				     "or more",
				     where, name, field);
	*out = json_integer_value(v);
	return 0;
}

static int parse_ulimit(const char *name, json_t *u, const char *where, json_t *out,
			struct scute_err *err)
{
	json_t *n = json_object_get(u, "Name");
	const char *field;
	int64_t soft = 0, hard = 0;
	json_t *v;

	if (!ulimit_name_known(name))
		return scute_err_set(err, EINVAL, "%s: default-ulimits: unknown ulimit \"%s\"",
				     where, name);
	if (!json_is_object(u))
		return scute_err_set(err, EINVAL,
				     "%s: default-ulimits.%s: not an object ({\"Name\", \"Soft\", "
				     "\"Hard\"})",
				     where, name);
	json_object_foreach(u, field, v)
	{
		if (strcmp(field, "Name") != 0 && strcmp(field, "Soft") != 0 &&
		    strcmp(field, "Hard") != 0)
			return scute_err_set(err, EINVAL,
					     "%s: default-ulimits.%s: unknown key \"%s\"", where,
					     name, field);
	}
	if (n && (!json_is_string(n) || strcmp(json_string_value(n), name) != 0))
		return scute_err_set(err, EINVAL, "%s: default-ulimits.%s.Name: not \"%s\"", where,
				     name, name);
	if (ulimit_value(u, "Soft", where, name, &soft, err) < 0 ||
	    ulimit_value(u, "Hard", where, name, &hard, err) < 0)
		return -1;
	if (hard != -1 && (soft == -1 || soft > hard))
		return scute_err_set(err, EINVAL,
				     "%s: default-ulimits.%s: Soft %lld is above Hard %lld", where,
				     name, (long long)soft, (long long)hard);
	if (json_object_set_new(out, name,
				json_pack("{s:s, s:I, s:I}", "Name", name, "Soft", (json_int_t)soft,
					  "Hard", (json_int_t)hard)) < 0)
		return scute_err_set(err, ENOMEM, "%s: out of memory", where);
	return 0;
}

static int parse_ulimits(json_t *v, const char *where, struct scute_engine_config *c,
			 struct scute_err *err)
{
	const char *name;
	json_t *u;

	if (!json_is_object(v))
		return scute_err_set(err, EINVAL,
				     "%s: default-ulimits: not an object ({\"nofile\": {\"Name\": "
				     "\"nofile\", \"Soft\": N, \"Hard\": N}})",
				     where);
	c->default_ulimits = json_object();
	if (!c->default_ulimits)
		return scute_err_set(err, ENOMEM, "%s: out of memory", where);
	json_object_foreach(v, name, u)
	{
		if (parse_ulimit(name, u, where, c->default_ulimits, err) < 0)
			return -1;
	}
	return 0;
}

/* json-file's options; "none" takes none (as dockerd refuses them). */
static const char *const json_file_opts[] = {
	"max-size", "max-file", "compress", "labels", "labels-regex", "env", "env-regex", "tag",
};

static int check_log_opt(const char *key, const char *val, const char *where, struct scute_err *err)
{
	int64_t n;
	size_t i;

	for (i = 0; i < sizeof(json_file_opts) / sizeof(json_file_opts[0]); i++)
		if (!strcmp(json_file_opts[i], key))
			break;
	if (i == sizeof(json_file_opts) / sizeof(json_file_opts[0]))
		return scute_err_set(err, EINVAL, "%s: log-opts: unknown option \"%s\"", where,
				     key);
	if (!strcmp(key, "max-size") && (scute_parse_size(val, &n, err) < 0 || n == 0))
		return scute_err_set(
			err, EINVAL,
			"%s: log-opts.max-size: \"%s\" is not a size (\"10m\", \"-1\")", where,
			val);
	if (!strcmp(key, "max-file") && scute_parse_int(val, 1, INT32_MAX, &n, err) < 0)
		return scute_err_set(err, EINVAL,
				     "%s: log-opts.max-file: \"%s\" is not a count of 1 or more",
				     where, val);
	if (!strcmp(key, "compress") && strcmp(val, "true") != 0 && strcmp(val, "false") != 0)
		return scute_err_set(err, EINVAL,
				     "%s: log-opts.compress: \"%s\" is not \"true\" or \"false\"",
				     where, val);
	return 0;
}

static int parse_log_opts(json_t *v, const char *where, struct scute_engine_config *c,
			  struct scute_err *err)
{
	const char *key;
	json_t *s;

	if (!json_is_object(v))
		return scute_err_set(err, EINVAL, "%s: log-opts: not an object of strings", where);
	json_object_foreach(v, key, s)
	{
		if (!json_is_string(s))
			return scute_err_set(err, EINVAL, "%s: log-opts.%s: not a string", where,
					     key);
		if (check_log_opt(key, json_string_value(s), where, err) < 0)
			return -1;
	}
	c->log_opts = json_deep_copy(v);
	return c->log_opts ? 0 : scute_err_set(err, ENOMEM, "%s: out of memory", where);
}

/* "chown", "cap_chown" or "CAP_CHOWN", each kept as "CAP_CHOWN" once. */
static int add_capability(const char *name, const char *where, size_t i,
			  struct scute_engine_config *c, struct scute_err *err)
{
	char cap[64];
	size_t len = strlen(name), off = strncasecmp(name, "CAP_", 4) == 0 ? 0 : 4;

	if (len == 0 || len + off >= sizeof(cap))
		return scute_err_set(err, EINVAL,
				     "%s: default-capabilities[%zu]: unknown capability \"%s\"",
				     where, i, name);
	memcpy(cap, "CAP_", 4);
	for (size_t k = 0; k <= len; k++)
		cap[off + k] = (char)toupper((unsigned char)name[k]);
	if (scute_cap_from_name(cap) < 0)
		return scute_err_set(err, EINVAL,
				     "%s: default-capabilities[%zu]: unknown capability \"%s\"",
				     where, i, name);
	for (size_t k = 0; k < c->n_default_capabilities; k++)
		if (!strcmp(c->default_capabilities[k], cap))
			return 0;
	c->default_capabilities[c->n_default_capabilities] = strdup(cap);
	if (!c->default_capabilities[c->n_default_capabilities])
		return scute_err_sys(err, "%s", where);
	c->n_default_capabilities++;
	return 0;
}

static int parse_capabilities(json_t *v, const char *where, struct scute_engine_config *c,
			      struct scute_err *err)
{
	size_t i;
	json_t *s;

	if (!json_is_array(v))
		return scute_err_set(err, EINVAL,
				     "%s: default-capabilities: not an array of strings", where);
	c->default_capabilities = calloc(json_array_size(v) + 1, sizeof(char *));
	if (!c->default_capabilities)
		return scute_err_sys(err, "%s", where);
	c->has_default_capabilities = true;
	json_array_foreach(v, i, s)
	{
		if (!json_is_string(s))
			return scute_err_set(err, EINVAL,
					     "%s: default-capabilities[%zu]: not a string", where,
					     i);
		if (add_capability(json_string_value(s), where, i, c, err) < 0)
			return -1;
	}
	return 0;
}

static int parse_pids_limit(json_t *v, const char *where, struct scute_engine_config *c,
			    struct scute_err *err)
{
	if (!json_is_integer(v))
		return scute_err_set(err, EINVAL,
				     "%s: default-pids-limit: not an integer (above 0, or -1)",
				     where);
	if (json_integer_value(v) == 0 || json_integer_value(v) < -1)
		return scute_err_set(err, EINVAL,
				     "%s: default-pids-limit: %lld is not above 0 or -1 (no limit)",
				     where, (long long)json_integer_value(v));
	c->default_pids_limit = json_integer_value(v);
	return 0;
}

static const char *const cgroupns_modes[] = { "private", "host", NULL };
static const char *const log_drivers[] = { "json-file", "none", NULL };

/* The container defaults (issue 14). */
static int parse_defaults_key(const char *key, json_t *v, const char *where,
			      struct scute_engine_config *c, struct scute_err *err)
{
	if (!strcmp(key, "no-new-privileges"))
		return parse_bool(v, where, key, &c->no_new_privileges, err);
	if (!strcmp(key, "seccomp-profile"))
		return parse_seccomp(v, where, c, err);
	if (!strcmp(key, "default-ulimits"))
		return parse_ulimits(v, where, c, err);
	if (!strcmp(key, "default-shm-size"))
		return parse_size(v, where, key, &c->default_shm_size, err);
	if (!strcmp(key, "default-cgroupns-mode"))
		return parse_choice(v, where, key, cgroupns_modes, &c->default_cgroupns_mode, err);
	if (!strcmp(key, "init"))
		return parse_bool(v, where, key, &c->init, err);
	if (!strcmp(key, "init-path"))
		return parse_path(v, where, key, &c->init_path, err);
	if (!strcmp(key, "log-driver"))
		return parse_choice(v, where, key, log_drivers, &c->log_driver, err);
	if (!strcmp(key, "log-opts"))
		return parse_log_opts(v, where, c, err);
	if (!strcmp(key, "default-capabilities"))
		return parse_capabilities(v, where, c, err);
	if (!strcmp(key, "default-pids-limit"))
		return parse_pids_limit(v, where, c, err);
	return scute_err_set(err, EINVAL, "%s: unknown key \"%s\"", where, key);
}

static int parse_key(const char *key, json_t *v, const char *where, struct scute_engine_config *c,
		     struct scute_err *err)
{
	if (!strcmp(key, "data-root"))
		return parse_path(v, where, key, &c->data_root, err);
	if (!strcmp(key, "certs-dir"))
		return parse_path(v, where, key, &c->certs_dir, err);
	if (!strcmp(key, "exec-root"))
		return parse_path(v, where, key, &c->exec_root, err);
	if (!strcmp(key, "max-layer-size"))
		return parse_size(v, where, key, &c->max_layer_size, err);
	if (!strcmp(key, "insecure-registries"))
		return parse_strings(v, where, key, &c->insecure_registries,
				     &c->n_insecure_registries, err);
	return parse_defaults_key(key, v, where, c, err);
}

int scute_engine_config_parse(const char *text, const char *where, struct scute_engine_config *c,
			      struct scute_err *err)
{
	json_error_t jerr;
	auto_json json_t *doc = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
	const char *key;
	json_t *v;

	config_init(c);
	if (!doc)
		return scute_err_set(err, EINVAL, "%s: invalid JSON at line %d: %s", where,
				     jerr.line, jerr.text);
	if (!json_is_object(doc))
		return scute_err_set(err, EINVAL, "%s: not a JSON object", where);
	json_object_foreach(doc, key, v)
	{
		if (parse_key(key, v, where, c, err) < 0) {
			scute_engine_config_free(c);
			return -1;
		}
	}
	/* dockerd refuses options for the driver that logs nothing */
	if (c->log_driver && !strcmp(c->log_driver, "none") && c->log_opts &&
	    json_object_size(c->log_opts)) {
		scute_engine_config_free(c);
		return scute_err_set(err, EINVAL,
				     "%s: log-opts: the \"none\" log-driver takes none", where);
	}
	return 0;
}

int scute_engine_config_load(const char *path, struct scute_engine_config *c, struct scute_err *err)
{
	const char *p = path ? path : SCUTE_ENGINE_CONFIG_DEFAULT;
	auto_fclose FILE *f = fopen(p, "re");
	auto_free char *text = NULL;
	size_t len = 0;

	config_init(c);
	if (!f && errno == ENOENT && !path)
		return 0;
	if (!f)
		return scute_err_sys(err, "engine config %s", p);
	text = calloc(1, 1 << 20);
	if (!text)
		return scute_err_sys(err, "engine config %s", p);
	len = fread(text, 1, (1 << 20) - 1, f);
	if (ferror(f) || len == (1 << 20) - 1)
		return scute_err_set(err, EFBIG, "engine config %s: unreadable or over 1 MiB", p);
	if (scute_engine_config_parse(text, p, c, err) < 0)
		return -1;
	c->path = strdup(p);
	if (!c->path) {
		scute_engine_config_free(c);
		return scute_err_sys(err, "engine config %s", p);
	}
	return 0;
}

static void free_strings(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void scute_engine_config_free(struct scute_engine_config *c)
{
	free(c->path);
	free(c->data_root);
	free(c->certs_dir);
	free(c->exec_root);
	free_strings(c->insecure_registries, c->n_insecure_registries);
	free(c->seccomp_profile);
	json_decref(c->default_ulimits);
	free(c->default_cgroupns_mode);
	free(c->init_path);
	free(c->log_driver);
	json_decref(c->log_opts);
	free_strings(c->default_capabilities, c->n_default_capabilities);
	config_init(c);
}
