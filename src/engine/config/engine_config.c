#include "engine_config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cleanup.h"

/* Empty: every key unset (the tristates -1, not 0: "off" is a choice). */
static void config_init(struct scute_engine_config *c)
{
	memset(c, 0, sizeof(*c));
	c->no_new_privileges = -1;
	c->init = -1;
}

static int parse_size(json_t *v, const char *where, int64_t *out, struct scute_err *err)
{
	if (json_is_integer(v) && json_integer_value(v) > 0) {
		*out = json_integer_value(v);
		return 0;
	}
	if (json_is_string(v) && scute_parse_size(json_string_value(v), out, err) == 0 && *out > 0)
		return 0;
	return scute_err_set(err, EINVAL, "%s: max-layer-size: not a size (\"64g\" or bytes)",
			     where);
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
	if (!json_is_string(v) || json_string_value(v)[0] != '/')
		return scute_err_set(err, EINVAL, "%s: %s: not an absolute path", where, key);
	free(*out);
	*out = strdup(json_string_value(v));
	return *out ? 0 : scute_err_sys(err, "%s", where);
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
		return parse_size(v, where, &c->max_layer_size, err);
	if (!strcmp(key, "insecure-registries"))
		return parse_strings(v, where, key, &c->insecure_registries,
				     &c->n_insecure_registries, err);
	return scute_err_set(err, EINVAL, "%s: unknown key \"%s\"", where, key);
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
	return scute_engine_config_parse(text, p, c, err);
}

void scute_engine_config_free(struct scute_engine_config *c)
{
	free(c->data_root);
	free(c->certs_dir);
	free(c->exec_root);
	for (size_t i = 0; i < c->n_insecure_registries; i++)
		free(c->insecure_registries[i]);
	free(c->insecure_registries);
	config_init(c);
}
