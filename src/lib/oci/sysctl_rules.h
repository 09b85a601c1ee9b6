/* linux.sysctl: which keys a container may set (only those of namespaces it
 * owns: made for it, or joined by path and not the runtime's own). */
#ifndef SCUTE_SYSCTL_RULES_H
#define SCUTE_SYSCTL_RULES_H

#include <stdbool.h>
#include <sys/stat.h>

#include "error.h"
#include "spec.h"

/* Refuse a key that is malformed or not isolated by a namespace the
 * container has. Uses spec->ns, so namespaces are parsed first. */
int scute_sysctl_check(const char *key, const struct scute_spec *spec, struct scute_err *err);
/* The first sysctl of the spec that type `t` isolates (net, ipc, uts), or
 * NULL: joining such a namespace by path is checked again at the join. */
const char *scute_sysctl_needing(const struct scute_spec *spec, enum scute_ns_type t);
/* Whether the namespace file `ns` (stat of it) is the caller's own
 * namespace of type t; true when that cannot be told. */
bool scute_sysctl_is_runtime_ns(const struct stat *ns, enum scute_ns_type t);

#endif
