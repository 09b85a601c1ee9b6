/* The table of --format (format_table.c): cells separated by tabs laid
 * out in aligned columns as docker lays them. Internal to src/cli/format. */
#ifndef SCUTE_CLI_FORMAT_TABLE_H
#define SCUTE_CLI_FORMAT_TABLE_H

#include <stddef.h>
#include <stdio.h>

#define FORMAT_TABLE_NOMEM (-2)

/* Write the N bytes of S (lines of tab-separated cells) to OUT, each
 * column as wide as its widest cell plus 3 spaces, at least 10. Returns 0,
 * -1 when a write fails (errno set), FORMAT_TABLE_NOMEM when out of memory. */
int format_table_write(const char *s, size_t n, FILE *out);

#endif
