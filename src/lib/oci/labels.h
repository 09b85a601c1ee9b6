/* Label formats (labels.c); applying labels is security/lsm.h. */
#ifndef SCUTE_LABELS_H
#define SCUTE_LABELS_H

#include <stdbool.h>
#include <stddef.h>
#include "scute.h"

/* user:role:type[:level], each part made of the characters labels use. */
bool scute_selinux_label_valid(const char *label);
/* The mount option that labels a new filesystem ("context=LABEL"); -1
 * when it does not fit. */
int scute_selinux_context_option(const char *label, char *buf, size_t len);
/* AppArmor profile names are at most this long: refused beyond it, never
 * applied cut. */
#define SCUTE_APPARMOR_NAME_MAX 255

#endif
