#include "archive_load.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "archive_members.h"
#include "base/cleanup.h"
#include "image_store.h"
#include "layer_store.h"
#include "manifest.h"
#include "reference.h"

/* One image of the archive, as its manifest names it. */
struct archive_image {
	char where[96]; /* "manifest.json: [0]" */
	const struct archive_json *config;
	bool has_named;		       /* the config's name promises a digest: */
	struct scute_digest named;     /* this one */
	struct scute_image_config cfg; /* parsed by check_image */
	struct archive_layer **layers;
	size_t n_layers;
	const struct archive_json *manifest; /* NULL: scute writes one */
	char **tags;			     /* full names */
	size_t n_tags;
};

static int check_layers(struct archive_image *ai, const struct scute_image_config *c,
			struct scute_err *err)
{
	if (c->n_layers != ai->n_layers)
		return scute_err_set(err, EBADMSG,
				     "%s: %zu layers, but its config has %zu rootfs.diff_ids",
				     ai->where, ai->n_layers, c->n_layers);
	for (size_t i = 0; i < ai->n_layers; i++)
		if (strcmp(ai->layers[i]->res.diff_id.str, c->diff_ids[i].str) != 0)
			return scute_err_set(err, EBADMSG,
					     "%s: layer %zu (\"%s\"): diff_id %s, but the config's "
					     "rootfs.diff_ids[%zu] is %s",
					     ai->where, i, ai->layers[i]->path,
					     ai->layers[i]->res.diff_id.str, i, c->diff_ids[i].str);
	return 0;
}

static int report_image(json_t *report, const struct scute_digest *id, struct archive_image *ai)
{
	json_t *tags = json_array();

	for (size_t i = 0; tags && i < ai->n_tags; i++) {
		struct scute_image_ref *r = NULL;
		struct scute_err ignored;

		if (scute_image_ref_parse(ai->tags[i], &r, &ignored) == 0) {
			char *f = scute_image_ref_familiar(r);

			if (f)
				json_array_append_new(tags, json_string(f));
			free(f);
			scute_image_ref_free(r);
		}
	}
	return json_array_append_new(report, json_pack("{ssso}", "Id", id->str, "RepoTags", tags));
}

/* The layers as the store takes them; the first image to use an
 * unpacked layer takes its directory, another use unpacks it again from
 * its blob if the store needs it. */
static void new_layers(struct archive_image *ai, struct scute_new_layer *nl)
{
	for (size_t i = 0; i < ai->n_layers; i++) {
		struct archive_layer *l = ai->layers[i];

		nl[i].diff_id = l->res.diff_id;
		nl[i].blob = l->blob;
		nl[i].blob_size = l->res.blob_size;
		nl[i].media_type = scute_media_type_of_compression(l->res.compression);
		nl[i].size = l->res.size;
		nl[i].tmpfd = -1;
		memcpy(nl[i].tmp, l->tmp, sizeof(nl[i].tmp));
		l->tmp[0] = '\0';
	}
}

/* The config and the manifest (the archive's own as it came, or one
 * scute writes) as blobs. */
static int put_documents(struct scute_store *s, struct archive_image *ai,
			 struct scute_new_image *img, struct scute_err *err)
{
	if (scute_blob_put(&s->blobs, ai->config->data, ai->config->len,
			   ai->has_named ? &ai->named : NULL, &img->config, err) < 0)
		return -1;
	img->config_size = (int64_t)ai->config->len;
	if (!ai->manifest)
		return scute_image_write_manifest(s, img, err);
	img->manifest_size = (int64_t)ai->manifest->len;
	return scute_blob_put(&s->blobs, ai->manifest->data, ai->manifest->len, NULL,
			      &img->manifest, err);
}

static int publish(struct scute_store *s, struct archive_image *ai, int64_t max_layer_size,
		   json_t *report, struct scute_err *err)
{
	struct scute_new_layer *nl = calloc(ai->n_layers + 1, sizeof(*nl));
	struct scute_new_image img = { 0 };
	int rc = -1;

	if (!nl)
		return scute_err_sys(err, "%s", ai->where);
	new_layers(ai, nl);
	img.layers = nl;
	img.n_layers = ai->n_layers;
	if (put_documents(s, ai, &img, err) < 0)
		goto out;
	img.created = ai->cfg.created;
	img.max_layer_size = max_layer_size;
	img.tags = (const char *const *)ai->tags;
	img.n_tags = ai->n_tags;
	rc = scute_image_commit(s, &img, err);
	if (rc == 0)
		rc = report_image(report, &img.config, ai) < 0 ? scute_err_sys(err, "report") : 0;
out:
	for (size_t i = 0; i < ai->n_layers; i++)
		if (nl[i].tmp[0])
			scute_layer_tmp_discard(s, nl[i].tmp);
	free(nl);
	return rc;
}

/* Everything about the image that can be checked before anything of the
 * archive is published: its config, and its layers against the config. */
static int check_image(struct archive_image *ai, struct scute_err *err)
{
	if (!ai->config)
		return scute_err_set(err, EINVAL, "%s: no config", ai->where);
	if (scute_image_config_parse(ai->config->data, ai->config->len, ai->config->path, &ai->cfg,
				     err) < 0)
		return scute_err_prefix(err, "%s", ai->where);
	return check_layers(ai, &ai->cfg, err);
}

static void archive_image_free(struct archive_image *ai)
{
	for (size_t i = 0; i < ai->n_tags; i++)
		free(ai->tags[i]);
	free(ai->tags);
	free(ai->layers);
	scute_image_config_free(&ai->cfg);
	memset(ai, 0, sizeof(*ai));
}

/* The archive's images, all checked before the first is published, so
 * that a bad one later in the archive leaves nothing. */
struct archive_images {
	struct archive_image *v;
	size_t n;
};

static struct archive_image *images_add(struct archive_images *l, const char *where,
					struct scute_err *err)
{
	struct archive_image *v = realloc(l->v, (l->n + 1) * sizeof(*v));

	if (!v) {
		scute_err_sys(err, "%s", where);
		return NULL;
	}
	l->v = v;
	memset(&v[l->n], 0, sizeof(v[l->n]));
	snprintf(v[l->n].where, sizeof(v[l->n].where), "%s", where);
	return &v[l->n++];
}

static void images_free(struct archive_images *l)
{
	for (size_t i = 0; i < l->n; i++)
		archive_image_free(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int publish_all(struct scute_store *s, struct archive_images *l, int64_t max_layer_size,
		       json_t *report, struct scute_err *err)
{
	for (size_t i = 0; i < l->n; i++)
		if (publish(s, &l->v[i], max_layer_size, report, err) < 0)
			return -1;
	return 0;
}

/* A name for the image: NAME:TAG, normalised; a digest is refused. */
static int add_tag(struct archive_image *ai, const char *name, const char *where,
		   struct scute_err *err)
{
	struct scute_image_ref *r = NULL;
	char **tags;
	char *full;

	if (scute_image_ref_parse(name, &r, err) < 0)
		return scute_err_prefix(err, "%s", where);
	full = r->digest ? NULL : scute_image_ref_string(r);
	scute_image_ref_free(r);
	if (!full)
		return scute_err_set(err, EINVAL, "%s: \"%s\" is not NAME:TAG", where, name);
	tags = realloc(ai->tags, (ai->n_tags + 1) * sizeof(*tags));
	if (!tags) {
		free(full);
		return scute_err_sys(err, "%s", where);
	}
	ai->tags = tags;
	ai->tags[ai->n_tags++] = full;
	return 0;
}

/* ---- docker save: manifest.json ---------------------------------------------- */

static int docker_entry(struct archive_members *m, json_t *e, struct archive_image *ai,
			struct scute_err *err)
{
	const char *where = ai->where;
	json_t *cfg = json_object_get(e, "Config"), *layers = json_object_get(e, "Layers"), *v;
	json_t *tags = json_object_get(e, "RepoTags");
	char at[96];
	size_t i;

	if (!json_is_object(e) || !json_is_string(cfg) || !json_is_array(layers))
		return scute_err_set(err, EINVAL, "%s: not {Config, Layers}", where);
	if (json_array_size(layers) > SCUTE_IMAGE_MAX_LAYERS)
		return scute_err_set(err, E2BIG, "%s.Layers: %zu layers, more than %d", where,
				     json_array_size(layers), SCUTE_IMAGE_MAX_LAYERS);
	ai->config = scute_archive_json(m, json_string_value(cfg));
	if (!ai->config)
		return scute_err_set(err, EINVAL, "%s.Config: \"%s\" is not in the archive", where,
				     json_string_value(cfg));
	ai->has_named = scute_archive_promised_digest(ai->config->path, &ai->named);
	ai->layers = calloc(json_array_size(layers) + 1, sizeof(struct archive_layer *));
	if (!ai->layers)
		return scute_err_sys(err, "%s", where);
	json_array_foreach(layers, i, v)
	{
		ai->layers[i] =
			json_is_string(v) ? scute_archive_layer(m, json_string_value(v)) : NULL;
		if (!ai->layers[i])
			return scute_err_set(err, EINVAL,
					     "%s.Layers[%zu]: not a layer in the archive", where,
					     i);
		ai->n_layers = i + 1;
	}
	if (tags && !json_is_null(tags) && !json_is_array(tags))
		return scute_err_set(err, EINVAL, "%s.RepoTags: not an array", where);
	json_array_foreach(tags, i, v)
	{
		snprintf(at, sizeof(at), "%s.RepoTags[%zu]", where, i);
		if (!json_is_string(v))
			return scute_err_set(err, EINVAL, "%s: not a string", at);
		if (add_tag(ai, json_string_value(v), at, err) < 0)
			return -1;
	}
	return 0;
}

static int load_docker(struct archive_members *m, const struct archive_json *mj,
		       struct archive_images *list, struct scute_err *err)
{
	json_error_t jerr;
	auto_json json_t *doc = json_loadb(mj->data, mj->len, JSON_REJECT_DUPLICATES, &jerr);
	json_t *e;
	size_t i;

	if (!doc)
		return scute_err_set(err, EINVAL, "manifest.json: invalid JSON at line %d: %s",
				     jerr.line, jerr.text);
	if (!json_is_array(doc))
		return scute_err_set(err, EINVAL, "manifest.json: not an array");
	json_array_foreach(doc, i, e)
	{
		struct archive_image *ai;
		char where[48];

		snprintf(where, sizeof(where), "manifest.json: [%zu]", i);
		ai = images_add(list, where, err);
		if (!ai || docker_entry(m, e, ai, err) < 0 || check_image(ai, err) < 0)
			return -1;
	}
	return 0;
}

/* ---- OCI image layout: index.json ---------------------------------------------- */

static void blob_path(const struct scute_digest *d, char path[SCUTE_DIGEST_LEN + 16])
{
	snprintf(path, SCUTE_DIGEST_LEN + 16, "blobs/sha256/%s", scute_digest_hex(d));
}

/* A JSON blob of the layout, checked against the descriptor naming it. */
static const struct archive_json *layout_json(const struct archive_members *m,
					      const struct scute_descriptor *d, const char *where,
					      struct scute_err *err)
{
	char path[SCUTE_DIGEST_LEN + 16];
	const struct archive_json *j;
	struct scute_digest got;

	blob_path(&d->digest, path);
	j = scute_archive_json(m, path);
	if (!j) {
		scute_err_set(err, EINVAL, "%s: %s is not in the archive", where, d->digest.str);
		return NULL;
	}
	scute_digest_of(j->data, j->len, &got);
	if (strcmp(got.str, d->digest.str) != 0 || (int64_t)j->len != d->size) {
		scute_err_set(err, EBADMSG,
			      "%s: %s: the archive's blob is %s, %zu bytes (%lld expected)", where,
			      d->digest.str, got.str, j->len, (long long)d->size);
		return NULL;
	}
	return j;
}

static int layout_layers(struct archive_members *m, const struct scute_manifest *mf,
			 struct archive_image *ai, const char *where, struct scute_err *err)
{
	char path[SCUTE_DIGEST_LEN + 16];

	ai->layers = calloc(mf->n_layers + 1, sizeof(struct archive_layer *));
	if (!ai->layers)
		return scute_err_sys(err, "%s", where);
	for (size_t i = 0; i < mf->n_layers; i++) {
		enum scute_compression c;

		if (scute_compression_of_media_type(mf->layers[i].media_type, &c, err) < 0)
			return scute_err_prefix(err, "%s: layers[%zu]", where, i);
		blob_path(&mf->layers[i].digest, path);
		ai->layers[i] = scute_archive_layer(m, path);
		if (!ai->layers[i])
			return scute_err_set(err, EINVAL,
					     "%s: layers[%zu]: %s is not in the archive", where, i,
					     mf->layers[i].digest.str);
		if (ai->layers[i]->res.compression != c)
			return scute_err_set(
				err, EBADMSG,
				"%s: layers[%zu]: the blob is not what mediaType \"%s\" says",
				where, i, mf->layers[i].media_type);
		/* its digest was checked against its name as it was read, but the
		 * archive's links may lead to another member: the manifest's digest
		 * must be the blob's own */
		if (strcmp(ai->layers[i]->blob.str, mf->layers[i].digest.str) != 0)
			return scute_err_set(err, EBADMSG, "%s: layers[%zu]: %s is a link to %s",
					     where, i, mf->layers[i].digest.str,
					     ai->layers[i]->blob.str);
		if (ai->layers[i]->res.blob_size != mf->layers[i].size)
			return scute_err_set(err, EBADMSG, "%s: layers[%zu]: %lld bytes, not %lld",
					     where, i, (long long)ai->layers[i]->res.blob_size,
					     (long long)mf->layers[i].size);
		ai->n_layers = i + 1;
	}
	return 0;
}

static int oci_manifest(struct archive_members *m, const struct scute_descriptor *d,
			const char *name, const char *where, int depth, struct archive_images *list,
			struct scute_err *err);

/* An index inside the layout: the entry for this machine. */
static int oci_nested(struct archive_members *m, const struct archive_json *j, const char *name,
		      const char *where, int depth, struct archive_images *list,
		      struct scute_err *err)
{
	struct scute_index ix;
	int pick, rc;

	if (depth > 2)
		return scute_err_set(err, ELOOP, "%s: indexes nested too deep", where);
	if (scute_index_parse(j->data, j->len, j->path, &ix, err) < 0)
		return -1;
	pick = scute_index_select(&ix, NULL, j->path, err);
	rc = pick < 0 ? -1
		      : oci_manifest(m, &ix.manifests[pick], name, j->path, depth + 1, list, err);
	scute_index_free(&ix);
	return rc;
}

static int oci_manifest(struct archive_members *m, const struct scute_descriptor *d,
			const char *name, const char *where, int depth, struct archive_images *list,
			struct scute_err *err)
{
	const struct archive_json *j = layout_json(m, d, where, err);
	struct archive_image *ai;
	struct scute_manifest mf;
	enum scute_doc_kind kind;
	int rc;

	if (!j || scute_doc_kind(j->data, j->len, d->media_type, j->path, &kind, err) < 0)
		return -1;
	if (kind == SCUTE_DOC_INDEX)
		return oci_nested(m, j, name, where, depth, list, err);
	if (scute_manifest_parse(j->data, j->len, j->path, &mf, err) < 0)
		return -1;
	ai = images_add(list, where, err);
	rc = ai ? 0 : -1;
	if (rc == 0) {
		ai->manifest = j;
		ai->config = layout_json(m, &mf.config, j->path, err);
		ai->has_named = true;
		ai->named = mf.config.digest;
		rc = ai->config ? layout_layers(m, &mf, ai, j->path, err) : -1;
	}
	if (rc == 0 && name)
		rc = add_tag(ai, name, where, err);
	if (rc == 0)
		rc = check_image(ai, err);
	scute_manifest_free(&mf);
	return rc;
}

/* The name an index entry gives its image: containerd's full name, or
 * OCI's ref.name when it is a whole reference (a bare tag names nothing). */
static const char *entry_name(json_t *entry)
{
	json_t *ann = json_object_get(entry, "annotations");
	const char *full = json_string_value(json_object_get(ann, "io.containerd.image.name"));
	const char *ref =
		json_string_value(json_object_get(ann, "org.opencontainers.image.ref.name"));

	if (full)
		return full;
	return ref && strpbrk(ref, ":/") ? ref : NULL;
}

static int load_oci(struct archive_members *m, const struct archive_json *ij,
		    struct archive_images *list, struct scute_err *err)
{
	auto_json json_t *doc = json_loadb(ij->data, ij->len, 0, NULL);
	struct scute_index ix;
	int rc = 0;

	if (scute_index_parse(ij->data, ij->len, "index.json", &ix, err) < 0)
		return -1;
	for (size_t i = 0; rc == 0 && i < ix.n; i++) {
		char where[48];

		snprintf(where, sizeof(where), "index.json: manifests[%zu]", i);
		rc = oci_manifest(m, &ix.manifests[i],
				  entry_name(json_array_get(json_object_get(doc, "manifests"), i)),
				  where, 0, list, err);
	}
	scute_index_free(&ix);
	return rc;
}

int scute_image_load(struct scute_store *s, const struct scute_load_opts *o, json_t *report,
		     struct scute_err *err)
{
	struct archive_members m;
	struct archive_images list = { 0 };
	const struct archive_json *j;
	int rc;

	rc = scute_archive_read_members(s, o->fd, o->max_layer_size, &m, err);
	if (rc == 0 && (j = scute_archive_json(&m, "manifest.json")))
		rc = load_docker(&m, j, &list, err);
	else if (rc == 0 && (j = scute_archive_json(&m, "index.json")))
		rc = load_oci(&m, j, &list, err);
	else if (rc == 0)
		rc = scute_err_set(err, EINVAL,
				   "no manifest.json or index.json: not a docker save or OCI "
				   "image archive");
	if (rc == 0)
		rc = publish_all(s, &list, o->max_layer_size, report, err);
	images_free(&list);
	scute_archive_members_free(s, &m);
	return rc < 0 ? scute_err_prefix(err, "load %s", o->name) : 0;
}
