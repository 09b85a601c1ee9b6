/* The JSON documents of an image, as OCI and docker write them: the image
 * config (what the container runs, and rootfs.diff_ids, the layers it is
 * made of), the manifest (the config and the layer blobs, by digest) and
 * the index / manifest list (manifests by platform). They come from
 * archives and registries, so each is parsed with limits and every field
 * the engine relies on is checked here, with errors that name the
 * document and the field. Fuzzed by tests/fuzz/fuzz_manifest.c. */
#ifndef SCUTE_ENGINE_MANIFEST_H
#define SCUTE_ENGINE_MANIFEST_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "digest.h"
#include "scute.h"

/* Limits on what an archive or a registry may send. overlayfs stacks at
 * most 500 lower layers, so no image with more can ever run. */
#define SCUTE_IMAGE_MAX_LAYERS 500
#define SCUTE_MANIFEST_MAX_SIZE (4 << 20)
#define SCUTE_CONFIG_MAX_SIZE (8 << 20)
#define SCUTE_INDEX_MAX_MANIFESTS 1000

#define SCUTE_MEDIA_OCI_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define SCUTE_MEDIA_OCI_INDEX "application/vnd.oci.image.index.v1+json"
#define SCUTE_MEDIA_OCI_CONFIG "application/vnd.oci.image.config.v1+json"
#define SCUTE_MEDIA_DOCKER_MANIFEST "application/vnd.docker.distribution.manifest.v2+json"
#define SCUTE_MEDIA_DOCKER_LIST "application/vnd.docker.distribution.manifest.list.v2+json"
#define SCUTE_MEDIA_DOCKER_CONFIG "application/vnd.docker.container.image.v1+json"

struct scute_descriptor {
	char *media_type;
	struct scute_digest digest;
	int64_t size;
	/* index entries only; NULL when not given */
	char *os, *architecture, *variant;
};

struct scute_image_config {
	json_t *doc; /* the whole config */
	size_t n_layers;
	struct scute_digest *diff_ids;
	int64_t created;	       /* seconds since the epoch; 0 when not given */
	const char *os, *architecture; /* in doc; "" when not given */
};

struct scute_manifest {
	char *media_type;
	struct scute_descriptor config;
	size_t n_layers;
	struct scute_descriptor *layers;
};

struct scute_index {
	size_t n;
	struct scute_descriptor *manifests;
};

enum scute_doc_kind { SCUTE_DOC_MANIFEST, SCUTE_DOC_INDEX };

/* Parse an image config of `len` bytes; `where` names it in errors
 * ("config sha256:…"). */
int scute_image_config_parse(const char *buf, size_t len, const char *where,
			     struct scute_image_config *c, struct scute_err *err);
void scute_image_config_free(struct scute_image_config *c);

/* Whether the document is a manifest or an index: its mediaType, or the
 * `hint` (a registry's Content-Type) when it has none. */
int scute_doc_kind(const char *buf, size_t len, const char *hint, const char *where,
		   enum scute_doc_kind *kind, struct scute_err *err);

int scute_manifest_parse(const char *buf, size_t len, const char *where, struct scute_manifest *m,
			 struct scute_err *err);
void scute_manifest_free(struct scute_manifest *m);

int scute_index_parse(const char *buf, size_t len, const char *where, struct scute_index *ix,
		      struct scute_err *err);
void scute_index_free(struct scute_index *ix);

/* The entry of the index for OS/ARCH[/VARIANT] ("linux/amd64"; NULL: this
 * machine's), or -1 with an ENOENT error listing what the index has. */
int scute_index_select(const struct scute_index *ix, const char *platform, const char *where,
		       struct scute_err *err);

/* This machine's platform as OCI names it ("linux/amd64"). */
const char *scute_platform_host(void);

/* RFC 3339 time ("2024-05-01T12:00:00.5Z", "…+02:00") in seconds since the
 * epoch. */
int scute_parse_rfc3339(const char *s, int64_t *out, struct scute_err *err);

#endif
