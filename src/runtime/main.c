/* scute-runtime: an OCI runtime with runc's command-line contract. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime.h"

static const struct verb verbs[] = {
	{ "create",
	  "[-b|--bundle DIR] [--pid-file FILE] [--console-socket PATH] [--no-pivot] "
	  "[--no-new-keyring] [--preserve-fds N] ID",
	  cmd_create },
	{ "start", "ID", cmd_start },
	{ "run",
	  "[-b|--bundle DIR] [-d|--detach] [--pid-file FILE] [--console-socket PATH] "
	  "[--keep] [--no-pivot] [--no-new-keyring] [--preserve-fds N] ID",
	  cmd_run },
	{ "exec",
	  "[-p|--process FILE] [--cwd DIR] [-e|--env K=V]... [-u|--user UID[:GID]] "
	  "[-g|--additional-gids GID]... [-c|--cap CAP]... [--no-new-privs] "
	  "[--apparmor PROFILE] [--process-label LABEL] [-t|--tty] [--console-socket PATH] "
	  "[-d|--detach] [--pid-file FILE] [--preserve-fds N] ID [COMMAND [ARGS...]]",
	  cmd_exec },
	{ "state", "ID", cmd_state },
	{ "kill", "[-a|--all] ID [SIGNAL]", cmd_kill },
	{ "delete", "[-f|--force] ID", cmd_delete },
	{ "list", "[--format table|json] [-q|--quiet]", cmd_list },
	{ "events", "[--stats] [--interval DURATION] ID", cmd_events },
	{ "pause", "ID", cmd_pause },
	{ "resume", "ID", cmd_resume },
	{ "ps", "[--format table|json] ID [PS-ARGS...]", cmd_ps },
	{ "update",
	  "[--resources FILE|-] [--memory N] [--memory-swap N] [--memory-reservation N] "
	  "[--cpu-shares N] [--cpu-quota N] [--cpu-period N] [--cpuset-cpus S] "
	  "[--cpuset-mems S] [--pids-limit N] [--blkio-weight N] ID",
	  cmd_update },
	{ "spec", "[-b|--bundle DIR] [--rootless]", cmd_spec },
	{ "features", "", cmd_features },
	{ "seccomp", "convert [--cap CAP]... [--kernel X.Y] PROFILE.json", cmd_seccomp },
	{ "apparmor", "load [--name NAME] [--print]", cmd_apparmor },
};

const struct verb *runtime_find_verb(const char *name)
{
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (strcmp(verbs[i].name, name) == 0)
			return &verbs[i];
	return NULL;
}

static void print_help(FILE *out)
{
	fprintf(out, "usage: scute-runtime [global options] COMMAND [options] [ARGS]\n\n"
		     "An OCI runtime that runs hardened containers (runc's command line).\n\n"
		     "Global options:\n"
		     "  --root DIR            state directory (default /run/scute-runtime;\n"
		     "                        $XDG_RUNTIME_DIR/scute-runtime when not root)\n"
		     "  --log FILE            also write messages to FILE\n"
		     "  --log-format FORMAT   text or json (lines {\"level\",\"msg\",\"time\"})\n"
		     "  --debug               debug messages\n"
		     "  --systemd-cgroup      use systemd for cgroups (not available: no systemd)\n"
		     "  --version, --help\n\nCommands:\n");
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		fprintf(out, "  %-9s %s\n", verbs[i].name, verbs[i].usage);
	fprintf(out, "\nRun 'scute-runtime COMMAND --help' for a command's options.\n");
}

enum {
	OPT_ROOT = 1,
	OPT_LOG,
	OPT_LOG_FORMAT,
	OPT_DEBUG,
	OPT_SYSTEMD,
	OPT_VERSION,
	OPT_HELP,
	OPT_IGNORED_BOOL
};

static int parse_global(struct global_opts *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "root", required_argument, 0, OPT_ROOT },
		{ "log", required_argument, 0, OPT_LOG },
		{ "log-format", required_argument, 0, OPT_LOG_FORMAT },
		{ "debug", no_argument, 0, OPT_DEBUG },
		{ "systemd-cgroup", no_argument, 0, OPT_SYSTEMD },
		{ "version", no_argument, 0, OPT_VERSION },
		{ "help", no_argument, 0, OPT_HELP },
		{ 0, 0, 0, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "+vh", opts, NULL)) != -1) {
		switch (c) {
		case OPT_ROOT: g->root = optarg; break;
		case OPT_LOG: g->log_path = optarg; break;
		case OPT_LOG_FORMAT:
			if (strcmp(optarg, "json") && strcmp(optarg, "text"))
				return runtime_fail_msg("--log-format: unknown format \"%s\" (text "
							"or json)",
							optarg);
			g->log_json = strcmp(optarg, "json") == 0;
			break;
		case OPT_DEBUG: g->debug = true; break;
		case OPT_SYSTEMD: g->systemd_cgroup = true; break;
		case 'v':
		case OPT_VERSION:
			printf("scute-runtime version %s\nspec: 1.2.0\n", SCUTE_VERSION);
			exit(0);
		case 'h':
		case OPT_HELP: print_help(stdout); exit(0);
		default: print_help(stderr); return 1;
		}
	}
	return 0;
}

/* runc's default: /run for root; for any other user their runtime
 * directory ($XDG_RUNTIME_DIR, else /run/user/UID). */
static const char *default_root(void)
{
	static char buf[4096];
	const char *xdg = getenv("XDG_RUNTIME_DIR");

	if (geteuid() == 0)
		return "/run/scute-runtime";
	if (xdg && xdg[0] == '/')
		snprintf(buf, sizeof(buf), "%s/scute-runtime", xdg);
	else
		snprintf(buf, sizeof(buf), "/run/user/%u/scute-runtime", geteuid());
	return buf;
}

int main(int argc, char **argv)
{
	struct global_opts g = { .root = default_root(), .argv0 = argv };
	const struct verb *v;

	/* Before anything opens an fd: which fds the caller passed, the only
	 * ones --preserve-fds and LISTEN_FDS may hand to a container. */
	scute_fds_record_inherited();
	if (parse_global(&g, argc, argv) != 0)
		return 1;
	runtime_log_setup(&g);
	if (optind >= argc) {
		print_help(stderr);
		return 1;
	}
	if (g.systemd_cgroup)
		return runtime_fail_msg(
			access("/run/systemd/system", F_OK) == 0
				? "--systemd-cgroup: the systemd cgroup driver is not "
				  "supported by this build; use cgroupfs paths"
				: "--systemd-cgroup: no systemd runs on this host, so "
				  "it cannot manage cgroups; use cgroupfs paths");
	v = runtime_find_verb(argv[optind]);
	if (!v)
		return runtime_fail_msg("unknown command \"%s\" (see --help)", argv[optind]);
	argc -= optind;
	argv += optind;
	optind = 0; /* reset getopt for the verb's own options */
	return v->run(&g, argc, argv);
}
