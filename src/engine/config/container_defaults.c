#include "container_defaults.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/cleanup.h"

/* The value at a dotted path of the spec ("process.capabilities.bounding"). */
static json_t *spec_at(json_t *spec, const char *path)
{
	char key[64];
	const char *p = path;

	while (spec && *p) {
		size_t n = strcspn(p, ".");

		if (n >= sizeof(key))
			return NULL;
		memcpy(key, p, n);
		key[n] = '\0';
		spec = json_object_get(spec, key);
		p += n + (p[n] == '.');
	}
	return spec;
}

static int missing(const char *path, struct scute_err *err)
{
	return scute_err_set(err, EINVAL, "container defaults: the hardened spec has no %s", path);
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* A string member, "" when absent. */
static const char *str_of(json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s ? s : "";
}

static int no_memory(struct scute_err *err)
{
	return scute_err_set(err, ENOMEM, "container defaults: out of memory");
}

static int set_capabilities(json_t *spec, const struct scute_engine_config *cfg,
			    struct scute_container_defaults *d, struct scute_err *err)
{
	json_t *bounding = spec_at(spec, "process.capabilities.bounding");
	bool own = cfg->has_default_capabilities;
	size_t n = own ? cfg->n_default_capabilities : json_array_size(bounding);

	if (!own && !json_is_array(bounding))
		return missing("process.capabilities.bounding", err);
	d->capabilities = calloc(n + 1, sizeof(char *));
	if (!d->capabilities)
		return no_memory(err);
	for (size_t i = 0; i < n; i++) {
		const char *name = own ? cfg->default_capabilities[i]
				       : json_string_value(json_array_get(bounding, i));

		if (!name)
			return missing("process.capabilities.bounding[] as strings", err);
		d->capabilities[i] = strdup(name);
		if (!d->capabilities[i])
			return no_memory(err);
		d->n_capabilities = i + 1;
	}
	d->capabilities_src.source = own ? d->config_path : SCUTE_DEFAULT_BUILTIN;
	return 0;
}

/* The spec's rlimits in docker's shape, into d->ulimits: RLIMIT_NOFILE
 * is "nofile". */
static int spec_ulimits(json_t *spec, struct scute_container_defaults *d, struct scute_err *err)
{
	json_t *r;
	size_t i;

	d->ulimits = json_array();
	if (!d->ulimits)
		return no_memory(err);
	json_array_foreach(spec_at(spec, "process.rlimits"), i, r)
	{
		const char *type = str_of(r, "type");
		char name[32];
		size_t k;

		if (strncmp(type, "RLIMIT_", 7) != 0 || strlen(type + 7) >= sizeof(name))
			return missing("process.rlimits[].type as RLIMIT_NAME", err);
		for (k = 0; type[7 + k]; k++)
			name[k] = (char)tolower((unsigned char)type[7 + k]);
		name[k] = '\0';
		if (json_array_append_new(
			    d->ulimits,
			    json_pack("{s:s, s:I, s:I}", "Name", name, "Soft",
				      json_integer_value(json_object_get(r, "soft")), "Hard",
				      json_integer_value(json_object_get(r, "hard")))) < 0)
			return no_memory(err);
	}
	return 0;
}

/* The spec's, each replaced by the config's of its name, then the
 * config's others. */
static int set_ulimits(json_t *spec, const struct scute_engine_config *cfg,
		       struct scute_container_defaults *d, struct scute_err *err)
{
	const char *name;
	json_t *u;

	if (spec_ulimits(spec, d, err) < 0)
		return -1;
	d->ulimits_src.source = SCUTE_DEFAULT_BUILTIN;
	json_object_foreach(cfg->default_ulimits, name, u)
	{
		size_t i, n = json_array_size(d->ulimits);

		for (i = 0; i < n; i++)
			if (!strcmp(str_of(json_array_get(d->ulimits, i), "Name"), name))
				break;
		/* a copy: the defaults are the caller's to change */
		json_t *mine = json_deep_copy(u);

		if (!mine || (i < n ? json_array_set_new(d->ulimits, i, mine)
				    : json_array_append_new(d->ulimits, mine)) < 0)
			return no_memory(err);
		d->ulimits_src.source = d->config_path;
	}
	return 0;
}

/* The hardened spec's /dev/shm is a tmpfs with size=: that is the size. */
static int spec_shm_size(json_t *spec, int64_t *out, struct scute_err *err)
{
	json_t *m, *o;
	size_t i, k;

	json_array_foreach(json_object_get(spec, "mounts"), i, m)
	{
		if (strcmp(str_of(m, "destination"), "/dev/shm") != 0)
			continue;
		json_array_foreach(json_object_get(m, "options"), k, o)
		{
			const char *s = json_string_value(o);

			if (s && !strncmp(s, "size=", 5))
				return scute_parse_size(s + 5, out, err) < 0
					       ? scute_err_prefix(err, "container defaults: "
								       "/dev/shm")
					       : 0;
		}
	}
	return missing("/dev/shm mount with a size", err);
}

static bool has_namespace(json_t *spec, const char *type)
{
	json_t *ns;
	size_t i;

	json_array_foreach(spec_at(spec, "linux.namespaces"), i,
			   ns) if (!strcmp(str_of(ns, "type"), type)) return true;
	return false;
}

/* dst gets the config's value if it set one, else the built-in, and src
 * says which (the config's path is d->config_path, d in scope). Only the
 * chosen value is evaluated, so each may allocate. */
#define PICK(dst, src, cfgval, isset, builtin)                                   \
	do {                                                                     \
		(dst) = (isset) ? (cfgval) : (builtin);                          \
		(src).source = (isset) ? d->config_path : SCUTE_DEFAULT_BUILTIN; \
	} while (0)

static int set_security(json_t *spec, const struct scute_engine_config *cfg,
			struct scute_container_defaults *d, struct scute_err *err)
{
	json_t *nnp = spec_at(spec, "process.noNewPrivileges");
	json_t *pids = spec_at(spec, "linux.resources.pids.limit");

	if (!json_is_boolean(nnp))
		return missing("process.noNewPrivileges", err);
	if (!json_is_integer(pids))
		return missing("linux.resources.pids.limit", err);
	PICK(d->no_new_privileges, d->no_new_privileges_src, cfg->no_new_privileges == 1,
	     cfg->no_new_privileges >= 0, json_is_true(nnp));
	PICK(d->pids_limit, d->pids_limit_src, cfg->default_pids_limit,
	     cfg->default_pids_limit != 0, json_integer_value(pids));
	PICK(d->seccomp, d->seccomp_src, dup_or_null(cfg->seccomp_profile),
	     cfg->seccomp_profile != NULL, strdup("builtin"));
	d->apparmor_profile =
		dup_or_null(json_string_value(spec_at(spec, "process.apparmorProfile")));
	d->apparmor_profile_src.source = SCUTE_DEFAULT_BUILTIN;
	if (json_is_string(spec_at(spec, "process.apparmorProfile")) && !d->apparmor_profile)
		return no_memory(err);
	d->masked_paths = json_deep_copy(spec_at(spec, "linux.maskedPaths"));
	d->readonly_paths = json_deep_copy(spec_at(spec, "linux.readonlyPaths"));
	if (!d->masked_paths || !d->readonly_paths)
		return missing("linux.maskedPaths or linux.readonlyPaths", err);
	if (!d->seccomp)
		return no_memory(err);
	return 0;
}

static int set_runtime(json_t *spec, const struct scute_engine_config *cfg,
		       struct scute_container_defaults *d, struct scute_err *err)
{
	int64_t shm = 0;

	if (spec_shm_size(spec, &shm, err) < 0)
		return -1;
	PICK(d->shm_size, d->shm_size_src, cfg->default_shm_size, cfg->default_shm_size > 0, shm);
	PICK(d->cgroupns_mode, d->cgroupns_mode_src, dup_or_null(cfg->default_cgroupns_mode),
	     cfg->default_cgroupns_mode != NULL,
	     strdup(has_namespace(spec, "cgroup") ? "private" : "host"));
	PICK(d->init, d->init_src, cfg->init == 1, cfg->init >= 0, false);
	/* the scute-init installed with scute (SCUTE_INIT_PATH, from meson) */
	PICK(d->init_path, d->init_path_src, dup_or_null(cfg->init_path), cfg->init_path != NULL,
	     strdup(SCUTE_INIT_PATH));
	/* docker's default driver; the monitor writes it */
	PICK(d->log_driver, d->log_driver_src, dup_or_null(cfg->log_driver),
	     cfg->log_driver != NULL, strdup("json-file"));
	PICK(d->log_opts, d->log_opts_src, json_deep_copy(cfg->log_opts), cfg->log_opts != NULL,
	     json_object());
	/* no networks yet: a container gets a loopback of its own only */
	d->network_mode = strdup("none");
	d->network_mode_src.source = SCUTE_DEFAULT_BUILTIN;
	if (!d->cgroupns_mode || !d->log_driver || !d->log_opts || !d->network_mode ||
	    !d->init_path)
		return no_memory(err);
	return 0;
}

int scute_container_defaults_resolve(const struct scute_engine_config *cfg, const char *cfg_path,
				     struct scute_container_defaults *d, struct scute_err *err)
{
	auto_json json_t *spec = scute_spec_hardened(false, err);

	memset(d, 0, sizeof(*d));
	if (!spec)
		return scute_err_prefix(err, "container defaults");
	d->config_path = strdup(cfg_path ? cfg_path : "engine config");
	if (!d->config_path)
		return no_memory(err);
	if (set_capabilities(spec, cfg, d, err) < 0 || set_ulimits(spec, cfg, d, err) < 0 ||
	    set_security(spec, cfg, d, err) < 0 || set_runtime(spec, cfg, d, err) < 0) {
		scute_container_defaults_free(d);
		return -1;
	}
	d->spec = scute_take_ptr(&spec);
	return 0;
}

void scute_container_defaults_free(struct scute_container_defaults *d)
{
	for (size_t i = 0; i < d->n_capabilities; i++)
		free(d->capabilities[i]);
	free(d->capabilities);
	free(d->seccomp);
	json_decref(d->ulimits);
	free(d->cgroupns_mode);
	free(d->init_path);
	free(d->log_driver);
	json_decref(d->log_opts);
	free(d->network_mode);
	free(d->apparmor_profile);
	json_decref(d->masked_paths);
	json_decref(d->readonly_paths);
	json_decref(d->spec);
	free(d->config_path);
	memset(d, 0, sizeof(*d));
}

static int put(json_t *out, const char *key, json_t *value, struct scute_default src)
{
	return json_object_set_new(out, key,
				   json_pack("{s:o, s:s}", "Value", value ? value : json_null(),
					     "Source", src.source));
}

static json_t *strings(char *const *v, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

static json_t *string_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *scute_container_defaults_json(const struct scute_container_defaults *d)
{
	auto_json json_t *o = json_object();
	struct scute_default builtin = { SCUTE_DEFAULT_BUILTIN };
	int rc = 0;

	if (!o)
		return NULL;
	rc |= put(o, "Capabilities", strings(d->capabilities, d->n_capabilities),
		  d->capabilities_src);
	rc |= put(o, "NoNewPrivileges", json_boolean(d->no_new_privileges),
		  d->no_new_privileges_src);
	rc |= put(o, "SeccompProfile", json_string(d->seccomp), d->seccomp_src);
	rc |= put(o, "PidsLimit", json_integer(d->pids_limit), d->pids_limit_src);
	rc |= put(o, "Ulimits", json_deep_copy(d->ulimits), d->ulimits_src);
	rc |= put(o, "ShmSize", json_integer(d->shm_size), d->shm_size_src);
	rc |= put(o, "CgroupnsMode", json_string(d->cgroupns_mode), d->cgroupns_mode_src);
	rc |= put(o, "Init", json_boolean(d->init), d->init_src);
	rc |= put(o, "InitPath", string_or_null(d->init_path), d->init_path_src);
	rc |= put(o, "LogDriver", json_string(d->log_driver), d->log_driver_src);
	rc |= put(o, "LogOpts", json_deep_copy(d->log_opts), d->log_opts_src);
	rc |= put(o, "NetworkMode", json_string(d->network_mode), d->network_mode_src);
	rc |= put(o, "AppArmorProfile", string_or_null(d->apparmor_profile),
		  d->apparmor_profile_src);
	rc |= put(o, "MaskedPaths", json_deep_copy(d->masked_paths), builtin);
	rc |= put(o, "ReadonlyPaths", json_deep_copy(d->readonly_paths), builtin);
	return rc == 0 ? scute_take_ptr(&o) : NULL;
}
