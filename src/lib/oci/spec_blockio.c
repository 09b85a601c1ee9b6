/* linux.resources.blockIO: weights, per-device weights and throttles. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec_walk.h"

static const char *const throttle_keys[] = { "throttleReadBpsDevice", "throttleWriteBpsDevice",
					     "throttleReadIOPSDevice", "throttleWriteIOPSDevice" };

/* A device's major and minor, as every blockIO device entry names it. */
static int parse_device_numbers(struct spec_walk *w, json_t *item, const char *path, int64_t *major,
				int64_t *minor)
{
	if (!json_is_object(item))
		return walk_fail(w, path, "expected an object");
	if (walk_int(w, item, path, "major", 0, 4095, NULL, major) < 0 ||
	    walk_int(w, item, path, "minor", 0, 1048575, NULL, minor) < 0)
		return -1;
	return 0;
}

static int parse_throttles(struct spec_walk *w, json_t *bio, struct scute_resources *r)
{
	json_t *arr[4], *item;
	char path[128];
	size_t total = 0, i;

	/* Every field's type is checked before the count: a field that is not
	 * an array counts 0, and would otherwise never be looked at. */
	for (int k = 0; k < 4; k++) {
		if (walk_array(w, bio, "linux.resources.blockIO", throttle_keys[k], false,
			       &arr[k]) < 0)
			return -1;
		total += json_array_size(arr[k]);
	}
	if (!total)
		return 0;
	r->throttles = calloc(total, sizeof(*r->throttles));
	if (!r->throttles)
		return scute_err_set(w->err, ENOMEM, "out of memory");
	for (int k = 0; k < 4; k++) {
		json_array_foreach(arr[k], i, item)
		{
			struct scute_throttle *t = &r->throttles[r->n_throttles];
			snprintf(path, sizeof(path), "linux.resources.blockIO.%s[%zu]",
				 throttle_keys[k], i);
			t->kind = k;
			if (parse_device_numbers(w, item, path, &t->major, &t->minor) < 0 ||
			    walk_uint64(w, item, path, "rate", NULL, &t->rate) < 0)
				return -1;
			r->n_throttles++;
		}
	}
	return 0;
}

/* A weight: 0 is "not set", otherwise 10..1000 as blkio takes it. */
static int parse_weight(struct spec_walk *w, json_t *obj, const char *path, const char *key,
			unsigned int *out)
{
	int64_t v;
	bool has;

	if (walk_int(w, obj, path, key, 0, 1000, &has, &v) < 0)
		return -1;
	if (has && v && v < 10)
		return walk_fail(w, path, "%s: %lld is below 10", key, (long long)v);
	*out = has ? (unsigned int)v : 0;
	return 0;
}

static int parse_weight_devices(struct spec_walk *w, json_t *bio, struct scute_resources *r)
{
	json_t *arr, *item;
	char path[128];
	size_t i;

	if (walk_object_array(w, bio, "linux.resources.blockIO", "weightDevice",
			      sizeof(*r->weight_devices), &arr, (void **)&r->weight_devices) < 0)
		return -1;
	json_array_foreach(arr, i, item)
	{
		struct scute_weight_device *d = &r->weight_devices[i];
		snprintf(path, sizeof(path), "linux.resources.blockIO.weightDevice[%zu]", i);
		if (parse_device_numbers(w, item, path, &d->major, &d->minor) < 0 ||
		    parse_weight(w, item, path, "weight", &d->weight) < 0 ||
		    parse_weight(w, item, path, "leafWeight", &d->leaf_weight) < 0)
			return -1;
		r->n_weight_devices = i + 1;
	}
	return 0;
}

int spec_parse_block_io(struct spec_walk *w, json_t *bio, struct scute_resources *r)
{
	static const char *const known[] = { "weight",
					     "leafWeight",
					     "weightDevice",
					     "throttleReadBpsDevice",
					     "throttleWriteBpsDevice",
					     "throttleReadIOPSDevice",
					     "throttleWriteIOPSDevice",
					     NULL };
	const char *p = "linux.resources.blockIO";

	if (walk_refuse_unknown(w, bio, p, known) < 0 || parse_throttles(w, bio, r) < 0 ||
	    parse_weight_devices(w, bio, r) < 0 ||
	    parse_weight(w, bio, p, "weight", &r->blkio_weight) < 0 ||
	    parse_weight(w, bio, p, "leafWeight", &r->blkio_leaf_weight) < 0)
		return -1;
	r->has_blkio_weight = r->blkio_weight != 0;
	r->has_blkio_leaf_weight = r->blkio_leaf_weight != 0;
	return 0;
}
