/* Removing a tree in the store (TEMPORARY until the rootfs branch lands). */
#ifndef SCUTE_ENGINE_REMOVE_TREE_H
#define SCUTE_ENGINE_REMOVE_TREE_H

#include "scute.h"

int scute_remove_tree_at(int dirfd, const char *name, struct scute_err *err);

#endif
