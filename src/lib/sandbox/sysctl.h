/* linux.sysctl: writing the keys (checked by sysctl_rules.h at parse time)
 * through a verified procfs handle. */
#ifndef SCUTE_SYSCTL_H
#define SCUTE_SYSCTL_H

#include "error.h"
#include "spec.h"
#include "sysctl_rules.h"

/* Write every sysctl of the spec under /proc/sys of `procfd`. */
int scute_sysctl_apply(int procfd, const struct scute_spec *spec, struct scute_err *err);

#endif
