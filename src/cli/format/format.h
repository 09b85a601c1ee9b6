/* --format, as docker's list and inspect verbs take it, shared by scute's
 * verbs (images, image inspect, history, and the container verbs later):
 *
 *   table                  the verb's default columns
 *   table TEMPLATE         a header row, then one row each, aligned as
 *                          docker aligns them (text/tabwriter: cells at
 *                          least 10 wide, 3 spaces of padding)
 *   json                   each row as one line of JSON ({{json .}})
 *   TEMPLATE               one line per row, as written
 *
 * TEMPLATE is Go's text/template as docker users write it: text, {{.Field}},
 * {{.A.B}}, {{.}}, {{$}}, {{if}}/{{else if}}/{{else}}/{{end}}, {{range}}
 * (arrays, maps in key order, integers), {{with}}, variables ($x := …,
 * range $i, $e := …), {{- and -}} trimming, Go's comments, string and
 * integer literals, pipelines (.X | lower) and the functions docker
 * documents (json, split, join, title, lower, upper, println) with Go's
 * len, index and printf (%s %v %d %q). As docker does, a literal \t or \n
 * in the text is a tab or a newline, and spaces around the whole are
 * trimmed. Limits: the template's length (64 KiB), nesting (64), the
 * output of a row (4 MiB) and the steps it takes.
 *
 * Rows are jansson objects whose keys are docker's field names. A key a
 * row lacks prints "<no value>", as Go prints a missing map key; JSON
 * null prints "<nil>". Compile once, run per row, flush at the end: like
 * docker, nothing is written until the flush, so a row that fails leaves
 * no half-written output. Only pure formatting: the one I/O is writing
 * to the FILE * given to scute_format_flush. */
#ifndef SCUTE_CLI_FORMAT_H
#define SCUTE_CLI_FORMAT_H

#include <stdio.h>

#include "scute.h"

/* A column header of a table: FIELD's header text ("ID" → "IMAGE ID"). */
struct scute_format_header {
	const char *field;
	const char *header;
};

/* What a verb brings to its --format. */
struct scute_format_defaults {
	/* The template `--format table` (and no --format) stands for, with
	 * its "table " ("table {{.Repository}}\t{{.Tag}}\t…"). NULL for an
	 * inspect verb: the text is a template, run as it is (no table, no
	 * json keyword, no escapes), as docker's inspect runs it. */
	const char *table;
	/* The header of each field, ended by { NULL, NULL }. A table column
	 * whose field has none is headed "<no value>", as docker's is. */
	const struct scute_format_header *headers;
	/* {{json .}} of a row escapes <, > and & (\u003c …) as docker's list
	 * verbs do (their rows go through json.Marshal); false for inspect
	 * verbs, whose json leaves them as they are. */
	bool json_escape_html;
};

struct scute_format;

/* Compile TEXT (the --format value; NULL or "" means "table") with the
 * verb's DEFAULTS. A template that does not parse is an EINVAL error
 * naming the place: `--format: template: 1:8: unclosed action`. */
struct scute_format *scute_format_parse(const char *text, const struct scute_format_defaults *d,
					struct scute_err *err);

/* Render ROW (an object) and keep it for the flush. An error (EINVAL:
 * `--format: template: 1:3: executing at <.A.B>: nil pointer evaluating
 * interface {}.B`; ENOMEM) means nothing of the rows should be shown. */
int scute_format_row(struct scute_format *f, json_t *row, struct scute_err *err);

/* Write what the rows made to OUT: a table's header and aligned columns
 * (the header even without rows, as docker prints it), or the lines. The
 * rows are then forgotten, so the format can take more. A failed write is
 * an errno error. */
int scute_format_flush(struct scute_format *f, FILE *out, struct scute_err *err);

/* True when F is a table (for a verb that truncates IDs only in tables). */
bool scute_format_is_table(const struct scute_format *f);

void scute_format_free(struct scute_format *f);

#endif
