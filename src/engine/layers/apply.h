/* Making a layer's members on disk, one at a time, inside the directory
 * the layer is unpacked into. Everything is reached by fd from that
 * directory; a member's parent is resolved beneath it without following a
 * symlink (openat2 RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS), and a member is
 * created with O_EXCL / O_NOFOLLOW, so no name in a layer, however it was
 * arranged, makes anything outside the layer or writes through a link.
 * Owners, modes (setuid and setgid kept), times and the xattrs a layer may
 * carry (user.* and security.capability; the rest dropped, trusted.* above
 * all) come from the archive; device nodes are not made. */
#ifndef SCUTE_ENGINE_LAYER_APPLY_H
#define SCUTE_ENGINE_LAYER_APPLY_H

#include <archive.h>
#include <archive_entry.h>
#include <stdint.h>

#include "scute.h"
#include "tar_entry.h"

struct scute_layer_apply;

/* Start applying members into the directory `rootfd` (empty, the
 * caller's; it is not closed). `what` names the layer in warnings. */
struct scute_layer_apply *scute_layer_apply_new(int rootfd, const char *what,
						struct scute_err *err);
/* Make the member `e` (classified from `ae`), reading a regular file's
 * data from `ar`. Errors name the member. */
int scute_layer_apply_entry(struct scute_layer_apply *la, const struct scute_tar_entry *e,
			    struct archive_entry *ae, struct archive *ar, struct scute_err *err);
/* Set the directories' times (last, as making their members changed
 * them) and free everything. Returns the bytes of file data written
 * through `size` (may be NULL). */
int scute_layer_apply_finish(struct scute_layer_apply *la, int64_t *size, struct scute_err *err);
/* Free without finishing (on an error). */
void scute_layer_apply_free(struct scute_layer_apply *la);

#endif
