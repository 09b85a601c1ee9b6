#include "image_json.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "db.h"
#include "image_store.h"
#include "manifest.h"
#include "reference.h"

json_t *scute_image_config_load(struct scute_store *s, const char *id, struct scute_err *err)
{
	struct scute_digest d;
	auto_fd int fd = -1;
	auto_free char *buf = NULL;
	struct stat st;
	size_t got = 0;
	json_error_t jerr;
	json_t *doc;

	if (scute_digest_parse(id, &d, err) < 0 || (fd = scute_blob_open(&s->blobs, &d, err)) < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || st.st_size > SCUTE_CONFIG_MAX_SIZE ||
	    !(buf = malloc((size_t)st.st_size + 1))) {
		scute_err_sys(err, "config %s", id);
		return NULL;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n <= 0) {
			scute_err_sys(err, "config %s: read", id);
			return NULL;
		}
		got += (size_t)n;
	}
	/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc) auto_free: cleanup.h */
	doc = json_loadb(buf, got, 0, &jerr);
	if (!doc)
		scute_err_set(err, EINVAL, "config %s: %s", id, jerr.text);
	return doc;
}

/* The names of image `id` from `table` (tags or repo_digests), shown as
 * docker shows them. */
static json_t *names(sqlite3 *db, const char *table, const char *id, struct scute_err *err)
{
	auto_stmt sqlite3_stmt *st = NULL;
	char sql[96];
	json_t *out = json_array();
	int rc;

	snprintf(sql, sizeof(sql), "SELECT name FROM %s WHERE image = ? ORDER BY name", table);
	if (!out || sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC) != SQLITE_OK) {
		json_decref(out);
		scute_db_err(db, err, "image %s", id);
		return NULL;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct scute_image_ref *r = NULL;
		struct scute_err ignored;
		const char *n = (const char *)sqlite3_column_text(st, 0);
		char *f = NULL;

		if (scute_image_ref_parse(n, &r, &ignored) == 0)
			f = scute_image_ref_familiar(r);
		scute_image_ref_free(r);
		json_array_append_new(out, json_string(f ? f : n));
		free(f);
	}
	if (rc != SQLITE_DONE) {
		json_decref(out);
		scute_db_err(db, err, "image %s", id);
		return NULL;
	}
	return out;
}

#define LAYER_CHAIN                                                                         \
	"WITH RECURSIVE chain(id, size, parent, depth) AS (SELECT chain_id, size, parent, " \
	"0 FROM layers WHERE chain_id = (SELECT top_layer FROM images WHERE id = ?1) "      \
	"UNION ALL SELECT l.chain_id, l.size, l.parent, c.depth + 1 FROM layers l JOIN "    \
	"chain c ON l.chain_id = c.parent) "

/* The sizes of the image's layers, bottom first, as a JSON array. */
static json_t *layer_sizes(sqlite3 *db, const char *id, struct scute_err *err)
{
	auto_stmt sqlite3_stmt *st = NULL;
	json_t *out = json_array();
	int rc;

	if (!out ||
	    sqlite3_prepare_v2(db, LAYER_CHAIN "SELECT size FROM chain ORDER BY depth DESC", -1,
			       &st, NULL) != SQLITE_OK ||
	    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC) != SQLITE_OK) {
		json_decref(out);
		scute_db_err(db, err, "image %s", id);
		return NULL;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(out, json_integer(sqlite3_column_int64(st, 0)));
	if (rc != SQLITE_DONE) {
		json_decref(out);
		scute_db_err(db, err, "image %s", id);
		return NULL;
	}
	return out;
}

static json_int_t total(json_t *sizes)
{
	json_int_t sum = 0;
	size_t i;
	json_t *v;

	json_array_foreach(sizes, i, v) sum += json_integer_value(v);
	return sum;
}

static json_t *list_row(struct scute_store *s, const char *id, int64_t created,
			struct scute_err *err)
{
	auto_json json_t *sizes = layer_sizes(s->db, id, err);
	auto_json json_t *config = sizes ? scute_image_config_load(s, id, err) : NULL;
	json_t *tags = config ? names(s->db, "tags", id, err) : NULL;
	json_t *digests = tags ? names(s->db, "repo_digests", id, err) : NULL;
	json_t *labels = json_object_get(json_object_get(config, "config"), "Labels");

	if (!digests) {
		json_decref(tags);
		return NULL;
	}
	return json_pack("{ss ss so so sI sI sI sI sO sI}", "Id", id, "ParentId", "", "RepoTags",
			 tags, "RepoDigests", digests, "Created", (json_int_t)created, "Size",
			 total(sizes), "SharedSize", (json_int_t)-1, "VirtualSize", total(sizes),
			 "Labels", json_is_object(labels) ? labels : json_null(), "Containers",
			 (json_int_t)-1);
}

json_t *scute_images_list(struct scute_store *s, struct scute_err *err)
{
	auto_stmt sqlite3_stmt *st = NULL;
	json_t *out = json_array();
	int rc;

	if (!out ||
	    sqlite3_prepare_v2(s->db, "SELECT id, created FROM images ORDER BY created DESC, id",
			       -1, &st, NULL) != SQLITE_OK) {
		json_decref(out);
		scute_db_err(s->db, err, "list images");
		return NULL;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *row = list_row(s, (const char *)sqlite3_column_text(st, 0),
				       sqlite3_column_int64(st, 1), err);

		if (!row) {
			json_decref(out);
			return NULL;
		}
		json_array_append_new(out, row);
	}
	if (rc != SQLITE_DONE) {
		json_decref(out);
		scute_db_err(s->db, err, "list images");
		return NULL;
	}
	return out;
}

/* A member of the config, or `dflt` (a new reference either way). */
static json_t *member(json_t *config, const char *key, json_t *dflt)
{
	json_t *v = json_object_get(config, key);

	if (!v) {
		return dflt;
	}
	json_decref(dflt);
	return json_incref(v);
}

static json_t *inspect_doc(const char *id, json_t *config, json_t *tags, json_t *digests,
			   json_int_t size)
{
	json_t *rootfs = json_object_get(config, "rootfs");
	json_t *doc =
		json_pack("{ss so so ss so so so so so so so so so sI sI s{ssso} s{ssso} s{ss}}",
			  "Id", id, "RepoTags", tags, "RepoDigests", digests, "Parent", "",
			  "Comment", member(config, "comment", json_string("")), "Created",
			  member(config, "created", json_string("0001-01-01T00:00:00Z")),
			  "Container", member(config, "container", json_string("")),
			  "ContainerConfig", member(config, "container_config", json_object()),
			  "DockerVersion", member(config, "docker_version", json_string("")),
			  "Author", member(config, "author", json_string("")), "Config",
			  member(config, "config", json_null()), "Architecture",
			  member(config, "architecture", json_string("")), "Os",
			  member(config, "os", json_string("")), "Size", size, "VirtualSize", size,
			  "GraphDriver", "Name", "overlay", "Data", json_null(), "RootFS", "Type",
			  "layers", "Layers", member(rootfs, "diff_ids", json_array()), "Metadata",
			  "LastTagTime", "0001-01-01T00:00:00Z");

	if (doc && json_object_get(config, "variant"))
		json_object_set(doc, "Variant", json_object_get(config, "variant"));
	return doc;
}

json_t *scute_image_inspect(struct scute_store *s, const char *ref, struct scute_err *err)
{
	struct scute_digest id;
	auto_json json_t *config = NULL;
	auto_json json_t *sizes = NULL;
	json_t *tags, *digests, *doc;

	if (scute_image_resolve(s->db, ref, &id, err) < 0 ||
	    !(config = scute_image_config_load(s, id.str, err)) ||
	    !(sizes = layer_sizes(s->db, id.str, err)) ||
	    !(tags = names(s->db, "tags", id.str, err)))
		return NULL;
	digests = names(s->db, "repo_digests", id.str, err);
	if (!digests) {
		json_decref(tags);
		return NULL;
	}
	doc = inspect_doc(id.str, config, tags, digests, total(sizes));
	if (!doc)
		scute_err_set(err, ENOMEM, "inspect %s: out of memory", ref);
	return doc;
}

static json_t *history_row(const char *id, json_t *h, json_t *tags, json_int_t size)
{
	const char *created = json_string_value(json_object_get(h, "created"));
	int64_t t = 0;
	struct scute_err ignored;

	if (created)
		scute_parse_rfc3339(created, &t, &ignored);
	return json_pack("{sssIsssOsIss}", "Id", id, "Created", (json_int_t)t, "CreatedBy",
			 json_string_value(json_object_get(h, "created_by"))
				 ? json_string_value(json_object_get(h, "created_by"))
				 : "",
			 "Tags", tags ? tags : json_null(), "Size", size, "Comment",
			 json_string_value(json_object_get(h, "comment"))
				 ? json_string_value(json_object_get(h, "comment"))
				 : "");
}

/* Newest first; each entry that made a layer gets that layer's size. An
 * image without history gets one row per layer. */
static json_t *history_rows(const char *id, json_t *config, json_t *sizes, json_t *tags)
{
	json_t *hist = json_object_get(config, "history"), *out = json_array(), *h;
	auto_json json_t *synth = NULL;
	size_t n, layer = json_array_size(sizes);

	if (!json_is_array(hist) || json_array_size(hist) == 0) {
		synth = json_array();
		for (size_t i = 0; i < layer; i++)
			json_array_append_new(synth, json_object());
		hist = synth;
	}
	n = json_array_size(hist);
	for (size_t i = n; i-- > 0 && out;) {
		json_int_t size = 0;

		h = json_array_get(hist, i);
		if (!json_is_true(json_object_get(h, "empty_layer")) && layer > 0)
			size = json_integer_value(json_array_get(sizes, --layer));
		json_array_append_new(out, history_row(i == n - 1 ? id : "<missing>", h,
						       i == n - 1 ? tags : NULL, size));
	}
	return out;
}

json_t *scute_image_history(struct scute_store *s, const char *ref, struct scute_err *err)
{
	struct scute_digest id;
	auto_json json_t *config = NULL;
	auto_json json_t *sizes = NULL;
	auto_json json_t *tags = NULL;
	json_t *out;

	if (scute_image_resolve(s->db, ref, &id, err) < 0 ||
	    !(config = scute_image_config_load(s, id.str, err)) ||
	    !(sizes = layer_sizes(s->db, id.str, err)) ||
	    !(tags = names(s->db, "tags", id.str, err)))
		return NULL;
	out = history_rows(id.str, config, sizes, tags);
	if (!out)
		scute_err_set(err, ENOMEM, "history %s: out of memory", ref);
	return out;
}
