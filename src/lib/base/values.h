/* Parsers for the values people type into flags and configs: counts, sizes
 * ("512m"), CPU and memory-node lists ("0-3,8"), signal names ("SIGTERM",
 * "RTMIN+2") and "UID[:GID]". Shared by scute-runtime's flags, the config
 * parser and, later, the scute CLI's docker-style flags.
 *
 * Each returns 0, or -1 with an error that quotes the value and says what
 * was expected; the caller puts the flag or field name in front
 * (scute_err_prefix). Nothing is accepted with trailing text, and nothing
 * that overflows. */
#ifndef SCUTE_VALUES_H
#define SCUTE_VALUES_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"

/* Decimal integer in [min, max]; a sign only when min < 0. */
int scute_parse_int(const char *s, int64_t min, int64_t max, int64_t *out, struct scute_err *err);

/* A line of a kernel file that holds a number (cgroup.procs, a counter):
 * the text up to the first newline (or the end) must be a whole number in
 * [0, max]; false when it is anything else ("max", empty, too long). */
bool scute_parse_line_u63(const char *line, int64_t max, int64_t *out);

/* The same for a hexadecimal field ("CapBnd:" of /proc/PID/status): at most
 * 16 hex digits, either case, up to the newline; nothing else. */
bool scute_parse_line_hex64(const char *line, uint64_t *out);

/* A size in bytes as docker and runc read it: a number with an optional
 * fraction and unit k, m, g, t or p (powers of 1024; optional "i" and "b",
 * any case, an optional space before the unit), or "-1" for unlimited. */
int scute_parse_size(const char *s, int64_t *out, struct scute_err *err);

/* A cpuset list: "N" or "N-M" items (N <= M) separated by commas, each
 * below 65536. An empty list is valid (no restriction). */
int scute_parse_cpu_list(const char *s, struct scute_err *err);

/* A signal number, or a name with or without "SIG" in any case, including
 * RTMIN, RTMIN+N and RTMAX-N. */
int scute_parse_signal(const char *s, int *sig, struct scute_err *err);

/* "UID" or "UID:GID", numeric ids below 2^32 - 1 ((uid_t)-1 means "no
 * change" to the kernel, so it is refused). gid is 0 when not given. */
int scute_parse_user(const char *s, uid_t *uid, gid_t *gid, struct scute_err *err);

#endif
