#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime.h"

int cmd_features(struct global_opts *g, int argc, char **argv)
{
	json_t *doc;
	char *text;

	(void)g;
	if (argc > 1)
		return runtime_usage(runtime_find_verb("features"),
				     strcmp(argv[1], "--help") == 0 ? 0 : 1);
	doc = scute_features();
	text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	printf("%s\n", text);
	free(text);
	json_decref(doc);
	return 0;
}
