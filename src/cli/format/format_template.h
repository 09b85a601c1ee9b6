/* The template language of --format: the part of Go's text/template that
 * docker users write, over jansson values. Internal to src/cli/format*.c;
 * verbs use format.h.
 *
 * Values are json_t: a missing map key is NULL (Go's invalid value, shown
 * "<no value>"), JSON null is Go's nil interface (shown "<nil>"). */
#ifndef SCUTE_CLI_FORMAT_TEMPLATE_H
#define SCUTE_CLI_FORMAT_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scute.h"

/* Nesting of blocks and parentheses, and names in a field chain: a
 * template deeper than this is refused rather than recursed into. */
#define TPL_DEPTH_MAX 64
/* What one execution (one row) may cost: nodes run and bytes written. */
#define TPL_STEPS_MAX 1000000
#define TPL_OUTPUT_MAX (4u << 20)

/* A growable output buffer; a write past the limit fails it once. */
struct tpl_buf {
	char *p;
	size_t len, cap, max;
	bool failed;
};

int tpl_buf_add(struct tpl_buf *b, const char *s, size_t n);
int tpl_buf_str(struct tpl_buf *b, const char *s);
/* Go's fmt.Sprint of V (NULL is "<no value>"). */
int tpl_buf_print(struct tpl_buf *b, const json_t *v);
/* Go's encoding/json of V, compact; ESCAPE_HTML writes <, > and & as
 * \u003c, \u003e and \u0026 as json.Marshal does (docker's json function
 * turns that off). NULL is "null". */
int tpl_buf_json(struct tpl_buf *b, const json_t *v, bool escape_html);

/* The length of the valid UTF-8 sequence at S (at most N bytes) and its
 * code point in *CP; 0 when it is not one (overlong, a surrogate, cut
 * short), which Go shows as U+FFFD for each byte. */
size_t tpl_utf8_decode(const unsigned char *s, size_t n, unsigned long *cp);

enum tpl_arg_kind {
	ARG_DOT,    /* . */
	ARG_FIELD,  /* .A.B, or $x.A.B with var set */
	ARG_STRING, /* "…" or `…` */
	ARG_INT,
	ARG_BOOL,
	ARG_NIL,
	ARG_FUNC, /* a function name */
	ARG_PIPE, /* ( pipeline ) */
};

struct tpl_pipe;

struct tpl_arg {
	enum tpl_arg_kind kind;
	int line, col;
	char *var;    /* ARG_FIELD from a variable: "$x" ("$" is the data) */
	char **names; /* ARG_FIELD: the chain */
	size_t n_names;
	char *text; /* ARG_STRING (decoded, LEN bytes), ARG_FUNC: the name */
	size_t len;
	int64_t num; /* ARG_INT, ARG_BOOL */
	struct tpl_pipe *pipe;
};

struct tpl_cmd {
	struct tpl_arg *args;
	size_t n_args;
	int line, col;
};

struct tpl_pipe {
	char *decl[2]; /* $x := …, or $i, $e := (range) */
	size_t n_decl;
	struct tpl_cmd *cmds;
	size_t n_cmds;
	int line, col;
	char *source; /* the pipeline's text, for errors ("at <.A.B>") */
};

enum tpl_node_kind { NODE_TEXT, NODE_ACTION, NODE_IF, NODE_RANGE, NODE_WITH };

struct tpl_list;

struct tpl_node {
	enum tpl_node_kind kind;
	char *text; /* NODE_TEXT */
	size_t len;
	struct tpl_pipe *pipe;
	struct tpl_list *list, *else_list;
};

struct tpl_list {
	struct tpl_node *nodes;
	size_t n;
};

/* Parse TEXT (the whole template). A template that does not parse is an
 * EINVAL error saying where, as Go does: "template: 1:8: unclosed action". */
struct tpl_list *tpl_parse(const char *text, struct scute_err *err);
void tpl_free(struct tpl_list *t);

/* Run T on DATA, appending to OUT. HEADER runs it as docker runs the
 * header row of a table: json, split, join, title, lower and upper
 * give back their first argument. ROW_HTML: {{json .}} of the
 * data itself escapes HTML (docker's list rows marshal with json.Marshal).
 * A failure is EINVAL (ENOMEM when out of memory) naming the action:
 * "template: 1:3: executing at <.A.B>: nil pointer evaluating interface {}.B". */
int tpl_exec(const struct tpl_list *t, json_t *data, bool header, bool row_html,
	     struct tpl_buf *out, struct scute_err *err);

#endif
