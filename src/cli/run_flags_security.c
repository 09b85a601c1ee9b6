/* --cap-add, --cap-drop and --security-opt: capability names normalised
 * to "CAP_X" (or "ALL"), and each security option checked and written in
 * one form ('=' as separator) for the engine. seccomp=FILE and landlock=FILE
 * are read here and stored as their compact JSON, as docker's CLI stores a
 * seccomp profile: the engine never opens a path the caller named. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cleanup.h"
#include "run_flags_values.h"

int cli_rf_cap(struct cli_rf *st, const char *flag, const char *v, struct scute_err *err)
{
	const char *field = strcmp(flag, "--cap-add") ? "CapDrop" : "CapAdd";
	char name[64];
	size_t n = 0;
	json_t *list, *item;
	size_t i;

	if (strncasecmp(v, "CAP_", 4))
		n = (size_t)snprintf(name, sizeof(name), "CAP_");
	for (const char *c = v; *c && n + 1 < sizeof(name); c++)
		name[n++] = (char)toupper((unsigned char)*c);
	name[n] = '\0';
	if (!strcasecmp(v, "ALL"))
		snprintf(name, sizeof(name), "ALL");
	else if (strlen(v) + 4 >= sizeof(name) || scute_cap_from_name(name) < 0)
		return scute_err_set(err, EINVAL, "%s: unknown capability \"%s\"", flag, v);
	list = json_object_get(st->r->host_config, field);
	json_array_foreach(list, i, item)
	{
		if (!strcmp(json_string_value(item), name))
			return 0;
	}
	return cli_rf_append(st->r->host_config, field, json_string(name), err);
}

/* The profile FILE as compact JSON, which must be an object. */
static int profile(const char *flag, const char *what, const char *file, char **out,
		   struct scute_err *err)
{
	json_error_t je;
	auto_json json_t *doc = json_load_file(file, JSON_REJECT_DUPLICATES, &je);

	if (!doc) {
		if (je.position == 0 && je.line <= 0)
			return scute_err_set(err, EINVAL, "%s: %s profile %s: %s", flag, what, file,
					     je.text);
		return scute_err_set(err, EINVAL, "%s: %s profile %s: line %d column %d: %s", flag,
				     what, file, je.line, je.column, je.text);
	}
	if (!json_is_object(doc))
		return scute_err_set(err, EINVAL, "%s: %s profile %s: not a JSON object", flag,
				     what, file);
	*out = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
	return *out ? 0 : scute_err_set(err, ENOMEM, "out of memory");
}

/* PATH[:PATH...], each absolute. */
static int path_list(const char *flag, const char *opt, const char *v, struct scute_err *err)
{
	auto_free char *copy = strdup(v);
	char *save = NULL;

	if (!copy)
		return scute_err_set(err, ENOMEM, "out of memory");
	if (!*v || strstr(v, "::") || v[strlen(v) - 1] == ':')
		return scute_err_set(err, EINVAL, "%s: %s: empty path in \"%s\"", flag, opt, v);
	for (char *p = strtok_r(copy, ":", &save); p; p = strtok_r(NULL, ":", &save))
		if (cli_rf_abs_path(flag, opt, p, err) < 0)
			return -1;
	return 0;
}

static bool label_opt(const char *v)
{
	static const char *const kinds[] = { "user:", "role:", "type:", "level:" };

	if (!strcmp(v, "disable"))
		return true;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strncmp(v, kinds[i], strlen(kinds[i])) && v[strlen(kinds[i])])
			return true;
	return false;
}

/* KEY=VALUE checked; *out is what SecurityOpt gets (a profile's JSON). */
static int security_value(const char *flag, const char *opt, const char *key, const char *val,
			  char **out, struct scute_err *err)
{
	auto_free char *json = NULL;
	bool b;

	if (!strcmp(key, "seccomp") && strcmp(val, "unconfined")) {
		if (!*val || profile(flag, "seccomp", val, &json, err) < 0)
			return *val ? -1
				    : scute_err_set(err, EINVAL, "%s: \"%s\": no profile", flag,
						    opt);
	} else if (!strcmp(key, "landlock")) {
		if (!*val || profile(flag, "landlock", val, &json, err) < 0)
			return *val ? -1
				    : scute_err_set(err, EINVAL, "%s: \"%s\": no profile", flag,
						    opt);
	} else if (!strcmp(key, "apparmor")) {
		if (strcmp(val, "unconfined") && !scute_apparmor_name_valid(val))
			return scute_err_set(err, EINVAL,
					     "%s: \"%s\": invalid AppArmor profile name", flag,
					     opt);
	} else if (!strcmp(key, "label")) {
		if (!label_opt(val))
			return scute_err_set(
				err, EINVAL,
				"%s: \"%s\": invalid label option (user:, role:, type:, "
				"level: or disable)",
				flag, opt);
	} else if (!strcmp(key, "no-new-privileges")) {
		if (cli_rf_bool(val, &b) < 0)
			return scute_err_set(err, EINVAL, "%s: \"%s\": invalid boolean", flag, opt);
		val = b ? "true" : "false";
	} else if (!strcmp(key, "mask") || (!strcmp(key, "unmask") && strcmp(val, "ALL"))) {
		if (path_list(flag, key, val, err) < 0)
			return -1;
	} else if (strcmp(key, "unmask") && strcmp(key, "seccomp")) {
		return scute_err_set(err, EINVAL, "%s: unknown security option \"%s\"", flag, opt);
	}
	if (asprintf(out, "%s=%s", key, json ? json : val) < 0)
		return scute_err_set(err, ENOMEM, "out of memory");
	return 0;
}

int cli_rf_security_opt(struct cli_rf *st, const char *flag, const char *v, struct scute_err *err)
{
	json_t *hc = st->r->host_config;
	size_t n = strcspn(v, "=:");
	auto_free char *key = strndup(v, n), *out = NULL;

	if (!key)
		return scute_err_set(err, ENOMEM, "out of memory");
	if (!strcmp(v, "no-new-privileges"))
		return cli_rf_append(hc, "SecurityOpt", json_string(v), err);
	/* docker's CLI: no system path masked, none read-only */
	if (!strcmp(v, "systempaths=unconfined"))
		return cli_rf_put(hc, "MaskedPaths", json_array(), err) < 0
			       ? -1
			       : cli_rf_put(hc, "ReadonlyPaths", json_array(), err);
	if (!v[n])
		return scute_err_set(err, EINVAL, "%s: unknown security option \"%s\"", flag, v);
	if (security_value(flag, v, key, v + n + 1, &out, err) < 0)
		return -1;
	return cli_rf_append(hc, "SecurityOpt", json_string(out), err);
}
