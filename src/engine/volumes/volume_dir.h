/* The directories of volumes (volume_store.h), by fd from the store's:
 * ROOT/volumes/NAME/_data. A directory on its way in or out lives in a
 * locked entry of ROOT/tmp (root.h), as ROOT/tmp/tmp-HEX/volume: the lock
 * keeps the store's tmp sweep off it while this process lives, and a
 * crash leaves it to that sweep. Internal to src/engine/volumes. */
#ifndef SCUTE_ENGINE_VOLUME_DIR_H
#define SCUTE_ENGINE_VOLUME_DIR_H

#include <limits.h>
#include <stdint.h>

#include "root.h"
#include "scute.h"
#include "store.h"
#include "volume_store.h"

#define SCUTE_VOLUMES_DIR "volumes"

struct scute_volume_dirs {
	int volfd;	     /* ROOT/volumes */
	int tmpfd;	     /* ROOT/tmp */
	char root[PATH_MAX]; /* the engine root, absolute (for Mountpoint) */
};

/* A volume directory held in ROOT/tmp: made there, or moved there. */
struct scute_volume_held {
	char tmp[SCUTE_STORE_TMP_NAME_MAX];
	int lockfd; /* the tmp entry, locked; -1: nothing held */
	char name[SCUTE_VOLUME_NAME_MAX + 1];
};

/* Directories held by one transaction (a prune, a sweep). */
struct scute_volume_held_list {
	struct scute_volume_held *v;
	size_t n, cap;
};

/* A new slot at the end of the list, nothing held in it yet. */
struct scute_volume_held *scute_volume_held_next(struct scute_volume_held_list *l,
						 struct scute_err *err);
void scute_volume_held_list_free(struct scute_volume_held_list *l);

/* Open (and make, 0700) ROOT/volumes, and ROOT/tmp. Refuses a store open
 * read-only (EINVAL). */
int scute_volume_dirs_open(struct scute_store *s, struct scute_volume_dirs *d,
			   struct scute_err *err);
void scute_volume_dirs_close(struct scute_volume_dirs *d);

/* ROOT/volumes/NAME/_data as a path. */
void scute_volume_dir_path(const struct scute_volume_dirs *d, const char *name, char *out,
			   size_t size);

/* A new volume directory for NAME, held: its _data (0755), synced. */
int scute_volume_dir_make(struct scute_volume_dirs *d, const char *name,
			  struct scute_volume_held *h, struct scute_err *err);

/* Rename the held directory to ROOT/volumes/NAME (never over an entry
 * there: EEXIST) and sync ROOT/volumes; the tmp entry goes. */
int scute_volume_dir_publish(struct scute_volume_dirs *d, struct scute_volume_held *h,
			     struct scute_err *err);

/* Move ROOT/volumes/NAME into a new held tmp entry: 0, or 1 when there is
 * no such entry (nothing held then). */
int scute_volume_dir_retire(struct scute_volume_dirs *d, const char *name,
			    struct scute_volume_held *h, struct scute_err *err);

/* Put a retired directory back (after its transaction rolled back). */
int scute_volume_dir_restore(struct scute_volume_dirs *d, struct scute_volume_held *h,
			     struct scute_err *err);

/* Remove what is held and let go of it. Nothing held: 0. */
int scute_volume_dir_discard(struct scute_volume_dirs *d, struct scute_volume_held *h,
			     struct scute_err *err);

/* 1 if ROOT/volumes/NAME/_data is a directory, 0 if missing. */
int scute_volume_dir_exists(struct scute_volume_dirs *d, const char *name, struct scute_err *err);

/* The bytes of the files in a held directory: apparent sizes, hard links
 * once, directories not counted (docker's count). Untrusted tree: no
 * symlink followed, no mount entered. */
uint64_t scute_volume_dir_size(const struct scute_volume_held *h);

#endif
