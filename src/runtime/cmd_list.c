#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "container.h"
#include "runtime.h"

static void print_row(const struct scute_state *st, json_t *doc)
{
	printf("%-20s %-8d %-10s %-40s %-30s %s\n", st->id,
	       (int)json_integer_value(json_object_get(doc, "pid")),
	       json_string_value(json_object_get(doc, "status")), st->bundle, st->created,
	       json_string_value(json_object_get(doc, "owner")));
}

int cmd_list(struct global_opts *g, int argc, char **argv)
{
	static const struct option opts[] = { { "format", required_argument, 0, 'f' },
					      { "quiet", no_argument, 0, 'q' },
					      { "help", no_argument, 0, 'h' },
					      { 0, 0, 0, 0 } };
	bool json = false, quiet = false;
	json_t *all = json_array();
	struct dirent *e;
	DIR *d;
	int c;

	while ((c = getopt_long(argc, argv, "+f:qh", opts, NULL)) != -1) {
		if (c == 'f' && (strcmp(optarg, "json") == 0 || strcmp(optarg, "table") == 0))
			json = strcmp(optarg, "json") == 0;
		else if (c == 'f')
			return runtime_fail_msg("list: --format: unknown format \"%s\" (table or "
						"json)",
						optarg);
		else if (c == 'q')
			quiet = true;
		else
			return runtime_usage(runtime_find_verb("list"), c == 'h' ? 0 : 1);
	}
	if (!json && !quiet)
		printf("%-20s %-8s %-10s %-40s %-30s %s\n", "ID", "PID", "STATUS", "BUNDLE",
		       "CREATED", "OWNER");
	d = opendir(g->root);
	if (!d && errno != ENOENT)
		return runtime_fail_msg("list: open %s: %s", g->root, strerror(errno));
	while (d && (e = readdir(d))) {
		struct scute_state st;
		struct scute_err err;
		if (e->d_name[0] == '.' || scute_container_load(g->root, e->d_name, &st, &err) < 0)
			continue;
		json_t *doc = scute_state_to_oci(&st);
		if (json)
			json_array_append(all, doc);
		else if (quiet)
			printf("%s\n", st.id);
		else
			print_row(&st, doc);
		json_decref(doc);
		scute_state_free(&st);
	}
	if (d)
		closedir(d);
	if (json) {
		char *text = json_dumps(all, JSON_COMPACT);
		printf("%s\n", text);
		free(text);
	}
	json_decref(all);
	return 0;
}
