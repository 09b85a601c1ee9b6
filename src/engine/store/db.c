#include "db.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "root.h"
#include "schema.h"

/* The errno that says what kind of failure SQLite's last error was. */
static int errno_of(sqlite3 *db)
{
	int ext = sqlite3_extended_errcode(db);
	int sys = sqlite3_system_errno(db);

	switch (ext & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED: return EBUSY;
	case SQLITE_NOMEM: return ENOMEM;
	case SQLITE_FULL: return ENOSPC;
	case SQLITE_READONLY: return EROFS;
	case SQLITE_PERM:
	case SQLITE_AUTH: return EACCES;
	case SQLITE_CONSTRAINT:
		return ext == SQLITE_CONSTRAINT_PRIMARYKEY || ext == SQLITE_CONSTRAINT_UNIQUE
			       ? EEXIST
			       : EINVAL;
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN: return sys > 0 ? sys : EIO;
	default: return EIO;
	}
}

/* An I/O failure, whose errno is the system's. */
static bool is_io(sqlite3 *db)
{
	int ext = sqlite3_extended_errcode(db) & 0xff;

	return ext == SQLITE_IOERR || ext == SQLITE_CANTOPEN;
}

int scute_db_err(sqlite3 *db, struct scute_err *err, const char *fmt, ...)
{
	char ctx[SCUTE_ERR_MSG_MAX];
	int code = errno_of(db);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ctx, sizeof(ctx), fmt, ap);
	va_end(ap);
	/* SQLite says "disk I/O error" for a full disk too: the system's own
	 * word says which */
	if (code == ENOSPC || (code != EIO && is_io(db)))
		return scute_err_set(err, code, "%s: %s: %s", ctx, sqlite3_errmsg(db),
				     strerror(code));
	return scute_err_set(err, code, "%s: %s", ctx, sqlite3_errmsg(db));
}

void scute_db_close(sqlite3 *db)
{
	/* _v2: a statement left unfinalized delays the close, never leaks
	 * the handle. */
	sqlite3_close_v2(db);
}

int scute_db_schema_version(void)
{
	return (int)scute_db_migrations_count;
}

/* The first column of the first row of SQL. */
static int query_int(sqlite3 *db, const char *sql, int64_t *out, struct scute_err *err)
{
	auto_stmt sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW)
		return scute_db_err(db, err, "scute.db: %s", sql);
	*out = sqlite3_column_int64(st, 0);
	return 0;
}

static int exec(sqlite3 *db, const char *sql, struct scute_err *err)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return scute_db_err(db, err, "scute.db: %s", sql);
	return 0;
}

static void rollback(sqlite3 *db)
{
	/* A failed COMMIT may already have rolled back. */
	if (!sqlite3_get_autocommit(db))
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
}

int scute_db_tx_state(sqlite3 *db, scute_db_tx_fn fn, void *arg, struct scute_err *err)
{
	struct scute_err after = { 0 };
	int rc;

	if (exec(db, "PRAGMA synchronous = NORMAL", err) < 0)
		return -1;
	rc = scute_db_tx(db, fn, arg, err);
	/* back to FULL for the connection's next change; a failure of the
	 * change itself is the one reported */
	if (exec(db, "PRAGMA synchronous = FULL", &after) < 0 && rc == 0) {
		*err = after;
		return -1;
	}
	return rc;
}

int scute_db_tx(sqlite3 *db, scute_db_tx_fn fn, void *arg, struct scute_err *err)
{
	if (exec(db, "BEGIN IMMEDIATE", err) < 0)
		return -1;
	if (fn(db, arg, err) < 0) {
		rollback(db);
		return -1;
	}
	if (exec(db, "COMMIT", err) < 0) {
		rollback(db);
		return -1;
	}
	return 0;
}

/* A version this code did not write is refused before anything is read
 * or written with a schema it does not know. */
static int check_version(int64_t v, size_t known, struct scute_err *err)
{
	if (v < 0)
		return scute_err_set(
			err, ENOTSUP,
			"scute.db: schema version %" PRId64 " was not written by scute", v);
	if ((uint64_t)v > known)
		return scute_err_set(err, ENOTSUP,
				     "scute.db: schema version %" PRId64
				     " is newer than this scute knows (%zu): use a newer scute",
				     v, known);
	return 0;
}

struct migration_step {
	const struct scute_db_migration *list;
	size_t n;
	bool done;
};

/* One migration, chosen inside the transaction: another scute process may
 * have migrated since this one looked. */
static int migrate_one(sqlite3 *db, void *arg, struct scute_err *err)
{
	struct migration_step *s = arg;
	char set[64];
	int64_t v = 0;

	if (query_int(db, "PRAGMA user_version", &v, err) < 0 || check_version(v, s->n, err) < 0)
		return -1;
	if ((uint64_t)v == s->n) {
		s->done = true;
		return 0;
	}
	if (sqlite3_exec(db, s->list[v].sql, NULL, NULL, NULL) != SQLITE_OK)
		return scute_db_err(db, err, "scute.db: migration %" PRId64 " (%s)", v + 1,
				    s->list[v].name);
	snprintf(set, sizeof(set), "PRAGMA user_version = %" PRId64, v + 1);
	return exec(db, set, err);
}

int scute_db_migrate(sqlite3 *db, const struct scute_db_migration *migrations, size_t n,
		     struct scute_err *err)
{
	struct migration_step s = { migrations, n, false };
	int64_t v = 0;

	/* Read first: an up-to-date store (the usual case) takes no write
	 * lock, so commands opening it do not queue behind each other. */
	if (query_int(db, "PRAGMA user_version", &v, err) < 0 || check_version(v, n, err) < 0)
		return -1;
	while ((uint64_t)v < n && !s.done)
		if (scute_db_tx(db, migrate_one, &s, err) < 0)
			return -1;
	return 0;
}

/* One try at switching to WAL; SQLITE_BUSY is returned as is. */
static int try_wal(sqlite3 *db, struct scute_err *err)
{
	auto_stmt sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, "PRAGMA journal_mode = WAL", -1, &st, NULL);

	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_BUSY)
		return SQLITE_BUSY;
	if (rc != SQLITE_ROW)
		return scute_db_err(db, err, "scute.db: WAL mode");
	if (sqlite3_stricmp((const char *)sqlite3_column_text(st, 0), "wal") != 0)
		return scute_err_set(err, ENOTSUP, "scute.db: WAL mode refused (journal mode %s)",
				     sqlite3_column_text(st, 0));
	return 0;
}

/* WAL mode is kept in the file, so only the first open of a new store
 * switches it; when several commands make the store at once, the switch
 * can be refused as busy at once, without the busy handler (SQLite does
 * not wait there, to avoid a deadlock), so it is retried here until the
 * busy timeout. */
static int set_wal(sqlite3 *db, struct scute_err *err)
{
	for (int waited = 0;; waited += 10) {
		int rc = try_wal(db, err);

		if (rc != SQLITE_BUSY)
			return rc;
		if (waited >= SCUTE_DB_BUSY_TIMEOUT_MS)
			return scute_db_err(db, err, "scute.db: WAL mode");
		usleep(10000);
	}
}

/* The settings every connection needs; PRAGMAs are per connection. */
static int configure(sqlite3 *db, struct scute_err *err)
{
	int64_t fk = 0;

	sqlite3_extended_result_codes(db, 1);
	sqlite3_busy_timeout(db, SCUTE_DB_BUSY_TIMEOUT_MS);
	/* -wal and -shm stay when the last connection closes: made anew at
	 * each open, they need space, and on a full disk every command, ps
	 * included, failed with "disk I/O error". Kept, they hold the space
	 * to read the store and to record a small change (a container's
	 * exit) even then. */
	sqlite3_file_control(db, "main", SQLITE_FCNTL_PERSIST_WAL, &(int){ 1 });
	/* The file is the engine's alone: no schema tricks (writable_schema),
	 * no functions run from a schema's triggers or views. */
	sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	/* Each command opens and closes the store: a checkpoint at every
	 * close would sync the database and recreate the WAL each time. The
	 * WAL is checkpointed as it grows instead, with the same guarantees,
	 * every 64 pages: the next first connection reads the whole WAL to
	 * rebuild its index, so it is kept short. */
	sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
	if (set_wal(db, err) < 0)
		return -1;
	/* FULL, not WAL's usual NORMAL: a removal deletes files right after its
	 * commit, and a commit lost at power failure would bring back rows
	 * that point to them. */
	if (exec(db, "PRAGMA synchronous = FULL", err) < 0 ||
	    exec(db, "PRAGMA wal_autocheckpoint = 64", err) < 0 ||
	    exec(db, "PRAGMA foreign_keys = ON", err) < 0 ||
	    query_int(db, "PRAGMA foreign_keys", &fk, err) < 0)
		return -1;
	if (fk != 1)
		return scute_err_set(err, ENOTSUP,
				     "scute.db: this SQLite cannot enforce foreign keys");
	return 0;
}

sqlite3 *scute_db_open(const char *root, struct scute_err *err)
{
	int rootfd = scute_store_root_open(root, err);
	auto_db sqlite3 *db = NULL;
	char path[PATH_MAX];
	int n;

	if (rootfd < 0)
		return NULL;
	close(rootfd);
	n = snprintf(path, sizeof(path), "%s/%s", root, SCUTE_DB_FILE);
	if (n < 0 || (size_t)n >= sizeof(path)) {
		scute_err_set(err, ENAMETOOLONG, "engine root \"%s\": path too long", root);
		return NULL;
	}
	/* NOFOLLOW: a symlink planted as scute.db is refused. SQLite opens
	 * its files (the database, -wal, -shm) close-on-exec. */
	if (sqlite3_open_v2(path, &db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW |
				    SQLITE_OPEN_EXRESCODE,
			    NULL) != SQLITE_OK) {
		scute_db_err(db, err, "open %s", path);
		return NULL;
	}
	if (configure(db, err) < 0 ||
	    scute_db_migrate(db, scute_db_migrations, scute_db_migrations_count, err) < 0)
		return NULL;
	return scute_take_ptr(&db);
}
