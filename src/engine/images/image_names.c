/* Tagging and removing images (image_store.h), with docker's rules for
 * what `rmi` untags and what it deletes. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/cleanup.h"
#include "db.h"
#include "image_store.h"
#include "reference.h"

/* `name` (a full name from the store) in the form docker shows. */
static char *familiar(const char *name)
{
	struct scute_image_ref *r = NULL;
	struct scute_err ignored;
	char *out;

	if (scute_image_ref_parse(name, &r, &ignored) < 0)
		return strdup(name);
	out = scute_image_ref_familiar(r);
	scute_image_ref_free(r);
	return out;
}

static int exec_bound(sqlite3 *db, const char *sql, const char *a, const char *b,
		      struct scute_err *err)
{
	auto_stmt sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC) != SQLITE_OK ||
	    (b && sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC) != SQLITE_OK) ||
	    sqlite3_step(st) != SQLITE_DONE)
		return scute_db_err(db, err, "store");
	return 0;
}

/* The full name a tag target stands for; a digest is refused, as docker does. */
static char *tag_name(const char *target, struct scute_err *err)
{
	struct scute_image_ref *r = NULL;
	char *full;

	if (scute_image_ref_parse(target, &r, err) < 0)
		return NULL;
	if (r->digest) {
		scute_image_ref_free(r);
		scute_err_set(err, EINVAL, "tag \"%s\": a tag cannot have a digest", target);
		return NULL;
	}
	full = scute_image_ref_string(r);
	scute_image_ref_free(r);
	if (!full)
		scute_err_sys(err, "tag \"%s\"", target);
	return full;
}

struct tag_args {
	const char *ref, *target;
};

static int tag_tx(sqlite3 *db, void *arg, struct scute_err *err)
{
	struct tag_args *a = arg;
	struct scute_digest id;
	auto_free char *full = NULL;

	if (scute_image_resolve(db, a->ref, &id, err) < 0)
		return -1;
	full = tag_name(a->target, err);
	if (!full)
		return -1;
	return exec_bound(db,
			  "INSERT INTO tags(name, image) VALUES (?1, ?2) "
			  "ON CONFLICT(name) DO UPDATE SET image = excluded.image",
			  full, id.str, err);
}

int scute_image_tag(sqlite3 *db, const char *ref, const char *target, struct scute_err *err)
{
	struct tag_args a = { ref, target };

	return scute_db_tx(db, tag_tx, &a, err);
}

/* ---- removal ---------------------------------------------------------------- */

/* The image's names (tags, then repo digests) as a JSON array of strings. */
static json_t *names_of(sqlite3 *db, const struct scute_digest *id, struct scute_err *err)
{
	auto_stmt sqlite3_stmt *st = NULL;
	json_t *names = json_array();
	int rc;

	if (!names ||
	    sqlite3_prepare_v2(db,
			       "SELECT name FROM tags WHERE image = ?1 UNION ALL "
			       "SELECT name FROM repo_digests WHERE image = ?1",
			       -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_bind_text(st, 1, id->str, -1, SQLITE_STATIC) != SQLITE_OK) {
		json_decref(names);
		scute_db_err(db, err, "image %s", id->str);
		return NULL;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(names, json_string((const char *)sqlite3_column_text(st, 0)));
	if (rc != SQLITE_DONE) {
		json_decref(names);
		scute_db_err(db, err, "image %s", id->str);
		return NULL;
	}
	return names;
}

static int report_add(json_t *report, const char *key, const char *value)
{
	auto_free char *shown = strcmp(key, "Deleted") ? familiar(value) : strdup(value);

	/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc) auto_free: cleanup.h */
	return shown ? json_array_append_new(report, json_pack("{ss}", key, shown)) : -1;
}

static int untag(sqlite3 *db, const char *name, json_t *report, struct scute_err *err)
{
	if (exec_bound(db, "DELETE FROM tags WHERE name = ?1", name, NULL, err) < 0 ||
	    exec_bound(db, "DELETE FROM repo_digests WHERE name = ?1", name, NULL, err) < 0)
		return -1;
	return report_add(report, "Untagged", name) < 0 ? scute_err_sys(err, "untag") : 0;
}

/* The repository of a full name: what comes before its tag or digest. */
static size_t repo_len(const char *name)
{
	const char *at = strchr(name, '@'), *slash = strrchr(name, '/');
	const char *colon = strrchr(name, ':');

	if (at)
		return (size_t)(at - name);
	return colon && colon > slash ? (size_t)(colon - name) : strlen(name);
}

static bool several_repos(json_t *names)
{
	const char *first = NULL;
	size_t flen = 0, i;
	json_t *v;

	json_array_foreach(names, i, v)
	{
		const char *n = json_string_value(v);

		if (!first)
			first = n, flen = repo_len(n);
		else if (repo_len(n) != flen || strncmp(n, first, flen) != 0)
			return true;
	}
	return false;
}

static int untag_all(sqlite3 *db, json_t *goes, json_t *report, struct scute_err *err)
{
	size_t i;
	json_t *v;

	json_array_foreach(goes, i, v)
	{
		if (untag(db, json_string_value(v), report, err) < 0)
			return -1;
	}
	return 0;
}

static int delete_image(sqlite3 *db, const struct scute_digest *id, json_t *names, json_t *report,
			struct scute_err *err)
{
	if (untag_all(db, names, report, err) < 0 ||
	    exec_bound(db, "DELETE FROM images WHERE id = ?1", id->str, NULL, err) < 0)
		return -1;
	return report_add(report, "Deleted", id->str) < 0 ? scute_err_sys(err, "delete") : 0;
}

/* The full name REF stands for if it is one of the image's names. */
static const char *named(json_t *names, const char *ref)
{
	struct scute_image_ref *r = NULL;
	struct scute_err ignored;
	auto_free char *full = NULL;
	size_t i;
	json_t *v;

	if (scute_image_ref_parse(ref, &r, &ignored) < 0)
		return NULL;
	full = scute_image_ref_string(r);
	scute_image_ref_free(r);
	json_array_foreach(names, i, v) if (full && !strcmp(json_string_value(v),
							    full)) return json_string_value(v);
	return NULL;
}

/* The directory of a container root the image stands on: 1 with it in
 * DIR, 0 when there is none. */
static int used_by(sqlite3 *db, const struct scute_digest *id, char *dir, size_t len,
		   struct scute_err *err)
{
	auto_stmt sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT dir FROM rootfs WHERE image = ?1 LIMIT 1", -1, &st,
			       NULL) != SQLITE_OK ||
	    sqlite3_bind_text(st, 1, id->str, -1, SQLITE_STATIC) != SQLITE_OK)
		return scute_db_err(db, err, "remove %s", id->str);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return scute_db_err(db, err, "remove %s", id->str);
	snprintf(dir, len, "%s", (const char *)sqlite3_column_text(st, 0));
	return 1;
}

/* The names that go when NAME is removed: NAME, and when it is the last
 * tag of its repository, that repository's digests too (docker's rule: a
 * RepoDigest does not keep an image whose tags are gone). */
static json_t *going_with(json_t *names, const char *name)
{
	size_t len = repo_len(name), i;
	bool other_tag = false;
	json_t *goes = json_array(), *v;

	if (!goes || json_array_append_new(goes, json_string(name)) < 0) {
		json_decref(goes);
		return NULL;
	}
	if (strchr(name, '@'))
		return goes;
	json_array_foreach(names, i, v)
	{
		const char *n = json_string_value(v);

		if (strcmp(n, name) != 0 && !strchr(n, '@') && repo_len(n) == len &&
		    !strncmp(n, name, len))
			other_tag = true;
	}
	json_array_foreach(names, i, v)
	{
		const char *n = json_string_value(v);

		if (!other_tag && strchr(n, '@') && repo_len(n) == len && !strncmp(n, name, len) &&
		    json_array_append_new(goes, json_string(n)) < 0) {
			json_decref(goes);
			return NULL;
		}
	}
	return goes;
}

struct remove_args {
	const char *ref;
	bool force;
	json_t *report;
};

static int remove_tx(sqlite3 *db, void *arg, struct scute_err *err)
{
	struct remove_args *a = arg;
	struct scute_digest id;
	auto_json json_t *names = NULL;
	const char *name;

	if (scute_image_resolve(db, a->ref, &id, err) < 0)
		return -1;
	names = names_of(db, &id, err);
	if (!names)
		return -1;
	name = named(names, a->ref);
	/* by name, with other names left: only what goes with that name */
	if (name && !a->force) {
		auto_json json_t *goes = going_with(names, name);

		if (!goes)
			return scute_err_sys(err, "remove %s", a->ref);
		if (json_array_size(goes) < json_array_size(names))
			return untag_all(db, goes, a->report, err);
	}
	if (!name && several_repos(names) && !a->force)
		return scute_err_set(err, EBUSY,
				     "conflict: unable to delete %.19s (must be forced) - image is "
				     "referenced in multiple repositories",
				     scute_digest_hex(&id));
	if (!a->force) {
		char dir[4096];
		int used = used_by(db, &id, dir, sizeof(dir), err);

		if (used < 0)
			return -1;
		/* docker's rule: a container's image goes only by force (its
		 * layers stay while the container's root is there) */
		if (used)
			return scute_err_set(err, EBUSY,
					     "conflict: unable to delete %.12s (must be forced) - "
					     "image is being used by the container root %s",
					     scute_digest_hex(&id), dir);
	}
	return delete_image(db, &id, names, a->report, err);
}

int scute_image_remove(sqlite3 *db, const char *ref, bool force, json_t *report,
		       struct scute_err *err)
{
	struct remove_args a = { ref, force, report };

	return scute_db_tx(db, remove_tx, &a, err);
}

struct prune_args {
	bool all;
	json_t *report;
};

/* Not an image a container root stands on: prune leaves what is in use. */
#define IN_USE_NOT "id NOT IN (SELECT image FROM rootfs WHERE image IS NOT NULL)"

/* The IDs first, then the deletions: a table is not changed under a
 * statement still reading it. */
static json_t *prune_candidates(sqlite3 *db, bool all, struct scute_err *err)
{
	auto_stmt sqlite3_stmt *st = NULL;
	json_t *ids = json_array();
	int rc;

	if (!ids || sqlite3_prepare_v2(
			    db,
			    all ? "SELECT id FROM images WHERE " IN_USE_NOT
				: "SELECT id FROM images WHERE id NOT IN (SELECT image FROM tags) "
				  "AND " IN_USE_NOT,
			    -1, &st, NULL) != SQLITE_OK) {
		json_decref(ids);
		scute_db_err(db, err, "prune");
		return NULL;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(ids, json_string((const char *)sqlite3_column_text(st, 0)));
	if (rc != SQLITE_DONE) {
		json_decref(ids);
		scute_db_err(db, err, "prune");
		return NULL;
	}
	return ids;
}

static int prune_tx(sqlite3 *db, void *arg, struct scute_err *err)
{
	struct prune_args *a = arg;
	auto_json json_t *ids = prune_candidates(db, a->all, err);
	size_t i;
	json_t *v;

	if (!ids)
		return -1;
	json_array_foreach(ids, i, v)
	{
		struct scute_digest id;
		auto_json json_t *names = NULL;

		if (scute_digest_parse(json_string_value(v), &id, err) < 0)
			return -1;
		names = names_of(db, &id, err);
		if (!names || delete_image(db, &id, names, a->report, err) < 0)
			return -1;
	}
	return 0;
}

int scute_image_prune(sqlite3 *db, bool all, json_t *report, struct scute_err *err)
{
	struct prune_args a = { all, report };

	return scute_db_tx(db, prune_tx, &a, err);
}
