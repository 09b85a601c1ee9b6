/* libFuzzer target: config.json, the whole load-and-validate path (the
 * OCI sections, mounts and their options, device rules, id maps, the
 * resources, seccomp, hooks, and the Landlock extension). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scute_spec *spec = NULL;
	struct scute_err err;
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (scute_spec_parse(text, "config.json", "/bundle", &spec, &err) == 0)
		scute_spec_free(spec);
	free(text);
	return 0;
}
