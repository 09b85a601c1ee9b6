/* CVE-2019-5736: a container process must never reach a writable host inode
 * of the runtime through /proc/PID/exe. Verbs that start container processes
 * first re-execute the runtime from a sealed image: the binary seen through
 * a detached overlay with no upper layer (read-only in its superblock, and
 * no byte copied), or a sealed memfd copy where no overlay can be built. So
 * the only binary a container could open is one the kernel refuses to let
 * anyone write. */
#ifndef SCUTE_SELFEXEC_H
#define SCUTE_SELFEXEC_H

#include <stdbool.h>

#include "error.h"
#include "scute.h"

/* True when /proc/self/exe is a memfd sealed against writes or a file of
 * a read-only overlay. */
bool scute_self_is_sealed(void);
/* 0 when sealed; otherwise an error saying so. The library's entry points
 * that start or join a container call it first, so no front end can
 * forget the re-exec. */
int scute_self_require_sealed(struct scute_err *err);

#endif
