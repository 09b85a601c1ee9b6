/* Docker's `--change` instructions (docker import, docker commit): the
 * Dockerfile instructions that only set an image's config, applied to the
 * config's "config" object in docker's key names:
 *
 *   CMD ["a","b"] | CMD a b      Cmd (shell form: ["/bin/sh","-c","a b"])
 *   ENTRYPOINT (the same forms)  Entrypoint; clears a Cmd not set by a CMD
 *                                among the same changes, as docker's builder
 *   ENV K=V [K2="v 2"] | ENV K V Env, a name given again replaced
 *   WORKDIR DIR                  WorkingDir, a relative DIR below the last
 *   USER NAME[:GROUP]            User
 *   EXPOSE 80 80/tcp 53/udp 8000-8001/sctp   ExposedPorts
 *   LABEL k=v ["k 2"="v 2"]      Labels
 *
 * Instruction names are in any case. Values are split into words as a
 * Dockerfile's are: "double" (backslash escapes), 'single' quotes and
 * backslashes. Changes come from the command line, so each is checked
 * here: an unknown instruction, a port out of 1-65535, a protocol other
 * than tcp, udp or sctp, a missing argument are EINVAL errors naming the
 * change. Fuzzed by tests/fuzz/fuzz_change.c. */
#ifndef SCUTE_ENGINE_CHANGE_H
#define SCUTE_ENGINE_CHANGE_H

#include <jansson.h>
#include <stddef.h>

#include "scute.h"

/* The largest port range one EXPOSE word may name ("1-65535" is all). */
#define SCUTE_CHANGE_MAX_PORTS 65535

/* Apply the n changes, in order, to `config` (a JSON object). On failure
 * config may hold the changes before the failing one. */
int scute_image_changes_apply(json_t *config, const char *const *changes, size_t n,
			      struct scute_err *err);

#endif
