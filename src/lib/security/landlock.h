/* Landlock: the running kernel's ABI and applying a ruleset
 * (landlock_rules.h) inside the container's root. */
#ifndef SCUTE_LANDLOCK_H
#define SCUTE_LANDLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "landlock_rules.h"

/* The running kernel's Landlock ABI version; 0 when Landlock is not there
 * or not enabled. */
int scute_landlock_abi(void);
/* Restrict the calling process: paths are opened as the process sees them
 * (called after pivot_root, they are the container's). Best effort drops
 * what the kernel lacks (reported with --debug); with disableBestEffort
 * that is an error naming the right and the ABI. */
int scute_landlock_apply(const struct scute_landlock *ll, struct scute_err *err);

#endif
