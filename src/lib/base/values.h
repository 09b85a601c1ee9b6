/* Parsers for the values people type into flags and configs: counts, sizes
 * ("512m"), CPU and memory-node lists ("0-3,8"), signal names ("SIGTERM",
 * "RTMIN+2") and "UID[:GID]". Shared by scute-runtime's flags, the config
 * parser and, later, the scute CLI's docker-style flags.
 *
 * Each returns 0, or -1 with an error that quotes the value and says what
 * was expected; the caller puts the flag or field name in front
 * (scute_err_prefix). Nothing is accepted with trailing text, and nothing
 * that overflows. The parsers front ends use too are public (scute.h);
 * this header adds the library's own. */
#ifndef SCUTE_VALUES_H
#define SCUTE_VALUES_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"
#include "scute.h"

/* A line of a kernel file that holds a number (cgroup.procs, a counter):
 * the text up to the first newline (or the end) must be a whole number in
 * [0, max]; false when it is anything else ("max", empty, too long). */
bool scute_parse_line_u63(const char *line, int64_t max, int64_t *out);

/* The same for a hexadecimal field ("CapBnd:" of /proc/PID/status): at most
 * 16 hex digits, either case, up to the newline; nothing else. */
bool scute_parse_line_hex64(const char *line, uint64_t *out);

#endif
