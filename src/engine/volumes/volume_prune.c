/* volume prune (volume_store.h): every volume no container uses, rows
 * dropped and directories moved out in one transaction, their files
 * counted and removed after it commits. */
#include <errno.h>
#include <string.h>

#include "base/cleanup.h"
#include "db.h"
#include "volume_dir.h"
#include "volume_store.h"

struct prune_tx {
	struct scute_volume_dirs *d;
	json_t *names;
	struct scute_volume_held_list held;
};

/* The unused volumes' names, then each row and directory. */
static int unused_names(sqlite3 *db, json_t *names, struct scute_err *err)
{
	auto_stmt sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(db,
			       "SELECT name FROM volumes WHERE name NOT IN "
			       "(SELECT volume FROM container_volumes) ORDER BY name",
			       -1, &st, NULL) != SQLITE_OK)
		return scute_db_err(db, err, "prune volumes");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (json_array_append_new(
			    names, json_string((const char *)sqlite3_column_text(st, 0))) < 0)
			return scute_err_set(err, ENOMEM, "prune volumes: out of memory");
	return rc == SQLITE_DONE ? 0 : scute_db_err(db, err, "prune volumes");
}

static int prune_tx(sqlite3 *db, void *arg, struct scute_err *err)
{
	struct prune_tx *a = arg;
	auto_stmt sqlite3_stmt *del = NULL;
	size_t i;
	json_t *n;

	if (unused_names(db, a->names, err) < 0)
		return -1;
	if (sqlite3_prepare_v2(db, "DELETE FROM volumes WHERE name = ?1", -1, &del, NULL) !=
	    SQLITE_OK)
		return scute_db_err(db, err, "prune volumes");
	json_array_foreach(a->names, i, n)
	{
		const char *name = json_string_value(n);
		struct scute_volume_held *h;

		if (sqlite3_bind_text(del, 1, name, -1, SQLITE_STATIC) != SQLITE_OK ||
		    sqlite3_step(del) != SQLITE_DONE || sqlite3_reset(del) != SQLITE_OK)
			return scute_db_err(db, err, "prune volumes: %s", name);
		h = scute_volume_held_next(&a->held, err);
		if (!h || scute_volume_dir_retire(a->d, name, h, err) < 0)
			return scute_err_prefix(err, "prune volumes");
	}
	return 0;
}

json_t *scute_volumes_prune(struct scute_store *s, uint64_t *reclaimed, struct scute_err *err)
{
	struct scute_volume_dirs d;
	auto_json json_t *names = json_array();
	struct prune_tx a = { &d, names, { 0 } };
	struct scute_err ignored;
	int rc;

	if (!names) {
		scute_err_set(err, ENOMEM, "prune volumes: out of memory");
		return NULL;
	}
	if (scute_volume_dirs_open(s, &d, err) < 0)
		return NULL;
	rc = scute_db_tx(s->db, prune_tx, &a, err);
	for (size_t i = 0; i < a.held.n; i++) {
		struct scute_volume_held *h = &a.held.v[i];

		/* rolled back: every directory goes back to its row */
		if (rc < 0) {
			scute_volume_dir_restore(&d, h, &ignored);
			continue;
		}
		*reclaimed += scute_volume_dir_size(h);
		if (scute_volume_dir_discard(&d, h, &ignored) < 0)
			scute_log(SCUTE_LOG_WARN, "%s", ignored.msg);
	}
	scute_volume_held_list_free(&a.held);
	scute_volume_dirs_close(&d);
	return rc < 0 ? NULL : scute_take_ptr(&names);
}
