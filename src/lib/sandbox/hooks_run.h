/* Running OCI hooks with the container's state on stdin (runtime-spec
 * runtime.md). Who runs each kind and when: prestart and createRuntime by
 * create in the runtime's namespaces, createContainer by the init in the
 * container's namespaces before pivot_root, startContainer by the init just
 * before its exec, poststart by start, poststop by delete. */
#ifndef SCUTE_HOOKS_RUN_H
#define SCUTE_HOOKS_RUN_H

#include "error.h"
#include "hooks.h"

/* Run the hooks of one kind in order, each with `state` (JSON text) on its
 * stdin; the first that fails (exit status, signal, or timeout) stops the
 * rest, and its error names it and carries what it wrote to stderr. A
 * failed poststop hook is a warning instead, and the rest run. The hooks
 * that run in the container (createContainer, startContainer, run by its
 * init) get the pid as the container sees it, the others the runtime's. */
int scute_hooks_run(const struct scute_hooks *h, enum scute_hook_kind kind, const char *state,
		    struct scute_err *err);

#endif
