/* Volume rows, inspect, the list and its filters (volume_store.h). */
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "db.h"
#include "image_filter.h"
#include "volume_dir.h"
#include "volume_rows.h"

#define COLUMNS                                                 \
	"v.name, v.created, v.labels, v.options, v.anonymous, " \
	"(SELECT count(*) FROM container_volumes cv WHERE cv.volume = v.name)"

void scute_volume_row_clear(struct scute_volume_row *r)
{
	json_decref(r->labels);
	json_decref(r->options);
	memset(r, 0, sizeof(*r));
}

/* A JSON column: NULL stays NULL (docker's null). */
static int column_json(sqlite3_stmt *st, int i, json_t **out)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	*out = t ? json_loads((const char *)t, 0, NULL) : NULL;
	return !t || json_is_object(*out) ? 0 : -1;
}

static int read_row(sqlite3_stmt *st, struct scute_volume_row *r, struct scute_err *err)
{
	const unsigned char *name = sqlite3_column_text(st, 0);

	memset(r, 0, sizeof(*r));
	if (!name || strlen((const char *)name) > SCUTE_VOLUME_NAME_MAX)
		return scute_err_set(err, EIO, "store: a volume row without a valid name");
	snprintf(r->name, sizeof(r->name), "%s", (const char *)name);
	r->created = sqlite3_column_int64(st, 1);
	r->anonymous = sqlite3_column_int(st, 4) != 0;
	r->links = sqlite3_column_int64(st, 5);
	if (column_json(st, 2, &r->labels) < 0 || column_json(st, 3, &r->options) < 0) {
		scute_volume_row_clear(r);
		return scute_err_set(err, EIO, "store: volume %s: bad JSON or out of memory",
				     (const char *)name);
	}
	return 0;
}

int scute_volume_row_find(sqlite3 *db, const char *name, struct scute_volume_row *r,
			  struct scute_err *err)
{
	auto_stmt sqlite3_stmt *st = NULL;
	int rc;

	memset(r, 0, sizeof(*r));
	if (sqlite3_prepare_v2(db, "SELECT " COLUMNS " FROM volumes v WHERE v.name = ?1", -1, &st,
			       NULL) != SQLITE_OK ||
	    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC) != SQLITE_OK)
		return scute_db_err(db, err, "store: volume %s", name);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return scute_db_err(db, err, "store: volume %s", name);
	return read_row(st, r, err) < 0 ? -1 : 1;
}

int scute_volume_root_path(const struct scute_store *s, char out[PATH_MAX], struct scute_err *err)
{
	char link[64];
	ssize_t n;

	/* the root as the kernel resolved it when the store was opened: what
	 * a mount of a volume names, and what inspect shows */
	snprintf(link, sizeof(link), "/proc/self/fd/%d", s->rootfd);
	n = readlink(link, out, PATH_MAX - 1);
	if (n < 0)
		return scute_err_sys(err, "volumes: the engine root's path");
	out[n] = '\0';
	return 0;
}

/* Go's time.RFC3339 of a whole second in local time, as dockerd prints a
 * volume's CreatedAt: "2024-01-02T03:04:05Z", "…+01:00". */
static void rfc3339_local(int64_t ns, char *out, size_t size)
{
	time_t t = (time_t)(ns / 1000000000);
	struct tm tm;
	char date[32];
	long off;

	if (!localtime_r(&t, &tm) || !strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm)) {
		snprintf(out, size, "0001-01-01T00:00:00Z");
		return;
	}
	off = tm.tm_gmtoff;
	if (off == 0)
		snprintf(out, size, "%sZ", date);
	else
		snprintf(out, size, "%s%c%02ld:%02ld", date, off < 0 ? '-' : '+', labs(off) / 3600,
			 labs(off) % 3600 / 60);
}

static json_t *object_or_null(json_t *v)
{
	return v ? json_deep_copy(v) : json_null();
}

json_t *scute_volume_doc(const char *root, const struct scute_volume_row *r)
{
	char created[48], mountpoint[PATH_MAX + SCUTE_VOLUME_NAME_MAX + 32];

	rfc3339_local(r->created, created, sizeof(created));
	snprintf(mountpoint, sizeof(mountpoint), "%s/%s/%s/_data", root, SCUTE_VOLUMES_DIR,
		 r->name);
	/* the keys in dockerd's order */
	return json_pack("{ss ss so ss ss so ss}", "CreatedAt", created, "Driver",
			 SCUTE_VOLUME_DRIVER, "Labels", object_or_null(r->labels), "Mountpoint",
			 mountpoint, "Name", r->name, "Options", object_or_null(r->options),
			 "Scope", "local");
}

json_t *scute_volume_inspect(struct scute_store *s, const char *name, struct scute_err *err)
{
	struct scute_volume_row r;
	char root[PATH_MAX];
	json_t *doc;
	int found = scute_volume_row_find(s->db, name, &r, err);

	if (found <= 0) {
		if (found == 0)
			scute_err_set(err, ENOENT, "no such volume: %s", name);
		return NULL;
	}
	doc = scute_volume_root_path(s, root, err) < 0 ? NULL : scute_volume_doc(root, &r);
	if (!doc && err->code == 0)
		scute_err_set(err, ENOMEM, "volume %s: out of memory", name);
	scute_volume_row_clear(&r);
	return doc;
}

/* ---- the list ---------------------------------------------------------------- */

static json_t *no_memory(struct scute_err *err)
{
	scute_err_set(err, ENOMEM, "volumes: out of memory");
	return NULL;
}

int scute_volumes_filter_add(json_t *filters, const char *arg, struct scute_err *err)
{
	static const char *const keys[] = { "dangling", "driver", "label", "name" };
	const char *v = strchr(arg, '=');

	if (v && !strncmp(arg, "dangling=", 9) && strcmp(v + 1, "true") != 0 &&
	    strcmp(v + 1, "false") != 0 && strcmp(v + 1, "1") != 0 && strcmp(v + 1, "0") != 0)
		return scute_err_set(err, EINVAL, "invalid filter '%.200s'", arg);
	return scute_filter_add(filters, arg, keys, sizeof(keys) / sizeof(keys[0]), err);
}

/* docker's Args.Match: the value itself, else as an unanchored regular
 * expression (one that does not compile matches nothing). */
static bool value_matches(const char *pattern, const char *s)
{
	regex_t re;
	bool ok;

	if (!strcmp(pattern, s))
		return true;
	if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB) != 0)
		return false;
	ok = regexec(&re, s, 0, NULL, 0) == 0;
	regfree(&re);
	return ok;
}

static bool any_matches(json_t *filters, const char *key, const char *s)
{
	json_t *values = json_object_get(filters, key), *v;
	size_t i;

	if (!values)
		return true;
	json_array_foreach(values, i, v) if (value_matches(json_string_value(v), s)) return true;
	return false;
}

/* dangling: the last value given decides, as with the image filter */
static bool passes(json_t *filters, const struct scute_volume_row *r)
{
	json_t *d = json_object_get(filters, "dangling");
	const char *want = json_string_value(json_array_get(d, json_array_size(d) - 1));

	if (want) {
		bool dangling = want[0] == 't' || want[0] == '1';

		if (dangling != (r->links == 0))
			return false;
	}
	return any_matches(filters, "name", r->name) &&
	       any_matches(filters, "driver", SCUTE_VOLUME_DRIVER) &&
	       scute_filter_labels_match(filters, r->labels);
}

json_t *scute_volumes_list(struct scute_store *s, json_t *filters, struct scute_err *err)
{
	auto_stmt sqlite3_stmt *st = NULL;
	auto_json json_t *list = json_array();
	char root[PATH_MAX];
	int rc;

	if (!list)
		return no_memory(err);
	if (scute_volume_root_path(s, root, err) < 0)
		return NULL;
	if (sqlite3_prepare_v2(s->db, "SELECT " COLUMNS " FROM volumes v ORDER BY v.name", -1, &st,
			       NULL) != SQLITE_OK) {
		scute_db_err(s->db, err, "store: volumes");
		return NULL;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct scute_volume_row r;
		int bad = 0;

		if (read_row(st, &r, err) < 0)
			return NULL;
		if (passes(filters, &r))
			bad = json_array_append_new(list, scute_volume_doc(root, &r));
		scute_volume_row_clear(&r);
		if (bad)
			return no_memory(err);
	}
	if (rc != SQLITE_DONE) {
		scute_db_err(s->db, err, "store: volumes");
		return NULL;
	}
	return scute_take_ptr(&list);
}

json_t *scute_volumes_anonymous_of(struct scute_store *s, const char *id, struct scute_err *err)
{
	auto_stmt sqlite3_stmt *st = NULL;
	auto_json json_t *names = json_array();
	int rc;

	if (!names)
		return no_memory(err);
	if (sqlite3_prepare_v2(
		    s->db,
		    "SELECT v.name FROM container_volumes cv JOIN volumes v "
		    "ON v.name = cv.volume WHERE cv.container_id = ?1 AND v.anonymous = 1 "
		    "ORDER BY cv.destination",
		    -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC) != SQLITE_OK) {
		scute_db_err(s->db, err, "store: volumes of container %s", id);
		return NULL;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (json_array_append_new(
			    names, json_string((const char *)sqlite3_column_text(st, 0))) < 0)
			return no_memory(err);
	if (rc != SQLITE_DONE) {
		scute_db_err(s->db, err, "store: volumes of container %s", id);
		return NULL;
	}
	return scute_take_ptr(&names);
}

json_t *scute_volumes_of(struct scute_store *s, const char *id, struct scute_err *err)
{
	auto_stmt sqlite3_stmt *st = NULL;
	auto_json json_t *paths = json_object();
	char root[PATH_MAX], path[PATH_MAX * 2];
	int rc;

	if (!paths)
		return no_memory(err);
	if (scute_volume_root_path(s, root, err) < 0)
		return NULL;
	if (sqlite3_prepare_v2(s->db,
			       "SELECT destination, volume FROM container_volumes "
			       "WHERE container_id = ?1",
			       -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC) != SQLITE_OK) {
		scute_db_err(s->db, err, "store: volumes of container %s", id);
		return NULL;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		snprintf(path, sizeof(path), "%s/%s/%s/_data", root, SCUTE_VOLUMES_DIR,
			 (const char *)sqlite3_column_text(st, 1));
		if (json_object_set_new(paths, (const char *)sqlite3_column_text(st, 0),
					json_string(path)) < 0)
			return no_memory(err);
	}
	if (rc != SQLITE_DONE) {
		scute_db_err(s->db, err, "store: volumes of container %s", id);
		return NULL;
	}
	return scute_take_ptr(&paths);
}
