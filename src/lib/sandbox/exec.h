/* exec: a new process in a running container, with everything the
 * container's own process is held to (namespaces, cgroup, seccomp filter,
 * LSM labels, Landlock, capability limits). */
#ifndef SCUTE_EXEC_H
#define SCUTE_EXEC_H

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"
#include "spec.h"
#include "scute.h"

#endif
