/* Garbage collection of the store (store.h): rows first, in one
 * transaction, then every file that has no row. The second step alone is
 * what a crash needs: a file renamed into place whose row never committed,
 * or a file whose row was removed before the process could unlink it. */
#include <dirent.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "base/cleanup.h"
#include "db.h"
#include "digest.h"
#include "remove_tree.h"
#include "store.h"

/* The layers some image or container root stands on: each one's top
 * layer and, down the parent links, everything below it. */
#define LIVE_LAYERS                                                                    \
	"WITH RECURSIVE live(id) AS (SELECT top_layer FROM images WHERE top_layer IS " \
	"NOT NULL UNION SELECT top_layer FROM rootfs "                                 \
	"UNION SELECT l.parent FROM layers l JOIN live ON l.chain_id = live.id "       \
	"WHERE l.parent IS NOT NULL) "

/* A layer with another above it cannot go first (parent is RESTRICT), so
 * dead layers go from the top, a round at a time. */
static const char dead_layers_sql[] =
	LIVE_LAYERS "DELETE FROM layers WHERE chain_id NOT IN (SELECT id FROM live) "
		    "AND chain_id NOT IN (SELECT parent FROM layers WHERE parent IS NOT NULL)";

static const char dead_blobs_sql[] =
	"DELETE FROM blobs WHERE digest NOT IN (SELECT blob FROM image_blobs) "
	"AND digest NOT IN (SELECT blob FROM layer_blobs) "
	"AND digest NOT IN (SELECT id FROM images) "
	"AND digest NOT IN (SELECT manifest FROM images WHERE manifest IS NOT NULL)";

static int exec_sql(sqlite3 *db, const char *sql, int *changes, struct scute_err *err)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		sqlite3_free(msg);
		return scute_db_err(db, err, "collect garbage");
	}
	if (changes)
		*changes = sqlite3_changes(db);
	return 0;
}

/* A container root's row commits before its directory is made and goes
 * after the directory is removed (schema/003-rootfs.sql): a row whose
 * directory is missing is a crash's leftover, and it would keep its layers
 * forever. The collector runs under the exclusive lock, so no mount or
 * removal is between those steps now. */
static int drop_lost_rootfs(sqlite3 *db, struct scute_err *err)
{
	auto_stmt sqlite3_stmt *sel = NULL;
	auto_stmt sqlite3_stmt *del = NULL;
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT dir FROM rootfs", -1, &sel, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "DELETE FROM rootfs WHERE dir = ?", -1, &del, NULL) != SQLITE_OK)
		return scute_db_err(db, err, "collect garbage: container roots");
	while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
		const char *dir = (const char *)sqlite3_column_text(sel, 0);
		struct stat st;

		if (!dir || lstat(dir, &st) == 0 || errno != ENOENT)
			continue;
		if (sqlite3_bind_text(del, 1, dir, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
		    sqlite3_step(del) != SQLITE_DONE || sqlite3_reset(del) != SQLITE_OK)
			return scute_db_err(db, err, "collect garbage: container root %s", dir);
	}
	if (rc != SQLITE_DONE)
		return scute_db_err(db, err, "collect garbage: container roots");
	return 0;
}

static int drop_dead_rows(sqlite3 *db, void *arg, struct scute_err *err)
{
	int changes = 0;

	(void)arg;
	if (drop_lost_rootfs(db, err) < 0)
		return -1;
	do {
		if (exec_sql(db, dead_layers_sql, &changes, err) < 0)
			return -1;
	} while (changes > 0);
	return exec_sql(db, dead_blobs_sql, NULL, err);
}

/* Whether `sql` (one parameter: a digest) finds a row for "sha256:" + hex. */
static int has_row(sqlite3 *db, const char *sql, const char *hex, struct scute_err *err)
{
	auto_stmt sqlite3_stmt *st = NULL;
	char digest[SCUTE_DIGEST_LEN + 1];
	int rc;

	snprintf(digest, sizeof(digest), "%s%s", SCUTE_DIGEST_PREFIX, hex);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_bind_text(st, 1, digest, -1, SQLITE_STATIC) != SQLITE_OK)
		return scute_db_err(db, err, "collect garbage");
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return scute_db_err(db, err, "collect garbage");
}

static bool hex_name(const char *name)
{
	struct scute_digest d;
	struct scute_err ignored;
	char s[SCUTE_DIGEST_LEN + 8];

	snprintf(s, sizeof(s), "%s%s", SCUTE_DIGEST_PREFIX, name);
	return strlen(name) == SCUTE_DIGEST_HEX_LEN && scute_digest_parse(s, &d, &ignored) == 0;
}

/* Remove every entry of dirfd that is not a digest with a row. */
static int drop_orphans(sqlite3 *db, int dirfd, const char *sql, const char *what,
			struct scute_err *err)
{
	/* a new open, not a dup: a dup shares the offset, and the directory
	 * may have been read to its end before */
	int dupfd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	auto_closedir DIR *d = dupfd < 0 ? NULL : fdopendir(dupfd);
	struct dirent *e;

	if (!d) {
		if (dupfd >= 0)
			close(dupfd);
		return scute_err_sys(err, "collect garbage: read %s", what);
	}
	while ((errno = 0, e = readdir(d))) {
		int known = 0;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (hex_name(e->d_name))
			known = has_row(db, sql, e->d_name, err);
		if (known < 0)
			return -1;
		if (!known && scute_remove_tree_at(dirfd, e->d_name, err) < 0)
			return scute_err_prefix(err, "collect garbage: %s", what);
	}
	if (errno)
		return scute_err_sys(err, "collect garbage: read %s", what);
	return 0;
}

int scute_store_collect(struct scute_store *s, struct scute_err *err)
{
	if (scute_db_tx(s->db, drop_dead_rows, NULL, err) < 0 ||
	    drop_orphans(s->db, s->layersfd, "SELECT 1 FROM layers WHERE chain_id = ?", "layers",
			 err) < 0 ||
	    drop_orphans(s->db, s->blobs.shafd, "SELECT 1 FROM blobs WHERE digest = ?", "blobs",
			 err) < 0)
		return -1;
	return 0;
}
