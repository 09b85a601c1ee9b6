/* Docker's JSON seccomp profile format (what `--security-opt seccomp=FILE`
 * takes), turned into the OCI linux.seccomp section it yields for a given
 * capability set, architecture and kernel. */
#ifndef SCUTE_SECCOMP_DOCKER_H
#define SCUTE_SECCOMP_DOCKER_H

#include <stdint.h>

#include "error.h"
#include "scute.h"

/* Convert; errors name `origin` and the JSON path in the profile. */
json_t *scute_seccomp_from_docker(json_t *profile, const char *origin,
				  const struct scute_docker_env *env, struct scute_err *err);
/* scute's own default profile (profiles/seccomp-default.json, built in),
 * converted for `env`. */
json_t *scute_seccomp_default(const struct scute_docker_env *env, struct scute_err *err);

#endif
