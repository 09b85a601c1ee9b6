/* scute-runtime apparmor load [--name NAME] [--print]: load scute's default
 * AppArmor profile (scute-default) through apparmor_parser, or print it. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime.h"

static int load(int argc, char **argv)
{
	static const struct option opts[] = { { "name", required_argument, 0, 'n' },
					      { "print", no_argument, 0, 'p' },
					      { "help", no_argument, 0, 'h' },
					      { 0, 0, 0, 0 } };
	const char *name = SCUTE_APPARMOR_DEFAULT;
	struct scute_err err = { 0 };
	bool print = false;
	int c;

	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		if (c == 'n')
			name = optarg;
		else if (c == 'p')
			print = true;
		else
			return runtime_usage(runtime_find_verb("apparmor"), c == 'h' ? 0 : 1);
	}
	if (optind != argc)
		return runtime_fail_msg("apparmor load: unexpected argument \"%s\"", argv[optind]);
	if (!scute_apparmor_name_valid(name))
		return runtime_fail_msg("apparmor load: --name: \"%s\" is not a profile name",
					name);
	if (print) {
		char *text = scute_apparmor_default_profile(name);
		if (!text)
			return runtime_fail_msg("out of memory");
		fputs(text, stdout);
		free(text);
		return 0;
	}
	if (scute_apparmor_load_default(name, &err) < 0)
		return runtime_fail(&err);
	return 0;
}

int cmd_apparmor(struct global_opts *g, int argc, char **argv)
{
	(void)g;
	if (argc >= 2 && strcmp(argv[1], "load") == 0)
		return load(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "--help") == 0)
		return runtime_usage(runtime_find_verb("apparmor"), 0);
	return runtime_usage(runtime_find_verb("apparmor"), 1);
}
