/* The one error convention of libscute (see docs/hacking.md): struct
 * scute_err and its setters are part of the public API, declared in
 * scute.h; internal files include this header for them. */
#ifndef SCUTE_ERROR_H
#define SCUTE_ERROR_H

#include "scute.h"

#endif
