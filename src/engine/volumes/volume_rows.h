/* Volume rows (schema/005-volumes.sql) and the inspect document made of
 * one. Internal to src/engine/volumes. */
#ifndef SCUTE_ENGINE_VOLUME_ROWS_H
#define SCUTE_ENGINE_VOLUME_ROWS_H

#include <jansson.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "scute.h"
#include "store.h"
#include "volume_store.h"

struct scute_volume_row {
	char name[SCUTE_VOLUME_NAME_MAX + 1];
	int64_t created; /* ns since the epoch */
	json_t *labels;	 /* an object, or NULL for docker's null */
	json_t *options; /* the same */
	bool anonymous;
	int64_t links; /* the containers that use it */
};

void scute_volume_row_clear(struct scute_volume_row *r);

/* The row of NAME into r: 1, or 0 when there is none. */
int scute_volume_row_find(sqlite3 *db, const char *name, struct scute_volume_row *r,
			  struct scute_err *err);

/* The engine root's path as the kernel resolved it (the store's fd). */
int scute_volume_root_path(const struct scute_store *s, char out[PATH_MAX], struct scute_err *err);

/* docker's Volume object for the row, its Mountpoint below ROOT. */
json_t *scute_volume_doc(const char *root, const struct scute_volume_row *r);

#endif
