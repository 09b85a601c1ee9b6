/* The defaults a new container gets, in one place: the hardened OCI
 * config of libscute (scute_spec_hardened(), the one `scute-runtime spec`
 * writes) where it has one, replaced by the engine config's key where the
 * administrator set it. Each default carries where it came from, so
 * `scute info` shows it and a container's OCI config is derived from the
 * same values.
 *
 *   default            built-in                           engine config key
 *   capabilities       process.capabilities.bounding      default-capabilities
 *   no_new_privileges  process.noNewPrivileges            no-new-privileges
 *   seccomp            "builtin" (libscute's profile)     seccomp-profile
 *   pids_limit         linux.resources.pids.limit         default-pids-limit
 *   ulimits            process.rlimits                    default-ulimits (by name)
 *   shm_size           the /dev/shm mount's size=         default-shm-size
 *   cgroupns_mode      "private" (a cgroup namespace)     default-cgroupns-mode
 *   init, init_path    false, the installed scute-init   init, init-path
 *   log_driver, opts   "json-file", {}                    log-driver, log-opts
 *   network_mode       "none" (bridges come later)        -
 *   apparmor_profile   process.apparmorProfile (or none)  -
 *   masked_paths, readonly_paths  linux.maskedPaths, linux.readonlyPaths */
#ifndef SCUTE_ENGINE_CONTAINER_DEFAULTS_H
#define SCUTE_ENGINE_CONTAINER_DEFAULTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine_config.h"
#include "scute.h"

#define SCUTE_DEFAULT_BUILTIN "built-in"

/* Where a default came from: SCUTE_DEFAULT_BUILTIN or the config's path
 * (owned by the defaults). */
struct scute_default {
	const char *source;
};

struct scute_container_defaults {
	char **capabilities; /* "CAP_CHOWN", ... */
	size_t n_capabilities;
	struct scute_default capabilities_src;
	bool no_new_privileges;
	struct scute_default no_new_privileges_src;
	char *seccomp; /* "builtin", "unconfined" or a profile's absolute path */
	struct scute_default seccomp_src;
	int64_t pids_limit; /* -1: none */
	struct scute_default pids_limit_src;
	/* [{"Name": "nofile", "Soft": N, "Hard": N}, ...] (-1: unlimited):
	 * the spec's rlimits, each replaced by the config's of that name,
	 * then the config's others in its order */
	json_t *ulimits;
	struct scute_default ulimits_src; /* the config's if it set any */
	int64_t shm_size;		  /* bytes */
	struct scute_default shm_size_src;
	char *cgroupns_mode; /* "private" or "host" */
	struct scute_default cgroupns_mode_src;
	bool init;
	struct scute_default init_src;
	char *init_path; /* the installed scute-init unless set */
	struct scute_default init_path_src;
	char *log_driver; /* "json-file" or "none" */
	struct scute_default log_driver_src;
	json_t *log_opts; /* an object of strings */
	struct scute_default log_opts_src;
	char *network_mode;
	struct scute_default network_mode_src;
	char *apparmor_profile; /* NULL: the host has no AppArmor */
	struct scute_default apparmor_profile_src;
	json_t *masked_paths, *readonly_paths; /* arrays of strings, built-in */
	char *config_path;		       /* what the sources point to */
	/* the hardened spec these were read from (building it converts the
	 * seccomp profile: the OCI config's base is made from this copy) */
	json_t *spec;
};

/* Fill d from the hardened spec and cfg (read from cfg_path; NULL names
 * it "engine config"). On failure d holds nothing. */
int scute_container_defaults_resolve(const struct scute_engine_config *cfg, const char *cfg_path,
				     struct scute_container_defaults *d, struct scute_err *err);
void scute_container_defaults_free(struct scute_container_defaults *d);

/* For `scute info`: {"Capabilities": {"Value": [...], "Source": "built-in"},
 * "NoNewPrivileges", "SeccompProfile", "PidsLimit", "Ulimits", "ShmSize",
 * "CgroupnsMode", "Init", "InitPath", "LogDriver", "LogOpts",
 * "NetworkMode", "AppArmorProfile", "MaskedPaths", "ReadonlyPaths"}, each
 * {Value, Source}; NULL when out of memory. */
json_t *scute_container_defaults_json(const struct scute_container_defaults *d);

#endif
