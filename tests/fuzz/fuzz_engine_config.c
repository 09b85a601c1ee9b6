/* libFuzzer target: the engine config (src/engine/config/engine_config.c)
 * and the container defaults resolved from it (container_defaults.c).
 * Whatever is accepted resolves to defaults with every field set as the
 * header says (capabilities CAP_ names, a positive or -1 pids limit,
 * ulimits with soft <= hard, a log driver); a refusal is an error with a
 * message, and nothing leaks either way. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "container_defaults.h"
#include "engine_config.h"

static void check(const struct scute_container_defaults *d)
{
	size_t i;
	json_t *u;

	for (i = 0; i < d->n_capabilities; i++)
		if (strncmp(d->capabilities[i], "CAP_", 4) != 0)
			abort();
	if (d->pids_limit == 0 || d->pids_limit < -1 || !d->log_driver || !d->seccomp ||
	    !d->cgroupns_mode || !json_is_array(d->ulimits))
		abort();
	json_array_foreach(d->ulimits, i, u)
	{
		json_int_t soft = json_integer_value(json_object_get(u, "Soft"));
		json_int_t hard = json_integer_value(json_object_get(u, "Hard"));

		if (hard >= 0 && soft > hard)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scute_engine_config c;
	struct scute_container_defaults d;
	struct scute_err err = { 0 };
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (scute_engine_config_parse(text, "fuzz.json", &c, &err) == 0) {
		if (scute_container_defaults_resolve(&c, "fuzz.json", &d, &err) == 0) {
			check(&d);
			scute_container_defaults_free(&d);
		} else if (!err.msg[0]) {
			abort();
		}
		scute_engine_config_free(&c);
	} else if (!err.msg[0]) {
		abort();
	}
	free(text);
	return 0;
}
