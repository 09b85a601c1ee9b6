/* scute image COMMAND, and image inspect (image_json.h). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "base/cleanup.h"
#include "cli.h"
#include "image_json.h"
#include "store.h"

static const struct cli_verb image_verbs[] = {
	{ "import", "[-c INSTR]... [-m MSG] [--platform OS/ARCH] FILE|- [REPOSITORY[:TAG]]",
	  "Make an image of a root filesystem tarball", cmd_import },
	{ "inspect", "IMAGE...", "Show images in docker's JSON", cmd_image_inspect },
	{ "load", "[-i|--input FILE] [-q|--quiet]", "Load images from an archive", cmd_load },
	{ "prune", "[-a|--all] [-f|--force]", "Remove images without a name", cmd_image_prune },
	{ "rm", "[-f|--force] IMAGE...", "Remove images", cmd_rmi },
	{ "save", "[-o|--output FILE] IMAGE...", "Write images to a docker save archive",
	  cmd_save },
	{ "tag", "SOURCE TARGET", "Give an image another name", cmd_tag },
};

int cmd_image(struct cli *c, int argc, char **argv)
{
	return cli_run_group(c, "image", image_verbs, sizeof(image_verbs) / sizeof(image_verbs[0]),
			     argc, argv);
}

int cmd_image_inspect(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	auto_json json_t *out = json_array();
	auto_free char *text = NULL;
	struct scute_store s;
	struct scute_err err = { 0 };
	int o, status = 0;

	o = getopt_long(argc, argv, "h", opts, NULL);
	if (o != -1)
		return cli_usage(&image_verbs[1], o == 'h' ? 0 : CLI_EXIT_FAIL);
	if (optind >= argc)
		return cli_usage(&image_verbs[1], CLI_EXIT_FAIL);
	if (scute_store_open(c->root, SCUTE_STORE_READ, &s, &err) < 0)
		return cli_fail(&err);
	for (int i = optind; i < argc; i++) {
		json_t *doc = scute_image_inspect(&s, argv[i], &err);

		if (!doc)
			status = cli_fail(&err);
		else
			json_array_append_new(out, doc);
	}
	scute_store_close(&s);
	/* docker prints the array even when some were not found */
	text = json_dumps(out, JSON_INDENT(4));
	if (text)
		printf("%s\n", text);
	return status;
}
