/* Joining an existing namespace given by path (linux.namespaces[].path). */
#ifndef SCUTE_NAMESPACES_H
#define SCUTE_NAMESPACES_H

#include "error.h"
#include "spec.h"

int scute_ns_join(enum scute_ns_type type, const char *path, struct scute_err *err);

#endif
