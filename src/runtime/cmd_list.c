#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime.h"

struct listing {
	bool json, quiet;
	json_t *all;
};

static const char *text_of(json_t *doc, const char *key)
{
	const char *s = json_string_value(json_object_get(doc, key));
	return s ? s : "";
}

/* Kept until the walk is over: a root refused halfway prints nothing. */
static int keep_one(json_t *doc, void *arg)
{
	struct listing *l = arg;

	return json_array_append(l->all, doc);
}

static void print_table(const struct listing *l)
{
	size_t i;
	json_t *doc;

	if (!l->quiet)
		printf("%-20s %-8s %-10s %-40s %-30s %s\n", "ID", "PID", "STATUS", "BUNDLE",
		       "CREATED", "OWNER");
	json_array_foreach(l->all, i, doc)
	{
		if (l->quiet)
			printf("%s\n", text_of(doc, "id"));
		else
			printf("%-20s %-8d %-10s %-40s %-30s %s\n", text_of(doc, "id"),
			       (int)json_integer_value(json_object_get(doc, "pid")),
			       text_of(doc, "status"), text_of(doc, "bundle"),
			       text_of(doc, "created"), text_of(doc, "owner"));
	}
}

int cmd_list(struct global_opts *g, int argc, char **argv)
{
	static const struct option opts[] = { { "format", required_argument, 0, 'f' },
					      { "quiet", no_argument, 0, 'q' },
					      { "help", no_argument, 0, 'h' },
					      { 0, 0, 0, 0 } };
	struct listing l = { .all = json_array() };
	struct scute_err err = { 0 };
	int c, rc;

	while ((c = getopt_long(argc, argv, "+f:qh", opts, NULL)) != -1) {
		if (c == 'f' && (strcmp(optarg, "json") == 0 || strcmp(optarg, "table") == 0))
			l.json = strcmp(optarg, "json") == 0;
		else if (c == 'f')
			return runtime_fail_msg("list: --format: unknown format \"%s\" (table or "
						"json)",
						optarg);
		else if (c == 'q')
			l.quiet = true;
		else
			return runtime_usage(runtime_find_verb("list"), c == 'h' ? 0 : 1);
	}
	rc = scute_container_list(g->root, keep_one, &l, &err);
	if (rc == 0 && l.json) {
		char *text = json_dumps(l.all, JSON_COMPACT);
		printf("%s\n", text);
		free(text);
	} else if (rc == 0) {
		print_table(&l);
	}
	json_decref(l.all);
	if (rc < 0)
		return scute_err_prefix(&err, "list"), runtime_fail(&err);
	return 0;
}
