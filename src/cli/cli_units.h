/* Sizes and times as docker prints them (docker's go-units): "72.8MB",
 * "3 days ago", "2024-01-02 03:04:05 +0000 UTC". */
#ifndef SCUTE_CLI_UNITS_H
#define SCUTE_CLI_UNITS_H

#include <stddef.h>
#include <stdint.h>

/* Decimal units with three significant digits. */
void cli_human_size(int64_t bytes, char *out, size_t size);
/* How long ago `t` (seconds since the epoch) was: "About an hour ago". */
void cli_human_since(int64_t t, char *out, size_t size);
/* `t` as Go's time.String() prints a UTC time. */
void cli_time_string(int64_t t, char *out, size_t size);

#endif
