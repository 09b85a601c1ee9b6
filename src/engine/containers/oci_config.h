/* The one path from a container record to its OCI config (DESIGN.md "The
 * engine"): docker's Config and HostConfig, laid over the hardened base
 * that `scute-runtime spec` writes with the engine config's defaults
 * applied, so every default lives in one place. Run twice per container:
 * at create without a root (everything but the names of users and groups
 * checked, so a bad value fails before anything exists), and at start
 * with the mounted root.
 *
 * Every field of the record the derivation reads is checked here, with
 * its docker path in the error (HostConfig.CapAdd[1]: unknown capability
 * "CAP_FOO"), since records also come from the API. */
#ifndef SCUTE_ENGINE_OCI_CONFIG_H
#define SCUTE_ENGINE_OCI_CONFIG_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "container_store.h"
#include "scute.h"

/* Where a namespace of another container is (--ipc container:NAME):
 * its init's pid, or an error naming it when it is not running. */
typedef int (*scute_ns_lookup_fn)(void *arg, const char *ref, pid_t *pid, struct scute_err *err);

/* The container-wide defaults the derivation needs beyond the base spec. */
struct scute_container_defaults;

struct scute_oci_defaults {
	/* the engine's defaults (container_defaults.h) these were made from */
	const struct scute_container_defaults *cd;
	/* the base: scute_spec_hardened() with the engine config's defaults
	 * (capabilities, no-new-privileges, pids limit, rlimits) applied */
	json_t *base;
	/* the seccomp profile of the base: NULL for scute's built-in one
	 * (rebuilt for the container's capabilities, as docker's is),
	 * "unconfined", or a Docker-format profile file */
	const char *seccomp;
	const char *init_path; /* the --init binary on the host */
	bool apparmor_enabled; /* the host can confine with AppArmor */
	bool selinux_enabled;
};

struct scute_oci_inputs {
	const struct scute_container *c;
	const struct scute_oci_defaults *d;
	int rootfd;	      /* the mounted root, -1 at create */
	const char *run_dir;  /* where hostname and hosts are written, NULL at create */
	json_t *volume_paths; /* {"DESTINATION": "HOST PATH"} of the named volumes */
	scute_ns_lookup_fn ns_lookup;
	void *ns_arg;
};

/* The config.json for the container, or NULL with err. */
json_t *scute_oci_config_derive(const struct scute_oci_inputs *in, struct scute_err *err);

/* ---- parts, each in its own file; `spec` is modified in place ---------- */

/* oci_security.c: capabilities, no_new_privs, seccomp, AppArmor, SELinux,
 * Landlock, masked and read-only paths, --privileged. */
int scute_oci_security(json_t *spec, const struct scute_oci_inputs *in, struct scute_err *err);
/* oci_mounts.c: binds, volumes, --mount, --tmpfs, /dev/shm, the init,
 * /etc/hostname and /etc/hosts, devices. */
int scute_oci_mounts(json_t *spec, const struct scute_oci_inputs *in, struct scute_err *err);
/* Whether the request itself mounts something at DST (HostConfig.Binds,
 * Mounts, Tmpfs): the image's VOLUME there is then not made, as docker
 * has it; an anonymous volume over them would hide a bind (a :ro one
 * too) and turn a noexec tmpfs into a plain directory of the host's. */
bool scute_oci_mounted_at(json_t *host_config, const char *dst);
/* oci_namespaces.c: --ipc --pid --uts --cgroupns --network. */
int scute_oci_namespaces(json_t *spec, const struct scute_oci_inputs *in, struct scute_err *err);

/* The capabilities named in `names` (an array of "CAP_…") as a mask. */
uint64_t scute_oci_caps_mask(json_t *names);

/* The hostname the container gets, as dockerd records it at create:
 * Config.Hostname, else the host's with --network host, else the ID's
 * first 12 characters. */
void scute_container_hostname(const struct scute_container *c, char *out, size_t size);

/* The destination where the --init binary is bound in the container. */
#define SCUTE_INIT_DESTINATION "/dev/init"

#endif
