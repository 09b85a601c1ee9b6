/* docker's image-list filters (image_filter.h). Patterns are matched with
 * fnmatch(3) without FNM_PERIOD and with FNM_PATHNAME, which is Go's
 * path.Match that dockerd uses: '*' and '?' never match a '/'. */
#include "image_filter.h"

#include <errno.h>
#include <fnmatch.h>
#include <string.h>

#include "base/cleanup.h"

/* FNM_PATHNAME: '*' stops at '/', as Go's path.Match */
static bool pattern_match(const char *pattern, const char *s)
{
	return fnmatch(pattern, s, FNM_PATHNAME) == 0;
}

static int invalid(struct scute_err *err, const char *arg)
{
	return scute_err_set(err, EINVAL, "invalid filter '%.200s'", arg);
}

int scute_filter_add(json_t *filters, const char *arg, const char *const *keys, size_t n_keys,
		     struct scute_err *err)
{
	const char *eq = strchr(arg, '=');
	char key[32];
	json_t *values;
	size_t i;

	if (!eq)
		return scute_err_set(err, EINVAL,
				     "bad format of filter '%.200s' (expected name=value)", arg);
	for (i = 0; i < n_keys; i++)
		if (strlen(keys[i]) == (size_t)(eq - arg) &&
		    !strncmp(arg, keys[i], strlen(keys[i])))
			break;
	if (i == n_keys || eq[1] == '\0')
		return invalid(err, arg);
	snprintf(key, sizeof(key), "%s", keys[i]);
	values = json_object_get(filters, key);
	if (!values) {
		values = json_array();
		if (json_object_set_new(filters, key, values) < 0)
			return scute_err_set(err, ENOMEM, "filter: out of memory");
	}
	if (json_array_append_new(values, json_string(eq + 1)) < 0)
		return scute_err_set(err, ENOMEM, "filter: out of memory");
	return 0;
}

int scute_images_filter_add(json_t *filters, const char *arg, struct scute_err *err)
{
	static const char *const keys[] = { "dangling", "label", "reference" };
	const char *v = strchr(arg, '=');

	if (v && !strncmp(arg, "dangling=", 9) && strcmp(v + 1, "true") != 0 &&
	    strcmp(v + 1, "false") != 0)
		return invalid(err, arg);
	return scute_filter_add(filters, arg, keys, sizeof(keys) / sizeof(keys[0]), err);
}

static bool name_matches(json_t *patterns, const char *name)
{
	const char *slash = strrchr(name, '/');
	const char *at = strchr(name, '@');
	const char *colon = strrchr(slash ? slash : name, ':');
	size_t repo_len = at ? (size_t)(at - name) : colon ? (size_t)(colon - name) : strlen(name);
	char repo[512];
	size_t i;
	json_t *p;

	snprintf(repo, sizeof(repo), "%.*s", (int)repo_len, name);
	json_array_foreach(patterns, i, p)
	{
		const char *pattern = json_string_value(p);

		if (pattern && (pattern_match(pattern, name) || pattern_match(pattern, repo)))
			return true;
	}
	return false;
}

/* NAMES (an array of strings) narrowed to those PATTERNS match. */
static json_t *matching_names(json_t *names, json_t *patterns)
{
	json_t *out = json_array(), *n;
	size_t i;

	if (!out)
		return NULL;
	json_array_foreach(names, i, n)
	{
		if (json_is_string(n) && name_matches(patterns, json_string_value(n)) &&
		    json_array_append(out, n) < 0) {
			json_decref(out);
			return NULL;
		}
	}
	return out;
}

bool scute_filter_labels_match(json_t *filters, json_t *labels)
{
	size_t i;
	json_t *f;

	json_array_foreach(json_object_get(filters, "label"), i, f)
	{
		const char *want = json_string_value(f), *eq = strchr(want, '=');
		char key[512];
		json_t *have;

		snprintf(key, sizeof(key), "%.*s", eq ? (int)(eq - want) : (int)strlen(want), want);
		have = json_object_get(labels, key);
		if (!have ||
		    (eq && (!json_is_string(have) || strcmp(json_string_value(have), eq + 1) != 0)))
			return false;
	}
	return true;
}

/* A copy of ROW with its names narrowed, or ROW itself (a new reference)
 * without reference filters; *KEEP says whether it passes. */
static json_t *filter_row(json_t *row, json_t *filters, bool *keep)
{
	json_t *patterns = json_object_get(filters, "reference");
	json_t *dangling = json_object_get(filters, "dangling");
	const char *d = json_string_value(json_array_get(dangling, json_array_size(dangling) - 1));
	auto_json json_t *out = patterns ? json_deep_copy(row) : json_incref(row);
	size_t n_tags, n_digests;

	*keep = false;
	if (!out)
		return NULL;
	if (patterns) {
		json_t *tags = matching_names(json_object_get(row, "RepoTags"), patterns);
		json_t *digests = matching_names(json_object_get(row, "RepoDigests"), patterns);

		if (json_object_set_new(out, "RepoTags", tags) < 0 ||
		    json_object_set_new(out, "RepoDigests", digests) < 0 || !tags || !digests)
			return NULL;
	}
	n_tags = json_array_size(json_object_get(out, "RepoTags"));
	n_digests = json_array_size(json_object_get(out, "RepoDigests"));
	*keep = scute_filter_labels_match(filters, json_object_get(row, "Labels"));
	/* a name filter keeps only images with a name it matched */
	if (patterns && n_tags + n_digests == 0)
		*keep = false;
	/* dangling=true: no tag; dangling=false: a tag or a digest */
	if (d && !strcmp(d, "true") && n_tags > 0)
		*keep = false;
	if (d && !strcmp(d, "false") && n_tags + n_digests == 0)
		*keep = false;
	return scute_take_ptr(&out);
}

json_t *scute_images_filter(json_t *list, json_t *filters, struct scute_err *err)
{
	auto_json json_t *out = json_array();
	size_t i;
	json_t *row;

	if (!out)
		goto nomem;
	json_array_foreach(list, i, row)
	{
		bool keep;
		json_t *kept = filter_row(row, filters, &keep);

		if (!kept)
			goto nomem;
		if (!keep) {
			json_decref(kept);
			continue;
		}
		if (json_array_append_new(out, kept) < 0)
			goto nomem;
	}
	return scute_take_ptr(&out);
nomem:
	scute_err_set(err, ENOMEM, "filter images: out of memory");
	return NULL;
}
