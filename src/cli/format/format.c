/* --format (format.h): the modes docker has (table, json, a template),
 * the limits on the template, and the rows kept until the flush; the
 * table's alignment is format_table.c's. */
#include "format.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/cleanup.h"
#include "format_table.h"
#include "format_template.h"

/* All the rows of one listing together. */
#define ROWS_MAX (64u << 20)
/* The longest --format taken: a template is typed, not generated. */
#define FORMAT_TEXT_MAX (64u << 10)

struct scute_format {
	struct tpl_list *tpl;
	bool table, html;
	json_t *header; /* the row a table's header runs on: field → header text */
	struct tpl_buf rows;
};

bool scute_format_is_table(const struct scute_format *f)
{
	return f->table;
}

void scute_format_free(struct scute_format *f)
{
	if (!f)
		return;
	tpl_free(f->tpl);
	json_decref(f->header);
	free(f->rows.p);
	free(f);
}

/* docker's preFormat: the text after "table", spaces trimmed, and the two
 * escapes a shell makes hard to type. */
static char *final_text(const char *text)
{
	size_t len = strlen(text), n = 0;
	char *o;

	while (len && text[len - 1] == ' ')
		len--;
	while (len && text[0] == ' ')
		text++, len--;
	o = malloc(len + 1);
	if (!o)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		if (text[i] == '\\' && i + 1 < len && (text[i + 1] == 't' || text[i + 1] == 'n')) {
			o[n++] = text[++i] == 't' ? '\t' : '\n';
			continue;
		}
		o[n++] = text[i];
	}
	o[n] = '\0';
	return o;
}

struct scute_format *scute_format_parse(const char *text, const struct scute_format_defaults *d,
					struct scute_err *err)
{
	struct scute_format *f = calloc(1, sizeof(*f));
	auto_free char *tpl = NULL;

	if (!f) {
		scute_err_set(err, ENOMEM, "--format: out of memory");
		return NULL;
	}
	if (d->table && (!text || !text[0] || strcmp(text, "table") == 0))
		text = d->table;
	if (!text) {
		scute_err_set(err, EINVAL, "--format: no template");
		goto fail;
	}
	if (strlen(text) > FORMAT_TEXT_MAX) {
		scute_err_set(err, EINVAL, "--format: template longer than %u bytes",
			      FORMAT_TEXT_MAX);
		goto fail;
	}
	f->html = d->json_escape_html;
	/* docker takes anything that starts with "table" as a table; an
	 * inspect verb (no table) runs the template as it is */
	f->table = d->table && strncmp(text, "table", 5) == 0;
	if (!d->table)
		tpl = strdup(text);
	else
		tpl = final_text(strcmp(text, "json") == 0 ? "{{json .}}"
				 : f->table		   ? text + 5
							   : text);
	f->header = json_object();
	if (!tpl || !f->header) {
		/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc) auto_free: cleanup.h */
		scute_err_set(err, ENOMEM, "--format: out of memory");
		goto fail;
	}
	for (const struct scute_format_header *h = d->headers; h && h->field; h++)
		if (json_object_set_new(f->header, h->field, json_string(h->header)) < 0) {
			scute_err_set(err, ENOMEM, "--format: out of memory");
			goto fail;
		}
	f->tpl = tpl_parse(tpl, err);
	if (!f->tpl) {
		scute_err_prefix(err, "--format");
		goto fail;
	}
	f->rows.max = ROWS_MAX;
	return f;
fail:
	scute_format_free(f);
	return NULL;
}

int scute_format_row(struct scute_format *f, json_t *row, struct scute_err *err)
{
	struct tpl_buf b = { .max = TPL_OUTPUT_MAX };
	int rc;

	rc = tpl_exec(f->tpl, row, false, f->html, &b, err);
	if (rc < 0) {
		free(b.p);
		return scute_err_prefix(err, "--format");
	}
	/* docker ends every row with a newline */
	rc = tpl_buf_add(&f->rows, b.p ? b.p : "", b.len);
	if (rc == 0)
		rc = tpl_buf_add(&f->rows, "\n", 1);
	free(b.p);
	if (rc < 0)
		return scute_err_set(err, errno == ENOMEM ? ENOMEM : EINVAL,
				     "--format: the rows are longer than %u bytes", ROWS_MAX);
	return 0;
}

int scute_format_flush(struct scute_format *f, FILE *out, struct scute_err *err)
{
	struct tpl_buf all = { .max = ROWS_MAX + TPL_OUTPUT_MAX + 1 };
	struct scute_err ignored = { 0 };
	int rc = 0;

	if (!f->table) {
		if (f->rows.len && fwrite(f->rows.p, 1, f->rows.len, out) != f->rows.len)
			rc = -1;
	} else {
		/* docker runs the header as it can and shows what it made even
		 * when a function refused the header text */
		tpl_exec(f->tpl, f->header, true, false, &all, &ignored);
		all.failed = false;
		if (tpl_buf_add(&all, "\n", 1) < 0 ||
		    tpl_buf_add(&all, f->rows.p ? f->rows.p : "", f->rows.len) < 0) {
			free(all.p);
			return scute_err_set(err, ENOMEM, "--format: out of memory");
		}
		rc = format_table_write(all.p, all.len, out);
		free(all.p);
		if (rc == FORMAT_TABLE_NOMEM)
			return scute_err_set(err, ENOMEM, "--format: out of memory");
	}
	f->rows.len = 0;
	if (rc < 0 || fflush(out) == EOF)
		return scute_err_sys(err, "write the output");
	return 0;
}
