#include <getopt.h>
#include <signal.h>

#include "runtime.h"

int cmd_kill(struct global_opts *g, int argc, char **argv)
{
	static const struct option opts[] = { { "all", no_argument, 0, 'a' },
					      { "help", no_argument, 0, 'h' },
					      { 0, 0, 0, 0 } };
	struct scute_err err = { 0 };
	bool all = false;
	int c, sig = SIGTERM;

	while ((c = getopt_long(argc, argv, "+ah", opts, NULL)) != -1) {
		if (c == 'a')
			all = true;
		else
			return c == 'h' ? runtime_usage(runtime_find_verb("kill"), 0)
					: runtime_usage(runtime_find_verb("kill"), 1);
	}
	if (optind >= argc || argc - optind > 2)
		return runtime_fail_msg("kill: usage: kill [-a|--all] ID [SIGNAL]");
	if (argc - optind == 2 && scute_parse_signal(argv[optind + 1], &sig, &err) < 0)
		return scute_err_prefix(&err, "kill"), runtime_fail(&err);
	if (scute_container_kill(g->root, argv[optind], sig, all, &err) < 0)
		return runtime_fail(&err);
	return 0;
}
