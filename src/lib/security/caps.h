/* Capability names and the order in which the init applies capability sets. */
#ifndef SCUTE_CAPS_H
#define SCUTE_CAPS_H

#include <stdint.h>

#include "cap_names.h"
#include "error.h"
#include "spec.h"

/* Drop every capability not in `bounding` from the bounding set. Needs
 * CAP_SETPCAP, so it runs before the process changes user. */
int scute_caps_drop_bounding(uint64_t bounding, struct scute_err *err);
/* Make every permitted capability effective (a seccomp filter without
 * no_new_privs needs CAP_SYS_ADMIN at install time). */
int scute_caps_raise_effective(struct scute_err *err);
/* Set effective, permitted and inheritable, then the ambient set. */
int scute_caps_apply(const uint64_t sets[SCUTE_CAP_SET_COUNT], struct scute_err *err);

#endif
