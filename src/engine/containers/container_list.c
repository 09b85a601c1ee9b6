/* The container list and its filters (container_list.h). */
#include "container_list.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/cleanup.h"
#include "container_json.h"
#include "digest.h"
#include "image_filter.h"
#include "image_store.h"

static const char *const statuses[] = { "created", "restarting", "running", "removing",
					"paused",  "exited",	 "dead" };

int scute_containers_filter_add(json_t *filters, const char *arg, struct scute_err *err)
{
	static const char *const keys[] = { "id", "name", "label", "status", "ancestor", "exited" };
	const char *v = strchr(arg, '=');
	bool ok = false;

	if (v && !strncmp(arg, "status=", 7)) {
		for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++)
			ok |= !strcmp(v + 1, statuses[i]);
		if (!ok)
			return scute_err_set(err, EINVAL,
					     "invalid filter 'status=%.100s': created, restarting, "
					     "running, removing, paused, exited or dead",
					     v + 1);
	}
	if (v && !strncmp(arg, "exited=", 7)) {
		int64_t code;

		if (scute_parse_int(v + 1, 0, 255, &code, err) < 0)
			return scute_err_set(err, EINVAL,
					     "invalid filter '%.200s': not an exit code", arg);
	}
	return scute_filter_add(filters, arg, keys, sizeof(keys) / sizeof(keys[0]), err);
}

struct list_walk {
	bool all;
	json_t *filters;
	json_t *out;
	struct scute_err *err;
};

static bool any_value(json_t *filters, const char *key, bool (*match)(const char *, void *),
		      void *arg)
{
	json_t *values = json_object_get(filters, key), *v;
	size_t i;

	if (!values)
		return true;
	json_array_foreach(values, i, v) if (match(json_string_value(v), arg)) return true;
	return false;
}

static bool id_prefix(const char *want, void *arg)
{
	const struct scute_container *c = arg;

	return !strncmp(c->id, want, strlen(want));
}

static bool name_part(const char *want, void *arg)
{
	const struct scute_container *c = arg;

	return strstr(c->name, want[0] == '/' ? want + 1 : want) != NULL;
}

static bool status_is(const char *want, void *arg)
{
	const struct scute_container *c = arg;

	return !strcmp(scute_container_status_name(c->status), want);
}

static bool exited_with(const char *want, void *arg)
{
	const struct scute_container *c = arg;

	return c->status == SCUTE_CONTAINER_EXITED && atoi(want) == c->exit_code;
}

/* ancestor values were resolved to image IDs by the list (or kept as
 * given when they name no image, matching the name the container was
 * made from) */
static bool ancestor_is(const char *want, void *arg)
{
	const struct scute_container *c = arg;

	return (c->image && !strcmp(c->image, want)) || !strcmp(c->image_ref, want);
}

static bool passes(const struct scute_container *c, json_t *filters)
{
	void *arg = (void *)c;

	return any_value(filters, "id", id_prefix, arg) &&
	       any_value(filters, "name", name_part, arg) &&
	       any_value(filters, "status", status_is, arg) &&
	       any_value(filters, "exited", exited_with, arg) &&
	       any_value(filters, "ancestor", ancestor_is, arg) &&
	       scute_filter_labels_match(filters, json_object_get(c->config, "Labels"));
}

static bool is_live(enum scute_container_status s)
{
	return s == SCUTE_CONTAINER_RUNNING || s == SCUTE_CONTAINER_PAUSED ||
	       s == SCUTE_CONTAINER_RESTARTING;
}

static int add_entry(const struct scute_container *c, void *arg)
{
	struct list_walk *w = arg;
	json_t *entry;

	if ((!is_live(c->status) && !w->all) || !passes(c, w->filters))
		return 0;
	entry = scute_container_list_entry(c);
	if (!entry || json_array_append_new(w->out, entry) < 0)
		return scute_err_set(w->err, ENOMEM, "containers: out of memory");
	return 0;
}

static int note_live(const struct scute_container *c, void *arg)
{
	if (is_live(c->status) && json_array_append_new(arg, json_string(c->id)) < 0)
		return -1;
	return 0;
}

/* Every record that says running is checked against the kernel first
 * (outside the walk: reconciling writes). */
static int reconcile_live(struct scute_store *s, const struct scute_engine_paths *e,
			  struct scute_err *err)
{
	auto_json json_t *ids = json_array();
	json_t *id;
	size_t i;

	if (!ids || scute_container_each_brief(s->db, note_live, ids, err) < 0)
		return ids ? -1 : scute_err_set(err, ENOMEM, "containers: out of memory");
	json_array_foreach(ids, i, id)
	{
		struct scute_container c;

		if (scute_container_find(s->db, json_string_value(id), &c, err) < 0) {
			if (err->code == ENOENT) /* removed meanwhile */
				continue;
			return -1;
		}
		if (scute_container_reconcile(s, e, &c, err) < 0) {
			scute_container_clear(&c);
			return -1;
		}
		scute_container_clear(&c);
	}
	return 0;
}

/* ancestor=IMAGE as the image's ID where IMAGE names one */
static int resolve_ancestors(sqlite3 *db, json_t *filters, struct scute_err *err)
{
	json_t *values = json_object_get(filters, "ancestor"), *v;
	size_t i;

	json_array_foreach(values, i, v)
	{
		struct scute_digest id;
		struct scute_err ignored;

		if (scute_image_resolve(db, json_string_value(v), &id, &ignored) == 0 &&
		    json_array_set_new(values, i, json_string(id.str)) < 0)
			return scute_err_set(err, ENOMEM, "containers: out of memory");
	}
	return 0;
}

json_t *scute_containers_list(struct scute_store *s, const struct scute_engine_paths *e, bool all,
			      json_t *filters, struct scute_err *err)
{
	auto_json json_t *f = filters ? json_deep_copy(filters) : json_object();
	struct list_walk w = { all || json_object_get(filters, "status"), f, json_array(), err };

	if (!f || !w.out || resolve_ancestors(s->db, f, err) < 0 || reconcile_live(s, e, err) < 0 ||
	    scute_container_each_brief(s->db, add_entry, &w, err) < 0) {
		if (!f || !w.out)
			scute_err_set(err, ENOMEM, "containers: out of memory");
		json_decref(w.out);
		return NULL;
	}
	return w.out;
}
