/* scute info and version (cmd_info.c, cmd_version.c): the documents they
 * build and print, and the text info prints (info_text.c). */
#ifndef SCUTE_CLI_INFO_H
#define SCUTE_CLI_INFO_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

#include "scute.h"

/* DOC through --format: "json" is {{json .}}, anything else a template
 * run as it is, as docker runs info's and version's. */
int cli_print_template(json_t *doc, const char *format, struct scute_err *err);

/* BYTES as go-units' BytesSize: binary units, 4 significant digits
 * ("64MiB", "7.763GiB"). */
void cli_bytes_binary(double bytes, char *out, size_t size);

/* info's document as docker's text, with scute's sections after it. */
int cli_info_print_text(json_t *doc, FILE *out, struct scute_err *err);

#endif
