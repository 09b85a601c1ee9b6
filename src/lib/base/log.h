/* Debug and warning messages from the library go through a sink that the
 * front end installs; the library itself never writes to stdout/stderr. */
#ifndef SCUTE_LOG_H
#define SCUTE_LOG_H

#include "scute.h"

/* scute_log itself is public (scute.h). */
#define scute_debug(...) scute_log(SCUTE_LOG_DEBUG, __VA_ARGS__)
#define scute_warn(...) scute_log(SCUTE_LOG_WARN, __VA_ARGS__)

#endif
