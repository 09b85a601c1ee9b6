/* scute ps (container ls): the containers as docker's CLI lists them,
 * through --format (format.h), from the engine's list (container_list.h),
 * which reconciles every record with the kernel first. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/cleanup.h"
#include "cli.h"
#include "cli_units.h"
#include "container_list.h"
#include "format.h"
#include "store.h"

static const struct scute_format_header ps_headers[] = {
	{ "ID", "CONTAINER ID" },
	{ "Image", "IMAGE" },
	{ "Command", "COMMAND" },
	{ "CreatedAt", "CREATED AT" },
	{ "RunningFor", "CREATED" },
	{ "Ports", "PORTS" },
	{ "State", "STATE" },
	{ "Status", "STATUS" },
	{ "Names", "NAMES" },
	{ "Labels", "LABELS" },
	{ "Mounts", "MOUNTS" },
	{ "Networks", "NETWORKS" },
	/* scute's: --privileged, visible where containers are listed */
	{ "Privileged", "PRIVILEGED" },
	{ NULL, NULL },
};

#define PS_TABLE                                                                            \
	"table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}" \
	"\t{{.Names}}"

struct ps_opts {
	bool all, quiet, no_trunc;
	int64_t last; /* -n; -1: not given */
	const char *format;
	json_t *filters;
	int64_t now;
};

/* docker's STATUS column, from the entry's state and times. */
static void status_text(json_t *entry, int64_t now, char *out, size_t size)
{
	const char *state = json_string_value(json_object_get(entry, "State"));
	int64_t started = json_integer_value(json_object_get(entry, "StartedAt")) / 1000000000;
	int64_t finished = json_integer_value(json_object_get(entry, "FinishedAt")) / 1000000000;
	int code = (int)json_integer_value(json_object_get(entry, "ExitCode"));
	char d[64];

	if (!strcmp(state, "running") || !strcmp(state, "paused")) {
		cli_human_duration(now - started, d, sizeof(d));
		snprintf(out, size, "Up %s%s", d, !strcmp(state, "paused") ? " (Paused)" : "");
	} else if (!strcmp(state, "exited") || !strcmp(state, "restarting")) {
		cli_human_since(finished, now, d, sizeof(d));
		snprintf(out, size, "%s (%d) %s", state[0] == 'e' ? "Exited" : "Restarting", code,
			 d);
	} else if (!strcmp(state, "removing")) {
		snprintf(out, size, "Removal In Progress");
	} else if (!strcmp(state, "dead")) {
		snprintf(out, size, "Dead");
	} else {
		snprintf(out, size, "Created");
	}
}

/* The command as docker's CLI shows it: cut to 20 characters with "…"
 * unless --no-trunc, then quoted as Go's strconv.Quote does (", \). */
static char *command_text(const char *cmd, bool no_trunc)
{
	char cut[64];
	const char *src = cmd;
	char *out, *w;

	if (!no_trunc && strlen(cmd) > 20) {
		snprintf(cut, sizeof(cut), "%.19s\u2026", cmd);
		src = cut;
	}
	out = malloc(strlen(src) * 2 + 3);
	if (!out)
		return NULL;
	w = out;
	*w++ = '"';
	for (const char *p = src; *p; p++) {
		if (*p == '"' || *p == '\\')
			*w++ = '\\';
		*w++ = *p;
	}
	*w++ = '"';
	*w = '\0';
	return out;
}

static char *labels_text(json_t *labels)
{
	char *out = NULL;
	size_t len = 0;
	const char *k;
	json_t *v;
	FILE *f = open_memstream(&out, &len);

	if (!f)
		return NULL;
	json_object_foreach(labels, k, v)
		fprintf(f, "%s%s=%s", ftell(f) ? "," : "", k, json_string_value(v));
	if (fclose(f) != 0) {
		free(out);
		return NULL;
	}
	return out;
}

static json_t *ps_row(json_t *entry, const struct ps_opts *o)
{
	const char *id = json_string_value(json_object_get(entry, "Id"));
	json_t *created = json_object_get(entry, "Created");
	auto_free char *cmd =
		command_text(json_string_value(json_object_get(entry, "Command")), o->no_trunc);
	auto_free char *labels = labels_text(json_object_get(entry, "Labels"));
	char sid[72], status[128], since[64], at[64];

	/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc) auto_free: cleanup.h */
	snprintf(sid, sizeof(sid), "%.*s", o->no_trunc ? 64 : 12, id);
	status_text(entry, o->now, status, sizeof(status));
	cli_human_since(json_integer_value(created), o->now, since, sizeof(since));
	cli_time_string(json_integer_value(created), at, sizeof(at));
	if (!cmd || !labels)
		return NULL;
	return json_pack(
		"{ss ss ss ss ss ss ss ss ss ss ss ss sb}", "ID", sid, "Image",
		json_string_value(json_object_get(entry, "Image")), "Command", cmd, "CreatedAt", at,
		"RunningFor", since, "Ports", "", "State",
		json_string_value(json_object_get(entry, "State")), "Status", status, "Names",
		json_string_value(json_array_get(json_object_get(entry, "Names"), 0)) + 1, "Labels",
		labels, "Mounts", "", "Networks",
		json_string_value(
			json_object_get(json_object_get(entry, "HostConfig"), "NetworkMode")),
		"Privileged",
		json_is_true(json_object_get(json_object_get(entry, "HostConfig"), "Privileged")));
}

static json_t *load_list(struct cli *c, const struct ps_opts *o, struct scute_err *err)
{
	struct scute_store s;
	struct scute_engine_paths e;
	json_t *list = NULL;

	if (scute_store_open(c->root, SCUTE_STORE_WRITE, &s, err) < 0)
		return NULL;
	if (cli_engine_paths(c, &e, err) == 0)
		list = scute_containers_list(&s, &e, o->all || o->last >= 0, o->filters, err);
	scute_store_close(&s);
	/* -n N: the N created last, whatever their state (the list is newest first) */
	while (list && o->last >= 0 && json_array_size(list) > (size_t)o->last)
		json_array_remove(list, json_array_size(list) - 1);
	return list;
}

static int list_containers(struct cli *c, const struct ps_opts *o, struct scute_err *err)
{
	struct scute_format_defaults d = { PS_TABLE, ps_headers, true };
	struct scute_format *f = NULL;
	auto_json json_t *list = NULL;
	size_t i;
	json_t *entry;
	int rc = 0;

	if (!o->quiet && !(f = scute_format_parse(o->format, &d, err)))
		return -1;
	list = load_list(c, o, err);
	if (!list) {
		scute_format_free(f);
		return -1;
	}
	json_array_foreach(list, i, entry)
	{
		auto_json json_t *row = NULL;

		if (o->quiet) {
			printf("%.*s\n", o->no_trunc ? 64 : 12,
			       json_string_value(json_object_get(entry, "Id")));
			continue;
		}
		row = ps_row(entry, o);
		if (rc == 0)
			rc = row ? scute_format_row(f, row, err)
				 : scute_err_set(err, ENOMEM, "ps: out of memory");
	}
	if (f && rc == 0)
		rc = scute_format_flush(f, stdout, err);
	scute_format_free(f);
	return rc;
}

enum { OPT_NO_TRUNC = 1, OPT_FORMAT };

int cmd_ps(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all", no_argument, 0, 'a' },
		{ "quiet", no_argument, 0, 'q' },
		{ "last", required_argument, 0, 'n' },
		{ "latest", no_argument, 0, 'l' },
		{ "no-trunc", no_argument, 0, OPT_NO_TRUNC },
		{ "filter", required_argument, 0, 'f' },
		{ "format", required_argument, 0, OPT_FORMAT },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	const struct cli_verb *v = cli_find_verb("ps");
	auto_json json_t *filters = json_object();
	struct ps_opts o = { .last = -1, .now = (int64_t)time(NULL), .filters = filters };
	struct scute_err err = { 0 };
	int opt;

	if (!filters)
		return cli_fail_msg("ps: out of memory");
	while ((opt = getopt_long(argc, argv, "aqn:lf:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'a': o.all = true; break;
		case 'q': o.quiet = true; break;
		case 'n':
			if (scute_parse_int(optarg, 0, 1000000000, &o.last, &err) < 0)
				return cli_fail_msg("ps: --last \"%s\": %s", optarg, err.msg);
			break;
		case 'l': o.last = 1; break;
		case OPT_NO_TRUNC: o.no_trunc = true; break;
		case OPT_FORMAT: o.format = optarg; break;
		case 'f':
			if (scute_containers_filter_add(filters, optarg, &err) < 0)
				return cli_fail_msg("ps: --filter: %s", err.msg);
			break;
		case 'h': return cli_usage(v, 0);
		default: return cli_usage(v, CLI_EXIT_FAIL);
		}
	}
	if (optind < argc)
		return cli_usage(v, CLI_EXIT_FAIL);
	return list_containers(c, &o, &err) < 0 ? cli_fail(&err) : 0;
}
