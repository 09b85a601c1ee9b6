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

#include "container.h"
#include "fsutil.h"
#include "runtime.h"
#include "spec.h"

/* "512m", "1g", "4096", "-1": bytes (k/m/g/t are powers of 1024). */
static int parse_size(const char *s, json_int_t *out)
{
	char *end;
	long long v = strtoll(s, &end, 10);
	const char *units = "kmgt";
	const char *u = *end ? strchr(units, *end | 0x20) : NULL;

	bool bad_suffix = *end && (!u || (end[1] && strcmp(end + 1, "b") && strcmp(end + 1, "B")));

	if (end == s || bad_suffix)
		return -1;
	for (const char *p = units; u && p <= u; p++)
		v *= 1024;
	*out = v;
	return 0;
}

static const struct {
	const char *flag, *section, *field;
	bool size;
} flags[] = {
	{ "memory", "memory", "limit", true },
	{ "memory-swap", "memory", "swap", true },
	{ "memory-reservation", "memory", "reservation", true },
	{ "cpu-shares", "cpu", "shares", false },
	{ "cpu-quota", "cpu", "quota", false },
	{ "cpu-period", "cpu", "period", false },
	{ "cpuset-cpus", "cpu", "cpus", false },
	{ "cpuset-mems", "cpu", "mems", false },
	{ "pids-limit", "pids", "limit", false },
	{ "blkio-weight", "blockIO", "weight", false },
};

#define N_FLAGS (sizeof(flags) / sizeof(flags[0]))

static json_t *load_resources(const char *path, struct scute_err *err)
{
	json_error_t jerr;
	json_t *doc;
	size_t len;
	char *text = NULL;

	if (strcmp(path, "-") != 0 && !(text = scute_read_file(path, &len, err)))
		return NULL;
	doc = text ? json_loadb(text, len, 0, &jerr) : json_loadf(stdin, 0, &jerr);
	free(text);

	if (!doc)
		scute_err_set(err, EINVAL, "--resources %s: line %d, column %d: %s",
			      strcmp(path, "-") ? path : "(stdin)", jerr.line, jerr.column,
			      jerr.text);
	return doc;
}

static int set_flag(json_t *res, size_t i, const char *value)
{
	json_t *section = json_object_get(res, flags[i].section);
	json_int_t n;
	char *end;

	if (!section) {
		section = json_object();
		json_object_set_new(res, flags[i].section, section);
	}
	if (!strcmp(flags[i].field, "cpus") || !strcmp(flags[i].field, "mems"))
		return json_object_set_new(section, flags[i].field, json_string(value));
	if (flags[i].size ? parse_size(value, &n) < 0 : (n = strtoll(value, &end, 10), *end != 0))
		return runtime_fail_msg("update: --%s: \"%s\" is not a %s", flags[i].flag, value,
					flags[i].size ? "size" : "number"),
		       -1;
	return json_object_set_new(section, flags[i].field, json_integer(n));
}

int cmd_update(struct global_opts *g, int argc, char **argv)
{
	struct option opts[N_FLAGS + 3];
	struct scute_err err = { 0 };
	struct scute_resources res;
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
	rc = scute_resources_parse(doc, "update", &res, &err);
	json_decref(doc);
	if (rc == 0)
		rc = scute_container_update(g->root, argv[optind], &res, &err);
	scute_resources_free(&res);
	return rc < 0 ? runtime_fail(&err) : 0;
}
