/* libFuzzer target: scute run / create's flags (src/cli/run_flags*.c).
 * The input is argv after the verb, its arguments separated by NUL bytes;
 * a first byte of 'c' makes the verb "create" (no -d). What the parser
 * accepts must be a whole create body (Config with the image, HostConfig
 * with its defaults); what it refuses must leave nothing behind and say
 * why. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "run_flags.h"

#define MAX_ARGS 64

static void check_ok(const struct cli_run_request *r)
{
	char *body;

	if (r->help)
		return;
	if (!r->image || !json_is_object(r->config) || !json_is_object(r->host_config) ||
	    !json_is_array(r->warnings))
		abort();
	if (strcmp(json_string_value(json_object_get(r->config, "Image")), r->image) ||
	    !json_is_string(json_object_get(r->host_config, "NetworkMode")) ||
	    !json_is_object(json_object_get(r->host_config, "LogConfig")) ||
	    !json_is_object(json_object_get(r->host_config, "RestartPolicy")))
		abort();
	/* the body must serialise: the engine and the API read it as JSON */
	body = json_dumps(r->host_config, JSON_COMPACT);
	if (!body)
		abort();
	free(body);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = malloc(size + 1), *argv[MAX_ARGS + 1];
	struct cli_run_request r;
	struct scute_err err = { 0 };
	int argc = 0;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	argv[argc++] = size && data[0] == 'c' ? "create" : "run";
	for (size_t i = size && data[0] == 'c' ? 1 : 0; i <= size && argc < MAX_ARGS;) {
		argv[argc++] = copy + i;
		i += strlen(copy + i) + 1;
	}
	if (cli_run_flags_parse(argc, argv, &r, &err) == 0) {
		check_ok(&r);
	} else {
		if (!err.code || !err.msg[0] || r.config || r.host_config || r.image || r.name)
			abort();
	}
	cli_run_request_free(&r);
	free(copy);
	return 0;
}
