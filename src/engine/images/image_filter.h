/* docker's filters of the image list (GET /images/json?filters=…, `scute
 * images --filter`), over scute_images_list()'s rows. Filters are the
 * API's shape: an object of KEY → array of values, {"dangling":["true"]}. */
#ifndef SCUTE_ENGINE_IMAGE_FILTER_H
#define SCUTE_ENGINE_IMAGE_FILTER_H

#include <jansson.h>
#include <stdbool.h>

#include "scute.h"

/* Add ARG ("KEY=VALUE") to FILTERS if KEY is one of `keys` and VALUE is
 * not empty; else EINVAL naming it: "invalid filter 'foo=bar'". Shared by
 * the lists' filters (images, containers). */
int scute_filter_add(json_t *filters, const char *arg, const char *const *keys, size_t n_keys,
		     struct scute_err *err);

/* Every label=KEY or label=KEY=VALUE of FILTERS holds for LABELS. */
bool scute_filter_labels_match(json_t *filters, json_t *labels);

/* Add the filter ARG ("KEY=VALUE", as --filter takes it) to FILTERS. Only
 * the keys and values docker's images take are accepted:
 *   dangling=true|false    images without a name (or with one)
 *   label=KEY, label=KEY=VALUE   the image config's Labels
 *   reference=PATTERN      a name, path.Match-style (*, ?, […]), against
 *                          "repo:tag" and against "repo" alone
 * Anything else is EINVAL naming it: "invalid filter 'foo=bar'". */
int scute_images_filter_add(json_t *filters, const char *arg, struct scute_err *err);

/* The rows of LIST that pass FILTERS (a new array; FILTERS may be NULL).
 * As dockerd does: label filters must all match, reference patterns any;
 * a row's RepoTags and RepoDigests are narrowed to the names a reference
 * pattern matches, and a row left with none is dropped. NULL with ENOMEM. */
json_t *scute_images_filter(json_t *list, json_t *filters, struct scute_err *err);

#endif
