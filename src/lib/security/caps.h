/* Capability names and the order in which the init applies capability sets. */
#ifndef SCUTE_CAPS_H
#define SCUTE_CAPS_H

#include <stdint.h>

#include "error.h"
#include "spec.h"

/* "CAP_NET_BIND_SERVICE" → 10; -1 when the name is not a capability. */
int scute_cap_from_name(const char *name);
/* 10 → "CAP_NET_BIND_SERVICE" written into buf. */
const char *scute_cap_name(int cap, char *buf, size_t len);
/* Highest capability number this kernel knows. */
int scute_cap_last(void);

/* Drop every capability not in `bounding` from the bounding set. Needs
 * CAP_SETPCAP, so it runs before the process changes user. */
int scute_caps_drop_bounding(uint64_t bounding, struct scute_err *err);
/* Make every permitted capability effective (a seccomp filter without
 * no_new_privs needs CAP_SYS_ADMIN at install time). */
int scute_caps_raise_effective(struct scute_err *err);
/* Set effective, permitted and inheritable, then the ambient set. */
int scute_caps_apply(const uint64_t sets[SCUTE_CAP_SET_COUNT], struct scute_err *err);

#endif
