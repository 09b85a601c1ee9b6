/* `scute import`: a root filesystem tarball (plain, gzip or zstd) as a
 * new image of one layer, as docker import makes it. The tarball goes
 * through the layer unpacker once (layers/unpack.h: kept as the layer's
 * blob, its diff_id computed, unpacked with every check a hostile layer
 * gets); the config (this machine's platform or the one asked for,
 * created now, the --change instructions of change.h, one history entry)
 * and an OCI manifest are written as blobs, and the image is published
 * in one commit (image_store.h). Anything wrong leaves nothing visible. */
#ifndef SCUTE_ENGINE_IMPORT_H
#define SCUTE_ENGINE_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "digest.h"
#include "scute.h"
#include "store.h"

struct scute_import_opts {
	int fd;			    /* the tarball */
	const char *source;	    /* its name: the file, or "-" */
	const char *message;	    /* the history comment; NULL: "Imported from SOURCE" */
	const char *tag;	    /* REPOSITORY[:TAG] to give it, or NULL */
	const char *platform;	    /* OS/ARCH[/VARIANT], or NULL: this machine's */
	const char *const *changes; /* docker's --change instructions */
	size_t n_changes;
	int64_t max_layer_size; /* 0: the default */
};

/* Import the tarball; the new image's ID goes to id. The changes, the tag
 * and the platform are checked before anything is read or written. The
 * store is open for writing. */
int scute_image_import(struct scute_store *s, const struct scute_import_opts *o,
		       struct scute_digest *id, struct scute_err *err);

#endif
