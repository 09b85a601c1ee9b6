/* A container's event stream (runc's `events`): its cgroup's stats, and an
 * "oom" event whenever the kernel OOM-kills in it, until it stops. Front
 * ends only print what they are given. */
#ifndef SCUTE_EVENTS_H
#define SCUTE_EVENTS_H

#include <stdbool.h>

#include "error.h"

typedef struct json_t json_t;

/* Called with "stats" and its data, or "oom" and NULL; `data` is the
 * callee's to release (json_decref). */
typedef void (*scute_event_fn)(const char *type, const char *id, json_t *data, void *arg);

/* With `once`, one stats event. Otherwise stats every `interval_ms` and an
 * oom event for each new OOM kill, until the container stops (an OOM kill
 * that stopped it is reported too). */
int scute_container_events(const char *root, const char *id, long interval_ms, bool once,
			   scute_event_fn fn, void *arg, struct scute_err *err);

#endif
