#include "pull.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/cleanup.h"
#include "blobs.h"
#include "image_store.h"
#include "layer_store.h"
#include "manifest.h"
#include "pull_layers.h"
#include "reference.h"

/* A manifest or index as the registry sent it. */
struct fetched_doc {
	char *body;
	size_t len;
	char *media_type;
	struct scute_digest digest;
};

static void fetched_doc_free(struct fetched_doc *d)
{
	free(d->body);
	free(d->media_type);
	memset(d, 0, sizeof(*d));
}

static int fetch_doc(struct scute_registry *r, const char *repo, const char *ref,
		     const struct scute_digest *expect, struct fetched_doc *d,
		     struct scute_err *err)
{
	fetched_doc_free(d);
	return scute_registry_get_manifest(r, repo, ref, expect, &d->body, &d->len, &d->media_type,
					   &d->digest, err);
}

/* The platform's manifest: the document itself, or the index's entry for
 * the platform, fetched by its digest (a nested index is refused: no
 * registry serves one). */
static int resolve_manifest(struct scute_registry *r, const struct scute_image_ref *ref,
			    const char *platform, struct fetched_doc *d, struct scute_digest *top,
			    struct scute_err *err)
{
	const char *tag = ref->digest ? ref->digest->str : ref->tag;
	enum scute_doc_kind kind;
	struct scute_index ix;
	char where[SCUTE_REF_NAME_MAX + SCUTE_DIGEST_LEN + 16];
	int pick;

	snprintf(where, sizeof(where), "manifest %s:%s", ref->path, tag);
	if (fetch_doc(r, ref->path, tag, ref->digest, d, err) < 0)
		return -1;
	*top = d->digest;
	if (scute_doc_kind(d->body, d->len, d->media_type, where, &kind, err) < 0)
		return -1;
	if (kind == SCUTE_DOC_MANIFEST)
		return 0;
	if (scute_index_parse(d->body, d->len, where, &ix, err) < 0)
		return -1;
	pick = scute_index_select(&ix, platform, where, err);
	if (pick >= 0) {
		struct scute_digest want = ix.manifests[pick].digest;
		int64_t size = ix.manifests[pick].size;

		snprintf(where, sizeof(where), "manifest %s@%s", ref->path, want.str);
		if (fetch_doc(r, ref->path, want.str, &want, d, err) < 0 ||
		    scute_doc_kind(d->body, d->len, d->media_type, where, &kind, err) < 0)
			pick = -1;
		else if (kind != SCUTE_DOC_MANIFEST)
			pick = scute_err_set(err, EINVAL, "%s: an index inside an index", where);
		else if ((int64_t)d->len != size)
			pick = scute_err_set(err, EBADMSG, "%s: %zu bytes, but the index says %lld",
					     where, d->len, (long long)size);
	}
	scute_index_free(&ix);
	return pick < 0 ? -1 : 0;
}

/* The config blob: into memory (it is small and parsed next) and into the
 * blob store, verified against the manifest's descriptor. */
struct config_sink {
	struct scute_blob_writer *w;
	char *buf;
	size_t len, cap;
};

static int to_config(void *arg, const void *buf, size_t len, struct scute_err *err)
{
	struct config_sink *c = arg;

	if (!len)
		return 0;
	if (len > c->cap - c->len)
		return scute_err_set(err, EFBIG, "config: longer than its descriptor says");
	memcpy(c->buf + c->len, buf, len);
	c->len += len;
	return scute_blob_write(c->w, buf, len, err);
}

static int fetch_config(struct scute_store *s, struct scute_registry *r, const char *repo,
			const struct scute_descriptor *d, struct scute_image_config *cfg,
			struct scute_err *err)
{
	struct config_sink c = { 0 };
	auto_free char *buf = NULL;
	char where[SCUTE_DIGEST_LEN + 8];

	snprintf(where, sizeof(where), "config %s", d->digest.str);
	if (d->size > SCUTE_CONFIG_MAX_SIZE)
		return scute_err_set(err, E2BIG, "%s: %lld bytes, more than the limit of %d", where,
				     (long long)d->size, SCUTE_CONFIG_MAX_SIZE);
	buf = malloc((size_t)d->size + 1);
	if (!buf)
		return scute_err_sys(err, "%s", where);
	c.buf = buf;
	c.cap = (size_t)d->size;
	c.w = scute_blob_create(&s->blobs, err);
	if (!c.w)
		/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc) auto_free: cleanup.h */
		return -1;
	if (scute_registry_get_blob(r, repo, &d->digest, d->size, to_config, &c, err) < 0) {
		scute_blob_abort(c.w);
		return -1;
	}
	if (scute_blob_commit(c.w, &d->digest, d->size, NULL, err) < 0)
		return scute_err_prefix(err, "%s", where);
	/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc) auto_free: cleanup.h */
	return scute_image_config_parse(buf, c.len, where, cfg, err);
}

/* A single-platform image for another platform than the one asked for. */
static int check_platform(const struct scute_image_config *cfg, const char *platform,
			  const char *name, struct scute_err *err)
{
	const char *want = platform ? platform : scute_platform_host();
	size_t os_len = strlen(cfg->os), arch_len = strlen(cfg->architecture);
	const char *arch = want + os_len + 1;

	if (!strncmp(want, cfg->os, os_len) && want[os_len] == '/' &&
	    !strncmp(arch, cfg->architecture, arch_len) &&
	    (arch[arch_len] == '\0' || arch[arch_len] == '/'))
		return 0;
	if (platform)
		return scute_err_set(err, ENOENT,
				     "image %s is for %s/%s, which does not match the platform "
				     "asked for (%s)",
				     name, cfg->os, cfg->architecture, platform);
	scute_log(SCUTE_LOG_WARN, "image %s is for %s/%s, not this machine's %s", name, cfg->os,
		  cfg->architecture, want);
	return 0;
}

/* Everything a pull holds between fetching and committing. */
struct pull {
	struct scute_store *s;
	struct scute_registry *r;
	struct scute_image_ref *ref;
	struct fetched_doc doc;
	struct scute_manifest mf;
	struct scute_image_config cfg;
	struct scute_digest *chains;
	int *locks;
	struct pull_layer *layers;
	char *tag, *repo_digest;
	int64_t max_layer_size;
};

static void pull_end(struct pull *p)
{
	if (p->locks)
		scute_image_unlock_layers(p->locks, p->mf.n_layers);
	for (size_t i = 0; p->layers && i < p->mf.n_layers; i++)
		if (p->layers[i].tmp[0])
			scute_layer_tmp_discard(p->s, p->layers[i].tmp);
	free(p->layers);
	free(p->locks);
	free(p->chains);
	free(p->tag);
	free(p->repo_digest);
	scute_image_config_free(&p->cfg);
	scute_manifest_free(&p->mf);
	fetched_doc_free(&p->doc);
	scute_registry_close(p->r);
	scute_image_ref_free(p->ref);
}

/* Lock every layer's chain ID, then see which the store has (its
 * directory and the very blob the manifest names). */
static int plan_layers(struct pull *p, struct scute_err *err)
{
	size_t n = p->mf.n_layers;

	if (p->cfg.n_layers != n)
		return scute_err_set(err, EBADMSG,
				     "manifest %s: %zu layers, but its config has %zu "
				     "rootfs.diff_ids",
				     p->doc.digest.str, n, p->cfg.n_layers);
	p->chains = calloc(n + 1, sizeof(*p->chains));
	p->locks = calloc(n + 1, sizeof(*p->locks));
	p->layers = calloc(n + 1, sizeof(*p->layers));
	if (!p->chains || !p->locks || !p->layers)
		return scute_err_sys(err, "pull");
	for (size_t i = 0; i < n; i++) {
		scute_chain_id(i ? &p->chains[i - 1] : NULL, &p->cfg.diff_ids[i], &p->chains[i]);
		p->layers[i].desc = &p->mf.layers[i];
		p->layers[i].diff_id = p->cfg.diff_ids[i];
	}
	if (scute_image_lock_layers(p->s, p->chains, n, p->locks, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct scute_err missing;
		struct stat st;
		int known = scute_layer_known(p->s, &p->chains[i], err);

		if (known < 0)
			return -1;
		p->layers[i].exists =
			known &&
			scute_blob_stat(&p->s->blobs, &p->mf.layers[i].digest, &st, &missing) == 0;
	}
	return 0;
}

static int names(struct pull *p, struct scute_pull_result *res, struct scute_err *err)
{
	struct scute_image_ref by_digest = *p->ref;
	auto_free char *full = NULL;

	by_digest.tag = NULL;
	by_digest.digest = &res->digest;
	p->repo_digest = scute_image_ref_string(&by_digest);
	full = scute_image_ref_string(p->ref);
	if (!p->repo_digest || !full)
		return scute_err_sys(err, "pull");
	snprintf(res->name, sizeof(res->name), "%s", full);
	/* NAME:TAG@DIGEST pulls by digest and tags nothing, as docker does */
	if (!p->ref->digest) {
		p->tag = full;
		full = NULL;
	}
	return 0;
}

static int commit(struct pull *p, struct scute_pull_result *res, struct scute_err *err)
{
	size_t n = p->mf.n_layers;
	auto_free struct scute_new_layer *nl = calloc(n + 1, sizeof(*nl));
	const char *tags[1] = { p->tag }, *digests[1] = { p->repo_digest };
	struct scute_new_image img = {
		.config = p->mf.config.digest,
		.config_size = p->mf.config.size,
		.manifest = p->doc.digest,
		.manifest_size = (int64_t)p->doc.len,
		.n_layers = n,
		.created = p->cfg.created,
		.tags = tags,
		.n_tags = p->tag ? 1 : 0,
		.repo_digests = digests,
		.n_repo_digests = 1,
		.max_layer_size = p->max_layer_size,
	};

	if (!nl)
		return scute_err_sys(err, "pull");
	for (size_t i = 0; i < n; i++) {
		nl[i].diff_id = p->layers[i].diff_id;
		nl[i].blob = p->mf.layers[i].digest;
		nl[i].blob_size = p->mf.layers[i].size;
		nl[i].media_type = p->mf.layers[i].media_type;
		nl[i].size = p->layers[i].size;
		nl[i].tmpfd = -1;
		memcpy(nl[i].tmp, p->layers[i].tmp, sizeof(nl[i].tmp));
	}
	img.layers = nl;
	/* the manifest as it came, so that its digest stays what the
	 * registry serves */
	if (scute_blob_put(&p->s->blobs, p->doc.body, p->doc.len, &p->doc.digest, NULL, err) < 0 ||
	    scute_image_commit_locked(p->s, &img, err) < 0)
		/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc) auto_free: cleanup.h */
		return -1;
	/* placed or dropped by the commit */
	for (size_t i = 0; i < n; i++)
		p->layers[i].tmp[0] = '\0';
	res->id = img.config;
	return 0;
}

static int pull(struct pull *p, const char *ref, const struct scute_pull_opts *o,
		struct scute_pull_result *res, struct scute_err *err)
{
	struct scute_digest had;
	struct scute_err none;
	struct pull_layers pl = { 0 };

	p->max_layer_size = o->max_layer_size;
	if (scute_image_ref_parse(ref, &p->ref, err) < 0)
		return -1;
	p->r = scute_registry_open(&o->registry, p->ref->domain, err);
	if (!p->r || resolve_manifest(p->r, p->ref, o->platform, &p->doc, &res->digest, err) < 0 ||
	    scute_manifest_parse(p->doc.body, p->doc.len, "manifest", &p->mf, err) < 0 ||
	    names(p, res, err) < 0)
		return -1;
	if (fetch_config(p->s, p->r, p->ref->path, &p->mf.config, &p->cfg, err) < 0 ||
	    check_platform(&p->cfg, o->platform, res->name, err) < 0 || plan_layers(p, err) < 0)
		return -1;
	res->fresh = scute_image_resolve(p->s->db, p->mf.config.digest.str, &had, &none) < 0;
	pl = (struct pull_layers){
		.s = p->s,
		.r = p->r,
		.repo = p->ref->path,
		.layers = p->layers,
		.n = p->mf.n_layers,
		.max_size = o->max_layer_size,
		.progress = o->progress,
		.progress_arg = o->progress_arg,
	};
	if (scute_pull_layers(&pl, err) < 0)
		return -1;
	return commit(p, res, err);
}

int scute_image_pull(struct scute_store *s, const char *ref, const struct scute_pull_opts *o,
		     struct scute_pull_result *res, struct scute_err *err)
{
	struct pull p = { .s = s };
	int rc;

	memset(res, 0, sizeof(*res));
	rc = pull(&p, ref, o, res, err);
	pull_end(&p);
	return rc;
}
