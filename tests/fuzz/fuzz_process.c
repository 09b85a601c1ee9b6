/* libFuzzer target: exec --process FILE, a process object on its own
 * (args, env, user, capabilities, rlimits, labels, the Landlock section). */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scute_process p;
	struct scute_err err;
	json_error_t jerr;
	json_t *doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &jerr);

	if (!doc)
		return 0;
	if (scute_spec_parse_process(doc, "--process", &p, &err) == 0)
		scute_process_free(&p);
	json_decref(doc);
	return 0;
}
