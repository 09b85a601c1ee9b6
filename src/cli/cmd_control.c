/* scute pause, unpause, update and container prune: changing containers
 * in place, and removing the stopped ones (control.h). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "cli.h"
#include "cli_units.h"
#include "control.h"
#include "store.h"

/* ---- pause, unpause --------------------------------------------------------- */

static int run_pause(struct cli *c, const char *verb, bool pause, int argc, char **argv)
{
	const struct cli_verb *v = cli_find_verb(verb);
	struct scute_store s;
	struct scute_engine_paths e;
	int status = 0;

	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return cli_usage(v, 0);
	if (argc < 2 || argv[1][0] == '-')
		return cli_usage(v, CLI_EXIT_FAIL);
	if (cli_open_engine(c, &s, &e))
		return CLI_EXIT_FAIL;
	/* docker goes on past a container it cannot change, and fails at the end */
	for (int i = 1; i < argc; i++) {
		struct scute_err err = { 0 };

		if (scute_container_set_paused(&s, &e, argv[i], pause, &err) < 0)
			status = cli_fail(&err);
		else
			printf("%s\n", argv[i]);
	}
	scute_store_close(&s);
	return status;
}

int cmd_pause(struct cli *c, int argc, char **argv)
{
	return run_pause(c, "pause", true, argc, argv);
}

int cmd_unpause(struct cli *c, int argc, char **argv)
{
	return run_pause(c, "unpause", false, argc, argv);
}

/* ---- update ------------------------------------------------------------------ */

enum {
	OPT_CPUS = 256,
	OPT_CPU_SHARES,
	OPT_CPU_PERIOD,
	OPT_CPU_QUOTA,
	OPT_CPUSET_CPUS,
	OPT_CPUSET_MEMS,
	OPT_MEMORY_SWAP,
	OPT_MEMORY_RESERVATION,
	OPT_PIDS_LIMIT,
	OPT_BLKIO_WEIGHT,
	OPT_RESTART,
};

/* --cpus: a decimal number of CPUs, as NanoCpus (9 decimals at most, as
 * docker's "value is too precise"). */
static int parse_cpus(const char *s, int64_t *nano, struct scute_err *err)
{
	size_t whole = strspn(s, "0123456789"), frac = 0;
	char digits[10] = "000000000";
	int64_t units;

	if (s[whole] == '.')
		frac = strspn(s + whole + 1, "0123456789");
	if ((whole == 0 && frac == 0) || s[whole + (s[whole] == '.') + frac] != '\0' || whole > 9)
		return scute_err_set(err, EINVAL, "\"%s\" is not a number of CPUs (like 1.5)", s);
	if (frac > 9)
		return scute_err_set(err, EINVAL, "\"%s\": too precise (9 decimals at most)", s);
	memcpy(digits, s + whole + 1, frac);
	units = whole ? strtoll(s, NULL, 10) : 0;
	*nano = units * 1000000000 + strtoll(digits, NULL, 10);
	return 0;
}

/* --restart: no, always, unless-stopped, on-failure[:N] */
static json_t *parse_restart(const char *s, struct scute_err *err)
{
	static const char *const names[] = { "no", "always", "unless-stopped", "on-failure" };
	const char *colon = strchr(s, ':');
	size_t len = colon ? (size_t)(colon - s) : strlen(s);
	int64_t count = 0;
	bool known = false;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		known |= strlen(names[i]) == len && !strncmp(s, names[i], len);
	if (!known) {
		scute_err_set(err, EINVAL,
			      "\"%s\": not a restart policy (no, always, unless-stopped or "
			      "on-failure[:N])",
			      s);
		return NULL;
	}
	if (colon && strncmp(s, "on-failure", len) != 0) {
		scute_err_set(err, EINVAL, "\"%s\": a retry count goes with on-failure only", s);
		return NULL;
	}
	if (colon && scute_parse_int(colon + 1, 0, INT32_MAX, &count, err) < 0)
		return NULL;
	return json_pack("{ss# sI}", "Name", s, (int)len, "MaximumRetryCount", (json_int_t)count);
}

/* One flag's value into CHANGES, or an error naming neither (the caller
 * adds the flag). */
static int parse_update_flag(int o, const char *arg, json_t *changes, struct scute_err *err)
{
	static const struct {
		int opt;
		const char *key;
		bool size;
		int64_t min, max;
	} ints[] = {
		{ 'm', "Memory", true, 0, 0 },
		{ OPT_MEMORY_SWAP, "MemorySwap", true, -1, 0 },
		{ OPT_MEMORY_RESERVATION, "MemoryReservation", true, 0, 0 },
		{ OPT_CPU_SHARES, "CpuShares", false, INT64_MIN, INT64_MAX },
		{ OPT_CPU_PERIOD, "CpuPeriod", false, INT64_MIN, INT64_MAX },
		{ OPT_CPU_QUOTA, "CpuQuota", false, INT64_MIN, INT64_MAX },
		{ OPT_PIDS_LIMIT, "PidsLimit", false, INT64_MIN, INT64_MAX },
		{ OPT_BLKIO_WEIGHT, "BlkioWeight", false, 0, UINT16_MAX },
	};
	int64_t v;

	for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
		if (ints[i].opt != o)
			continue;
		if (ints[i].size ? scute_parse_size(arg, &v, err)
				 : scute_parse_int(arg, ints[i].min, ints[i].max, &v, err))
			return -1;
		if (ints[i].size && v < ints[i].min)
			return scute_err_set(err, EINVAL, "\"%s\" is not a size (like 512m)", arg);
		return json_object_set_new(changes, ints[i].key, json_integer(v));
	}
	switch (o) {
	case OPT_CPUS:
		if (parse_cpus(arg, &v, err) < 0)
			return -1;
		return json_object_set_new(changes, "NanoCpus", json_integer(v));
	case OPT_CPUSET_CPUS:
	case OPT_CPUSET_MEMS:
		if (scute_parse_cpu_list(arg, err) < 0)
			return -1;
		return json_object_set_new(changes,
					   o == OPT_CPUSET_CPUS ? "CpusetCpus" : "CpusetMems",
					   json_string(arg));
	case OPT_RESTART: {
		json_t *policy = parse_restart(arg, err);

		return policy ? json_object_set_new(changes, "RestartPolicy", policy) : -1;
	}
	}
	return scute_err_set(err, EINVAL, "unknown option");
}

static const struct option update_opts[] = {
	{ "cpus", required_argument, 0, OPT_CPUS },
	{ "cpu-shares", required_argument, 0, OPT_CPU_SHARES },
	{ "cpu-period", required_argument, 0, OPT_CPU_PERIOD },
	{ "cpu-quota", required_argument, 0, OPT_CPU_QUOTA },
	{ "cpuset-cpus", required_argument, 0, OPT_CPUSET_CPUS },
	{ "cpuset-mems", required_argument, 0, OPT_CPUSET_MEMS },
	{ "memory", required_argument, 0, 'm' },
	{ "memory-swap", required_argument, 0, OPT_MEMORY_SWAP },
	{ "memory-reservation", required_argument, 0, OPT_MEMORY_RESERVATION },
	{ "pids-limit", required_argument, 0, OPT_PIDS_LIMIT },
	{ "blkio-weight", required_argument, 0, OPT_BLKIO_WEIGHT },
	{ "restart", required_argument, 0, OPT_RESTART },
	{ "help", no_argument, 0, 'h' },
	{ 0, 0, 0, 0 },
};

/* The long name of option o, for errors ("--memory"). */
static const char *flag_name(int o)
{
	for (size_t i = 0; update_opts[i].name; i++)
		if (update_opts[i].val == o)
			return update_opts[i].name;
	return "?";
}

int cmd_update(struct cli *c, int argc, char **argv)
{
	const struct cli_verb *v = cli_find_verb("update");
	auto_json json_t *changes = json_object();
	struct scute_store s;
	struct scute_engine_paths e;
	struct scute_err err = { 0 };
	int o, status = 0;

	if (!changes)
		return cli_fail_msg("update: out of memory");
	while ((o = getopt_long(argc, argv, "m:h", update_opts, NULL)) != -1) {
		if (o == 'h' || o == '?')
			return cli_usage(v, o == 'h' ? 0 : CLI_EXIT_FAIL);
		if (parse_update_flag(o, optarg, changes, &err) < 0)
			return cli_fail_msg("update: --%s: %s", flag_name(o), err.msg);
	}
	if (optind >= argc)
		return cli_usage(v, CLI_EXIT_FAIL);
	if (json_object_size(changes) == 0)
		return cli_fail_msg("update: you must provide one or more flags when using this "
				    "command");
	if (cli_open_engine(c, &s, &e))
		return CLI_EXIT_FAIL;
	for (int i = optind; i < argc; i++) {
		if (scute_container_apply_update(&s, &e, argv[i], changes, &err) < 0)
			status = cli_fail(&err);
		else
			printf("%s\n", argv[i]);
	}
	scute_store_close(&s);
	return status;
}

/* ---- container prune ----------------------------------------------------------- */

/* docker's question; without a terminal to ask on, no (use -f). */
static int confirm_prune(bool *yes)
{
	char answer[16];

	*yes = false;
	if (!isatty(STDIN_FILENO))
		return cli_fail_msg("container prune: the standard input is not a terminal to "
				    "confirm on: use -f to remove without asking");
	fprintf(stderr, "WARNING! This will remove all stopped containers.\n"
			"Are you sure you want to continue? [y/N] ");
	*yes = fgets(answer, sizeof(answer), stdin) && (answer[0] == 'y' || answer[0] == 'Y');
	return 0;
}

static void print_pruned(json_t *deleted, uint64_t space)
{
	char human[32];
	json_t *id;
	size_t i;

	if (json_array_size(deleted)) {
		printf("Deleted Containers:\n");
		json_array_foreach(deleted, i, id) printf("%s\n", json_string_value(id));
		printf("\n");
	}
	cli_human_size((double)space, 4, human, sizeof(human));
	printf("Total reclaimed space: %s\n", human);
}

int cmd_container_prune(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "force", no_argument, 0, 'f' },
		{ "filter", required_argument, 0, 'F' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	auto_json json_t *filters = json_object(), *deleted = NULL;
	struct scute_store s;
	struct scute_engine_paths e;
	struct scute_err err = { 0 };
	bool force = false, yes;
	uint64_t space = 0;
	int o, rc;

	while ((o = getopt_long(argc, argv, "fh", opts, NULL)) != -1) {
		if (o == 'f') {
			force = true;
		} else if (o == 'F') {
			if (scute_containers_prune_filter_add(filters, optarg, &err) < 0)
				return cli_fail_msg("container prune: --filter: %s", err.msg);
		} else {
			FILE *out = o == 'h' ? stdout : stderr;

			fprintf(out, "usage: scute container prune [-f|--force] [--filter "
				     "until=TIME|label=KEY[=VALUE]|label!=KEY[=VALUE]]...\n\n"
				     "Remove every stopped container.\n");
			return o == 'h' ? 0 : CLI_EXIT_FAIL;
		}
	}
	if (optind < argc)
		return cli_fail_msg("container prune: takes no arguments (see --help)");
	if (!force && confirm_prune(&yes) != 0)
		return CLI_EXIT_FAIL;
	if (!force && !yes)
		return 0;
	if (cli_open_engine(c, &s, &e))
		return CLI_EXIT_FAIL;
	rc = scute_containers_prune(&s, &e, filters, &deleted, &space, &err);
	scute_store_close(&s);
	if (rc < 0)
		return cli_fail(&err);
	print_pruned(deleted, space);
	return 0;
}
