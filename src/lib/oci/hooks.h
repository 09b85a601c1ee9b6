/* OCI hooks as config.json gives them (runtime-spec config.md): the kinds,
 * parsing and freeing. Running them is sandbox/hooks_run.h. */
#ifndef SCUTE_HOOKS_H
#define SCUTE_HOOKS_H

#include <jansson.h>
#include <stddef.h>

#include "error.h"

enum scute_hook_kind {
	SCUTE_HOOK_PRESTART,
	SCUTE_HOOK_CREATE_RUNTIME,
	SCUTE_HOOK_CREATE_CONTAINER,
	SCUTE_HOOK_START_CONTAINER,
	SCUTE_HOOK_POSTSTART,
	SCUTE_HOOK_POSTSTOP,
	SCUTE_HOOK_KINDS
};

struct scute_hook {
	char *path;
	char **args; /* argv; [path] when the config gives none */
	size_t n_args;
	char **env;
	size_t n_env;
	int timeout; /* seconds; 0: none */
};

struct scute_hooks {
	struct scute_hook *list[SCUTE_HOOK_KINDS];
	size_t n[SCUTE_HOOK_KINDS];
};

/* The "hooks" object of a config (NULL: none); errors name
 * "ORIGIN: hooks.KIND[i].FIELD". */
int scute_hooks_parse(json_t *hooks, const char *origin, struct scute_hooks *out,
		      struct scute_err *err);
void scute_hooks_free(struct scute_hooks *h);
const char *scute_hook_kind_name(enum scute_hook_kind kind);

#endif
