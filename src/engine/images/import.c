#include "import.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "change.h"
#include "image_store.h"
#include "layer_store.h"
#include "manifest.h"
#include "reference.h"
#include "unpack.h"

/* What import checks before it reads the tarball. */
struct import_plan {
	json_t *config; /* the config's "config": what --change set */
	char *tag;	/* the full name, or NULL */
	char os[32], architecture[32], variant[32];
};

static void plan_free(struct import_plan *p)
{
	json_decref(p->config);
	free(p->tag);
}

static bool platform_part(const char *s, size_t n)
{
	return n > 0 && n < 32 && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") >= n;
}

/* OS/ARCH[/VARIANT] */
static int parse_platform(const char *platform, struct import_plan *p, struct scute_err *err)
{
	char *parts[3] = { p->os, p->architecture, p->variant };
	const char *s = platform;
	size_t i;

	for (i = 0; i < 3; i++) {
		size_t n = strcspn(s, "/");

		if (!platform_part(s, n))
			break;
		snprintf(parts[i], 32, "%.*s", (int)n, s);
		s += n;
		if (!*s++)
			break;
	}
	if (i < 1 || i > 2 || s[-1] != '\0')
		return scute_err_set(err, EINVAL,
				     "platform \"%s\": not OS/ARCH[/VARIANT] (linux/amd64)",
				     platform);
	return 0;
}

static int parse_tag(const char *tag, struct import_plan *p, struct scute_err *err)
{
	struct scute_image_ref *r = NULL;

	if (scute_image_ref_parse(tag, &r, err) < 0)
		return -1;
	if (r->digest) {
		scute_image_ref_free(r);
		return scute_err_set(err, EINVAL, "\"%s\": a digest cannot be given, only a tag",
				     tag);
	}
	p->tag = scute_image_ref_string(r);
	scute_image_ref_free(r);
	return p->tag ? 0 : scute_err_set(err, ENOMEM, "out of memory");
}

static int plan_make(const struct scute_import_opts *o, struct import_plan *p,
		     struct scute_err *err)
{
	memset(p, 0, sizeof(*p));
	p->config = json_object();
	if (!p->config)
		return scute_err_set(err, ENOMEM, "out of memory");
	if (scute_image_changes_apply(p->config, o->changes, o->n_changes, err) < 0)
		return -1;
	if (o->tag && parse_tag(o->tag, p, err) < 0)
		return -1;
	return parse_platform(o->platform ? o->platform : scute_platform_host(), p, err);
}

/* The time now as RFC 3339 with nanoseconds, as docker writes it. */
static void now_rfc3339(char out[40], int64_t *secs)
{
	struct timespec ts;
	struct tm tm;
	char date[24];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, 40, "%s.%09ldZ", date, ts.tv_nsec);
	*secs = ts.tv_sec;
}

/* The image config, docker import's shape. */
static char *config_doc(const struct scute_import_opts *o, const struct import_plan *p,
			const struct scute_digest *diff_id, int64_t *created)
{
	auto_free char *comment = NULL;
	auto_json json_t *doc = NULL;
	char now[40];

	now_rfc3339(now, created);
	if (!o->message && asprintf(&comment, "Imported from %s", o->source) < 0)
		return NULL;
	doc = json_pack("{ss ss sO ss s[{ssssss}] ss s{sss[s]}}", "architecture", p->architecture,
			"comment", o->message ? o->message : comment, "config", p->config,
			"created", now, "history", "created", now, "created_by", "", "comment",
			o->message ? o->message : comment, "os", p->os, "rootfs", "type", "layers",
			"diff_ids", diff_id->str);
	if (doc && p->variant[0] &&
	    json_object_set_new(doc, "variant", json_string(p->variant)) < 0)
		return NULL;
	return doc ? json_dumps(doc, JSON_COMPACT) : NULL;
}

/* The tarball as the image's one layer: its blob committed, unpacked in
 * layer->tmp. */
static int unpack_tarball(struct scute_store *s, const struct scute_import_opts *o,
			  struct scute_new_layer *layer, struct scute_err *err)
{
	int fd = o->fd;
	struct scute_layer_source src = { scute_layer_read_fd, &fd };
	struct scute_layer_stream in = { &src, o->max_layer_size, "tarball", NULL, -1 };
	struct scute_unpack_result res;

	if (scute_layer_unpack_stream(s, &in, layer->tmp, &layer->tmpfd, &layer->blob, &res, err) <
	    0)
		return -1;
	layer->diff_id = res.diff_id;
	layer->blob_size = res.blob_size;
	layer->size = res.size;
	layer->media_type = scute_media_type_of_compression(res.compression);
	return 0;
}

static int publish(struct scute_store *s, const struct scute_import_opts *o,
		   const struct import_plan *p, struct scute_new_layer *layer,
		   struct scute_digest *id, struct scute_err *err)
{
	struct scute_new_image img = { .layers = layer, .n_layers = 1 };
	const char *tags[1] = { p->tag };
	auto_free char *config = config_doc(o, p, &layer->diff_id, &img.created);

	if (!config)
		return scute_err_set(err, ENOMEM, "config: out of memory");
	img.config_size = (int64_t)strlen(config);
	if (scute_blob_put(&s->blobs, config, strlen(config), NULL, &img.config, err) < 0 ||
	    scute_image_write_manifest(s, &img, err) < 0)
		return -1;
	img.tags = tags;
	img.n_tags = p->tag ? 1 : 0;
	if (scute_image_commit(s, &img, err) < 0)
		return -1;
	*id = img.config;
	return 0;
}

int scute_image_import(struct scute_store *s, const struct scute_import_opts *o,
		       struct scute_digest *id, struct scute_err *err)
{
	struct scute_new_layer layer = { .tmpfd = -1 };
	struct import_plan p;
	int rc = plan_make(o, &p, err);

	if (rc == 0)
		rc = unpack_tarball(s, o, &layer, err);
	if (rc == 0)
		rc = publish(s, o, &p, &layer, id, err);
	if (layer.tmp[0])
		scute_layer_tmp_discard(s, layer.tmp);
	if (layer.tmpfd >= 0)
		close(layer.tmpfd);
	plan_free(&p);
	return rc < 0 ? scute_err_prefix(err, "import %s", o->source) : 0;
}
