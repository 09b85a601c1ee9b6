/* scute images and scute history: the store's images as docker lists
 * them, through --format (format.h). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cleanup.h"
#include "cli.h"
#include "cli_units.h"
#include "format.h"
#include "image_json.h"
#include "reference.h"
#include "store.h"

static const struct scute_format_header image_headers[] = {
	{ "Repository", "REPOSITORY" },
	{ "Tag", "TAG" },
	{ "Digest", "DIGEST" },
	{ "ID", "IMAGE ID" },
	{ "CreatedSince", "CREATED" },
	{ "CreatedAt", "CREATED AT" },
	{ "Size", "SIZE" },
	{ NULL, NULL },
};

struct images_opts {
	bool quiet, digests, no_trunc;
	const char *format, *filter;
};

/* "sha256:HEX" as docker shows it: 12 hex digits, or whole. */
static const char *shown_id(const char *id, bool no_trunc, char buf[16])
{
	if (no_trunc)
		return id;
	snprintf(buf, 16, "%.12s", id + strlen("sha256:"));
	return buf;
}

/* Whether the familiar name REPO:TAG is what the filter asks for. */
static bool matches(const char *filter, const char *repo, const char *tag)
{
	struct scute_image_ref *f = NULL, *r = NULL;
	struct scute_err ignored;
	char name[600];
	bool ok = false;

	if (!filter)
		return true;
	snprintf(name, sizeof(name), "%s:%s", repo, tag);
	if (scute_image_ref_parse(filter, &f, &ignored) == 0 &&
	    scute_image_ref_parse(name, &r, &ignored) == 0)
		ok = !strcmp(f->domain, r->domain) && !strcmp(f->path, r->path) &&
		     (!strchr(filter + (strrchr(filter, '/') ? strrchr(filter, '/') - filter : 0),
			      ':') ||
		      (f->tag && r->tag && !strcmp(f->tag, r->tag)));
	scute_image_ref_free(f);
	scute_image_ref_free(r);
	return ok;
}

static json_t *image_row(json_t *img, const char *repo, const char *tag, const char *digest,
			 const struct images_opts *o)
{
	char idbuf[16], since[64], at[64], size[32];
	json_int_t created = json_integer_value(json_object_get(img, "Created"));

	cli_human_since(created, since, sizeof(since));
	cli_time_string(created, at, sizeof(at));
	cli_human_size(json_integer_value(json_object_get(img, "Size")), size, sizeof(size));
	return json_pack(
		"{ss ss ss ss ss ss ss}", "Repository", repo, "Tag", tag, "Digest", digest, "ID",
		shown_id(json_string_value(json_object_get(img, "Id")), o->no_trunc, idbuf),
		"CreatedSince", since, "CreatedAt", at, "Size", size);
}

/* One row per name, "<none>" for an image without one; the digest is
 * that of the repository's entry in RepoDigests. */
static int image_rows(struct scute_format *f, json_t *img, const struct images_opts *o,
		      struct scute_err *err)
{
	json_t *tags = json_object_get(img, "RepoTags"), *v;
	json_t *digests = json_object_get(img, "RepoDigests");
	size_t i;

	if (json_array_size(tags) == 0) {
		auto_json json_t *row = NULL;

		if (o->filter)
			return 0;
		row = image_row(img, "<none>", "<none>", "<none>", o);
		return scute_format_row(f, row, err);
	}
	json_array_foreach(tags, i, v)
	{
		const char *name = json_string_value(v), *colon = strrchr(name, ':');
		char repo[512], digest[80] = "<none>";
		auto_json json_t *row = NULL;
		size_t j;
		json_t *d;

		snprintf(repo, sizeof(repo), "%.*s", (int)(colon - name), name);
		json_array_foreach(digests, j, d)
		{
			const char *ds = json_string_value(d), *at = strchr(ds, '@');

			if (at && (size_t)(at - ds) == strlen(repo) &&
			    !strncmp(ds, repo, strlen(repo)))
				snprintf(digest, sizeof(digest), "%s", at + 1);
		}
		if (!matches(o->filter, repo, colon + 1))
			continue;
		row = image_row(img, repo, colon + 1, digest, o);
		if (scute_format_row(f, row, err) < 0)
			return -1;
	}
	return 0;
}

static int list_images(struct cli *c, const struct images_opts *o, struct scute_err *err)
{
	struct scute_format_defaults d = {
		o->quiet ? "{{.ID}}"
		: o->digests
			? "table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}"
			: "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}",
		image_headers, true
	};
	struct scute_format *f = scute_format_parse(o->quiet ? NULL : o->format, &d, err);
	auto_json json_t *list = NULL;
	struct scute_store s;
	size_t i;
	json_t *img;
	int rc = 0;

	if (!f)
		return -1;
	if (scute_store_open(c->root, SCUTE_STORE_READ, &s, err) < 0) {
		scute_format_free(f);
		return -1;
	}
	list = scute_images_list(&s, err);
	scute_store_close(&s);
	json_array_foreach(list, i, img) if (rc == 0) rc = image_rows(f, img, o, err);
	if (!list || rc < 0 || scute_format_flush(f, stdout, err) < 0)
		rc = -1;
	scute_format_free(f);
	return rc;
}

int cmd_images(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all", no_argument, 0, 'a' },
		{ "quiet", no_argument, 0, 'q' },
		{ "digests", no_argument, 0, 'd' },
		{ "no-trunc", no_argument, 0, 'n' },
		{ "format", required_argument, 0, 'f' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	const struct cli_verb *v = cli_find_verb("images");
	struct images_opts o = { 0 };
	struct scute_err err = { 0 };
	int opt;

	while ((opt = getopt_long(argc, argv, "aqh", opts, NULL)) != -1) {
		switch (opt) {
		/* -a: scute keeps no intermediate images (it does not build), so
		 * every image is listed either way */
		case 'a': break;
		case 'q': o.quiet = true; break;
		case 'd': o.digests = true; break;
		case 'n': o.no_trunc = true; break;
		case 'f': o.format = optarg; break;
		case 'h': return cli_usage(v, 0);
		default: return cli_usage(v, CLI_EXIT_FAIL);
		}
	}
	if (argc - optind > 1)
		return cli_usage(v, CLI_EXIT_FAIL);
	o.filter = optind < argc ? argv[optind] : NULL;
	return list_images(c, &o, &err) < 0 ? cli_fail(&err) : 0;
}

/* ---- history ----------------------------------------------------------- */

static const struct scute_format_header history_headers[] = {
	{ "ID", "IMAGE" },
	{ "CreatedSince", "CREATED" },
	{ "CreatedAt", "CREATED AT" },
	{ "CreatedBy", "CREATED BY" },
	{ "Size", "SIZE" },
	{ "Comment", "COMMENT" },
	{ NULL, NULL },
};

static json_t *history_row(json_t *h, bool no_trunc, bool human)
{
	const char *id = json_string_value(json_object_get(h, "Id"));
	const char *by = json_string_value(json_object_get(h, "CreatedBy"));
	json_int_t created = json_integer_value(json_object_get(h, "Created"));
	json_int_t bytes = json_integer_value(json_object_get(h, "Size"));
	char idbuf[16], since[64], at[64], size[32], byshort[64];

	if (strcmp(id, "<missing>") != 0)
		id = shown_id(id, no_trunc, idbuf);
	if (!no_trunc && strlen(by) > 45) {
		snprintf(byshort, sizeof(byshort), "%.44s…", by);
		by = byshort;
	}
	cli_human_since(created, since, sizeof(since));
	cli_time_string(created, at, sizeof(at));
	if (human)
		cli_human_size(bytes, size, sizeof(size));
	else
		snprintf(size, sizeof(size), "%lld", (long long)bytes);
	return json_pack("{ss ss ss ss ss ss}", "ID", id, "CreatedSince", human ? since : at,
			 "CreatedAt", at, "CreatedBy", by, "Size", size, "Comment",
			 json_string_value(json_object_get(h, "Comment")));
}

static int show_history(struct cli *c, const char *ref, const char *format, bool quiet,
			bool no_trunc, bool human, struct scute_err *err)
{
	struct scute_format_defaults d = {
		quiet ? "{{.ID}}"
		      : "table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}",
		history_headers, true
	};
	struct scute_format *f = scute_format_parse(quiet ? NULL : format, &d, err);
	auto_json json_t *rows = NULL;
	struct scute_store s;
	size_t i;
	json_t *h;
	int rc = 0;

	if (!f)
		return -1;
	if (scute_store_open(c->root, SCUTE_STORE_READ, &s, err) < 0) {
		scute_format_free(f);
		return -1;
	}
	rows = scute_image_history(&s, ref, err);
	scute_store_close(&s);
	json_array_foreach(rows, i, h)
	{
		auto_json json_t *row = history_row(h, no_trunc, human);

		if (rc == 0)
			rc = scute_format_row(f, row, err);
	}
	if (!rows || rc < 0 || scute_format_flush(f, stdout, err) < 0)
		rc = -1;
	scute_format_free(f);
	return rc;
}

int cmd_history(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "quiet", no_argument, 0, 'q' },	{ "no-trunc", no_argument, 0, 'n' },
		{ "human", required_argument, 0, 'H' }, { "format", required_argument, 0, 'f' },
		{ "help", no_argument, 0, 'h' },	{ 0, 0, 0, 0 },
	};
	const struct cli_verb *v = cli_find_verb("history");
	const char *format = NULL;
	bool quiet = false, no_trunc = false, human = true;
	struct scute_err err = { 0 };
	int opt;

	while ((opt = getopt_long(argc, argv, "qHh", opts, NULL)) != -1) {
		switch (opt) {
		case 'q': quiet = true; break;
		case 'n': no_trunc = true; break;
		case 'H':
			if (!optarg || !strcmp(optarg, "true"))
				human = true;
			else if (!strcmp(optarg, "false"))
				human = false;
			else
				return cli_fail_msg("history: --human: \"%s\" is not true or false",
						    optarg);
			break;
		case 'f': format = optarg; break;
		case 'h': return cli_usage(v, 0);
		default: return cli_usage(v, CLI_EXIT_FAIL);
		}
	}
	if (argc - optind != 1)
		return cli_usage(v, CLI_EXIT_FAIL);
	return show_history(c, argv[optind], format, quiet, no_trunc, human, &err) < 0
		       ? cli_fail(&err)
		       : 0;
}
