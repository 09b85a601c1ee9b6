/* libFuzzer target: `import --change` (src/engine/images/change.c) on a
 * config with an Env, a Shell and a WorkingDir. An accepted change must
 * leave an object whose WorkingDir, if any, is absolute and clean; a
 * refusal must be EINVAL (or ENOMEM), say which change, hold no control
 * characters, and leave the config as it was. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "change.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = strndup((const char *)data, size);
	json_t *config = json_pack("{s[ss]s[ss]ss}", "Env", "A=1", "P=80 81", "Shell", "/bin/sh",
				   "-c", "WorkingDir", "/w");
	json_t *copy = json_deep_copy(config);
	struct scute_err err = { 0 };

	if (!s || !config || !copy)
		abort();
	if (scute_image_change_apply(config, s, &err) == 0) {
		const char *wd = json_string_value(json_object_get(config, "WorkingDir"));

		if (!json_is_object(config) || (wd && (wd[0] != '/' || strstr(wd, "//") ||
						       strstr(wd, "/./") || strstr(wd, "/../"))))
			abort();
	} else {
		if ((err.code != EINVAL && err.code != ENOMEM) ||
		    strncmp(err.msg, "--change \"", 10) != 0 || !json_equal(config, copy))
			abort();
		for (const char *p = err.msg; *p; p++)
			if ((unsigned char)*p < 0x20 || (unsigned char)*p == 0x7f)
				abort();
	}
	json_decref(config);
	json_decref(copy);
	free(s);
	return 0;
}
