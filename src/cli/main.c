/* scute: hardened containers with docker's command line, no daemon. */
#include <getopt.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* run's and create's options, as docker's (run_flags.c); -d is run's */
static const char run_usage[] =
	"[OPTIONS] IMAGE [COMMAND] [ARG...]\n\n"
	"Options (docker's; see scute(1)): --name -d -i -t --rm -e --env-file -u -w --entrypoint\n"
	"  --hostname --domainname -l/--label --label-file -v/--volume --mount --tmpfs\n"
	"  --read-only --init --cpus --cpu-shares --cpu-quota --cpu-period --cpuset-cpus\n"
	"  --cpuset-mems -m/--memory --memory-swap --memory-reservation --oom-kill-disable\n"
	"  --oom-score-adj --pids-limit --ulimit --blkio-weight --device\n"
	"  --device-cgroup-rule --cap-add --cap-drop --privileged --security-opt --sysctl\n"
	"  --group-add --ipc --pid --uts --cgroupns --shm-size --stop-signal --stop-timeout\n"
	"  --restart --health-cmd --health-interval --health-timeout --health-retries\n"
	"  --health-start-period --no-healthcheck --log-driver --log-opt --network";

static const struct cli_verb verbs[] = {
	{ "create", run_usage, "Create a container", cmd_create },
	{ "container", "COMMAND", "Manage containers (ls, inspect, kill, rename, rm, stop, wait)",
	  cmd_container },
	{ "history", "[-H|--human=true|false] [-q] [--no-trunc] [--format FORMAT] IMAGE",
	  "Show the layers of an image", cmd_history },
	{ "image", "COMMAND",
	  "Manage images (ls, inspect, load, save, import, rm, prune, tag, history)", cmd_image },
	{ "images",
	  "[-a] [-q] [--digests] [--no-trunc] [-f|--filter KEY=VALUE]... "
	  "[--format table|json|TEMPLATE] [REPOSITORY[:TAG]]",
	  "List images", cmd_images },
	{ "info", "[-f|--format json|TEMPLATE]",
	  "Show the engine, the host and the defaults of new containers", cmd_info },
	{ "inspect", "[-f|--format TEMPLATE] [--type container|image] NAME|ID...",
	  "Show containers or images in docker's JSON", cmd_inspect },
	{ "kill", "[-s|--signal SIGNAL] CONTAINER...", "Signal running containers", cmd_kill },
	{ "import",
	  "[-c|--change INSTR]... [-m|--message MSG] [--platform OS/ARCH] FILE|- [REPOSITORY[:TAG]]",
	  "Make an image of a root filesystem tarball", cmd_import },
	{ "load", "[-i|--input FILE] [-q|--quiet]", "Load images from a docker save or OCI archive",
	  cmd_load },
	{ "login", "[-u|--username USER] [-p|--password PASS | --password-stdin] [SERVER]",
	  "Log in to a registry (docker's config.json)", cmd_login },
	{ "logout", "[SERVER]", "Log out from a registry", cmd_logout },
	{ "pull", "[--platform OS/ARCH] [-q|--quiet] NAME[:TAG|@DIGEST]",
	  "Download an image from a registry", cmd_pull },
	{ "push", "[-q|--quiet] NAME[:TAG]", "Upload an image to a registry", cmd_push },
	{ "pause", "CONTAINER...", "Freeze every process of running containers", cmd_pause },
	{ "ps",
	  "[-a] [-q] [-n N] [-l] [--no-trunc] [-f|--filter KEY=VALUE]... "
	  "[--format table|json|TEMPLATE]",
	  "List containers", cmd_ps },
	{ "rename", "CONTAINER NEW_NAME", "Rename a container", cmd_rename },
	{ "restart", "[-t|--time SECONDS] CONTAINER...", "Restart containers", cmd_restart },
	{ "rm", "[-f|--force] [-v|--volumes] CONTAINER...", "Remove containers", cmd_rm },
	{ "run", run_usage, "Create and start a container", cmd_run },
	{ "start", "[-a|--attach] CONTAINER...", "Start containers", cmd_start },
	{ "stop", "[-t|--time SECONDS] CONTAINER...", "Stop running containers", cmd_stop },
	{ "unpause", "CONTAINER...", "Thaw paused containers", cmd_unpause },
	{ "update",
	  "[--cpus N] [--cpu-shares N] [--cpu-period US] [--cpu-quota US] [--cpuset-cpus LIST] "
	  "[--cpuset-mems LIST] [-m|--memory SIZE] [--memory-swap SIZE|-1] "
	  "[--memory-reservation SIZE] [--pids-limit N] [--blkio-weight N] "
	  "[--restart no|always|unless-stopped|on-failure[:N]] CONTAINER...",
	  "Change the resource limits and restart policy of containers", cmd_update },
	{ "tag", "SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]", "Give an image another name", cmd_tag },
	{ "version", "[-f|--format json|TEMPLATE]", "Show the version of scute and its parts",
	  cmd_version },
	{ "volume", "COMMAND", "Manage volumes (create, inspect, ls, prune, rm)", cmd_volume },
	{ "wait", "CONTAINER...", "Wait for containers to stop, print their exit codes", cmd_wait },
	{ "rmi", "[-f|--force] IMAGE...", "Remove images", cmd_rmi },
	{ "save", "[-o|--output FILE] IMAGE...", "Write images to a docker save archive",
	  cmd_save },
};

const struct cli_verb *cli_find_verb(const char *name)
{
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (!strcmp(verbs[i].name, name))
			return &verbs[i];
	return NULL;
}

int cli_fail(const struct scute_err *err)
{
	fprintf(stderr, "scute: %s\n", err->msg);
	return CLI_EXIT_FAIL;
}

int cli_fail_msg(const char *fmt, ...)
{
	va_list ap;

	fputs("scute: ", stderr);
	va_start(ap, fmt);
	/* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized) va_start is right above */
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return CLI_EXIT_FAIL;
}

int cli_usage(const struct cli_verb *v, int status)
{
	FILE *out = status ? stderr : stdout;

	fprintf(out, "usage: scute %s %s\n\n%s\n", v->name, v->usage, v->summary);
	return status;
}

int cli_run_group(struct cli *c, const char *group, const struct cli_verb *list, size_t n, int argc,
		  char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		FILE *out = argc < 2 ? stderr : stdout;

		fprintf(out, "usage: scute %s COMMAND\n\nCommands:\n", group);
		for (size_t i = 0; i < n; i++)
			fprintf(out, "  %-8s %s\n", list[i].name, list[i].summary);
		return argc < 2 ? CLI_EXIT_FAIL : 0;
	}
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(list[i].name, argv[1])) {
			optind = 0;
			return list[i].run(c, argc - 1, argv + 1);
		}
	}
	return cli_fail_msg("%s: unknown command \"%s\" (see scute %s --help)", group, argv[1],
			    group);
}

static void print_help(FILE *out)
{
	fprintf(out, "usage: scute [global options] COMMAND [options] [ARGS]\n\n"
		     "Hardened containers with docker's command line, no daemon.\n\n"
		     "Global options:\n"
		     "  --root DIR     the engine's store (default: the config's data-root,\n"
		     "                 else /var/lib/scute)\n"
		     "  --config FILE  the engine config (default /etc/scute/scute.json)\n"
		     "  -D, --debug    debug messages\n"
		     "  -v, --version, -h, --help\n\nCommands:\n");
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		fprintf(out, "  %-8s %s\n", verbs[i].name, verbs[i].summary);
	fprintf(out, "\nRun 'scute COMMAND --help' for a command's options.\n");
}

static bool debug_on;

static void log_sink(enum scute_log_level level, const char *msg)
{
	static const char *const names[] = { "error", "warning", "info", "debug" };

	fprintf(stderr, "scute: %s: %s\n", names[level], msg);
}

enum { OPT_ROOT = 1, OPT_CONFIG };

/* The verbs that start containers run from a sealed image of the binary
 * (CVE-2019-5736), as scute-runtime does: a container's process can never
 * reach a writable inode of it through /proc/PID/exe. */
static bool starts_containers(const char *verb, const char *sub)
{
	static const char *const starting[] = { "run", "start", "restart" };

	if (!strcmp(verb, "container") && sub)
		verb = sub;
	for (size_t i = 0; i < sizeof(starting) / sizeof(starting[0]); i++)
		if (!strcmp(verb, starting[i]))
			return true;
	return false;
}

static int parse_global(struct cli *c, const char **config, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "root", required_argument, 0, OPT_ROOT },
		{ "config", required_argument, 0, OPT_CONFIG },
		{ "debug", no_argument, 0, 'D' },
		{ "version", no_argument, 0, 'v' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	int o;

	while ((o = getopt_long(argc, argv, "+Dvh", opts, NULL)) != -1) {
		switch (o) {
		case OPT_ROOT: c->root = optarg; break;
		case OPT_CONFIG: *config = optarg; break;
		case 'D': c->debug = debug_on = true; break;
		case 'v': printf("scute version %s\n", SCUTE_VERSION); exit(0);
		case 'h': print_help(stdout); exit(0);
		default: print_help(stderr); return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct cli c = { 0 };
	const char *config = NULL;
	struct scute_err err = { 0 };
	const struct cli_verb *v;
	int status;

	scute_fds_record_inherited();
	/* names in archives are UTF-8; libarchive converts them by locale */
	setlocale(LC_CTYPE, "C.UTF-8");
	if (parse_global(&c, &config, argc, argv) < 0)
		return CLI_EXIT_FAIL;
	scute_log_set_sink(log_sink, debug_on ? SCUTE_LOG_DEBUG : SCUTE_LOG_WARN);
	if (scute_engine_config_load(config, &c.cfg, &err) < 0)
		return cli_fail(&err);
	if (!c.root)
		c.root = c.cfg.data_root ? c.cfg.data_root : "/var/lib/scute";
	if (optind >= argc) {
		print_help(stderr);
		return CLI_EXIT_FAIL;
	}
	v = cli_find_verb(argv[optind]);
	if (!v)
		return cli_fail_msg("unknown command \"%s\" (see scute --help)", argv[optind]);
	if (starts_containers(argv[optind], argv[optind + 1]) &&
	    scute_self_reexec_sealed(argv, &err) < 0)
		return cli_fail(&err);
	argc -= optind;
	argv += optind;
	optind = 0;
	status = v->run(&c, argc, argv);
	scute_engine_config_free(&c.cfg);
	return status;
}
