/* Pulling and pushing images over the Registry HTTP API v2 (registry.h):
 * `scute pull` and `scute push`. A pull resolves the reference as docker
 * does, picks the platform's manifest from an index, verifies the config
 * and every layer as it streams (the blob's digest and size, the diff_id
 * of what it unpacks to), fetches up to SCUTE_PULL_PARALLEL layers at a
 * time, each piped straight into the one-pass unpacker (layers/unpack.h),
 * and publishes the image in one commit. Nothing of a failed pull is
 * visible: its blobs and layers have no row and the store's tidy removes
 * them. */
#ifndef SCUTE_ENGINE_PULL_H
#define SCUTE_ENGINE_PULL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "digest.h"
#include "registry.h"
#include "scute.h"
#include "store.h"

/* Layers fetched at once (docker's default is 3 too). */
#define SCUTE_PULL_PARALLEL 3

enum scute_xfer_state {
	SCUTE_XFER_WAITING,
	SCUTE_XFER_EXISTS, /* the store has it: not fetched */
	SCUTE_XFER_MOVING, /* bytes flowing: done of total */
	SCUTE_XFER_DONE,
	SCUTE_XFER_FAILED,
};

/* What a pull or push is doing, for a progress display: first one event
 * per layer (WAITING or EXISTS) in order, then changes. `id` is the
 * layer blob's short form (12 hex digits, as docker shows it). Called
 * from the transfer threads, one call at a time. */
struct scute_xfer_event {
	size_t layer, n_layers;
	const char *id;
	enum scute_xfer_state state;
	int64_t done, total;
};
typedef void (*scute_xfer_progress)(void *arg, const struct scute_xfer_event *ev);

struct scute_pull_opts {
	const char *platform; /* "os/arch[/variant]"; NULL: this machine's */
	struct scute_registry_opts registry;
	int64_t max_layer_size;	      /* 0: the default */
	scute_xfer_progress progress; /* may be NULL */
	void *progress_arg;
};

struct scute_pull_result {
	struct scute_digest id;	    /* the image's config digest */
	struct scute_digest digest; /* what the reference resolved to (index or manifest) */
	char name[SCUTE_DIGEST_LEN +
		  512]; /* the full name pulled, "docker.io/library/busybox:latest" */
	bool fresh;	/* false: the store had the image already */
};

/* Pull REF into the store, open for writing. */
int scute_image_pull(struct scute_store *s, const char *ref, const struct scute_pull_opts *o,
		     struct scute_pull_result *res, struct scute_err *err);

struct scute_push_opts {
	struct scute_registry_opts registry;
	scute_xfer_progress progress;
	void *progress_arg;
};

/* Push the image named REF (NAME[:TAG], a tag the store has) to the
 * registry its name says: every layer blob the repository lacks, the
 * config, then the manifest as the store keeps it, under the tag. The
 * manifest's digest goes to *DIGEST and becomes a RepoDigest of the
 * image. The store is open for writing (the RepoDigest row). */
int scute_image_push(struct scute_store *s, const char *ref, const struct scute_push_opts *o,
		     struct scute_digest *digest, struct scute_err *err);

#endif
