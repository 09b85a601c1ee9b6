/* Docker's JSON seccomp profile format (what `--security-opt seccomp=FILE`
 * takes), turned into the OCI linux.seccomp section it yields for a given
 * capability set, architecture and kernel. */
#ifndef SCUTE_SECCOMP_DOCKER_H
#define SCUTE_SECCOMP_DOCKER_H

#include <stdint.h>

#include "error.h"

typedef struct json_t json_t;

struct scute_docker_env {
	uint64_t caps; /* the container's bounding set */
	int kernel_major, kernel_minor;
	const char *arch;    /* native, as SCMP_ARCH_X86_64 */
	const char *go_arch; /* native, as Go names it: amd64 */
};

/* The environment of this machine (arch, kernel) with the given caps. */
int scute_docker_env_native(struct scute_docker_env *env, uint64_t caps, struct scute_err *err);
/* Convert; errors name `origin` and the JSON path in the profile. */
json_t *scute_seccomp_from_docker(json_t *profile, const char *origin,
				  const struct scute_docker_env *env, struct scute_err *err);
/* Load FILE and convert (syntax errors give line and column). */
json_t *scute_seccomp_docker_file(const char *path, const struct scute_docker_env *env,
				  struct scute_err *err);
/* scute's own default profile (profiles/seccomp-default.json, built in),
 * converted for `env`. */
json_t *scute_seccomp_default(const struct scute_docker_env *env, struct scute_err *err);
/* Parse "X.Y" into major/minor. */
int scute_parse_kernel_version(const char *s, int *major, int *minor);

#endif
