/* What the template executor (format_exec.c) shares with its functions
 * (format_funcs.c). Internal to src/cli/format*.c. */
#ifndef SCUTE_CLI_FORMAT_EXEC_H
#define SCUTE_CLI_FORMAT_EXEC_H

#include "format_template.h"

/* Variables alive at once ($x := …, range's $i, $e). */
#define TPL_VARS_MAX 64

struct tpl_var {
	const char *name; /* "$x" */
	json_t *val;	  /* a reference held */
};

struct tpl_exec {
	json_t *root; /* the row: $ */
	bool header, row_html;
	struct tpl_buf *out;
	struct scute_err *err;
	size_t steps;
	int depth;
	const struct tpl_pipe *at; /* the pipeline running, named by errors */
	struct tpl_var vars[TPL_VARS_MAX];
	size_t n_vars;
};

/* Fill the error ("template: LINE:COL: executing at <PIPELINE>: …"); -1. */
int tpl_fail(struct tpl_exec *e, int line, int col, int code, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* The Go type a value stands for in messages ("string", "int64", …). */
const char *tpl_type_name(const json_t *v);
/* Go's truth: false, 0, nil, no value and empty strings, arrays, maps are false. */
bool tpl_truth(const json_t *v);
/* qsort's comparison of two const char * by bytes. */
int tpl_by_name(const void *a, const void *b);

/* An operand's value (a new reference, or NULL: no value). */
int tpl_eval_arg(struct tpl_exec *e, const struct tpl_arg *a, json_t *dot, json_t **out);
int tpl_eval_pipe(struct tpl_exec *e, const struct tpl_pipe *pp, json_t *dot, json_t **out);
/* Call the function FN names with ARGS (operands), and FINAL after them
 * when HAS_FINAL (the value piped in). */
int tpl_call(struct tpl_exec *e, const struct tpl_arg *fn, const struct tpl_arg *args, size_t n,
	     json_t *dot, bool has_final, json_t *final, json_t **out);

/* The evaluated arguments of one function call, and where the call is
 * (for errors). */
struct tpl_args {
	struct tpl_exec *e;
	const char *name;
	int line, col;
	json_t **argv;
	size_t argc;
};

/* Go's printf with the verbs %s, %v, %d and %q (format_printf.c). */
int tpl_fn_printf(struct tpl_args *c, json_t **out);

#endif
