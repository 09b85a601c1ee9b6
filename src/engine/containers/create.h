/* docker create and the OCI config of docker start, over the lifecycle
 * (lifecycle.h): the request's Config merged with its image's as dockerd
 * merges them, HostConfig's unset fields filled from the engine's
 * defaults (container_defaults.h), the whole checked by deriving its OCI
 * config once before anything is made. */
#ifndef SCUTE_ENGINE_CREATE_H
#define SCUTE_ENGINE_CREATE_H

#include <jansson.h>

#include "container_defaults.h"
#include "lifecycle.h"
#include "oci_config.h"

/* The base spec and the rest of scute_oci_defaults from the engine's
 * defaults; release with scute_oci_defaults_clear. */
int scute_oci_defaults_from(const struct scute_container_defaults *d,
			    struct scute_oci_defaults *out, struct scute_err *err);
void scute_oci_defaults_clear(struct scute_oci_defaults *o);

/* Make the container: config (Image required) and host_config as the
 * Engine API's create body has them (both copied, then merged and
 * filled); *out gets the record. On failure nothing is left. */
int scute_container_new(struct scute_store *s, const struct scute_engine_paths *e,
			const struct scute_oci_defaults *d, const char *name, json_t *config,
			json_t *host_config, struct scute_container *out, struct scute_err *err);

/* Mount the container's root and derive the config it starts with. The
 * store stays open (for writing). */
json_t *scute_container_start_config(struct scute_store *s, const struct scute_engine_paths *e,
				     const struct scute_oci_defaults *d,
				     const struct scute_container *c, struct scute_err *err);

#endif
