/* linux.sysctl: which keys a container may set (only those of namespaces it
 * owns), and writing them through a verified procfs handle. */
#ifndef SCUTE_SYSCTL_H
#define SCUTE_SYSCTL_H

#include "error.h"
#include "spec.h"

/* Refuse a key that is malformed or not isolated by a namespace the
 * container has. Uses spec->ns, so namespaces are parsed first. */
int scute_sysctl_check(const char *key, const struct scute_spec *spec, struct scute_err *err);
/* Write every sysctl of the spec under /proc/sys of `procfd`. */
int scute_sysctl_apply(int procfd, const struct scute_spec *spec, struct scute_err *err);

#endif
