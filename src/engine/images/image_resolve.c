/* Finding an image by ID, unique ID prefix or name (image_store.h), on
 * its own: the verbs that only read images (run, ps, inspect) link this
 * and not the publishing code, with its layer unpacking. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/cleanup.h"
#include "db.h"
#include "image_store.h"
#include "reference.h"

/* ---- finding --------------------------------------------------------------- */

/* The image a row of `sql` (one text parameter) names: 1, 0 if none. */
static int lookup(sqlite3 *db, const char *sql, const char *arg, struct scute_digest *id,
		  int *count, struct scute_err *err)
{
	auto_stmt sqlite3_stmt *st = NULL;
	int rc, n = 0;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC) != SQLITE_OK)
		return scute_db_err(db, err, "find image");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n++ == 0 &&
		    scute_digest_parse((const char *)sqlite3_column_text(st, 0), id, err) < 0)
			return -1;
	}
	if (rc != SQLITE_DONE)
		return scute_db_err(db, err, "find image");
	if (count)
		*count = n;
	return n > 0;
}

static bool all_hex(const char *s, size_t max)
{
	size_t n = strspn(s, "0123456789abcdef");

	return n > 0 && n <= max && s[n] == '\0';
}

/* By ID: "sha256:<hex>" or a prefix of the hex. */
static int lookup_id(sqlite3 *db, const char *ref, struct scute_digest *id, struct scute_err *err)
{
	const char *hex = ref;
	char pattern[SCUTE_DIGEST_LEN + 2];
	int n = 0, found;

	if (!strncmp(ref, SCUTE_DIGEST_PREFIX, strlen(SCUTE_DIGEST_PREFIX)))
		hex = ref + strlen(SCUTE_DIGEST_PREFIX);
	if (!all_hex(hex, SCUTE_DIGEST_HEX_LEN))
		return 0;
	snprintf(pattern, sizeof(pattern), "%s%s*", SCUTE_DIGEST_PREFIX, hex);
	found = lookup(db, "SELECT id FROM images WHERE id GLOB ?", pattern, id, &n, err);
	if (found > 0 && n > 1)
		return scute_err_set(err, EINVAL, "image ID prefix \"%s\" is ambiguous", ref);
	return found;
}

/* By name: NAME:TAG among the tags, or NAME@DIGEST among the repo
 * digests (with both, the digest decides, as docker does). */
static int lookup_name(sqlite3 *db, const char *ref, struct scute_digest *id, struct scute_err *err)
{
	struct scute_image_ref *r = NULL;
	struct scute_err ignored;
	char full[SCUTE_REF_NAME_MAX + SCUTE_REF_TAG_MAX + SCUTE_DIGEST_LEN + 4];
	bool by_digest;

	if (scute_image_ref_parse(ref, &r, &ignored) < 0)
		return 0;
	by_digest = r->digest != NULL;
	snprintf(full, sizeof(full), "%s/%s%s%s", r->domain, r->path, by_digest ? "@" : ":",
		 by_digest ? r->digest->str : r->tag);
	scute_image_ref_free(r);
	return lookup(db,
		      by_digest ? "SELECT image FROM repo_digests WHERE name = ?"
				: "SELECT image FROM tags WHERE name = ?",
		      full, id, NULL, err);
}

int scute_image_resolve(sqlite3 *db, const char *ref, struct scute_digest *id,
			struct scute_err *err)
{
	int found = lookup_name(db, ref, id, err);

	if (found == 0)
		found = lookup_id(db, ref, id, err);
	if (found < 0)
		return -1;
	if (found == 0)
		return scute_err_set(err, ENOENT, "No such image: %s", ref);
	return 0;
}
