/* `scute import --change`: Dockerfile instructions applied to an image's
 * config (the `config` object of an OCI image config), as docker import
 * and docker commit apply theirs: CMD, ENTRYPOINT, ENV, WORKDIR, USER,
 * EXPOSE, LABEL, VOLUME and STOPSIGNAL. Any other instruction is refused,
 * naming it, as docker refuses it (ONBUILD and HEALTHCHECK, which docker
 * takes, are refused too: scute does not run them).
 *
 * The text is read as a Dockerfile is: instruction names in any case,
 * lines continued with a trailing backslash, comments, exec form (a JSON
 * array of strings) or shell form (run by the config's Shell, or
 * /bin/sh -c), the quoting and backslash escapes of Dockerfile words, and
 * $VAR / ${VAR} / ${VAR:-word} / ${VAR:+word} expanded from the config's
 * Env in ENV, LABEL, EXPOSE, WORKDIR, USER, VOLUME and STOPSIGNAL. The
 * text is a user's flag: untrusted, and held to limits. */
#ifndef SCUTE_ENGINE_CHANGE_H
#define SCUTE_ENGINE_CHANGE_H

#include "scute.h"

/* The longest --change text, and the most ports EXPOSE may leave. */
#define SCUTE_CHANGE_MAX (64 * 1024)
#define SCUTE_CHANGE_PORTS_MAX 65536

/* Apply the N texts of CHANGES, in order, to CONFIG (a JSON object) as one
 * Dockerfile, as docker applies an import's --change flags: an ENTRYPOINT
 * clears Cmd unless a CMD came before it. All or nothing: on an error
 * CONFIG is as it was. An error is EINVAL naming the change and what is
 * wrong: `--change "EXPOSE 99999": invalid port "99999"`, or ENOMEM. */
int scute_image_changes_apply(json_t *config, const char *const *changes, size_t n,
			      struct scute_err *err);

/* One change alone (scute_image_changes_apply with N = 1). */
int scute_image_change_apply(json_t *config, const char *change, struct scute_err *err);

#endif
