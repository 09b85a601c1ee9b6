/* Removing a tree in the store: a layer, a blob, a tmp leftover, a
 * container's directory. The tree is untrusted (a layer is what an image
 * made it, a container's upper what its processes wrote), so the walk
 * never follows a symlink, never leaves the tree by "..", never crosses
 * into a mount, and holds a bounded number of fds whatever its depth. */
#ifndef SCUTE_ENGINE_REMOVE_TREE_H
#define SCUTE_ENGINE_REMOVE_TREE_H

#include "scute.h"

/* Remove NAME (one component) below dirfd: a file or symlink is unlinked
 * (a symlink, never its target), a directory emptied depth first and
 * removed. 0 if NAME does not exist. A directory below NAME that is a
 * mount point (another mount, or a bind mount of the same file system) is
 * not entered: EBUSY, naming it, and what was removed before stays
 * removed. Uses three fds at most; memory grows with the depth only. */
int scute_remove_tree_at(int dirfd, const char *name, struct scute_err *err);

#endif
