/* What a layer's tar member is, decided from its header alone before
 * anything touches the disk. A layer comes from an archive or a registry,
 * so every name in it is untrusted: a name is accepted only as a relative
 * path of plain components (no "..", no absolute path, valid UTF-8, within
 * the kernel's length limits), and overlay whiteouts (".wh.NAME",
 * ".wh..wh..opq") are recognised here so the unpacker only ever sees what
 * to make. Fuzzed by tests/fuzz/fuzz_tar_entry.c. */
#ifndef SCUTE_ENGINE_TAR_ENTRY_H
#define SCUTE_ENGINE_TAR_ENTRY_H

#include <limits.h>
#include <sys/types.h>

#include "scute.h"

/* The most components a member's path may have. The removal of a
 * half-made layer (and the sweep) walks a tree holding an fd per level; a
 * path of ~2000 one-letter directories fits in PATH_MAX and would take
 * more fds than the default limit. Real images nest far less. */
#define SCUTE_TAR_MAX_DEPTH 256

enum scute_tar_kind {
	SCUTE_TAR_FILE,
	SCUTE_TAR_DIR,
	SCUTE_TAR_SYMLINK,
	SCUTE_TAR_HARDLINK, /* `link` is the member linked to */
	SCUTE_TAR_FIFO,
	SCUTE_TAR_DEVICE,   /* a character or block device: never made */
	SCUTE_TAR_WHITEOUT, /* ".wh.NAME": `path` is NAME, hidden from below */
	SCUTE_TAR_OPAQUE,   /* ".wh..wh..opq": `path` is the directory made opaque */
	SCUTE_TAR_SKIP,	    /* the layer's root ("./"), aufs's ".wh..wh.*" metadata */
	SCUTE_TAR_OTHER,    /* a socket or an unknown type: refused */
};

struct scute_tar_entry {
	enum scute_tar_kind kind;
	/* Normalised: components joined by one '/', no "./" and no trailing
	 * '/'; "" is the layer's root (only for SKIP and OPAQUE). */
	char path[PATH_MAX];
	char link[PATH_MAX]; /* HARDLINK only, normalised the same way */
};

/* Classify the member `name` of file type `type` (S_IFREG, S_IFDIR ...,
 * as libarchive reports it) whose hard-link target is `hardlink` (NULL if
 * it is not a hard link). A name that is not acceptable is an EINVAL error
 * saying why ("member \"../x\": \"..\" in the path"). */
int scute_tar_entry_classify(const char *name, mode_t type, const char *hardlink,
			     struct scute_tar_entry *out, struct scute_err *err);

/* The name checks alone: normalise `name` into `out` (PATH_MAX bytes). */
int scute_tar_path_normalise(const char *name, char out[PATH_MAX], struct scute_err *err);

#endif
