/* The engine's SQLite store, ROOT/scute.db: WAL (readers never wait for
 * the writer), a busy timeout (concurrent scute commands queue instead of
 * failing), foreign keys on (a row never points to one that is gone), and
 * a schema version (PRAGMA user_version) brought up to date by ordered
 * migrations when the store is opened. Every change is one transaction
 * (scute_db_tx), so a kill -9 at any instant leaves a consistent store. */
#ifndef SCUTE_ENGINE_DB_H
#define SCUTE_ENGINE_DB_H

#include <sqlite3.h>
#include <stddef.h>

#include "scute.h"

#define SCUTE_DB_FILE "scute.db"
/* How long a command waits for another one's write transaction. */
#define SCUTE_DB_BUSY_TIMEOUT_MS 10000

/* One step of the schema: SQL run in its own transaction, after which
 * user_version is its position in the list (1 for the first). */
struct scute_db_migration {
	const char *name; /* what it adds, for errors */
	const char *sql;
};

/* Open ROOT/scute.db (ROOT made with mode 0700 if missing) and migrate it
 * to the current schema. A store whose version is newer than this code
 * knows is refused (ENOTSUP, naming both versions). NULL with err on
 * failure; the handle is the caller's to scute_db_close. */
sqlite3 *scute_db_open(const char *root, struct scute_err *err);
void scute_db_close(sqlite3 *db);

/* The schema version this code writes: the number of migrations. */
int scute_db_schema_version(void);

/* Apply migrations[user_version .. n-1], each in one transaction. Used by
 * scute_db_open with the engine's own list; separate so tests can give
 * others. */
int scute_db_migrate(sqlite3 *db, const struct scute_db_migration *migrations, size_t n,
		     struct scute_err *err);

/* Run fn inside one write transaction (BEGIN IMMEDIATE: the write lock is
 * taken first, so it waits for another writer up to the busy timeout
 * instead of failing halfway). fn's failure (a negative return, its err
 * filled) rolls everything back; otherwise the transaction commits. */
typedef int (*scute_db_tx_fn)(sqlite3 *db, void *arg, struct scute_err *err);
int scute_db_tx(sqlite3 *db, scute_db_tx_fn fn, void *arg, struct scute_err *err);
/* The same for a change of state that no file removal follows (a
 * container started, exited): committed without syncing the WAL (WAL's
 * NORMAL). A power failure may lose it, never the store's consistency;
 * the record is reconciled with the kernel when next read. */
int scute_db_tx_state(sqlite3 *db, scute_db_tx_fn fn, void *arg, struct scute_err *err);

/* Set err from SQLite's last error on db: "<context>: <sqlite's message>",
 * with an errno that says what kind of failure it was (EBUSY, EEXIST for a
 * unique key, ENOSPC, EIO ...). Returns -1. */
int scute_db_err(sqlite3 *db, struct scute_err *err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Cleanup attributes (as base/cleanup.h's): a statement finalized, a
 * handle closed when the variable goes out of scope. */
static inline void scute_cleanup_stmt(sqlite3_stmt **st)
{
	sqlite3_finalize(*st);
}

static inline void scute_cleanup_db(sqlite3 **db)
{
	scute_db_close(*db);
}

#define auto_stmt __attribute__((cleanup(scute_cleanup_stmt)))
#define auto_db __attribute__((cleanup(scute_cleanup_db)))

#endif
