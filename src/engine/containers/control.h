/* Changing a container in place, and removing the stopped ones: pause and
 * unpause (the cgroup freezer, through libscute), update (docker's
 * resource limits and restart policy: the record always, the cgroup of a
 * live container too) and container prune. The store is open for writing;
 * each call reconciles the record with the kernel first (lifecycle.h). */
#ifndef SCUTE_ENGINE_CONTROL_H
#define SCUTE_ENGINE_CONTROL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "lifecycle.h"

/* Freeze (pause) or thaw the container `ref`; its status becomes "paused"
 * or "running". EINVAL, as docker says it: "container ID is not running",
 * "container ID is already paused", "container ID is not paused". */
int scute_container_set_paused(struct scute_store *s, const struct scute_engine_paths *e,
			       const char *ref, bool pause, struct scute_err *err);

/* HOST_CONFIG with CHANGES (docker's update body: the resource fields of
 * oci_resources.h but OomKillDisable, and RestartPolicy) merged as dockerd
 * merges them: a field that is 0, "" or absent leaves the old value,
 * PidsLimit changes when not null, RestartPolicy when its Name is not "".
 * A new object, or NULL with EINVAL naming the field for a change update
 * cannot make (another field with a value), a bad RestartPolicy, or
 * dockerd's conflicts (NanoCpus against a CpuPeriod or CpuQuota set
 * before, and the reverse; a restart policy with AutoRemove; a Memory above
 * the MemorySwap set before, without a new MemorySwap). */
json_t *scute_host_config_merge_update(json_t *host_config, json_t *changes, struct scute_err *err);

/* Update the container `ref` with CHANGES (above): the merged HostConfig
 * is checked whole (oci_resources.h); a running or paused container gets
 * its limits applied to its cgroup (libscute checks them first), then the
 * merged HostConfig is written in one transaction. A created or stopped
 * one has only its record changed: it starts with the new limits. */
int scute_container_apply_update(struct scute_store *s, const struct scute_engine_paths *e,
				 const char *ref, json_t *changes, struct scute_err *err);

/* Add a --filter ARG of container prune to FILTERS (docker's shape):
 *   until=TIME         made before TIME: a Unix timestamp ("1700000000.5"),
 *                      a date ("2024-01-02", "2024-01-02T03:04:05Z", with a
 *                      zone offset, or local time without one) or a
 *                      duration before now ("10m", "1h30m")
 *   label=KEY[=VALUE]  label!=KEY[=VALUE]  with (or without) that label
 * Anything else is EINVAL naming it. */
int scute_containers_prune_filter_add(json_t *filters, const char *arg, struct scute_err *err);

/* Remove every container that is not running (created, exited, dead) and
 * passes FILTERS (NULL: all; checked as above), each with
 * scute_container_remove. *deleted_ids gets the IDs removed (a new array),
 * *space the bytes their own layers held. A container that cannot be
 * removed (it started meanwhile) is left, with a warning, as dockerd does. */
int scute_containers_prune(struct scute_store *s, const struct scute_engine_paths *e,
			   json_t *filters, json_t **deleted_ids, uint64_t *space,
			   struct scute_err *err);

#endif
