/* Unit tests of the engine's SQLite store (src/engine/store/db.c): the
 * schema is built from nothing, reopening changes nothing, a store newer
 * than the code is refused, and a failed transaction or migration leaves
 * no trace. Each test has its own engine root under a temporary
 * directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "db.h"
#include "tmpdir.h"

struct fixture {
	char *dir;
	char root[4096];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	f->dir = test_tmpdir();
	if (!f->dir) {
		free(f);
		return -1;
	}
	/* Two levels that do not exist yet: the open makes them. */
	snprintf(f->root, sizeof(f->root), "%s/var/scute", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	test_tmpdir_remove(f->dir);
	free(f);
	return 0;
}

static int64_t query(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int64_t v = -1;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int run(sqlite3 *db, const char *sql)
{
	return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

#define BLOB_A "'sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'"

static void test_migrates_from_empty(void **state)
{
	struct fixture *f = *state;
	struct scute_err err = { 0 };
	sqlite3 *db = scute_db_open(f->root, &err);
	struct stat st;

	assert_non_null(db);
	assert_int_equal(query(db, "PRAGMA user_version"), scute_db_schema_version());
	assert_true(scute_db_schema_version() >= 1);
	assert_int_equal(query(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND "
				   "name IN ('blobs', 'layers', 'images', 'tags', 'repo_digests')"),
			 5);
	assert_int_equal(query(db, "PRAGMA foreign_keys"), 1);
	assert_int_equal(query(db, "SELECT journal_mode = 'wal' FROM pragma_journal_mode"), 1);
	assert_int_equal(query(db, "PRAGMA synchronous"), 2); /* FULL */
	scute_db_close(db);
	assert_int_equal(stat(f->root, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	assert_int_equal(stat(test_path(f->dir, "var"), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
}

static void test_reopen_is_idempotent(void **state)
{
	struct fixture *f = *state;
	struct scute_err err = { 0 };
	sqlite3 *db = scute_db_open(f->root, &err);

	assert_non_null(db);
	assert_int_equal(run(db, "INSERT INTO blobs VALUES (" BLOB_A ", 3)"), SQLITE_OK);
	scute_db_close(db);
	for (int i = 0; i < 2; i++) {
		db = scute_db_open(f->root, &err);
		assert_non_null(db);
		assert_int_equal(query(db, "PRAGMA user_version"), scute_db_schema_version());
		assert_int_equal(query(db, "SELECT size FROM blobs"), 3);
		scute_db_close(db);
	}
}

static void test_newer_store_is_refused(void **state)
{
	struct fixture *f = *state;
	struct scute_err err = { 0 };
	sqlite3 *db = scute_db_open(f->root, &err);
	char want[64];
	int newer = scute_db_schema_version() + 5;

	assert_non_null(db);
	snprintf(want, sizeof(want), "PRAGMA user_version = %d", newer);
	assert_int_equal(run(db, want), SQLITE_OK);
	scute_db_close(db);
	assert_null(scute_db_open(f->root, &err));
	assert_int_equal(err.code, ENOTSUP);
	snprintf(want, sizeof(want), "schema version %d is newer than this scute knows (%d)", newer,
		 scute_db_schema_version());
	assert_non_null(strstr(err.msg, want));
}

static int insert_then_fail(sqlite3 *db, void *arg, struct scute_err *err)
{
	(void)arg;
	if (run(db, "INSERT INTO blobs VALUES (" BLOB_A ", 1)") != SQLITE_OK)
		return scute_db_err(db, err, "insert");
	return scute_err_set(err, EIO, "the step after the insert failed");
}

static int insert(sqlite3 *db, void *arg, struct scute_err *err)
{
	if (run(db, arg) != SQLITE_OK)
		return scute_db_err(db, err, "insert");
	return 0;
}

static void test_failed_transaction_rolls_back(void **state)
{
	struct fixture *f = *state;
	struct scute_err err = { 0 };
	sqlite3 *db = scute_db_open(f->root, &err);

	assert_non_null(db);
	assert_int_equal(scute_db_tx(db, insert_then_fail, NULL, &err), -1);
	assert_int_equal(err.code, EIO);
	assert_string_equal(err.msg, "the step after the insert failed");
	assert_int_equal(query(db, "SELECT count(*) FROM blobs"), 0);
	/* Control: the same insert commits when nothing fails. */
	assert_int_equal(scute_db_tx(db, insert, "INSERT INTO blobs VALUES (" BLOB_A ", 1)", &err),
			 0);
	assert_int_equal(query(db, "SELECT count(*) FROM blobs"), 1);
	/* A statement's own failure rolls back too, with SQLite's reason. */
	assert_int_equal(scute_db_tx(db, insert, "INSERT INTO blobs VALUES (" BLOB_A ", 2)", &err),
			 -1);
	assert_int_equal(err.code, EEXIST);
	assert_int_equal(query(db, "SELECT size FROM blobs"), 1);
	scute_db_close(db);
}

static void test_failed_migration_leaves_the_version(void **state)
{
	struct fixture *f = *state;
	struct scute_err err = { 0 };
	sqlite3 *db = scute_db_open(f->root, &err);
	const int base = scute_db_schema_version();
	/* The engine's own list, then two more: the second breaks halfway. */
	struct scute_db_migration list[8] = { 0 };

	assert_non_null(db);
	assert_true(base + 2 <= 8);
	for (int i = 0; i < base; i++)
		list[i] = (struct scute_db_migration){ "engine", "SELECT 1" };
	list[base] = (struct scute_db_migration){ "add a", "CREATE TABLE a (x INTEGER)" };
	list[base + 1] =
		(struct scute_db_migration){ "add b",
					     "CREATE TABLE b (x INTEGER); CREATE TABLE a (y)" };
	assert_int_equal(scute_db_migrate(db, list, (size_t)base + 2, &err), -1);
	assert_non_null(strstr(err.msg, "add b"));
	assert_int_equal(query(db, "PRAGMA user_version"), base + 1);
	assert_int_equal(query(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'b'"), 0);
	list[base + 1].sql = "CREATE TABLE b (x INTEGER)";
	assert_int_equal(scute_db_migrate(db, list, (size_t)base + 2, &err), 0);
	assert_int_equal(query(db, "PRAGMA user_version"), base + 2);
	scute_db_close(db);
}

/* The schema holds its own rules: digests in their one form, no row
 * pointing to a row that is not there, tags going with their image. */
static void test_schema_rules(void **state)
{
	struct fixture *f = *state;
	struct scute_err err = { 0 };
	sqlite3 *db = scute_db_open(f->root, &err);

	assert_non_null(db);
	assert_int_not_equal(run(db, "INSERT INTO blobs VALUES ('sha256:ABC', 1)"), SQLITE_OK);
	assert_int_not_equal(run(db, "INSERT INTO images VALUES (" BLOB_A ", NULL, NULL, 0)"),
			     SQLITE_OK);
	assert_int_equal(run(db, "INSERT INTO blobs VALUES (" BLOB_A ", 1)"), SQLITE_OK);
	assert_int_equal(run(db, "INSERT INTO images VALUES (" BLOB_A ", NULL, NULL, 0)"),
			 SQLITE_OK);
	assert_int_equal(run(db, "INSERT INTO tags VALUES ('docker.io/library/a:1', " BLOB_A ")"),
			 SQLITE_OK);
	/* A blob an image needs stays. */
	assert_int_not_equal(run(db, "DELETE FROM blobs"), SQLITE_OK);
	/* A base layer's chain ID is its diff_id. */
	assert_int_not_equal(run(db,
				 "INSERT INTO layers VALUES (" BLOB_A ", 'sha256:"
				 "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'"
				 ", NULL, 0)"),
			     SQLITE_OK);
	assert_int_equal(run(db, "DELETE FROM images"), SQLITE_OK);
	assert_int_equal(query(db, "SELECT count(*) FROM tags"), 0);
	scute_db_close(db);
}

static void test_symlinked_database_is_refused(void **state)
{
	struct fixture *f = *state;
	struct scute_err err = { 0 };
	sqlite3 *db = scute_db_open(f->root, &err);
	char elsewhere[4096], link[4096];

	assert_non_null(db);
	scute_db_close(db);
	snprintf(link, sizeof(link), "%s/scute.db", f->root);
	snprintf(elsewhere, sizeof(elsewhere), "%s/elsewhere.db", f->dir);
	assert_int_equal(rename(link, elsewhere), 0);
	unlink(test_path(f->root, "scute.db-wal"));
	unlink(test_path(f->root, "scute.db-shm"));
	assert_int_equal(symlink(elsewhere, link), 0);
	assert_null(scute_db_open(f->root, &err));
	assert_non_null(strstr(err.msg, "scute.db"));
}

/* Commands started together on a fresh root: each opens (and so creates
 * and migrates) the store, none fails, the schema is built once. */
static void test_concurrent_opens_migrate_once(void **state)
{
	struct fixture *f = *state;
	struct scute_err err = { 0 };
	pid_t pids[6];
	sqlite3 *db;
	int status;

	for (size_t i = 0; i < sizeof(pids) / sizeof(pids[0]); i++) {
		pids[i] = fork();
		assert_true(pids[i] >= 0);
		if (pids[i] == 0) {
			db = scute_db_open(f->root, &err);
			if (!db)
				fprintf(stderr, "child %zu: %s\n", i, err.msg);
			scute_db_close(db);
			_exit(db ? 0 : 1);
		}
	}
	for (size_t i = 0; i < sizeof(pids) / sizeof(pids[0]); i++) {
		assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	db = scute_db_open(f->root, &err);
	assert_non_null(db);
	assert_int_equal(query(db, "PRAGMA user_version"), scute_db_schema_version());
	scute_db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_migrates_from_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reopen_is_idempotent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_newer_store_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_transaction_rolls_back, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_failed_migration_leaves_the_version, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_schema_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlinked_database_is_refused, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_concurrent_opens_migrate_once, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
