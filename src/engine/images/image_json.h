/* Images as the Engine API shows them (docker's JSON shapes), for `scute
 * images`, `image inspect` and `history`, and later the API server's
 * /images handlers. Names are in the form docker shows (busybox:latest). */
#ifndef SCUTE_ENGINE_IMAGE_JSON_H
#define SCUTE_ENGINE_IMAGE_JSON_H

#include <jansson.h>

#include "scute.h"
#include "store.h"

/* GET /images/json: one object per image, newest first: Id, ParentId,
 * RepoTags, RepoDigests, Created (seconds), Size, SharedSize, VirtualSize,
 * Labels, Containers. */
json_t *scute_images_list(struct scute_store *s, struct scute_err *err);

/* GET /images/{name}/json: Id, RepoTags, RepoDigests, Parent, Comment,
 * Created, Container, ContainerConfig, DockerVersion, Author, Config,
 * Architecture, Variant, Os, Size, VirtualSize, GraphDriver, RootFS,
 * Metadata. */
json_t *scute_image_inspect(struct scute_store *s, const char *ref, struct scute_err *err);

/* GET /images/{name}/history: newest first, Id ("<missing>" below the
 * top), Created, CreatedBy, Tags, Size, Comment. */
json_t *scute_image_history(struct scute_store *s, const char *ref, struct scute_err *err);

/* The image's config document (the blob), parsed. */
json_t *scute_image_config_load(struct scute_store *s, const char *id, struct scute_err *err);

#endif
