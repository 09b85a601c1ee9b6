#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime.h"
#include "runtime_create.h"

int parse_create_opts(int argc, char **argv, struct create_cli *cli)
{
	static const struct option opts[] = {
		{ "bundle", required_argument, 0, 'b' },
		{ "pid-file", required_argument, 0, 'p' },
		{ "console-socket", required_argument, 0, 'c' },
		{ "no-pivot", no_argument, 0, 'P' },
		{ "no-new-keyring", no_argument, 0, 'K' },
		{ "preserve-fds", required_argument, 0, 'f' },
		{ "detach", no_argument, 0, 'd' },
		{ "keep", no_argument, 0, 'k' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	int c;

	cli->opts.bundle = ".";
	while ((c = getopt_long(argc, argv, cli->is_run ? "+b:dh" : "+b:h", opts, NULL)) != -1) {
		switch (c) {
		case 'b': cli->opts.bundle = optarg; break;
		case 'p': cli->opts.pid_file = optarg; break;
		case 'c': cli->opts.console_socket = optarg; break;
		case 'P': cli->opts.no_pivot = true; break;
		case 'K': cli->opts.no_new_keyring = true; break;
		case 'f':
			if (runtime_parse_fd_count("--preserve-fds", optarg,
						   &cli->opts.preserve_fds) != 0)
				return 1;
			break;
		case 'd':
		case 'k':
			if (!cli->is_run)
				return runtime_usage(runtime_find_verb("create"), 1);
			if (c == 'd')
				cli->detach = true;
			else
				cli->keep = true;
			break;
		case 'h':
			return runtime_usage(runtime_find_verb(cli->is_run ? "run" : "create"), 0) -
			       1;
		default: return runtime_usage(runtime_find_verb(cli->is_run ? "run" : "create"), 1);
		}
	}
	if (optind != argc - 1)
		return runtime_fail_msg("%s: exactly one container id is required",
					cli->is_run ? "run" : "create");
	cli->opts.id = argv[optind];
	/* Socket activation, as runc does it: the fds systemd handed to this
	 * process (LISTEN_PID is ours) go to the container first, from fd 3,
	 * then the --preserve-fds ones. */
	struct scute_err err;
	if (scute_listen_fds_from_env(&cli->opts.listen_fds, &err) < 0)
		return runtime_fail(&err);
	return 0;
}

int cmd_create(struct global_opts *g, int argc, char **argv)
{
	struct create_cli cli = { .is_run = false };
	struct scute_err err = { 0 };
	pid_t pid;
	int rc = parse_create_opts(argc, argv, &cli);

	if (rc != 0)
		return rc < 0 ? 0 : rc;
	if ((rc = runtime_seal_self(g)) != 0)
		return rc;
	cli.opts.root = g->root;
	if (scute_container_create(&cli.opts, &pid, &err) < 0)
		return runtime_fail(&err);
	return 0;
}
