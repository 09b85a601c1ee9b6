/* scute tag, rmi and image prune: names and removal (image_store.h). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "cli.h"
#include "image_store.h"
#include "store.h"

int cmd_tag(struct cli *c, int argc, char **argv)
{
	const struct cli_verb *v = cli_find_verb("tag");
	struct scute_store s;
	struct scute_err err = { 0 };
	int rc;

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")))
		return cli_usage(v, 0);
	if (argc != 3)
		return cli_usage(v, CLI_EXIT_FAIL);
	if (scute_store_open(c->root, SCUTE_STORE_WRITE, &s, &err) < 0)
		return cli_fail(&err);
	rc = scute_image_tag(s.db, argv[1], argv[2], &err);
	scute_store_close(&s);
	return rc < 0 ? cli_fail(&err) : 0;
}

static void print_report(json_t *report)
{
	size_t i;
	json_t *line;

	json_array_foreach(report, i, line)
	{
		const char *key;
		json_t *val;

		json_object_foreach(line, key, val) printf("%s: %s\n", key, json_string_value(val));
	}
}

/* Removal holds the store exclusively, then collects what it left
 * unused (layers, blobs) before letting go. */
int cmd_rmi(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "force", no_argument, 0, 'f' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	const struct cli_verb *v = cli_find_verb("rmi");
	struct scute_store s;
	struct scute_err err = { 0 };
	bool force = false;
	int o, status = 0;

	while ((o = getopt_long(argc, argv, "fh", opts, NULL)) != -1) {
		if (o == 'f')
			force = true;
		else if (o == 'h')
			return cli_usage(v, 0);
		else
			return cli_usage(v, CLI_EXIT_FAIL);
	}
	if (optind >= argc)
		return cli_usage(v, CLI_EXIT_FAIL);
	if (scute_store_open(c->root, SCUTE_STORE_EXCLUSIVE, &s, &err) < 0)
		return cli_fail(&err);
	/* docker goes on past an image it cannot remove, and fails at the end */
	for (int i = optind; i < argc; i++) {
		auto_json json_t *report = json_array();

		if (scute_image_remove(s.db, argv[i], force, report, &err) < 0)
			status = cli_fail(&err);
		print_report(report);
	}
	if (scute_store_collect(&s, &err) < 0)
		status = cli_fail(&err);
	scute_store_close(&s);
	return status;
}

/* docker asks on a terminal unless -f; without a terminal it goes on. */
static bool confirm(bool all)
{
	char answer[16];

	if (!isatty(STDIN_FILENO))
		return true;
	fprintf(stderr,
		"WARNING! This will remove all %s.\nAre you sure you want to continue? [y/N] ",
		all ? "images without at least one container associated to them"
		    : "dangling images");
	return fgets(answer, sizeof(answer), stdin) && (answer[0] == 'y' || answer[0] == 'Y');
}

int cmd_image_prune(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all", no_argument, 0, 'a' },
		{ "force", no_argument, 0, 'f' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	auto_json json_t *report = json_array();
	struct scute_store s;
	struct scute_err err = { 0 };
	bool all = false, force = false;
	int o, rc;

	while ((o = getopt_long(argc, argv, "afh", opts, NULL)) != -1) {
		if (o == 'a')
			all = true;
		else if (o == 'h') {
			printf("usage: scute image prune [-a|--all] [-f|--force]\n\n"
			       "Remove images without a name (-a: every image).\n");
			return 0;
		} else if (o == 'f') {
			force = true;
		} else {
			return cli_fail_msg("image prune: see --help");
		}
	}
	if (!force && !confirm(all))
		return 0;
	if (scute_store_open(c->root, SCUTE_STORE_EXCLUSIVE, &s, &err) < 0)
		return cli_fail(&err);
	rc = scute_image_prune(s.db, all, report, &err);
	if (rc == 0)
		rc = scute_store_collect(&s, &err);
	scute_store_close(&s);
	if (rc < 0)
		return cli_fail(&err);
	if (json_array_size(report)) {
		size_t i;
		json_t *line;

		printf("Deleted Images:\n");
		json_array_foreach(report, i, line)
		{
			const char *key;
			json_t *val;

			json_object_foreach(line, key, val)
				printf("%s: %s\n", !strcmp(key, "Deleted") ? "deleted" : "untagged",
				       json_string_value(val));
		}
		printf("\n");
	}
	return 0;
}
