/* The engine's configuration, /etc/scute/scute.json, with the key names of
 * docker's daemon.json where they mean the same, so an operator's
 * knowledge carries over. A key scute does not know is an error (as
 * dockerd refuses one), never silently ignored. Fuzzed with the other
 * JSON inputs later; the file is the administrator's, not untrusted. */
#ifndef SCUTE_ENGINE_CONFIG_H
#define SCUTE_ENGINE_CONFIG_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scute.h"

#define SCUTE_ENGINE_CONFIG_DEFAULT "/etc/scute/scute.json"

struct scute_engine_config {
	char *path;	 /* the file read; NULL: none (the default was missing) */
	char *data_root; /* "data-root": the store; NULL: the default */
	/* "certs-dir" (scute's): registry CAs and client certificates in
	 * docker's certs.d layout; NULL: /etc/docker/certs.d */
	char *certs_dir;
	int64_t max_layer_size;	    /* "max-layer-size": bytes uncompressed, 0: default */
	char **insecure_registries; /* "insecure-registries": HOST[:PORT] or CIDR */
	size_t n_insecure_registries;

	/* Container defaults (issue 14), each switchable per container. An
	 * unset key leaves the built-in hardened default (the one of
	 * scute_spec_hardened() where it has one): -1 for the tristates, 0 or
	 * NULL for the rest. */
	int no_new_privileges; /* "no-new-privileges": -1, 0 or 1 */
	/* "seccomp-profile": an absolute path (a docker-format profile, read
	 * when a container is made), "unconfined" or "builtin" */
	char *seccomp_profile;
	/* "default-ulimits": docker's {"nofile": {"Name": "nofile", "Soft": N,
	 * "Hard": N}}, names checked, Name filled in, -1 unlimited, Soft <= Hard */
	json_t *default_ulimits;
	int64_t default_shm_size;    /* "default-shm-size": bytes ("64m" or a number) */
	char *default_cgroupns_mode; /* "default-cgroupns-mode": "private" or "host" */
	int init;		     /* "init": -1, 0 or 1 */
	char *init_path;	     /* "init-path": the --init binary */
	char *log_driver;	     /* "log-driver": "json-file" or "none" */
	/* "log-opts": strings, json-file's keys (max-size, max-file, compress,
	 * labels, labels-regex, env, env-regex, tag), none with "none" */
	json_t *log_opts;
	char *exec_root; /* "exec-root": runtime state, default /run/scute */
	/* scute's own: the capabilities a container gets, written as docker's
	 * --cap-add takes them ("chown", "CAP_CHOWN") and kept as "CAP_CHOWN" */
	char **default_capabilities;
	size_t n_default_capabilities;
	bool has_default_capabilities;
	int64_t default_pids_limit; /* scute's own "default-pids-limit": N > 0, -1 none, 0 unset */
};

/* Read `path` (NULL: the default, which may be missing). */
int scute_engine_config_load(const char *path, struct scute_engine_config *c,
			     struct scute_err *err);
/* The same from a JSON text (for tests). `where` names it in errors. */
int scute_engine_config_parse(const char *text, const char *where, struct scute_engine_config *c,
			      struct scute_err *err);
void scute_engine_config_free(struct scute_engine_config *c);

#endif
