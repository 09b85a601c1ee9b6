/* update [--resources FILE|-] [--memory N] ... ID: new limits for a live
 * container. Flags are laid over the --resources JSON (Docker sends
 * `update --resources -`); a limit this build does not enforce is refused
 * by name, never dropped. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime.h"

/* How a flag's value is read; the range is then the config field's. */
enum flag_kind { FLAG_NUMBER, FLAG_SIZE, FLAG_LIST };

static const struct {
	const char *flag, *section, *field;
	enum flag_kind kind;
} flags[] = {
	{ "memory", "memory", "limit", FLAG_SIZE },
	{ "memory-swap", "memory", "swap", FLAG_SIZE },
	{ "memory-reservation", "memory", "reservation", FLAG_SIZE },
	{ "cpu-shares", "cpu", "shares", FLAG_NUMBER },
	{ "cpu-quota", "cpu", "quota", FLAG_NUMBER },
	{ "cpu-period", "cpu", "period", FLAG_NUMBER },
	{ "cpuset-cpus", "cpu", "cpus", FLAG_LIST },
	{ "cpuset-mems", "cpu", "mems", FLAG_LIST },
	{ "pids-limit", "pids", "limit", FLAG_NUMBER },
	{ "blkio-weight", "blockIO", "weight", FLAG_NUMBER },
};

#define N_FLAGS (sizeof(flags) / sizeof(flags[0]))

static json_t *load_resources(const char *path, struct scute_err *err)
{
	bool from_stdin = strcmp(path, "-") == 0;
	json_error_t jerr;
	json_t *doc = from_stdin ? json_loadf(stdin, 0, &jerr) : json_load_file(path, 0, &jerr);

	if (!doc && jerr.line < 0)
		scute_err_set(err, EINVAL, "--resources %s: %s", from_stdin ? "(stdin)" : path,
			      jerr.text);
	else if (!doc)
		scute_err_set(err, EINVAL, "--resources %s: line %d, column %d: %s",
			      from_stdin ? "(stdin)" : path, jerr.line, jerr.column, jerr.text);
	return doc;
}

static int set_flag(json_t *res, size_t i, const char *value)
{
	json_t *section = json_object_get(res, flags[i].section);
	struct scute_err err;
	int64_t n = 0;
	int rc;

	if (!section) {
		section = json_object();
		json_object_set_new(res, flags[i].section, section);
	}
	if (flags[i].kind == FLAG_LIST)
		rc = scute_parse_cpu_list(value, &err);
	else if (flags[i].kind == FLAG_SIZE)
		rc = scute_parse_size(value, &n, &err);
	else
		rc = scute_parse_int(value, INT64_MIN, INT64_MAX, &n, &err);
	if (rc < 0) {
		scute_err_prefix(&err, "update: --%s", flags[i].flag);
		runtime_fail(&err);
		return -1;
	}
	return json_object_set_new(section, flags[i].field,
				   flags[i].kind == FLAG_LIST ? json_string(value)
							      : json_integer(n));
}

int cmd_update(struct global_opts *g, int argc, char **argv)
{
	struct option opts[N_FLAGS + 3];
	struct scute_err err = { 0 };
	const char *resources = NULL;
	json_t *doc, *set = json_object();
	int c, idx, rc;

	for (size_t i = 0; i < N_FLAGS; i++)
		opts[i] = (struct option){ flags[i].flag, required_argument, 0, 1000 + (int)i };
	opts[N_FLAGS] = (struct option){ "resources", required_argument, 0, 'r' };
	opts[N_FLAGS + 1] = (struct option){ "help", no_argument, 0, 'h' };
	opts[N_FLAGS + 2] = (struct option){ 0, 0, 0, 0 };
	while ((c = getopt_long(argc, argv, "+r:h", opts, &idx)) != -1) {
		if (c >= 1000) {
			if (set_flag(set, (size_t)(c - 1000), optarg) < 0)
				return json_decref(set), 1;
		} else if (c == 'r') {
			resources = optarg;
		} else {
			json_decref(set);
			return runtime_usage(runtime_find_verb("update"), c == 'h' ? 0 : 1);
		}
	}
	if (optind != argc - 1) {
		json_decref(set);
		return runtime_fail_msg("update: exactly one container id is required");
	}
	doc = resources ? load_resources(resources, &err) : json_object();
	if (!doc) {
		json_decref(set);
		return runtime_fail(&err);
	}
	json_object_update_recursive(doc, set);
	json_decref(set);
	rc = scute_container_update(g->root, argv[optind], doc, "update", &err);
	json_decref(doc);
	return rc < 0 ? runtime_fail(&err) : 0;
}
