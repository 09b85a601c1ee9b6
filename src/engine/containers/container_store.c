/* Container rows (container_store.h). */
#include "container_store.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/cleanup.h"
#include "db.h"

static const char *const status_names[] = {
	[SCUTE_CONTAINER_CREATED] = "created",	 [SCUTE_CONTAINER_RUNNING] = "running",
	[SCUTE_CONTAINER_PAUSED] = "paused",	 [SCUTE_CONTAINER_RESTARTING] = "restarting",
	[SCUTE_CONTAINER_REMOVING] = "removing", [SCUTE_CONTAINER_EXITED] = "exited",
	[SCUTE_CONTAINER_DEAD] = "dead",
};

#define N_STATUS (sizeof(status_names) / sizeof(status_names[0]))

const char *scute_container_status_name(enum scute_container_status s)
{
	return (size_t)s < N_STATUS ? status_names[s] : "dead";
}

static enum scute_container_status status_of(const char *name)
{
	for (size_t i = 0; i < N_STATUS; i++)
		if (name && !strcmp(name, status_names[i]))
			return (enum scute_container_status)i;
	return SCUTE_CONTAINER_DEAD;
}

void scute_container_clear(struct scute_container *c)
{
	free(c->name);
	free(c->image);
	free(c->image_ref);
	free(c->error);
	json_decref(c->config);
	json_decref(c->host_config);
	memset(c, 0, sizeof(*c));
}

#define COLUMNS                                                                              \
	"id, name, image, image_ref, created, config, host_config, status, pid, pid_start, " \
	"exit_code, oom_killed, error, started_at, finished_at, restart_count"

static char *column_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t ? strdup((const char *)t) : NULL;
}

static json_t *column_json(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t ? json_loads((const char *)t, 0, NULL) : NULL;
}

/* The row at st (COLUMNS order) into c. */
static int read_row(sqlite3_stmt *st, struct scute_container *c, struct scute_err *err)
{
	const unsigned char *id = sqlite3_column_text(st, 0);

	memset(c, 0, sizeof(*c));
	if (!id || strlen((const char *)id) != SCUTE_CONTAINER_ID_LEN)
		return scute_err_set(err, EIO, "store: a container row without a valid ID");
	memcpy(c->id, id, SCUTE_CONTAINER_ID_LEN + 1);
	c->name = column_dup(st, 1);
	c->image = column_dup(st, 2);
	c->image_ref = column_dup(st, 3);
	c->created = sqlite3_column_int64(st, 4);
	c->config = column_json(st, 5);
	c->host_config = column_json(st, 6);
	c->status = status_of((const char *)sqlite3_column_text(st, 7));
	c->pid = (pid_t)sqlite3_column_int64(st, 8);
	c->pid_start = (uint64_t)sqlite3_column_int64(st, 9);
	c->exit_code = sqlite3_column_int(st, 10);
	c->oom_killed = sqlite3_column_int(st, 11) != 0;
	c->error = column_dup(st, 12);
	c->started_at = sqlite3_column_int64(st, 13);
	c->finished_at = sqlite3_column_int64(st, 14);
	c->restart_count = sqlite3_column_int(st, 15);
	if (!c->name || !c->image_ref || !c->config || !c->host_config || !c->error) {
		scute_container_clear(c);
		return scute_err_set(err, ENOMEM, "store: container %s: out of memory or bad JSON",
				     (const char *)id);
	}
	return 0;
}

static int bind_json(sqlite3_stmt *st, int i, json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT);

	if (!s)
		return SQLITE_NOMEM;
	return sqlite3_bind_text(st, i, s, -1, free);
}

int scute_container_insert_tx(sqlite3 *db, const struct scute_container *c, struct scute_err *err)
{
	auto_stmt sqlite3_stmt *st = NULL;
	int r;

	if (sqlite3_prepare_v2(
		    db,
		    "INSERT INTO containers(" COLUMNS ") VALUES "
		    "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
		    -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_bind_text(st, 1, c->id, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_text(st, 2, c->name, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_text(st, 3, c->image, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_text(st, 4, c->image_ref, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 5, c->created) != SQLITE_OK ||
	    bind_json(st, 6, c->config) != SQLITE_OK ||
	    bind_json(st, 7, c->host_config) != SQLITE_OK ||
	    sqlite3_bind_text(st, 8, scute_container_status_name(c->status), -1, SQLITE_STATIC) !=
		    SQLITE_OK ||
	    sqlite3_bind_int64(st, 9, c->pid) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 10, (sqlite3_int64)c->pid_start) != SQLITE_OK ||
	    sqlite3_bind_int(st, 11, c->exit_code) != SQLITE_OK ||
	    sqlite3_bind_int(st, 12, c->oom_killed) != SQLITE_OK ||
	    sqlite3_bind_text(st, 13, c->error ? c->error : "", -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 14, c->started_at) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 15, c->finished_at) != SQLITE_OK ||
	    sqlite3_bind_int(st, 16, c->restart_count) != SQLITE_OK)
		return scute_db_err(db, err, "store: container %s", c->name);
	r = sqlite3_step(st);
	if ((r & 0xff) == SQLITE_CONSTRAINT &&
	    sqlite3_extended_errcode(db) == SQLITE_CONSTRAINT_UNIQUE) {
		struct scute_container other;
		struct scute_err ignored;

		if (scute_container_find(db, c->name, &other, &ignored) == 0) {
			scute_err_set(err, EEXIST,
				      "the container name \"/%s\" is already in use by container "
				      "\"%s\"; remove or rename that container to reuse the name",
				      c->name, other.id);
			scute_container_clear(&other);
			return -1;
		}
	}
	if (r != SQLITE_DONE)
		return scute_db_err(db, err, "store: container %s", c->name);
	return 0;
}

static int find_one(sqlite3 *db, const char *where, const char *arg, struct scute_container *out,
		    int *found, struct scute_err *err)
{
	auto_stmt sqlite3_stmt *st = NULL;
	auto_free char *sql = NULL;
	int r;

	*found = 0;
	if (asprintf(&sql, "SELECT " COLUMNS " FROM containers WHERE %s LIMIT 2", where) < 0)
		return scute_err_sys(err, "store: containers");
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC) != SQLITE_OK)
		return scute_db_err(db, err, "store: containers");
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		if (++*found == 1 && read_row(st, out, err) < 0)
			return -1;
		if (*found == 2)
			scute_container_clear(out);
	}
	if (r != SQLITE_DONE) {
		if (*found == 1)
			scute_container_clear(out);
		return scute_db_err(db, err, "store: containers");
	}
	return 0;
}

int scute_container_find(sqlite3 *db, const char *ref, struct scute_container *out,
			 struct scute_err *err)
{
	const char *name = ref[0] == '/' ? ref + 1 : ref;
	size_t len = strlen(ref);
	int found;

	memset(out, 0, sizeof(*out));
	if (len == SCUTE_CONTAINER_ID_LEN &&
	    (find_one(db, "id = ?1", ref, out, &found, err) < 0 || found))
		return found ? 0 : -1;
	if (find_one(db, "name = ?1", name, out, &found, err) < 0 || found)
		return found ? 0 : -1;
	/* an ID prefix: hex only, so nothing in it is a GLOB pattern */
	if (len > 0 && len < SCUTE_CONTAINER_ID_LEN && strspn(ref, "0123456789abcdef") == len) {
		auto_free char *pattern = NULL;

		if (asprintf(&pattern, "%s*", ref) < 0)
			return scute_err_sys(err, "store: containers");
		if (find_one(db, "id GLOB ?1", pattern, out, &found, err) < 0)
			return -1;
		if (found == 1)
			return 0;
		if (found > 1)
			return scute_err_set(err, EINVAL,
					     "multiple containers found with the ID prefix \"%s\"",
					     ref);
	}
	return scute_err_set(err, ENOENT, "no such container: %s", ref);
}

/* The columns of a listing: Config and HostConfig cut down in SQL to what
 * a list entry and its filters read, so that a walk of many containers
 * parses a few fields each, not every record's whole JSON (a seccomp
 * profile in SecurityOpt is tens of kilobytes). */
#define BRIEF_COLUMNS                                                                     \
	"id, name, image, image_ref, created, "                                           \
	"json_object('Cmd', json_extract(config, '$.Cmd'), "                              \
	"'Entrypoint', json_extract(config, '$.Entrypoint'), "                            \
	"'Labels', json_extract(config, '$.Labels'), "                                    \
	"'Image', json_extract(config, '$.Image')), "                                     \
	"json_object('NetworkMode', json_extract(host_config, '$.NetworkMode'), "         \
	"'Privileged', CASE json_extract(host_config, '$.Privileged') "                   \
	"WHEN 1 THEN json('true') ELSE json('false') END), "                              \
	"status, pid, pid_start, exit_code, oom_killed, error, started_at, finished_at, " \
	"restart_count"

static int each(sqlite3 *db, const char *sql, int (*fn)(const struct scute_container *c, void *arg),
		void *arg, struct scute_err *err)
{
	auto_stmt sqlite3_stmt *st = NULL;
	int r;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return scute_db_err(db, err, "store: containers");
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		struct scute_container c;
		int rc;

		if (read_row(st, &c, err) < 0)
			return -1;
		rc = fn(&c, arg);
		scute_container_clear(&c);
		if (rc < 0)
			return rc;
	}
	return r == SQLITE_DONE ? 0 : scute_db_err(db, err, "store: containers");
}

int scute_container_each(sqlite3 *db, int (*fn)(const struct scute_container *c, void *arg),
			 void *arg, struct scute_err *err)
{
	return each(db, "SELECT " COLUMNS " FROM containers ORDER BY created DESC, id", fn, arg,
		    err);
}

int scute_container_each_brief(sqlite3 *db, int (*fn)(const struct scute_container *c, void *arg),
			       void *arg, struct scute_err *err)
{
	return each(db, "SELECT " BRIEF_COLUMNS " FROM containers ORDER BY created DESC, id", fn,
		    arg, err);
}

/* The statement's changes: ENOENT for none. */
static int changed_one(sqlite3 *db, sqlite3_stmt *st, const char *id, struct scute_err *err)
{
	if (sqlite3_step(st) != SQLITE_DONE)
		return scute_db_err(db, err, "store: container %s", id);
	if (sqlite3_changes(db) == 0)
		return scute_err_set(err, ENOENT, "no such container: %s", id);
	return 0;
}

int scute_container_save_state_tx(sqlite3 *db, const struct scute_container *c,
				  struct scute_err *err)
{
	auto_stmt sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(db,
			       "UPDATE containers SET status = ?2, pid = ?3, pid_start = ?4, "
			       "exit_code = ?5, oom_killed = ?6, error = ?7, started_at = ?8, "
			       "finished_at = ?9, restart_count = ?10 WHERE id = ?1",
			       -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_bind_text(st, 1, c->id, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_text(st, 2, scute_container_status_name(c->status), -1, SQLITE_STATIC) !=
		    SQLITE_OK ||
	    sqlite3_bind_int64(st, 3, c->pid) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 4, (sqlite3_int64)c->pid_start) != SQLITE_OK ||
	    sqlite3_bind_int(st, 5, c->exit_code) != SQLITE_OK ||
	    sqlite3_bind_int(st, 6, c->oom_killed) != SQLITE_OK ||
	    sqlite3_bind_text(st, 7, c->error ? c->error : "", -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 8, c->started_at) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 9, c->finished_at) != SQLITE_OK ||
	    sqlite3_bind_int(st, 10, c->restart_count) != SQLITE_OK)
		return scute_db_err(db, err, "store: container %s", c->id);
	return changed_one(db, st, c->id, err);
}

int scute_container_set_host_config_tx(sqlite3 *db, const char *id, json_t *host_config,
				       struct scute_err *err)
{
	auto_stmt sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(db, "UPDATE containers SET host_config = ?2 WHERE id = ?1", -1, &st,
			       NULL) != SQLITE_OK ||
	    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC) != SQLITE_OK ||
	    bind_json(st, 2, host_config) != SQLITE_OK)
		return scute_db_err(db, err, "store: container %s", id);
	return changed_one(db, st, id, err);
}

int scute_container_rename_tx(sqlite3 *db, const char *id, const char *name, struct scute_err *err)
{
	auto_stmt sqlite3_stmt *st = NULL;
	int r;

	if (scute_container_name_check(name, err) < 0)
		return -1;
	if (sqlite3_prepare_v2(db, "UPDATE containers SET name = ?2 WHERE id = ?1", -1, &st,
			       NULL) != SQLITE_OK ||
	    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC) != SQLITE_OK)
		return scute_db_err(db, err, "store: container %s", id);
	r = sqlite3_step(st);
	if ((r & 0xff) == SQLITE_CONSTRAINT &&
	    sqlite3_extended_errcode(db) == SQLITE_CONSTRAINT_UNIQUE)
		return scute_err_set(err, EEXIST, "the container name \"/%s\" is already in use",
				     name);
	if (r != SQLITE_DONE)
		return scute_db_err(db, err, "store: container %s", id);
	if (sqlite3_changes(db) == 0)
		return scute_err_set(err, ENOENT, "no such container: %s", id);
	return 0;
}

int scute_container_delete_tx(sqlite3 *db, const char *id, struct scute_err *err)
{
	auto_stmt sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(db, "DELETE FROM containers WHERE id = ?1", -1, &st, NULL) !=
		    SQLITE_OK ||
	    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC) != SQLITE_OK)
		return scute_db_err(db, err, "store: container %s", id);
	return changed_one(db, st, id, err);
}

int64_t scute_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}
