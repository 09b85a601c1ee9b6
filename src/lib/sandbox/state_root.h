/* The state root (--root) is a trust boundary: whoever can rename entries on
 * the way to it, or in it, decides which state.json a verb reads, and so
 * which hooks delete runs and which processes kill signals. Every verb opens
 * and checks it once, then works below the fd it got, by single names.
 *
 * The rule (docs/scute-runtime.1.scd, SECURITY.md):
 * - every directory on the way (from "/") is owned by root or by the caller,
 *   and writable by its group or others only with the sticky bit (/tmp);
 * - a symlink on the way is followed only when owned by root or the caller
 *   (it sits in a directory that passed the rule);
 * - the root itself is a directory, not a symlink, owned by the caller and
 *   writable by no one else. */
#ifndef SCUTE_STATE_ROOT_H
#define SCUTE_STATE_ROOT_H

#include <stdbool.h>

#include "error.h"

/* Open and check the state root PATH (relative to the cwd if not
 * absolute). With `create`, missing directories are made, mode 0700. An fd
 * open for reading (O_DIRECTORY), or -1 with err; ENOENT when it is missing. */
int scute_state_root_open(const char *path, bool create, struct scute_err *err);

#endif
