/* The container list (GET /containers/json, `scute ps`): every record
 * reconciled with the kernel first, so a container whose processes are
 * gone is never listed as running, then docker's filters. */
#ifndef SCUTE_ENGINE_CONTAINER_LIST_H
#define SCUTE_ENGINE_CONTAINER_LIST_H

#include <jansson.h>
#include <stdbool.h>

#include "lifecycle.h"

/* Add a --filter ARG to FILTERS (docker's shape, KEY → [values]):
 *   id=PREFIX  name=SUBSTRING  label=KEY[=VALUE]  ancestor=IMAGE
 *   status=created|restarting|running|removing|paused|exited|dead
 *   exited=CODE
 * Anything else is EINVAL naming it. */
int scute_containers_filter_add(json_t *filters, const char *arg, struct scute_err *err);

/* The list entries (container_json.h), newest first: the running ones
 * (running, paused, restarting), or every one with `all` or a status
 * filter, as dockerd does; then those FILTERS (may be NULL) pass: every
 * key must hold, any value of a key will do (labels: all). The store is
 * open for writing (reconciliation records what it finds). */
json_t *scute_containers_list(struct scute_store *s, const struct scute_engine_paths *e, bool all,
			      json_t *filters, struct scute_err *err);

#endif
