/* libFuzzer target: the record → OCI config derivation
 * (src/engine/containers/oci_config.c and its parts), fed a create body
 * as the API will take it from a client: {"Config": {...}, "HostConfig":
 * {...}} of any shape. The derivation (at create, without a root) either
 * refuses with a message or gives a config whose process has args, whose
 * capability sets are arrays of CAP_ names and whose mounts all have an
 * absolute destination. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "create.h"

static struct scute_container_defaults cd;
static struct scute_oci_defaults od;

static void setup(void)
{
	struct scute_engine_config c;
	struct scute_err err = { 0 };

	if (scute_engine_config_parse("{}", "fuzz", &c, &err) < 0 ||
	    scute_container_defaults_resolve(&c, "fuzz", &cd, &err) < 0 ||
	    scute_oci_defaults_from(&cd, &od, &err) < 0)
		abort();
	scute_engine_config_free(&c);
}

static void check(json_t *spec)
{
	json_t *process = json_object_get(spec, "process"), *m, *v;
	size_t i;

	if (!json_array_size(json_object_get(process, "args")))
		abort();
	json_array_foreach(json_object_get(json_object_get(process, "capabilities"), "bounding"), i,
			   v) if (strncmp(json_string_value(v) ?: "", "CAP_", 4) != 0) abort();
	json_array_foreach(json_object_get(spec, "mounts"), i,
			   m) if ((json_string_value(json_object_get(m, "destination"))
					   ?: "x")[0] != '/') abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scute_container c = { 0 };
	struct scute_oci_inputs in = { .c = &c, .d = &od, .rootfd = -1 };
	struct scute_err err = { 0 };
	json_t *body, *spec;

	if (!od.base)
		setup();
	body = json_loadb((const char *)data, size, 0, NULL);
	if (!json_is_object(body)) {
		json_decref(body);
		return 0;
	}
	memset(c.id, 'f', 64);
	c.config = json_object_get(body, "Config");
	c.host_config = json_object_get(body, "HostConfig");
	if (!json_is_object(c.config) || !json_is_object(c.host_config)) {
		json_decref(body);
		return 0;
	}
	spec = scute_oci_config_derive(&in, &err);
	if (spec)
		check(spec);
	else if (!err.msg[0])
		abort();
	json_decref(spec);
	json_decref(body);
	return 0;
}
