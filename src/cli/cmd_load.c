/* scute load: images from a docker save or OCI archive (archive_load.h). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "archive_load.h"
#include "base/cleanup.h"
#include "cli.h"
#include "store.h"

/* docker's lines: each name loaded, or the ID of an image without one */
static void print_loaded(json_t *report)
{
	size_t i, j;
	json_t *img, *tag;

	json_array_foreach(report, i, img)
	{
		json_t *tags = json_object_get(img, "RepoTags");

		if (json_array_size(tags) == 0)
			printf("Loaded image ID: %s\n",
			       json_string_value(json_object_get(img, "Id")));
		json_array_foreach(tags, j, tag)
			printf("Loaded image: %s\n", json_string_value(tag));
	}
}

int cmd_load(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "input", required_argument, 0, 'i' },
		{ "quiet", no_argument, 0, 'q' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	const struct cli_verb *v = cli_find_verb("load");
	const char *input = NULL;
	auto_fd int fd = -1;
	auto_json json_t *report = json_array();
	struct scute_load_opts lo = { 0 };
	struct scute_store s;
	struct scute_err err = { 0 };
	int o, rc;

	while ((o = getopt_long(argc, argv, "i:qh", opts, NULL)) != -1) {
		if (o == 'i')
			input = optarg;
		else if (o == 'h')
			return cli_usage(v, 0);
		/* -q: there is no progress to leave out; the names still print */
		else if (o != 'q')
			return cli_usage(v, CLI_EXIT_FAIL);
	}
	if (optind < argc)
		return cli_fail_msg("load: unexpected argument \"%s\"", argv[optind]);
	if (input && strcmp(input, "-") != 0) {
		fd = open(input, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return cli_fail_msg("load: open %s: %s", input, strerror(errno));
	} else if (isatty(STDIN_FILENO)) {
		return cli_fail_msg("load: requested load from stdin, but stdin is a terminal "
				    "(use -i FILE or a pipe)");
	}
	if (scute_store_open(c->root, SCUTE_STORE_WRITE, &s, &err) < 0)
		return cli_fail(&err);
	lo.fd = fd >= 0 ? fd : STDIN_FILENO;
	lo.name = input ? input : "stdin";
	lo.max_layer_size = c->cfg.max_layer_size;
	rc = scute_image_load(&s, &lo, report, &err);
	if (rc < 0)
		scute_store_tidy(&s);
	scute_store_close(&s);
	if (rc < 0)
		return cli_fail(&err);
	print_loaded(report);
	return 0;
}
