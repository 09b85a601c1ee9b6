/* libFuzzer target: docker's --change instructions
 * (src/engine/images/change.c). The input is split at newlines into a
 * list of changes applied to one config. Whatever is accepted leaves a
 * config whose every member is of the type docker gives it (Cmd,
 * Entrypoint and Env arrays of strings, Env entries KEY=VALUE, ExposedPorts
 * keys PORT/PROTO with a port of 1-65535, WorkingDir absolute and clean);
 * a refusal is EINVAL with a message. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "change.h"

#define MAX_CHANGES 16

static void check_strings(json_t *a)
{
	json_t *e;
	size_t i;

	if (!a)
		return;
	if (!json_is_array(a))
		abort();
	json_array_foreach(a, i, e) if (!json_is_string(e)) abort();
}

static void check_ports(json_t *ports)
{
	const char *key;
	json_t *v;

	if (!ports)
		return;
	json_object_foreach(ports, key, v)
	{
		int port = 0, n = 0;
		char proto[8];

		if (sscanf(key, "%d/%7s%n", &port, proto, &n) != 2 || key[n] || port < 1 ||
		    port > 65535 ||
		    (strcmp(proto, "tcp") && strcmp(proto, "udp") && strcmp(proto, "sctp")))
			abort();
	}
}

static void check_config(json_t *config)
{
	const char *wd = json_string_value(json_object_get(config, "WorkingDir"));
	json_t *e;
	size_t i;

	check_strings(json_object_get(config, "Cmd"));
	check_strings(json_object_get(config, "Entrypoint"));
	check_strings(json_object_get(config, "Env"));
	json_array_foreach(json_object_get(config, "Env"), i,
			   e) if (!strchr(json_string_value(e), '=') ||
				  json_string_value(e)[0] == '=') abort();
	check_ports(json_object_get(config, "ExposedPorts"));
	if (wd && (wd[0] != '/' || strstr(wd, "//") || strstr(wd, "/./") || strstr(wd, "/../") ||
		   (strlen(wd) > 1 && wd[strlen(wd) - 1] == '/')))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = strndup((const char *)data, size);
	const char *changes[MAX_CHANGES];
	json_t *config = json_object();
	struct scute_err err = { 0 };
	size_t n = 0;

	if (!s || !config) {
		free(s);
		json_decref(config);
		return 0;
	}
	for (char *p = s, *line; n < MAX_CHANGES && (line = strsep(&p, "\n"));)
		changes[n++] = line;
	if (scute_image_changes_apply(config, changes, n, &err) == 0)
		check_config(config);
	else if (err.code != EINVAL || !err.msg[0])
		abort();
	json_decref(config);
	free(s);
	return 0;
}
