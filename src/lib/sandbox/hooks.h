/* OCI hooks: parsing config.json's "hooks" and running them with the
 * container's state on stdin (runtime-spec config.md, runtime.md). Who runs
 * each kind and when: prestart and createRuntime by create in the runtime's
 * namespaces, createContainer by the init in the container's namespaces
 * before pivot_root, startContainer by the init just before its exec,
 * poststart by start, poststop by delete. */
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

/* Run the hooks of one kind in order, each with `state` (JSON text) on its
 * stdin; the first that fails (exit status, signal, or timeout) stops the
 * rest, and its error names it and carries what it wrote to stderr. A
 * failed poststop hook is a warning instead, and the rest run. The hooks
 * that run in the container (createContainer, startContainer, run by its
 * init) get the pid as the container sees it, the others the runtime's. */
int scute_hooks_run(const struct scute_hooks *h, enum scute_hook_kind kind, const char *state,
		    struct scute_err *err);

#endif
