#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime.h"
#include "runtime_verb.h"

int parse_id_only(int argc, char **argv, const char *verb, const char **id)
{
	static const struct option opts[] = { { "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 } };
	int c;

	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1)
		return runtime_usage(runtime_find_verb(verb), c == 'h' ? 0 : 1) - (c == 'h');
	if (optind != argc - 1)
		return runtime_fail_msg("%s: exactly one container id is required", verb);
	*id = argv[optind];
	return 0;
}

int cmd_state(struct global_opts *g, int argc, char **argv)
{
	struct scute_err err = { 0 };
	const char *id = NULL;
	char *text;
	json_t *doc;
	int rc = parse_id_only(argc, argv, "state", &id);

	if (rc != 0)
		return rc < 0 ? 0 : rc;
	doc = scute_container_state(g->root, id, &err);
	if (!doc)
		return runtime_fail(&err);
	text = json_dumps(doc, JSON_INDENT(2));
	printf("%s\n", text);
	free(text);
	json_decref(doc);
	return 0;
}
