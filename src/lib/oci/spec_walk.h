/* Internal helpers for reading config.json: typed getters that name the JSON
 * path of the field in every error ("config.json: process.user.uid: ..."). */
#ifndef SCUTE_SPEC_WALK_H
#define SCUTE_SPEC_WALK_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "spec.h"

struct spec_walk {
	const char *origin; /* "config.json" */
	struct scute_err *err;
};

int walk_fail(struct spec_walk *w, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Each getter: absent → 0 and *present=false (if `present` given) or an error
 * when `required`; wrong type or range → error naming path.key. */
int walk_object(struct spec_walk *w, json_t *parent, const char *path, const char *key,
		bool required, json_t **out);
int walk_array(struct spec_walk *w, json_t *parent, const char *path, const char *key,
	       bool required, json_t **out);
int walk_string(struct spec_walk *w, json_t *parent, const char *path, const char *key,
		bool required, char **out);
int walk_bool(struct spec_walk *w, json_t *parent, const char *path, const char *key, bool *out);
int walk_int(struct spec_walk *w, json_t *parent, const char *path, const char *key, int64_t min,
	     int64_t max, bool *present, int64_t *out);
int walk_uint64(struct spec_walk *w, json_t *parent, const char *path, const char *key,
		bool *present, uint64_t *out);
int walk_string_array(struct spec_walk *w, json_t *parent, const char *path, const char *key,
		      char ***out, size_t *n);
/* An optional array of objects, and a zeroed array of as many `size`-byte
 * items (*items NULL when it is absent or empty). */
int walk_object_array(struct spec_walk *w, json_t *parent, const char *path, const char *key,
		      size_t size, json_t **arr, void **items);
/* Refuse a field this build knows but does not enforce. */
int walk_refuse(struct spec_walk *w, json_t *parent, const char *path, const char *key);

/* The same for a resource field, unless its value says "not set" (0,
 * false, null, "", or only such values inside): engines send those. */
int walk_refuse_set(struct spec_walk *w, json_t *parent, const char *path, const char *key);
/* walk_refuse_set for every key of obj not in the NULL-ended `known`. */
int walk_refuse_unknown(struct spec_walk *w, json_t *obj, const char *path,
			const char *const *known);

void free_string_array(char **v, size_t n);

int spec_parse_linux(struct spec_walk *w, json_t *root, struct scute_spec *spec);
int spec_parse_mounts(struct spec_walk *w, json_t *root, struct scute_spec *spec);
/* Append a filesystem option ("key" or "key=value") to a mount's list. */
int spec_mount_add_option(struct spec_walk *w, struct scute_mount *m, const char *opt);
int spec_parse_resources(struct spec_walk *w, json_t *lx, struct scute_resources *r);
int spec_parse_lsm(struct spec_walk *w, json_t *process, struct scute_process *p);
int spec_parse_mount_label(struct spec_walk *w, json_t *lx, struct scute_spec *spec);
int spec_label_mounts(struct spec_walk *w, struct scute_spec *spec);
int spec_parse_block_io(struct spec_walk *w, json_t *bio, struct scute_resources *r);

#endif
