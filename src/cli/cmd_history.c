/* scute history (image history): an image's layers as docker's CLI lists
 * them, newest first, through --format (format.h). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/cleanup.h"
#include "cli.h"
#include "cli_units.h"
#include "format.h"
#include "image_json.h"
#include "store.h"

static const struct scute_format_header history_headers[] = {
	{ "ID", "IMAGE" },
	{ "CreatedSince", "CREATED" },
	{ "CreatedAt", "CREATED AT" },
	{ "CreatedBy", "CREATED BY" },
	{ "Size", "SIZE" },
	{ "Comment", "COMMENT" },
	{ NULL, NULL },
};

#define HISTORY_TABLE "table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}"
/* docker's width of CREATED BY in a truncated listing, "…" included */
#define CREATED_BY_MAX 45

struct history_opts {
	bool quiet, no_trunc, human;
	const char *format;
	int64_t now;
};

/* CREATED BY as docker shows it: tabs as spaces, and unless --no-trunc at
 * most 45 characters, the last an ellipsis. */
static void created_by(const char *by, bool no_trunc, char *out, size_t size)
{
	size_t n = 0, chars = 0, len = strlen(by), cut = len;

	for (size_t i = 0; i < len; i++) {
		if (((unsigned char)by[i] & 0xc0) == 0x80)
			continue;
		if (++chars == CREATED_BY_MAX)
			cut = i;
	}
	if (no_trunc || chars <= CREATED_BY_MAX)
		cut = len;
	for (size_t i = 0; i < cut && n + 1 < size; i++) {
		out[n] = by[i];
		if (out[n] == '\t')
			out[n] = ' ';
		n++;
	}
	out[n] = '\0';
	if (cut < len && n + sizeof("…") <= size)
		memcpy(out + n, "…", sizeof("…"));
}

static json_t *history_row(json_t *h, const struct history_opts *o)
{
	const char *id = json_string_value(json_object_get(h, "Id"));
	const char *by = json_string_value(json_object_get(h, "CreatedBy"));
	const char *comment = json_string_value(json_object_get(h, "Comment"));
	json_int_t created = json_integer_value(json_object_get(h, "Created"));
	json_int_t bytes = json_integer_value(json_object_get(h, "Size"));
	char shown[16], since[64], at[64], size[32];
	auto_free char *by_shown = malloc(strlen(by ? by : "") + sizeof("…"));
	const char *hex = id ? strchr(id, ':') : NULL;

	if (!by_shown)
		return NULL;
	/* "<missing>" (a layer below the image's own) stays as it is */
	if (hex && !o->no_trunc) {
		snprintf(shown, sizeof(shown), "%.12s", hex + 1);
		id = shown;
	}
	created_by(by ? by : "", o->no_trunc, by_shown, strlen(by ? by : "") + sizeof("…"));
	cli_time_rfc3339(created, at, sizeof(at));
	if (o->human) {
		cli_human_since(created, o->now, since, sizeof(since));
		cli_human_size((double)bytes, 3, size, sizeof(size));
	} else {
		snprintf(since, sizeof(since), "%s", at);
		snprintf(size, sizeof(size), "%lld", (long long)bytes);
	}
	/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc) auto_free: cleanup.h */
	return json_pack("{ss ss ss ss ss ss}", "ID", id ? id : "", "CreatedSince", since,
			 "CreatedAt", at, "CreatedBy", by_shown, "Size", size, "Comment",
			 comment ? comment : "");
}

static json_t *load_history(struct cli *c, const char *ref, struct scute_err *err)
{
	struct scute_store s;
	json_t *rows;

	if (scute_store_open(c->root, SCUTE_STORE_READ, &s, err) < 0)
		return NULL;
	rows = scute_image_history(&s, ref, err);
	scute_store_close(&s);
	return rows;
}

static int show_history(struct cli *c, const char *ref, const struct history_opts *o,
			struct scute_err *err)
{
	struct scute_format_defaults d = { o->quiet ? "{{.ID}}" : HISTORY_TABLE, history_headers,
					   true };
	struct scute_format *f = scute_format_parse(o->quiet ? NULL : o->format, &d, err);
	auto_json json_t *rows = NULL;
	size_t i;
	json_t *h;
	int rc = 0;

	if (!f)
		return -1;
	rows = load_history(c, ref, err);
	if (!rows)
		rc = -1;
	json_array_foreach(rows, i, h)
	{
		auto_json json_t *row = rc == 0 ? history_row(h, o) : NULL;

		if (rc == 0 && !row)
			rc = scute_err_set(err, ENOMEM, "history: out of memory");
		if (rc == 0)
			rc = scute_format_row(f, row, err);
	}
	if (rc == 0)
		rc = scute_format_flush(f, stdout, err);
	scute_format_free(f);
	return rc;
}

/* --human / -H: true unless given false ("-H=false", "--human=false"). */
static int parse_human(const char *arg, bool *human)
{
	if (arg && arg[0] == '=')
		arg++;
	if (!arg || !strcmp(arg, "true") || !strcmp(arg, "1"))
		*human = true;
	else if (!strcmp(arg, "false") || !strcmp(arg, "0"))
		*human = false;
	else
		return cli_fail_msg("history: --human: invalid value \"%s\" (true or false)", arg);
	return 0;
}

enum { OPT_NO_TRUNC = 1, OPT_FORMAT };

int cmd_history(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "quiet", no_argument, 0, 'q' },
		{ "no-trunc", no_argument, 0, OPT_NO_TRUNC },
		{ "human", optional_argument, 0, 'H' },
		{ "format", required_argument, 0, OPT_FORMAT },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	const struct cli_verb *v = cli_find_verb("history");
	struct history_opts o = { .human = true, .now = (int64_t)time(NULL) };
	struct scute_err err = { 0 };
	int opt;

	while ((opt = getopt_long(argc, argv, "qH::h", opts, NULL)) != -1) {
		switch (opt) {
		case 'q': o.quiet = true; break;
		case OPT_NO_TRUNC: o.no_trunc = true; break;
		case 'H':
			if (parse_human(optarg, &o.human) != 0)
				return CLI_EXIT_FAIL;
			break;
		case OPT_FORMAT: o.format = optarg; break;
		case 'h': return cli_usage(v, 0);
		default: return cli_usage(v, CLI_EXIT_FAIL);
		}
	}
	if (argc - optind != 1)
		return cli_usage(v, CLI_EXIT_FAIL);
	return show_history(c, argv[optind], &o, &err) < 0 ? cli_fail(&err) : 0;
}
