/* Capability names (libcap's table, CAP_* spelling only). */
#ifndef SCUTE_CAP_NAMES_H
#define SCUTE_CAP_NAMES_H

#include <stddef.h>
#include "scute.h"

/* 10 → "CAP_NET_BIND_SERVICE" written into buf. */
const char *scute_cap_name(int cap, char *buf, size_t len);
/* Highest capability number this kernel knows. */
int scute_cap_last(void);

#endif
