/* The engine's configuration, /etc/scute/scute.json, with the key names of
 * docker's daemon.json where they mean the same, so an operator's
 * knowledge carries over. A key scute does not know is an error (as
 * dockerd refuses one), never silently ignored. Fuzzed with the other
 * JSON inputs later; the file is the administrator's, not untrusted. */
#ifndef SCUTE_ENGINE_CONFIG_H
#define SCUTE_ENGINE_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "scute.h"

#define SCUTE_ENGINE_CONFIG_DEFAULT "/etc/scute/scute.json"

struct scute_engine_config {
	char *data_root; /* "data-root": the store; NULL: the default */
	/* "certs-dir" (scute's): registry CAs and client certificates in
	 * docker's certs.d layout; NULL: /etc/docker/certs.d */
	char *certs_dir;
	int64_t max_layer_size;	    /* "max-layer-size": bytes uncompressed, 0: default */
	char **insecure_registries; /* "insecure-registries": HOST[:PORT] or CIDR */
	size_t n_insecure_registries;
};

/* Read `path` (NULL: the default, which may be missing). */
int scute_engine_config_load(const char *path, struct scute_engine_config *c,
			     struct scute_err *err);
/* The same from a JSON text (for tests). `where` names it in errors. */
int scute_engine_config_parse(const char *text, const char *where, struct scute_engine_config *c,
			      struct scute_err *err);
void scute_engine_config_free(struct scute_engine_config *c);

#endif
