/* libFuzzer target: the update verb's input, a linux.resources object
 * (update --resources FILE|-, as Docker sends it on stdin). */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scute_resources res;
	struct scute_err err;
	json_error_t jerr;
	json_t *doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &jerr);

	if (!doc)
		return 0;
	/* Whether it succeeds or not, what it allocated is freed. */
	scute_resources_parse(doc, "--resources", &res, &err);
	scute_resources_free(&res);
	json_decref(doc);
	return 0;
}
