/* scute-runtime exec [options] ID [COMMAND [ARGS...]]: runc's exec. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime.h"

#define MAX_LIST 256

static int parse_user(const char *s, struct scute_exec_opts *o)
{
	struct scute_err err;

	if (scute_parse_user(s, &o->uid, &o->gid, &err) < 0)
		return scute_err_prefix(&err, "--user"), runtime_fail(&err);
	o->has_user = true;
	return 0;
}

static int parse_gids(const char *s, struct scute_exec_opts *o, gid_t *buf)
{
	struct scute_err err;
	int64_t g;

	if (scute_parse_int(s, 0, UINT32_MAX - 1, &g, &err) < 0)
		return scute_err_prefix(&err, "--additional-gids"), runtime_fail(&err);
	if (o->n_groups == MAX_LIST)
		return runtime_fail_msg("--additional-gids: too many");
	buf[o->n_groups++] = (gid_t)g;
	return 0;
}

static int add(char **list, size_t *n, char *value, const char *flag)
{
	if (*n == MAX_LIST)
		return runtime_fail_msg("%s: too many", flag);
	list[(*n)++] = value;
	return 0;
}

int cmd_exec(struct global_opts *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "process", required_argument, 0, 'p' },
		{ "console-socket", required_argument, 0, 'S' },
		{ "cwd", required_argument, 0, 'w' },
		{ "env", required_argument, 0, 'e' },
		{ "tty", no_argument, 0, 't' },
		{ "user", required_argument, 0, 'u' },
		{ "additional-gids", required_argument, 0, 'g' },
		{ "process-label", required_argument, 0, 'L' },
		{ "apparmor", required_argument, 0, 'A' },
		{ "no-new-privs", no_argument, 0, 'N' },
		{ "cap", required_argument, 0, 'c' },
		{ "detach", no_argument, 0, 'd' },
		{ "pid-file", required_argument, 0, 'P' },
		{ "preserve-fds", required_argument, 0, 'f' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	static char *env[MAX_LIST], *caps[MAX_LIST];
	static gid_t groups[MAX_LIST];
	struct scute_exec_opts o = { .root = g->root, .env = env, .caps = caps, .groups = groups };
	struct scute_err err = { 0 };
	int c, rc, status = 0;

	while ((c = getopt_long(argc, argv, "+p:e:tu:g:c:dh", opts, NULL)) != -1) {
		rc = 0;
		switch (c) {
		case 'p': o.process_file = optarg; break;
		case 'S': o.console_socket = optarg; break;
		case 'w': o.cwd = optarg; break;
		case 'e': rc = add(env, &o.n_env, optarg, "--env"); break;
		case 't': o.tty = true; break;
		case 'u': rc = parse_user(optarg, &o); break;
		case 'g': rc = parse_gids(optarg, &o, groups); break;
		case 'L': o.process_label = optarg; break;
		case 'A': o.apparmor = optarg; break;
		case 'N': o.no_new_privs = true; break;
		case 'c': rc = add(caps, &o.n_caps, optarg, "--cap"); break;
		case 'd': o.detach = true; break;
		case 'P': o.pid_file = optarg; break;
		case 'f':
			rc = runtime_parse_fd_count("--preserve-fds", optarg, &o.preserve_fds);
			break;
		case 'h': return runtime_usage(runtime_find_verb("exec"), 0);
		default: return runtime_usage(runtime_find_verb("exec"), 1);
		}
		if (rc)
			return rc;
	}
	if (optind >= argc)
		return runtime_fail_msg("exec: a container id is required");
	o.id = argv[optind++];
	o.args = argv + optind;
	o.n_args = (size_t)(argc - optind);
	if (o.process_file && o.n_args)
		return runtime_fail_msg("exec: give either --process or a command, not both");
	if ((rc = runtime_seal_self(g)) != 0)
		return rc;
	if (scute_container_exec(&o, &status, &err) < 0)
		return runtime_fail(&err);
	return o.detach ? 0 : status;
}
