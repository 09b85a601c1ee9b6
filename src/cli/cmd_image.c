/* scute image COMMAND, and image inspect (image_json.h). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "base/cleanup.h"
#include "cli.h"
#include "format.h"
#include "image_json.h"
#include "store.h"

static const struct cli_verb image_verbs[] = {
	{ "history", "[-H|--human=true|false] [-q] [--no-trunc] [--format FORMAT] IMAGE",
	  "Show the layers of an image", cmd_history },
	{ "import", "[-c INSTR]... [-m MSG] [--platform OS/ARCH] FILE|- [REPOSITORY[:TAG]]",
	  "Make an image of a root filesystem tarball", cmd_import },
	{ "inspect", "[-f|--format TEMPLATE] IMAGE...", "Show images in docker's JSON",
	  cmd_image_inspect },
	{ "list", "[options] [REPOSITORY[:TAG]] (as scute images)", "List images", cmd_images },
	{ "load", "[-i|--input FILE] [-q|--quiet]", "Load images from an archive", cmd_load },
	{ "ls", "[options] [REPOSITORY[:TAG]] (as scute images)", "List images", cmd_images },
	{ "prune", "[-a|--all] [-f|--force]", "Remove images without a name", cmd_image_prune },
	{ "rm", "[-f|--force] IMAGE...", "Remove images", cmd_rmi },
	{ "save", "[-o|--output FILE] IMAGE...", "Write images to a docker save archive",
	  cmd_save },
	{ "tag", "SOURCE TARGET", "Give an image another name", cmd_tag },
};
#define INSPECT_VERB (&image_verbs[2])

int cmd_image(struct cli *c, int argc, char **argv)
{
	return cli_run_group(c, "image", image_verbs, sizeof(image_verbs) / sizeof(image_verbs[0]),
			     argc, argv);
}

/* -f TEMPLATE: the template run on each document, a line each, as
 * docker's inspect runs it (no table; "json" is the default output). */
static int print_formatted(json_t *docs, const char *tpl, struct scute_err *err)
{
	struct scute_format_defaults d = { NULL, NULL, false };
	struct scute_format *f = scute_format_parse(tpl, &d, err);
	size_t i;
	json_t *doc;
	int rc = 0;

	if (!f)
		return -1;
	json_array_foreach(docs, i, doc) if (rc == 0) rc = scute_format_row(f, doc, err);
	if (rc == 0)
		rc = scute_format_flush(f, stdout, err);
	scute_format_free(f);
	return rc;
}

static void print_json(json_t *docs)
{
	auto_free char *text = json_dumps(docs, JSON_INDENT(4));

	if (text)
		printf("%s\n", text);
}

int cmd_image_inspect(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, 0, 'f' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	auto_json json_t *out = json_array();
	const char *format = NULL;
	struct scute_store s;
	struct scute_err err = { 0 };
	int o, status = 0;

	while ((o = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
		if (o == 'f')
			format = optarg;
		else
			return cli_usage(INSPECT_VERB, o == 'h' ? 0 : CLI_EXIT_FAIL);
	}
	if (optind >= argc)
		return cli_usage(INSPECT_VERB, CLI_EXIT_FAIL);
	/* a template that does not parse fails before the store is read */
	if (cli_check_template(format, &err) < 0)
		return cli_fail(&err);
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
	if (cli_print_inspect(out, format, &err) < 0)
		status = cli_fail(&err);
	return status;
}

int cli_print_inspect(json_t *docs, const char *format, struct scute_err *err)
{
	/* docker prints what it found even when some were not found */
	if (!format || !format[0] || !strcmp(format, "json")) {
		print_json(docs);
		return 0;
	}
	return print_formatted(docs, format, err);
}

int cli_check_template(const char *format, struct scute_err *err)
{
	struct scute_format_defaults d = { NULL, NULL, false };
	struct scute_format *f;

	if (!format || !format[0] || !strcmp(format, "json"))
		return 0;
	f = scute_format_parse(format, &d, err);
	scute_format_free(f);
	return f ? 0 : -1;
}
