/* uid/gid maps of a new user namespace, written by the parent. */
#ifndef SCUTE_USERNS_H
#define SCUTE_USERNS_H

#include <sys/types.h>

#include "error.h"
#include "spec.h"

int scute_userns_write_maps(int procfd, pid_t pid, const struct scute_spec *spec,
			    struct scute_err *err);
/* Format a map as the kernel reads it; used by the unit tests too. */
int scute_idmap_format(const struct scute_idmap *maps, size_t n, char *buf, size_t len);

#endif
