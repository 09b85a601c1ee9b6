/* Named volumes (docker's local driver): ROOT/volumes/NAME, a directory
 * of the store whose _data (mode 0755, the engine's owner) is what a
 * container mounts, and a row of schema/005-volumes.sql. A container's
 * use of a volume is a row of container_volumes: a volume in use cannot be
 * removed, and a removed container releases its volumes.
 *
 * Directories follow the rows by one rule: a directory is renamed into
 * ROOT/volumes inside the transaction that commits its row, and renamed
 * out (into a locked entry of ROOT/tmp, then removed) inside the one that
 * drops it. So while a writer holds the database's write lock, an entry of
 * ROOT/volumes without a row is a crash's leftover, and the sweep removes
 * it; a leftover under ROOT/tmp goes with the store's tmp sweep. None of
 * this needs the store lock: these calls work with the store open for
 * writing (SCUTE_STORE_WRITE) or exclusively, never read-only. */
#ifndef SCUTE_ENGINE_VOLUME_STORE_H
#define SCUTE_ENGINE_VOLUME_STORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scute.h"
#include "store.h"

#define SCUTE_VOLUME_NAME_MAX 255
#define SCUTE_VOLUME_DRIVER "local"

/* Whether NAME follows docker's rule for local volume names
 * ([a-zA-Z0-9][a-zA-Z0-9_.-]+, at most 255 bytes); EINVAL naming it if
 * not, as docker says it. */
int scute_volume_name_check(const char *name, struct scute_err *err);

/* Make the volume NAME (NULL: an anonymous volume, a random 64-hex name)
 * with LABELS (an object of strings, or NULL for none), DRIVER (NULL or
 * "local") and OPTIONS (NULL or an object; the local driver takes none
 * yet, so an option is an EINVAL error naming it). A volume NAME that
 * exists already is returned as it is, as docker does. Returns the
 * volume's inspect document (scute_volume_inspect); NULL with err. */
json_t *scute_volume_create(struct scute_store *s, const char *name, const char *driver,
			    json_t *labels, json_t *options, struct scute_err *err);

/* The volume in docker's shape (GET /volumes/NAME): Name, Driver,
 * Mountpoint (ROOT/volumes/NAME/_data), CreatedAt (RFC 3339, local time),
 * Labels, Scope ("local"), Options. ENOENT "no such volume: NAME". */
json_t *scute_volume_inspect(struct scute_store *s, const char *name, struct scute_err *err);

/* Remove the volume NAME: its row, then its directory. A volume a
 * container uses is EBUSY, "volume NAME is in use by container ID"; a
 * missing one is ENOENT unless FORCE (then 0). */
int scute_volume_remove(struct scute_store *s, const char *name, bool force, struct scute_err *err);

/* Add the --filter ARG ("KEY=VALUE") to FILTERS (docker's shape, KEY →
 * [values]): dangling=true|false (or 1|0), name=REGEX (POSIX extended,
 * unanchored, as docker's Go regexp), driver=REGEX, label=KEY[=VALUE].
 * Anything else is EINVAL naming it. */
int scute_volumes_filter_add(json_t *filters, const char *arg, struct scute_err *err);

/* Every volume that passes FILTERS (may be NULL; every key must hold, any
 * value of a key will do, labels all), by name, as inspect documents. */
json_t *scute_volumes_list(struct scute_store *s, json_t *filters, struct scute_err *err);

/* Remove every volume no container uses (docker 20.10's prune: named and
 * anonymous alike). Returns the names removed (an array) and adds the
 * bytes their files held to *reclaimed (hard links once, as docker counts
 * them). NULL with err; what was removed before a failure stays removed. */
json_t *scute_volumes_prune(struct scute_store *s, uint64_t *reclaimed, struct scute_err *err);

/* The sweep: remove every entry of ROOT/volumes without a row (what a
 * crash left between a rename and its commit). Safe while other scute
 * processes work on volumes (it runs in a write transaction). */
int scute_volumes_sweep(struct scute_store *s, struct scute_err *err);

/* Link volume `name` (created if missing, like docker run -v NAME:/dst;
 * NULL: a new anonymous one) to container `id` at `destination` (an
 * absolute path; one volume per destination, EEXIST "duplicate mount
 * point"), in one transaction; *path gets its _data directory. A volume
 * made here is anonymous if `anonymous`, and has null Labels and Options
 * as docker's are. ENOENT if the container is gone. */
int scute_volume_use(struct scute_store *s, const char *id, const char *name,
		     const char *destination, bool anonymous, char *path, size_t path_size,
		     struct scute_err *err);

/* Names of the anonymous volumes of container `id` (for rm -v), a JSON
 * array. */
json_t *scute_volumes_anonymous_of(struct scute_store *s, const char *id, struct scute_err *err);
/* The volumes of container `id`: {"DESTINATION": "ROOT/volumes/NAME/_data"}. */
json_t *scute_volumes_of(struct scute_store *s, const char *id, struct scute_err *err);

#endif
