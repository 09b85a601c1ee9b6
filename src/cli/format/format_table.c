/* The table of --format (format_table.h): Go's elastic tabstops as
 * docker's text/tabwriter lays them out (tabwriter.NewWriter(out, 10, 1,
 * 3, ' ', 0): cells at least 10 columns wide, 3 spaces of padding), cells
 * measured in terminal columns. */
#include "format_table.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "format_template.h"

/* docker's tabwriter settings: minimal cell width, padding. */
#define TABLE_MINWIDTH 10
#define TABLE_PADDING 3

struct cell {
	size_t off, size; /* bytes of the text */
	size_t width;	  /* terminal columns */
	size_t column;	  /* the width of its column (tab-terminated cells) */
};

struct line {
	struct cell *cells;
	size_t n, cap;
	bool newline; /* ends with a line break (the last line may not) */
	bool section; /* a form feed ends it: no column crosses it */
};

struct table {
	struct line *lines;
	size_t n, cap;
};

static void table_free(struct table *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->lines[i].cells);
	free(t->lines);
}

/* Columns of the code point at S, as go-runewidth counts them: none for
 * controls and combining marks, two for East Asian wide ones. */
static size_t rune_width(const unsigned char *s, size_t n, size_t *len)
{
	unsigned long cp;
	size_t k = tpl_utf8_decode(s, n, &cp);

	if (k == 0) {
		*len = 1; /* a stray byte is U+FFFD, one column */
		return 1;
	}
	*len = k;
	if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0xad || (cp >= 0x300 && cp <= 0x36f) ||
	    cp == 0x200b || (cp >= 0xfe00 && cp <= 0xfe0f))
		return 0;
	if ((cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf && cp != 0x303f) ||
	    (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
	    (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
	    (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1f64f) ||
	    (cp >= 0x1f900 && cp <= 0x1f9ff) || (cp >= 0x20000 && cp <= 0x3fffd))
		return 2;
	return 1;
}

static size_t text_width(const char *s, size_t n, size_t escapes)
{
	size_t w = 0;

	for (size_t i = 0, len; i < n; i += len)
		w += rune_width((const unsigned char *)s + i, n - i, &len);
	/* tabwriter's escape bytes (0xff) are stray bytes above, not text */
	return w >= escapes ? w - escapes : 0;
}

static int add_cell(struct table *t, const char *text, size_t off, size_t end, size_t escapes)
{
	struct line *l = &t->lines[t->n - 1];

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		struct cell *cells = realloc(l->cells, cap * sizeof(*cells));

		if (!cells)
			return -1;
		l->cells = cells;
		l->cap = cap;
	}
	l->cells[l->n++] =
		(struct cell){ off, end - off, text_width(text + off, end - off, escapes), 0 };
	return 0;
}

static int add_line(struct table *t)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		struct line *lines = realloc(t->lines, cap * sizeof(*lines));

		if (!lines)
			return -1;
		t->lines = lines;
		t->cap = cap;
	}
	memset(&t->lines[t->n++], 0, sizeof(*t->lines));
	return 0;
}

/* Cells end at a tab (or vertical tab), lines at a newline (or form
 * feed); text between 0xff bytes is taken as it is (tabwriter's Escape). */
static int split_cells(struct table *t, const char *s, size_t n)
{
	size_t start = 0, escapes = 0;
	bool escaped = false;

	if (add_line(t) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c == '\xff') {
			escaped = !escaped;
			escapes++;
			continue;
		}
		if (escaped || (c != '\t' && c != '\v' && c != '\n' && c != '\f'))
			continue;
		if (add_cell(t, s, start, i, escapes) < 0)
			return -1;
		start = i + 1;
		escapes = 0;
		if (c == '\n' || c == '\f') {
			t->lines[t->n - 1].newline = true;
			t->lines[t->n - 1].section = c == '\f';
			if (add_line(t) < 0)
				return -1;
		}
	}
	if (start < n && add_cell(t, s, start, n, escapes) < 0)
		return -1;
	return 0;
}

/* A column is a run of adjacent lines that all have a tab-terminated cell
 * there; its width is its widest cell plus the padding, at least the
 * minimal width. Each pass looks only at the lines that still have a
 * column (ACTIVE), so the work is the number of cells. */
static int lay_out(struct table *t)
{
	size_t *active = malloc((t->n ? t->n : 1) * sizeof(*active)), n = 0;

	if (!active)
		return -1;
	for (size_t i = 0; i < t->n; i++)
		if (t->lines[i].n > 1)
			active[n++] = i;
	for (size_t col = 0; n > 0; col++) {
		size_t kept = 0;

		for (size_t a = 0; a < n;) {
			size_t b = a, width = TABLE_MINWIDTH;

			/* a run: adjacent line numbers, no form feed inside */
			for (;;) {
				const struct cell *c = &t->lines[active[b]].cells[col];

				if (c->width + TABLE_PADDING > width)
					width = c->width + TABLE_PADDING;
				if (b + 1 >= n || active[b + 1] != active[b] + 1 ||
				    t->lines[active[b]].section)
					break;
				b++;
			}
			for (size_t k = a; k <= b; k++)
				t->lines[active[k]].cells[col].column = width;
			a = b + 1;
		}
		for (size_t a = 0; a < n; a++)
			if (t->lines[active[a]].n > col + 2)
				active[kept++] = active[a];
		n = kept;
	}
	free(active);
	return 0;
}

static int write_table(const struct table *t, const char *s, FILE *out)
{
	static const char spaces[] = "                                ";

	for (size_t i = 0; i < t->n; i++) {
		const struct line *l = &t->lines[i];

		for (size_t j = 0; j < l->n; j++) {
			const struct cell *c = &l->cells[j];
			size_t pad = j + 1 < l->n ? c->column - c->width : 0;

			if (fwrite(s + c->off, 1, c->size, out) != c->size)
				return -1;
			for (; pad; pad -= pad < 32 ? pad : 32)
				if (fwrite(spaces, 1, pad < 32 ? pad : 32, out) == 0)
					return -1;
		}
		if (l->newline && fputc('\n', out) == EOF)
			return -1;
	}
	return 0;
}

int format_table_write(const char *s, size_t n, FILE *out)
{
	struct table t = { 0 };
	int rc;

	if (split_cells(&t, s, n) < 0 || lay_out(&t) < 0) {
		table_free(&t);
		return FORMAT_TABLE_NOMEM;
	}
	rc = write_table(&t, s, out);
	table_free(&t);
	return rc;
}
