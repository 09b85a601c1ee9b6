/* The "hooks" object of config.json. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hooks.h"
#include "spec_walk.h"

static const char *const kind_names[] = { "prestart",	    "createRuntime", "createContainer",
					  "startContainer", "poststart",     "poststop" };

const char *scute_hook_kind_name(enum scute_hook_kind kind)
{
	return kind_names[kind];
}

static int parse_hook(struct spec_walk *w, json_t *item, const char *path, struct scute_hook *h)
{
	int64_t timeout;
	bool has_timeout;

	if (walk_string(w, item, path, "path", true, &h->path) < 0 ||
	    walk_string_array(w, item, path, "args", &h->args, &h->n_args) < 0 ||
	    walk_string_array(w, item, path, "env", &h->env, &h->n_env) < 0 ||
	    walk_int(w, item, path, "timeout", 1, 86400, &has_timeout, &timeout) < 0)
		return -1;
	if (h->path[0] != '/')
		return walk_fail(w, path, "path: \"%s\" is not an absolute path", h->path);
	h->timeout = has_timeout ? (int)timeout : 0;
	/* execve wants NULL-ended arrays; no args means argv = [path]. */
	if (!h->n_args) {
		free(h->args);
		h->args = calloc(2, sizeof(char *));
		if (!h->args || !(h->args[0] = strdup(h->path)))
			return scute_err_set(w->err, ENOMEM, "out of memory");
		h->n_args = 1;
	}
	if (!h->env && !(h->env = calloc(1, sizeof(char *))))
		return scute_err_set(w->err, ENOMEM, "out of memory");
	return 0;
}

int scute_hooks_parse(json_t *hooks, const char *origin, struct scute_hooks *out,
		      struct scute_err *err)
{
	struct spec_walk w = { .origin = origin, .err = err };
	char path[64];
	json_t *arr, *item;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (!hooks || json_is_null(hooks))
		return 0;
	if (!json_is_object(hooks))
		return walk_fail(&w, "hooks", "expected an object");
	for (int k = 0; k < SCUTE_HOOK_KINDS; k++) {
		const char *kind = scute_hook_kind_name((enum scute_hook_kind)k);
		if (walk_object_array(&w, hooks, "hooks", kind, sizeof(struct scute_hook), &arr,
				      (void **)&out->list[k]) < 0)
			return -1;
		json_array_foreach(arr, i, item)
		{
			snprintf(path, sizeof(path), "hooks.%s[%zu]", kind, i);
			out->n[k] = i + 1;
			if (parse_hook(&w, item, path, &out->list[k][i]) < 0)
				return -1;
		}
	}
	return 0;
}

void scute_hooks_free(struct scute_hooks *h)
{
	for (int k = 0; k < SCUTE_HOOK_KINDS; k++) {
		for (size_t i = 0; i < h->n[k]; i++) {
			struct scute_hook *hook = &h->list[k][i];
			free(hook->path);
			free_string_array(hook->args, hook->n_args);
			free_string_array(hook->env, hook->n_env);
		}
		free(h->list[k]);
		h->list[k] = NULL;
		h->n[k] = 0;
	}
}
