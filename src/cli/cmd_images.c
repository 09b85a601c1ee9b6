/* scute images (image ls): the store's images as docker's CLI lists them,
 * one row per name, through --format (format.h). The rows are docker's
 * image context: every field a string, as its template sees them. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/cleanup.h"
#include "cli.h"
#include "cli_units.h"
#include "format.h"
#include "image_filter.h"
#include "image_json.h"
#include "store.h"

static const struct scute_format_header image_headers[] = {
	{ "ID", "IMAGE ID" },
	{ "Repository", "REPOSITORY" },
	{ "Tag", "TAG" },
	{ "Digest", "DIGEST" },
	{ "CreatedSince", "CREATED" },
	{ "CreatedAt", "CREATED AT" },
	{ "Size", "SIZE" },
	{ "SharedSize", "SHARED SIZE" },
	{ "UniqueSize", "UNIQUE SIZE" },
	{ "VirtualSize", "VIRTUAL SIZE" },
	{ "Containers", "CONTAINERS" },
	{ NULL, NULL },
};

#define IMAGES_TABLE "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}"
#define IMAGES_TABLE_DIGESTS \
	"table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}"

struct images_opts {
	bool quiet, digests, no_trunc;
	const char *format;
	json_t *filters;
	int64_t now;
};

/* "sha256:HEX" as docker shows it: 12 hex digits, or whole. */
static const char *shown_id(const char *id, bool no_trunc, char buf[16])
{
	const char *hex = strchr(id, ':');

	if (no_trunc)
		return id;
	snprintf(buf, 16, "%.12s", hex ? hex + 1 : id);
	return buf;
}

/* docker's "N/A" for a count or size the engine did not work out (-1) */
static void size_or_na(json_int_t v, int precision, char *out, size_t size)
{
	if (v < 0)
		snprintf(out, size, "N/A");
	else
		cli_human_size((double)v, precision, out, size);
}

static json_t *image_row(json_t *img, const char *repo, const char *tag, const char *digest,
			 const struct images_opts *o)
{
	char id[16], since[64], at[64], size[32], shared[32], unique[32], virt[32], ctrs[24];
	json_int_t created = json_integer_value(json_object_get(img, "Created"));
	json_int_t bytes = json_integer_value(json_object_get(img, "Size"));
	json_int_t shared_bytes = json_integer_value(json_object_get(img, "SharedSize"));
	json_int_t containers = json_integer_value(json_object_get(img, "Containers"));

	cli_human_since(created, o->now, since, sizeof(since));
	cli_time_string(created, at, sizeof(at));
	cli_human_size((double)bytes, 3, size, sizeof(size));
	size_or_na(shared_bytes, 4, shared, sizeof(shared));
	size_or_na(shared_bytes < 0 ? -1 : bytes - shared_bytes, 4, unique, sizeof(unique));
	cli_human_size((double)json_integer_value(json_object_get(img, "VirtualSize")), 4, virt,
		       sizeof(virt));
	if (containers < 0)
		snprintf(ctrs, sizeof(ctrs), "N/A");
	else
		snprintf(ctrs, sizeof(ctrs), "%lld", (long long)containers);
	return json_pack("{ss ss ss ss ss ss ss ss ss ss ss}", "ID",
			 shown_id(json_string_value(json_object_get(img, "Id")), o->no_trunc, id),
			 "Repository", repo, "Tag", tag, "Digest", digest, "CreatedSince", since,
			 "CreatedAt", at, "Size", size, "SharedSize", shared, "UniqueSize", unique,
			 "VirtualSize", virt, "Containers", ctrs);
}

static int add_row(struct scute_format *f, json_t *img, const char *repo, const char *tag,
		   const char *digest, const struct images_opts *o, struct scute_err *err)
{
	auto_json json_t *row = image_row(img, repo, tag, digest, o);

	if (!row)
		return scute_err_set(err, ENOMEM, "images: out of memory");
	return scute_format_row(f, row, err);
}

/* NAME's repository (before the tag's ':' or the digest's '@') into
 * REPO; the rest after the separator is returned. */
static const char *split_name(const char *name, char sep, char *repo, size_t size)
{
	const char *slash = strrchr(name, '/');
	const char *at = sep == '@' ? strchr(name, '@') : strrchr(slash ? slash : name, ':');

	if (!at)
		at = name + strlen(name);
	snprintf(repo, size, "%.*s", (int)(at - name), name);
	return *at ? at + 1 : at;
}

/* The rows of one tag: one per digest of its repository with --digests,
 * else one with digest "<none>", as docker's CLI makes them. */
static int tag_rows(struct scute_format *f, json_t *img, const char *name,
		    const struct images_opts *o, struct scute_err *err)
{
	char repo[512], drepo[512];
	const char *tag = split_name(name, ':', repo, sizeof(repo));
	json_t *d;
	size_t i;
	bool any = false;

	json_array_foreach(json_object_get(img, "RepoDigests"), i, d)
	{
		const char *digest = split_name(json_string_value(d), '@', drepo, sizeof(drepo));

		if (!o->digests || strcmp(repo, drepo) != 0)
			continue;
		any = true;
		if (add_row(f, img, repo, tag, digest, o, err) < 0)
			return -1;
	}
	return any ? 0 : add_row(f, img, repo, tag, "<none>", o, err);
}

/* Whether a name in NAMES before index END is of repository REPO. */
static bool repo_among(json_t *names, size_t end, char sep, const char *repo)
{
	char other[512];

	for (size_t i = 0; i < end && i < json_array_size(names); i++) {
		split_name(json_string_value(json_array_get(names, i)), sep, other, sizeof(other));
		if (!strcmp(repo, other))
			return true;
	}
	return false;
}

/* A repository with a digest but no tag: "<none>" tag rows, one per
 * digest with --digests, else one for the repository. */
static int digest_rows(struct scute_format *f, json_t *img, const struct images_opts *o,
		       struct scute_err *err)
{
	json_t *digests = json_object_get(img, "RepoDigests"), *d;
	json_t *tags = json_object_get(img, "RepoTags");
	size_t i;

	json_array_foreach(digests, i, d)
	{
		char repo[512];
		const char *digest = split_name(json_string_value(d), '@', repo, sizeof(repo));
		bool tagged = repo_among(tags, json_array_size(tags), ':', repo) ||
			      (!o->digests && repo_among(digests, i, '@', repo));

		if (!tagged &&
		    add_row(f, img, repo, "<none>", o->digests ? digest : "<none>", o, err) < 0)
			return -1;
	}
	return 0;
}

static int image_rows(struct scute_format *f, json_t *img, const struct images_opts *o,
		      struct scute_err *err)
{
	json_t *tags = json_object_get(img, "RepoTags"), *t;
	size_t i;

	if (json_array_size(tags) == 0 && json_array_size(json_object_get(img, "RepoDigests")) == 0)
		return add_row(f, img, "<none>", "<none>", "<none>", o, err);
	json_array_foreach(tags, i,
			   t) if (tag_rows(f, img, json_string_value(t), o, err) < 0) return -1;
	return digest_rows(f, img, o, err);
}

/* -q: each image's ID once, newest first. */
static void print_ids(json_t *list, bool no_trunc)
{
	size_t i;
	json_t *img;

	json_array_foreach(list, i, img)
	{
		char id[16];

		printf("%s\n",
		       shown_id(json_string_value(json_object_get(img, "Id")), no_trunc, id));
	}
}

static json_t *load_list(struct cli *c, json_t *filters, struct scute_err *err)
{
	auto_json json_t *all = NULL;
	struct scute_store s;

	if (scute_store_open(c->root, SCUTE_STORE_READ, &s, err) < 0)
		return NULL;
	all = scute_images_list(&s, err);
	scute_store_close(&s);
	return all ? scute_images_filter(all, filters, err) : NULL;
}

static int list_images(struct cli *c, struct images_opts *o, struct scute_err *err)
{
	struct scute_format_defaults d = { o->digests ? IMAGES_TABLE_DIGESTS : IMAGES_TABLE,
					   image_headers, true };
	struct scute_format *f = NULL;
	auto_json json_t *list = NULL;
	size_t i;
	json_t *img;
	int rc = 0;

	/* a template that names the digest gets it, as with --digests */
	if (o->format && strstr(o->format, ".Digest"))
		o->digests = true;
	if (!o->quiet) {
		f = scute_format_parse(o->format, &d, err);
		if (!f)
			return -1;
	}
	list = load_list(c, o->filters, err);
	if (!list) {
		scute_format_free(f);
		return -1;
	}
	if (o->quiet) {
		print_ids(list, o->no_trunc);
		return 0;
	}
	json_array_foreach(list, i, img) if (rc == 0) rc = image_rows(f, img, o, err);
	if (rc == 0)
		rc = scute_format_flush(f, stdout, err);
	scute_format_free(f);
	return rc;
}

enum { OPT_DIGESTS = 1, OPT_NO_TRUNC, OPT_FORMAT };

int cmd_images(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all", no_argument, 0, 'a' },
		{ "quiet", no_argument, 0, 'q' },
		{ "digests", no_argument, 0, OPT_DIGESTS },
		{ "no-trunc", no_argument, 0, OPT_NO_TRUNC },
		{ "filter", required_argument, 0, 'f' },
		{ "format", required_argument, 0, OPT_FORMAT },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	const struct cli_verb *v = cli_find_verb("images");
	auto_json json_t *filters = json_object();
	struct images_opts o = { .now = (int64_t)time(NULL) };
	struct scute_err err = { 0 };
	int opt;

	if (!filters)
		return cli_fail_msg("images: out of memory");
	o.filters = filters;
	while ((opt = getopt_long(argc, argv, "aqf:h", opts, NULL)) != -1) {
		switch (opt) {
		/* -a: scute builds no images, so it keeps no intermediate
		 * ones to hide: every image is listed either way */
		case 'a': break;
		case 'q': o.quiet = true; break;
		case OPT_DIGESTS: o.digests = true; break;
		case OPT_NO_TRUNC: o.no_trunc = true; break;
		case OPT_FORMAT: o.format = optarg; break;
		case 'f':
			if (scute_images_filter_add(filters, optarg, &err) < 0)
				return cli_fail_msg("images: --filter: %s", err.msg);
			break;
		case 'h': return cli_usage(v, 0);
		default: return cli_usage(v, CLI_EXIT_FAIL);
		}
	}
	if (argc - optind > 1)
		return cli_usage(v, CLI_EXIT_FAIL);
	/* REPOSITORY[:TAG] is a reference filter, as docker's CLI sends it */
	if (optind < argc) {
		auto_free char *arg = NULL;

		if (asprintf(&arg, "reference=%s", argv[optind]) < 0)
			return cli_fail_msg("images: out of memory");
		if (scute_images_filter_add(filters, arg, &err) < 0)
			return cli_fail_msg("images: %s", err.msg);
	}
	return list_images(c, &o, &err) < 0 ? cli_fail(&err) : 0;
}
