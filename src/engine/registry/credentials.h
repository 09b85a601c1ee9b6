/* Registry credentials in docker's config.json format, so that existing
 * `docker login`s work and ours work for docker:
 *
 *     {"auths": {"KEY": {"auth": base64("USER:PASSWORD")}}, ...}
 *
 * KEY is the registry's domain ("localhost:5000"), and for docker.io the
 * historic "https://index.docker.io/v1/". The file is written atomically
 * (a temporary file in the same directory, synced, renamed over it), mode
 * 0600, every other member kept. Credential helpers (credsStore,
 * credHelpers) are not run: a file naming one for a registry is an
 * ENOTSUP error saying so. */
#ifndef SCUTE_ENGINE_REGISTRY_CREDENTIALS_H
#define SCUTE_ENGINE_REGISTRY_CREDENTIALS_H

#include "scute.h"

/* The longest config.json read. */
#define SCUTE_CREDENTIALS_FILE_MAX (4 << 20)

/* $DOCKER_CONFIG/config.json, else $HOME/.docker/config.json (allocated;
 * NULL with err when neither variable nor the user's home is known). */
char *scute_credentials_default_path(struct scute_err *err);

/* The auths key of DOMAIN ("docker.io" -> "https://index.docker.io/v1/",
 * anything else itself). */
const char *scute_credentials_key(const char *domain);

/* Credentials for KEY from the file at PATH: 1 with *USER and *PASSWORD
 * (the caller's to free), 0 when the file or the entry is not there (an
 * entry found by docker's looser forms, "https://KEY/..." or "KEY/...",
 * counts), -1 with err when the file is unreadable, not JSON, the entry
 * malformed, or a credential helper is named for KEY (ENOTSUP). */
int scute_credentials_lookup(const char *path, const char *key, char **user, char **password,
			     struct scute_err *err);

/* Store USER and PASSWORD for KEY (making PATH's directory, 0700, when
 * missing). USER must not be empty or hold ':' (docker splits there). */
int scute_credentials_store(const char *path, const char *key, const char *user,
			    const char *password, struct scute_err *err);

/* Remove KEY's entry: 1 when there was one, 0 when there was none (no
 * file is written then). */
int scute_credentials_erase(const char *path, const char *key, struct scute_err *err);

#endif
