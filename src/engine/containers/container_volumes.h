/* A container's named and anonymous volumes (volume_store.h): linked to
 * its record at create, as docker makes them then; their directories at
 * start; removed with it on rm -v and --rm, as docker does. */
#ifndef SCUTE_ENGINE_CONTAINER_VOLUMES_H
#define SCUTE_ENGINE_CONTAINER_VOLUMES_H

#include <jansson.h>

#include "lifecycle.h"

/* Link every volume the record names (HostConfig.Binds NAME:/dst, Mounts
 * of type volume, Config.Volumes), making the missing ones. */
int scute_container_volumes_attach(struct scute_store *s, const struct scute_container *c,
				   struct scute_err *err);
/* {"DESTINATION": "HOST PATH"} of the container's volumes. */
json_t *scute_container_volume_paths(struct scute_store *s, const char *id, struct scute_err *err);
/* scute_container_remove, then the container's anonymous volumes. */
int scute_container_remove_volumes(struct scute_store *s, const struct scute_engine_paths *e,
				   const char *ref, bool force, struct scute_err *err);

#endif
