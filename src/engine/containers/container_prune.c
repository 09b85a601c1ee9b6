/* container prune and its filters (control.h). */
#include <ctype.h>
#include <errno.h>
#include <fts.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <search.h>
#include <sys/stat.h>
#include <time.h>

#include "base/cleanup.h"
#include "control.h"
#include "image_filter.h"

/* ---- until= ------------------------------------------------------------------- */

/* "SECONDS[.FRACTION]" into ns; false if s is not that. */
static bool unix_time(const char *s, int64_t *ns)
{
	size_t whole = strspn(s, "0123456789"), frac;
	int64_t sec, part = 0;
	char digits[10] = "000000000";

	if (whole == 0 || whole > 12)
		return false;
	if (s[whole] == '.') {
		frac = strspn(s + whole + 1, "0123456789");
		if (frac == 0 || frac > 9 || s[whole + 1 + frac])
			return false;
		memcpy(digits, s + whole + 1, frac);
		part = strtoll(digits, NULL, 10);
	} else if (s[whole]) {
		return false;
	}
	sec = strtoll(s, NULL, 10);
	*ns = sec * 1000000000 + part;
	return true;
}

/* After a date and time: ".FRACTION" (ignored past ns), then "Z", "+HH:MM"
 * or "-HH:MM" (*offset in seconds, *zoned) or nothing (local time). */
static bool zone_part(const char *p, int64_t *frac_ns, long *offset, bool *zoned)
{
	int hh, mm, n = 0;

	*frac_ns = 0;
	if (*p == '.') {
		int64_t scale = 100000000;

		for (p++; isdigit((unsigned char)*p); p++, scale /= 10)
			*frac_ns += (*p - '0') * scale;
	}
	*zoned = *p != '\0';
	*offset = 0;
	if (*p == 'Z')
		return p[1] == '\0';
	if (!*p)
		return true;
	if ((*p != '+' && *p != '-') || sscanf(p + 1, "%2d:%2d%n", &hh, &mm, &n) != 2 ||
	    p[1 + n] != '\0' || n != 5 || hh > 23 || mm > 59)
		return false;
	*offset = (*p == '-' ? -1 : 1) * (hh * 3600L + mm * 60L);
	return true;
}

/* A date as docker's until takes one: "2006-01-02", "2006-01-02T15:04",
 * "2006-01-02T15:04:05[.frac]", each with a zone or in local time. */
static bool date_time(const char *s, int64_t *ns)
{
	static const char *const forms[] = { "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d" };

	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		struct tm tm = { 0 };
		const char *rest = strptime(s, forms[i], &tm);
		int64_t frac;
		long offset;
		bool zoned;
		time_t t;

		if (!rest || !zone_part(rest, &frac, &offset, &zoned))
			continue;
		tm.tm_isdst = -1;
		t = zoned ? timegm(&tm) - offset : mktime(&tm);
		if (t == (time_t)-1)
			return false;
		*ns = (int64_t)t * 1000000000 + frac;
		return true;
	}
	return false;
}

static int parse_until(const char *v, int64_t now, int64_t *ns, struct scute_err *err)
{
	struct scute_err ignored;
	int64_t ms;

	if (unix_time(v, ns) || date_time(v, ns))
		return 0;
	if (scute_parse_duration_ms(v, &ms, &ignored) == 0) {
		*ns = now - ms * 1000000;
		return 0;
	}
	return scute_err_set(err, EINVAL,
			     "invalid filter 'until=%.100s': not a time (a Unix timestamp, a "
			     "date such as 2024-01-02T15:04:05Z, or a duration such as 10m)",
			     v);
}

/* ---- the filters ----------------------------------------------------------- */

static const char *const prune_keys[] = { "until", "label", "label!" };

int scute_containers_prune_filter_add(json_t *filters, const char *arg, struct scute_err *err)
{
	int64_t ns;

	if (!strncmp(arg, "until=", 6) && arg[6] &&
	    parse_until(arg + 6, scute_now_ns(), &ns, err) < 0)
		return -1;
	return scute_filter_add(filters, arg, prune_keys,
				sizeof(prune_keys) / sizeof(prune_keys[0]), err);
}

/* Filters as the API hands them: known keys, arrays of strings, times
 * that parse. */
static int check_filters(json_t *filters, int64_t now, struct scute_err *err)
{
	const char *key;
	json_t *values, *v;
	size_t i;
	int64_t ns;

	if (filters && !json_is_object(filters))
		return scute_err_set(err, EINVAL, "filters: expected a JSON object");
	json_object_foreach(filters, key, values)
	{
		bool known = false;

		for (size_t k = 0; k < sizeof(prune_keys) / sizeof(prune_keys[0]); k++)
			known |= !strcmp(key, prune_keys[k]);
		if (!known || !json_is_array(values))
			return scute_err_set(err, EINVAL, "invalid filter '%.100s'", key);
		json_array_foreach(values, i, v)
		{
			if (!json_is_string(v))
				return scute_err_set(err, EINVAL, "invalid filter '%.100s'", key);
			if (!strcmp(key, "until") &&
			    parse_until(json_string_value(v), now, &ns, err) < 0)
				return -1;
		}
	}
	return 0;
}

/* label!=KEY[=VALUE]: the container lacks the label (with that value). */
static bool lacks_labels(json_t *filters, json_t *labels)
{
	json_t *values = json_object_get(filters, "label!"), *v;
	size_t i;

	json_array_foreach(values, i, v)
	{
		auto_json json_t *one = json_pack("{s[O]}", "label", v);

		if (one && scute_filter_labels_match(one, labels))
			return false;
	}
	return true;
}

static bool passes(const struct scute_container *c, json_t *filters, int64_t now)
{
	json_t *labels = json_object_get(c->config, "Labels");
	json_t *v;
	size_t i;

	json_array_foreach(json_object_get(filters, "until"), i, v)
	{
		struct scute_err ignored;
		int64_t until = 0;

		if (parse_until(json_string_value(v), now, &until, &ignored) < 0 ||
		    c->created >= until)
			return false;
	}
	return scute_filter_labels_match(filters, labels) && lacks_labels(filters, labels);
}

/* ---- space ----------------------------------------------------------------- */

struct inode_seen {
	dev_t dev;
	ino_t ino;
};

static int inode_cmp(const void *a, const void *b)
{
	const struct inode_seen *x = a, *y = b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	return x->ino < y->ino ? -1 : x->ino > y->ino;
}

/* Whether the inode of st was counted already; noted if not. A balanced
 * tree (tsearch): the container decides how many links there are. */
static bool seen_before(void **seen, const struct stat *st)
{
	struct inode_seen *key = malloc(sizeof(*key)), **found;

	if (!key)
		return false;
	*key = (struct inode_seen){ st->st_dev, st->st_ino };
	found = tsearch(key, seen, inode_cmp);
	if (found && *found != key) {
		free(key);
		return true;
	}
	if (!found)
		free(key);
	return false;
}

/* The bytes of the files under dir (not following symlinks, not crossing
 * mounts), a hard-linked file once, as docker counts a layer's size. A
 * tree too deep for a path (the container made it) is counted as far as
 * paths reach. */
static uint64_t tree_size(const char *dir)
{
	char *paths[] = { (char *)dir, NULL };
	FTS *fts = fts_open(paths, FTS_PHYSICAL | FTS_XDEV | FTS_NOCHDIR, NULL);
	void *seen = NULL;
	uint64_t total = 0;
	FTSENT *ent;

	if (!fts)
		return 0;
	while ((ent = fts_read(fts))) {
		const struct stat *st = ent->fts_statp;

		if (ent->fts_info != FTS_F && ent->fts_info != FTS_SL &&
		    ent->fts_info != FTS_DEFAULT)
			continue;
		if (st->st_nlink > 1 && seen_before(&seen, st))
			continue;
		total += (uint64_t)st->st_size;
	}
	tdestroy(seen, free);
	fts_close(fts);
	return total;
}

/* ---- prune -------------------------------------------------------------------- */

static int note_id(const struct scute_container *c, void *arg)
{
	return json_array_append_new(arg, json_string(c->id)) < 0 ? -ENOMEM : 0;
}

static bool prunable(enum scute_container_status s)
{
	return s == SCUTE_CONTAINER_CREATED || s == SCUTE_CONTAINER_EXITED ||
	       s == SCUTE_CONTAINER_DEAD;
}

/* The container `id` if it is to go: reconciled, stopped, passing the
 * filters; *size what its own layer holds. 1: it is, 0: it stays. */
static int pick(struct scute_store *s, const struct scute_engine_paths *e, const char *id,
		json_t *filters, int64_t now, uint64_t *size, struct scute_err *err)
{
	struct scute_container c;
	struct scute_container_place p;
	char upper[PATH_MAX + 8];
	int rc = 0;

	if (scute_container_find(s->db, id, &c, err) < 0)
		return err->code == ENOENT ? 0 : -1; /* removed meanwhile */
	if (scute_container_reconcile(s, e, &c, err) < 0 ||
	    scute_container_place(e, c.id, &p, err) < 0) {
		rc = -1;
	} else if (prunable(c.status) && passes(&c, filters, now)) {
		snprintf(upper, sizeof(upper), "%s/upper", p.fs);
		*size = tree_size(upper);
		rc = 1;
	}
	scute_container_clear(&c);
	return rc;
}

int scute_containers_prune(struct scute_store *s, const struct scute_engine_paths *e,
			   json_t *filters, json_t **deleted_ids, uint64_t *space,
			   struct scute_err *err)
{
	auto_json json_t *ids = json_array(), *deleted = json_array();
	int64_t now = scute_now_ns();
	json_t *id;
	size_t i;
	int rc;

	*deleted_ids = NULL;
	*space = 0;
	if (!ids || !deleted)
		return scute_err_set(err, ENOMEM, "container prune: out of memory");
	if (check_filters(filters, now, err) < 0)
		return -1;
	rc = scute_container_each_brief(s->db, note_id, ids, err);
	if (rc == -ENOMEM)
		return scute_err_set(err, ENOMEM, "container prune: out of memory");
	if (rc < 0)
		return -1;
	json_array_foreach(ids, i, id)
	{
		struct scute_err one = { 0 };
		uint64_t size = 0;

		rc = pick(s, e, json_string_value(id), filters, now, &size, &one);

		if (rc > 0)
			rc = scute_container_remove(s, e, json_string_value(id), false, &one);
		else if (rc == 0)
			continue;
		if (rc < 0) {
			/* dockerd goes on past one it cannot remove, saying why */
			scute_log(SCUTE_LOG_WARN, "container prune: %s", one.msg);
			continue;
		}
		if (json_array_append(deleted, id) < 0)
			return scute_err_set(err, ENOMEM, "container prune: out of memory");
		*space += size;
	}
	*deleted_ids = scute_take_ptr(&deleted);
	return 0;
}
