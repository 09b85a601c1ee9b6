/* Sizes and times as docker's CLI prints them (its go-units and Go's time
 * package): "4.26MB", "2 hours ago", "2024-01-02 03:04:05 +0000 UTC".
 * Pure functions of their arguments (units.c), unit-tested. */
#ifndef SCUTE_CLI_UNITS_H
#define SCUTE_CLI_UNITS_H

#include <stddef.h>
#include <stdint.h>

/* BYTES in decimal units (B, kB, MB, … YB) with PRECISION significant
 * digits: go-units' HumanSizeWithPrecision ("4.26MB" at 3, "4.257MB" at 4). */
void cli_human_size(double bytes, int precision, char *out, size_t size);
/* A duration of SECONDS as go-units' HumanDuration: "Less than a second",
 * "About a minute", "3 hours", "2 weeks", "3 years". */
void cli_human_duration(int64_t seconds, char *out, size_t size);
/* How long before NOW the time T was (seconds since the epoch), with
 * " ago": docker's CREATED column. */
void cli_human_since(int64_t t, int64_t now, char *out, size_t size);
/* T in local time as Go's time.Time.String() prints a whole second:
 * "2024-01-02 03:04:05 +0000 UTC". */
void cli_time_string(int64_t t, char *out, size_t size);
/* T in local time as RFC 3339: "2024-01-02T03:04:05Z", "…+01:00". */
void cli_time_rfc3339(int64_t t, char *out, size_t size);

#endif
