#include "spec_walk.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void join_path(char *buf, size_t len, const char *path, const char *key)
{
	if (path && *path)
		snprintf(buf, len, "%s.%s", path, key);
	else
		snprintf(buf, len, "%s", key);
}

int walk_fail(struct spec_walk *w, const char *path, const char *fmt, ...)
{
	char msg[SCUTE_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return scute_err_set(w->err, EINVAL, "%s: %s: %s", w->origin, path, msg);
}

static int walk_get(struct spec_walk *w, json_t *parent, const char *path, const char *key,
		    bool required, json_t **out)
{
	char full[512];

	*out = parent ? json_object_get(parent, key) : NULL;
	if (json_is_null(*out))
		*out = NULL;
	if (!*out && required) {
		join_path(full, sizeof(full), path, key);
		return walk_fail(w, full, "required field is missing");
	}
	return 0;
}

static int walk_typed(struct spec_walk *w, json_t *parent, const char *path, const char *key,
		      bool required, json_t **out, int type, const char *tname)
{
	char full[512];

	if (walk_get(w, parent, path, key, required, out) < 0)
		return -1;
	if (*out && (int)json_typeof(*out) != type) {
		join_path(full, sizeof(full), path, key);
		return walk_fail(w, full, "expected %s", tname);
	}
	return 0;
}

int walk_object(struct spec_walk *w, json_t *parent, const char *path, const char *key,
		bool required, json_t **out)
{
	return walk_typed(w, parent, path, key, required, out, JSON_OBJECT, "an object");
}

int walk_array(struct spec_walk *w, json_t *parent, const char *path, const char *key,
	       bool required, json_t **out)
{
	return walk_typed(w, parent, path, key, required, out, JSON_ARRAY, "an array");
}

int walk_string(struct spec_walk *w, json_t *parent, const char *path, const char *key,
		bool required, char **out)
{
	json_t *v;

	*out = NULL;
	if (walk_typed(w, parent, path, key, required, &v, JSON_STRING, "a string") < 0)
		return -1;
	if (v && !(*out = strdup(json_string_value(v))))
		return scute_err_set(w->err, ENOMEM, "out of memory");
	return 0;
}

int walk_bool(struct spec_walk *w, json_t *parent, const char *path, const char *key, bool *out)
{
	char full[512];
	json_t *v;

	*out = false;
	if (walk_get(w, parent, path, key, false, &v) < 0)
		return -1;
	if (!v)
		return 0;
	if (!json_is_boolean(v)) {
		join_path(full, sizeof(full), path, key);
		return walk_fail(w, full, "expected true or false");
	}
	*out = json_is_true(v);
	return 0;
}

int walk_int(struct spec_walk *w, json_t *parent, const char *path, const char *key, int64_t min,
	     int64_t max, bool *present, int64_t *out)
{
	char full[512];
	json_t *v;

	if (present)
		*present = false;
	if (walk_get(w, parent, path, key, present == NULL, &v) < 0)
		return -1;
	if (!v)
		return 0;
	join_path(full, sizeof(full), path, key);
	if (!json_is_integer(v))
		return walk_fail(w, full, "expected an integer");
	*out = json_integer_value(v);
	if (*out < min || *out > max)
		return walk_fail(w, full, "%lld is out of range [%lld, %lld]", (long long)*out,
				 (long long)min, (long long)max);
	if (present)
		*present = true;
	return 0;
}

int walk_uint64(struct spec_walk *w, json_t *parent, const char *path, const char *key,
		bool *present, uint64_t *out)
{
	int64_t v = 0;

	if (walk_int(w, parent, path, key, 0, INT64_MAX, present, &v) < 0)
		return -1;
	if (!present || *present)
		*out = (uint64_t)v;
	return 0;
}

int walk_string_array(struct spec_walk *w, json_t *parent, const char *path, const char *key,
		      char ***out, size_t *n)
{
	char full[512];
	json_t *arr, *item;
	size_t i;

	*out = NULL;
	*n = 0;
	if (walk_array(w, parent, path, key, false, &arr) < 0)
		return -1;
	if (!arr)
		return 0;
	*out = calloc(json_array_size(arr) + 1, sizeof(char *));
	if (!*out)
		return scute_err_set(w->err, ENOMEM, "out of memory");
	json_array_foreach(arr, i, item)
	{
		if (!json_is_string(item)) {
			join_path(full, sizeof(full), path, key);
			walk_fail(w, full, "[%zu]: expected a string", i);
			break;
		}
		(*out)[i] = strdup(json_string_value(item));
		if (!(*out)[i]) {
			scute_err_set(w->err, ENOMEM, "out of memory");
			break;
		}
		*n = i + 1;
	}
	if (*n == json_array_size(arr))
		return 0;
	/* Nothing half-made goes back to the caller. */
	free_string_array(*out, *n);
	*out = NULL;
	*n = 0;
	return -1;
}

int walk_refuse(struct spec_walk *w, json_t *parent, const char *path, const char *key)
{
	char full[512];
	json_t *v = parent ? json_object_get(parent, key) : NULL;

	if (!v || json_is_null(v))
		return 0;
	join_path(full, sizeof(full), path, key);
	return walk_fail(w, full, "not supported by this build of scute-runtime");
}

/* null, false, 0, "" and containers of only such values: "not set". */
static bool is_unset(json_t *v)
{
	const char *key;
	json_t *item;
	size_t i;

	switch (json_typeof(v)) {
	case JSON_NULL:
	case JSON_FALSE: return true;
	case JSON_INTEGER: return json_integer_value(v) == 0;
	case JSON_REAL: return json_real_value(v) == 0;
	case JSON_STRING: return json_string_length(v) == 0;
	case JSON_ARRAY:
		json_array_foreach(v, i, item) if (!is_unset(item)) return false;
		return true;
	case JSON_OBJECT:
		json_object_foreach(v, key, item) if (!is_unset(item)) return false;
		return true;
	default: return false;
	}
}

int walk_refuse_set(struct spec_walk *w, json_t *parent, const char *path, const char *key)
{
	json_t *v = parent ? json_object_get(parent, key) : NULL;

	return v && !is_unset(v) ? walk_refuse(w, parent, path, key) : 0;
}

int walk_object_array(struct spec_walk *w, json_t *parent, const char *path, const char *key,
		      size_t size, json_t **arr, void **items)
{
	char full[512];
	json_t *item;
	size_t i;

	*items = NULL;
	if (walk_array(w, parent, path, key, false, arr) < 0)
		return -1;
	if (!*arr || !json_array_size(*arr))
		return 0;
	join_path(full, sizeof(full), path, key);
	json_array_foreach(*arr, i, item) if (!json_is_object(item)) return walk_fail(
		w, full, "[%zu]: expected an object", i);
	*items = calloc(json_array_size(*arr), size);
	return *items ? 0 : scute_err_set(w->err, ENOMEM, "out of memory");
}

int walk_refuse_unknown(struct spec_walk *w, json_t *obj, const char *path,
			const char *const *known)
{
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v)
	{
		bool ok = false;
		for (const char *const *k = known; *k && !ok; k++)
			ok = strcmp(key, *k) == 0;
		if (!ok && walk_refuse_set(w, obj, path, key) < 0)
			return -1;
	}
	return 0;
}

void free_string_array(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}
