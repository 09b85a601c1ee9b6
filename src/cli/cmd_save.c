/* scute save: images as a docker-save archive (save.h). */
#include <getopt.h>
#include <stdio.h>
#include <unistd.h>

#include "cli.h"
#include "save.h"
#include "store.h"

int cmd_save(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, 0, 'o' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	const struct cli_verb *v = cli_find_verb("save");
	const char *output = NULL;
	struct scute_store s;
	struct scute_err err = { 0 };
	const char *const *refs;
	int o, rc;

	while ((o = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		if (o == 'o')
			output = optarg;
		else
			return cli_usage(v, o == 'h' ? 0 : CLI_EXIT_FAIL);
	}
	if (optind >= argc)
		return cli_usage(v, CLI_EXIT_FAIL);
	if (!output && isatty(STDOUT_FILENO))
		return cli_fail_msg("save: cowardly refusing to save to a terminal. Use the -o "
				    "flag or redirect");
	if (scute_store_open(c->root, SCUTE_STORE_READ, &s, &err) < 0)
		return cli_fail(&err);
	refs = (const char *const *)argv + optind;
	if (output)
		rc = scute_image_save_file(&s, refs, (size_t)(argc - optind), output, &err);
	else
		rc = scute_image_save(&s, refs, (size_t)(argc - optind), STDOUT_FILENO, &err);
	scute_store_close(&s);
	return rc < 0 ? cli_fail(&err) : 0;
}
