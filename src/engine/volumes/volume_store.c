/* Volumes made, used, removed and swept (volume_store.h). */
#include "volume_store.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "db.h"
#include "volume_dir.h"
#include "volume_rows.h"

int scute_volume_name_check(const char *name, struct scute_err *err)
{
	static const char rest[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				   "0123456789_.-";
	size_t len = strlen(name);

	if (len < 2 || len > SCUTE_VOLUME_NAME_MAX || !strchr(rest, name[0]) || name[0] == '_' ||
	    name[0] == '.' || name[0] == '-' || strspn(name, rest) != len)
		return scute_err_set(err, EINVAL,
				     "invalid volume name \"%.300s\": a local volume's name is "
				     "[a-zA-Z0-9][a-zA-Z0-9_.-]+ (2 to 255 characters)",
				     name);
	return 0;
}

static int random_name(char name[SCUTE_VOLUME_NAME_MAX + 1], struct scute_err *err)
{
	unsigned char rnd[32];

	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		return scute_err_sys(err, "volume: random name");
	for (size_t i = 0; i < sizeof(rnd); i++)
		snprintf(name + 2 * i, 3, "%02x", rnd[i]);
	return 0;
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ---- a volume made in the caller's transaction ------------------------------ */

struct make_tx {
	struct scute_volume_dirs *d;
	char name[SCUTE_VOLUME_NAME_MAX + 1];
	json_t *labels, *options; /* NULL: docker's null */
	bool anonymous;
	const char *id, *destination; /* scute_volume_use's link */
	struct scute_volume_held made, orphan;
	bool published;
};

static int bind_json(sqlite3_stmt *st, int i, json_t *v)
{
	char *s;

	if (!v)
		return sqlite3_bind_null(st, i);
	s = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
	return s ? sqlite3_bind_text(st, i, s, -1, free) : SQLITE_NOMEM;
}

static int insert_row(sqlite3 *db, const struct make_tx *a, struct scute_err *err)
{
	auto_stmt sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(db,
			       "INSERT INTO volumes(name, driver, created, labels, options, "
			       "anonymous) VALUES (?1, 'local', ?2, ?3, ?4, ?5)",
			       -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_bind_text(st, 1, a->name, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, now_ns()) != SQLITE_OK ||
	    bind_json(st, 3, a->labels) != SQLITE_OK || bind_json(st, 4, a->options) != SQLITE_OK ||
	    sqlite3_bind_int(st, 5, a->anonymous) != SQLITE_OK || sqlite3_step(st) != SQLITE_DONE)
		return scute_db_err(db, err, "store: volume %s", a->name);
	return 0;
}

/* A fresh directory at ROOT/volumes/NAME. Under the write lock, whatever
 * is there without a whole volume's row is a leftover: moved out first. */
static int place_dir(struct make_tx *a, struct scute_err *err)
{
	if (scute_volume_dir_make(a->d, a->name, &a->made, err) < 0 ||
	    scute_volume_dir_retire(a->d, a->name, &a->orphan, err) < 0 ||
	    scute_volume_dir_publish(a->d, &a->made, err) < 0)
		return -1;
	a->published = true;
	return 0;
}

/* The volume's row and directory, made if missing. A row whose directory
 * is gone (a removal that moved it out, then died or failed to commit
 * without moving it back) gets a new empty one. */
static int ensure_tx(sqlite3 *db, struct make_tx *a, struct scute_err *err)
{
	struct scute_volume_row r;
	int found = scute_volume_row_find(db, a->name, &r, err);
	int present;

	if (found < 0)
		return -1;
	scute_volume_row_clear(&r);
	if (!found)
		return place_dir(a, err) < 0 ? -1 : insert_row(db, a, err);
	present = scute_volume_dir_exists(a->d, a->name, err);
	if (present < 0)
		return -1;
	return present ? 0 : place_dir(a, err);
}

static int create_tx(sqlite3 *db, void *arg, struct scute_err *err)
{
	return ensure_tx(db, arg, err);
}

/* After the transaction: a directory published for a row that did not
 * commit goes; a leftover moved away goes either way. */
static void finish(struct make_tx *a, int rc)
{
	struct scute_err ignored;

	if (rc < 0 && a->published &&
	    scute_volume_dir_retire(a->d, a->name, &a->made, &ignored) == 0)
		scute_volume_dir_discard(a->d, &a->made, &ignored);
	scute_volume_dir_discard(a->d, &a->made, &ignored);
	scute_volume_dir_discard(a->d, &a->orphan, &ignored);
}

static int run_make(struct scute_store *s, struct make_tx *a, scute_db_tx_fn fn,
		    struct scute_err *err)
{
	struct scute_volume_dirs d;
	int rc;

	if (scute_volume_dirs_open(s, &d, err) < 0)
		return -1;
	a->d = &d;
	a->made.lockfd = a->orphan.lockfd = -1;
	rc = scute_db_tx(s->db, fn, a, err);
	finish(a, rc);
	scute_volume_dirs_close(&d);
	a->d = NULL; /* d was this function's */
	return rc;
}

/* NAME given, or a random one. */
static int pick_name(struct make_tx *a, const char *name, struct scute_err *err)
{
	if (!name)
		return random_name(a->name, err);
	if (scute_volume_name_check(name, err) < 0)
		return -1;
	snprintf(a->name, sizeof(a->name), "%s", name);
	return 0;
}

static int check_create(const char *driver, json_t *labels, json_t *options, struct scute_err *err)
{
	const char *k;
	json_t *v;

	if (driver && strcmp(driver, SCUTE_VOLUME_DRIVER) != 0)
		return scute_err_set(err, EINVAL,
				     "volume driver \"%.200s\": only \"local\" is supported",
				     driver);
	if (options && !json_is_object(options))
		return scute_err_set(err, EINVAL, "volume options: not an object");
	if (json_object_size(options) > 0)
		return scute_err_set(err, EINVAL,
				     "volume option \"%.200s\": the local driver takes no options",
				     json_object_iter_key(json_object_iter(options)));
	if (labels && !json_is_object(labels))
		return scute_err_set(err, EINVAL, "volume labels: not an object");
	json_object_foreach(labels, k, v)
	{
		if (!json_is_string(v))
			return scute_err_set(err, EINVAL, "volume label \"%.200s\": not a string",
					     k);
	}
	return 0;
}

json_t *scute_volume_create(struct scute_store *s, const char *name, const char *driver,
			    json_t *labels, json_t *options, struct scute_err *err)
{
	auto_json json_t *l = labels ? json_incref(labels) : json_object();
	auto_json json_t *o = json_object();
	struct make_tx a = { .labels = l, .options = o, .anonymous = !name };

	if (check_create(driver, labels, options, err) < 0 || pick_name(&a, name, err) < 0)
		return NULL;
	if (!l || !o) {
		scute_err_set(err, ENOMEM, "volume: out of memory");
		return NULL;
	}
	if (run_make(s, &a, create_tx, err) < 0)
		return NULL;
	return scute_volume_inspect(s, a.name, err);
}

/* ---- use by a container ------------------------------------------------------ */

static int container_exists(sqlite3 *db, const char *id, struct scute_err *err)
{
	auto_stmt sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT 1 FROM containers WHERE id = ?1", -1, &st, NULL) !=
		    SQLITE_OK ||
	    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC) != SQLITE_OK)
		return scute_db_err(db, err, "store: container %s", id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc == SQLITE_DONE)
		return scute_err_set(err, ENOENT, "no such container: %s", id);
	return scute_db_err(db, err, "store: container %s", id);
}

static int link_tx(sqlite3 *db, void *arg, struct scute_err *err)
{
	struct make_tx *a = arg;
	auto_stmt sqlite3_stmt *st = NULL;
	int rc;

	if (container_exists(db, a->id, err) < 0 || ensure_tx(db, a, err) < 0)
		return -1;
	if (sqlite3_prepare_v2(db,
			       "INSERT INTO container_volumes(container_id, volume, destination) "
			       "VALUES (?1, ?2, ?3)",
			       -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_bind_text(st, 1, a->id, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_text(st, 2, a->name, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_text(st, 3, a->destination, -1, SQLITE_STATIC) != SQLITE_OK)
		return scute_db_err(db, err, "store: volume %s", a->name);
	rc = sqlite3_step(st);
	if (sqlite3_extended_errcode(db) == SQLITE_CONSTRAINT_PRIMARYKEY)
		return scute_err_set(err, EEXIST, "duplicate mount point: %s", a->destination);
	if (rc != SQLITE_DONE)
		return scute_db_err(db, err, "store: volume %s", a->name);
	return 0;
}

int scute_volume_use(struct scute_store *s, const char *id, const char *name,
		     const char *destination, bool anonymous, char *path, size_t path_size,
		     struct scute_err *err)
{
	struct make_tx a = { .anonymous = anonymous, .id = id, .destination = destination };
	char root[PATH_MAX];
	int n;

	if (destination[0] != '/')
		return scute_err_set(err, EINVAL,
				     "invalid mount destination \"%.300s\": not an absolute path",
				     destination);
	if (pick_name(&a, name, err) < 0 || scute_volume_root_path(s, root, err) < 0)
		return -1;
	n = snprintf(path, path_size, "%s/%s/%s/_data", root, SCUTE_VOLUMES_DIR, a.name);
	if (n < 0 || (size_t)n >= path_size)
		return scute_err_set(err, ENAMETOOLONG, "volume %s: path too long", a.name);
	return run_make(s, &a, link_tx, err);
}

/* ---- removal ---------------------------------------------------------------- */

/* a container's ID, 64 hex digits (schema/004-containers.sql) */
#define CONTAINER_ID_SIZE 65

struct remove_tx {
	struct scute_volume_dirs *d;
	const char *name;
	bool force;
	struct scute_volume_held held;
};

/* The first container that uses volume NAME into id: 1, or 0 if none. */
static int first_user(sqlite3 *db, const char *name, char id[CONTAINER_ID_SIZE],
		      struct scute_err *err)
{
	auto_stmt sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(db,
			       "SELECT container_id FROM container_volumes WHERE volume = ?1 "
			       "ORDER BY container_id LIMIT 1",
			       -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC) != SQLITE_OK)
		return scute_db_err(db, err, "store: volume %s", name);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		snprintf(id, CONTAINER_ID_SIZE, "%s", (const char *)sqlite3_column_text(st, 0));
		return 1;
	}
	return rc == SQLITE_DONE ? 0 : scute_db_err(db, err, "store: volume %s", name);
}

static int delete_row(sqlite3 *db, const char *name, struct scute_err *err)
{
	auto_stmt sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(db, "DELETE FROM volumes WHERE name = ?1", -1, &st, NULL) !=
		    SQLITE_OK ||
	    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_DONE)
		return scute_db_err(db, err, "store: volume %s", name);
	return sqlite3_changes(db) == 1 ? 1 : 0;
}

static int remove_tx(sqlite3 *db, void *arg, struct scute_err *err)
{
	struct remove_tx *a = arg;
	char id[CONTAINER_ID_SIZE];
	int rc = first_user(db, a->name, id, err);

	if (rc < 0)
		return -1;
	if (rc > 0)
		return scute_err_set(err, EBUSY, "volume %s is in use by container %s", a->name,
				     id);
	rc = delete_row(db, a->name, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return a->force ? 0 : scute_err_set(err, ENOENT, "no such volume: %s", a->name);
	/* moved out before the commit, so that a volume of the same name made
	 * right after is never the one this removal takes away */
	return scute_volume_dir_retire(a->d, a->name, &a->held, err) < 0 ? -1 : 0;
}

int scute_volume_remove(struct scute_store *s, const char *name, bool force, struct scute_err *err)
{
	struct scute_volume_dirs d;
	struct remove_tx a = { &d, name, force, { .lockfd = -1 } };
	struct scute_err ignored;
	int rc;

	if (scute_volume_dirs_open(s, &d, err) < 0)
		return -1;
	rc = scute_db_tx(s->db, remove_tx, &a, err);
	if (rc < 0) {
		scute_volume_dir_restore(&d, &a.held, &ignored);
	} else if (scute_volume_dir_discard(&d, &a.held, &ignored) < 0) {
		/* the volume is gone; its files go with the next tmp sweep */
		scute_log(SCUTE_LOG_WARN, "%s", ignored.msg);
	}
	scute_volume_dirs_close(&d);
	return rc;
}

/* ---- the sweep -------------------------------------------------------------- */

struct sweep_tx {
	struct scute_volume_dirs *d;
	json_t *entries;
	struct scute_volume_held_list held;
};

static int sweep_tx(sqlite3 *db, void *arg, struct scute_err *err)
{
	struct sweep_tx *a = arg;
	struct scute_err ignored;
	size_t i;
	json_t *e;

	json_array_foreach(a->entries, i, e)
	{
		const char *name = json_string_value(e);
		struct scute_volume_row r = { 0 };
		struct scute_volume_held *h;
		int found = 0;

		if (scute_volume_name_check(name, &ignored) == 0)
			found = scute_volume_row_find(db, name, &r, err);
		if (found < 0)
			return -1;
		scute_volume_row_clear(&r);
		if (found)
			continue;
		h = scute_volume_held_next(&a->held, err);
		if (!h || scute_volume_dir_retire(a->d, name, h, err) < 0)
			return -1;
	}
	return 0;
}

/* The names in ROOT/volumes, read before anything is moved. */
static json_t *read_entries(struct scute_volume_dirs *d, struct scute_err *err)
{
	int fd = openat(d->volfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	auto_closedir DIR *dir = fd < 0 ? NULL : fdopendir(fd);
	auto_json json_t *names = json_array();
	struct dirent *e;

	if (!dir) {
		if (fd >= 0)
			close(fd);
		scute_err_sys(err, "volumes: read %s", SCUTE_VOLUMES_DIR);
		return NULL;
	}
	while ((errno = 0, e = readdir(dir))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (json_array_append_new(names, json_string(e->d_name)) < 0) {
			scute_err_set(err, ENOMEM, "volumes: out of memory");
			return NULL;
		}
	}
	if (errno) {
		scute_err_sys(err, "volumes: read %s", SCUTE_VOLUMES_DIR);
		return NULL;
	}
	return scute_take_ptr(&names);
}

int scute_volumes_sweep(struct scute_store *s, struct scute_err *err)
{
	struct scute_volume_dirs d;
	struct sweep_tx a = { &d, NULL, { 0 } };
	int rc = -1;

	if (scute_volume_dirs_open(s, &d, err) < 0)
		return -1;
	a.entries = read_entries(&d, err);
	if (a.entries)
		rc = scute_db_tx(s->db, sweep_tx, &a, err);
	/* what was moved out is a leftover whether or not that committed */
	for (size_t i = 0; i < a.held.n; i++) {
		struct scute_err e2 = { 0 };

		if (scute_volume_dir_discard(&d, &a.held.v[i], &e2) < 0 && rc == 0)
			rc = scute_err_set(err, e2.code, "%s", e2.msg);
	}
	scute_volume_held_list_free(&a.held);
	json_decref(a.entries);
	scute_volume_dirs_close(&d);
	return rc < 0 ? scute_err_prefix(err, "sweep volumes") : 0;
}
