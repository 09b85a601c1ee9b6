/* Running a --format template (format_template.h) on one row: fields of
 * jansson objects, Go's truth, if/range/with, variables, pipelines, and
 * the functions in format_funcs.c. What Go's text/template does for a
 * map[string]interface{}, this does for a json_t. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cleanup.h"
#include "format_exec.h"

int tpl_fail(struct tpl_exec *e, int line, int col, int code, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return scute_err_set(e->err, code, "template: %d:%d: executing at <%.80s>: %s", line, col,
			     e->at ? e->at->source : "", msg);
}

const char *tpl_type_name(const json_t *v)
{
	if (!v)
		return "<nil>";
	switch (json_typeof(v)) {
	case JSON_STRING: return "string";
	case JSON_INTEGER: return "int64";
	case JSON_REAL: return "float64";
	case JSON_TRUE:
	case JSON_FALSE: return "bool";
	case JSON_ARRAY: return "[]interface {}";
	case JSON_OBJECT: return "map[string]interface {}";
	case JSON_NULL: break;
	}
	return "interface {}";
}

bool tpl_truth(const json_t *v)
{
	if (!v)
		return false;
	switch (json_typeof(v)) {
	case JSON_STRING: return json_string_length(v) > 0;
	case JSON_INTEGER: return json_integer_value(v) != 0;
	case JSON_REAL: return json_real_value(v) != 0;
	case JSON_TRUE: return true;
	case JSON_ARRAY: return json_array_size(v) > 0;
	case JSON_OBJECT: return json_object_size(v) > 0;
	case JSON_FALSE:
	case JSON_NULL: break;
	}
	return false;
}

static int out_of_memory(struct tpl_exec *e)
{
	return scute_err_set(e->err, ENOMEM, "template: out of memory");
}

static int step(struct tpl_exec *e, int line, int col)
{
	if (++e->steps > TPL_STEPS_MAX)
		return tpl_fail(e, line, col, EINVAL, "more than %d steps", TPL_STEPS_MAX);
	return 0;
}

static int push_var(struct tpl_exec *e, const char *name, json_t *v)
{
	if (e->n_vars >= TPL_VARS_MAX)
		return scute_err_set(e->err, EINVAL, "template: more than %d variables",
				     TPL_VARS_MAX);
	e->vars[e->n_vars].name = name;
	e->vars[e->n_vars++].val = json_incref(v);
	return 0;
}

static void pop_vars(struct tpl_exec *e, size_t mark)
{
	while (e->n_vars > mark)
		json_decref(e->vars[--e->n_vars].val);
}

/* NAME of RECV as Go finds a field of a map[string]interface{}: a missing
 * key is no value, a nil interface or a value of another type an error. */
static int field(struct tpl_exec *e, const struct tpl_arg *a, json_t *recv, const char *name,
		 json_t **out)
{
	*out = NULL;
	if (!recv)
		return 0;
	if (json_is_object(recv)) {
		*out = json_incref(json_object_get(recv, name));
		return 0;
	}
	if (json_is_null(recv))
		return tpl_fail(e, a->line, a->col, EINVAL,
				"nil pointer evaluating interface {}.%s", name);
	return tpl_fail(e, a->line, a->col, EINVAL, "can't evaluate field %s in type %s", name,
			tpl_type_name(recv));
}

static int eval_field(struct tpl_exec *e, const struct tpl_arg *a, json_t *dot, json_t **out)
{
	auto_json json_t *cur = NULL;

	if (a->var) {
		size_t i = e->n_vars;

		if (strcmp(a->var, "$") == 0) {
			cur = json_incref(e->root);
		} else {
			while (i > 0 && strcmp(e->vars[i - 1].name, a->var) != 0)
				i--;
			if (i == 0)
				return tpl_fail(e, a->line, a->col, EINVAL,
						"undefined variable \"%.60s\"", a->var);
			cur = json_incref(e->vars[i - 1].val);
		}
	} else {
		cur = json_incref(dot);
	}
	for (size_t i = 0; i < a->n_names; i++) {
		json_t *next;

		if (field(e, a, cur, a->names[i], &next) < 0)
			return -1;
		json_decref(cur);
		cur = next;
	}
	*out = scute_take_ptr(&cur);
	return 0;
}

int tpl_eval_arg(struct tpl_exec *e, const struct tpl_arg *a, json_t *dot, json_t **out)
{
	*out = NULL;
	switch (a->kind) {
	case ARG_DOT: *out = json_incref(dot); return 0;
	case ARG_FIELD: return eval_field(e, a, dot, out);
	case ARG_STRING: *out = json_stringn_nocheck(a->text, a->len); break;
	case ARG_INT: *out = json_integer(a->num); break;
	case ARG_BOOL: *out = json_boolean(a->num); break;
	case ARG_NIL: *out = json_null(); break;
	case ARG_FUNC: return tpl_call(e, a, NULL, 0, dot, false, NULL, out);
	case ARG_PIPE: return tpl_eval_pipe(e, a->pipe, dot, out);
	}
	return *out ? 0 : out_of_memory(e);
}

static const char *arg_text(const struct tpl_arg *a)
{
	switch (a->kind) {
	case ARG_DOT: return ".";
	case ARG_STRING: return a->text;
	case ARG_NIL: return "nil";
	case ARG_BOOL: return a->num ? "true" : "false";
	default: return a->var ? a->var : a->n_names ? a->names[a->n_names - 1] : "";
	}
}

/* One command: a function call, or a single operand. FINAL is the value of
 * the command before it in the pipeline (HAS_FINAL), passed last. */
static int eval_cmd(struct tpl_exec *e, const struct tpl_cmd *c, json_t *dot, json_t *final,
		    bool has_final, json_t **out)
{
	const struct tpl_arg *first = &c->args[0];
	size_t extra = c->n_args - 1 + (has_final ? 1 : 0);

	*out = NULL;
	if (first->kind == ARG_FUNC)
		return tpl_call(e, first, c->args + 1, c->n_args - 1, dot, has_final, final, out);
	if (first->kind == ARG_NIL)
		return tpl_fail(e, c->line, c->col, EINVAL, "nil is not a command");
	if (extra && first->kind == ARG_FIELD && first->n_names)
		return tpl_fail(e, c->line, c->col, EINVAL, "%s is not a method but has arguments",
				first->names[first->n_names - 1]);
	if (extra)
		return tpl_fail(e, c->line, c->col, EINVAL,
				"can't give argument to non-function %s", arg_text(first));
	return tpl_eval_arg(e, first, dot, out);
}

int tpl_eval_pipe(struct tpl_exec *e, const struct tpl_pipe *pp, json_t *dot, json_t **out)
{
	const struct tpl_pipe *saved = e->at;
	auto_json json_t *val = NULL;

	*out = NULL;
	if (++e->depth > TPL_DEPTH_MAX * 2)
		return tpl_fail(e, pp->line, pp->col, EINVAL, "nested too deeply");
	e->at = pp;
	for (size_t i = 0; i < pp->n_cmds; i++) {
		json_t *next;

		if (step(e, pp->cmds[i].line, pp->cmds[i].col) < 0 ||
		    eval_cmd(e, &pp->cmds[i], dot, val, i > 0, &next) < 0)
			return -1;
		json_decref(val);
		val = next;
	}
	e->at = saved;
	e->depth--;
	*out = scute_take_ptr(&val);
	return 0;
}

static int exec_list(struct tpl_exec *e, const struct tpl_list *l, json_t *dot);

static int exec_action(struct tpl_exec *e, const struct tpl_node *n, json_t *dot)
{
	auto_json json_t *v = NULL;

	if (tpl_eval_pipe(e, n->pipe, dot, &v) < 0)
		return -1;
	if (n->pipe->n_decl)
		return push_var(e, n->pipe->decl[0], v);
	return tpl_buf_print(e->out, v) < 0 ? -1 : 0;
}

/* if and with: the pipeline's variable lives in both branches. */
static int exec_cond(struct tpl_exec *e, const struct tpl_node *n, json_t *dot)
{
	size_t mark = e->n_vars;
	auto_json json_t *v = NULL;
	int rc;

	if (tpl_eval_pipe(e, n->pipe, dot, &v) < 0)
		return -1;
	if (n->pipe->n_decl && push_var(e, n->pipe->decl[0], v) < 0)
		return -1;
	if (tpl_truth(v))
		rc = exec_list(e, n->list, n->kind == NODE_WITH ? v : dot);
	else
		rc = n->else_list ? exec_list(e, n->else_list, dot) : 0;
	pop_vars(e, mark);
	return rc;
}

/* One pass of a range: $i, $e := KEY, ELEM (or $e := ELEM), dot ELEM. */
static int range_once(struct tpl_exec *e, const struct tpl_node *n, json_t *key, json_t *elem)
{
	size_t mark = e->n_vars;
	int rc;

	if (step(e, n->pipe->line, n->pipe->col) < 0)
		return -1;
	if (n->pipe->n_decl == 2 &&
	    (push_var(e, n->pipe->decl[0], key) < 0 || push_var(e, n->pipe->decl[1], elem) < 0))
		return -1;
	if (n->pipe->n_decl == 1 && push_var(e, n->pipe->decl[0], elem) < 0)
		return -1;
	rc = exec_list(e, n->list, elem);
	pop_vars(e, mark);
	return rc;
}

static int range_object(struct tpl_exec *e, const struct tpl_node *n, json_t *v)
{
	size_t count = json_object_size(v), i = 0;
	auto_free const char **keys = calloc(count ? count : 1, sizeof(*keys));
	const char *k;
	json_t *elem;

	if (!keys)
		return out_of_memory(e);
	json_object_foreach(v, k, elem) keys[i++] = k;
	qsort(keys, count, sizeof(*keys), tpl_by_name);
	for (i = 0; i < count; i++) {
		auto_json json_t *key = json_string_nocheck(keys[i]);

		if (!key)
			return out_of_memory(e);
		if (range_once(e, n, key, json_object_get(v, keys[i])) < 0)
			return -1;
	}
	return 0;
}

static int exec_range(struct tpl_exec *e, const struct tpl_node *n, json_t *dot)
{
	auto_json json_t *v = NULL;
	size_t i, count = 0;
	json_t *elem;

	if (tpl_eval_pipe(e, n->pipe, dot, &v) < 0)
		return -1;
	if (json_is_array(v)) {
		count = json_array_size(v);
		json_array_foreach(v, i, elem)
		{
			auto_json json_t *key = json_integer((json_int_t)i);

			if (!key)
				return out_of_memory(e);
			if (range_once(e, n, key, elem) < 0)
				return -1;
		}
	} else if (json_is_object(v)) {
		count = json_object_size(v);
		if (range_object(e, n, v) < 0)
			return -1;
	} else if (json_is_integer(v)) {
		if (n->pipe->n_decl > 1)
			return tpl_fail(e, n->pipe->line, n->pipe->col, EINVAL,
					"can't use %" JSON_INTEGER_FORMAT
					" to iterate over more than one variable",
					json_integer_value(v));
		for (json_int_t k = 0; k < json_integer_value(v); k++, count++) {
			auto_json json_t *ki = json_integer(k);

			if (!ki)
				return out_of_memory(e);
			if (range_once(e, n, ki, ki) < 0)
				return -1;
		}
	} else if (v) {
		struct tpl_buf shown = { .max = 80 };

		tpl_buf_print(&shown, v);
		tpl_fail(e, n->pipe->line, n->pipe->col, EINVAL, "range can't iterate over %s",
			 shown.p ? shown.p : "");
		free(shown.p);
		return -1;
	}
	if (count == 0 && n->else_list)
		return exec_list(e, n->else_list, dot);
	return 0;
}

static int exec_list(struct tpl_exec *e, const struct tpl_list *l, json_t *dot)
{
	size_t mark = e->n_vars;
	int rc = 0;

	for (size_t i = 0; i < l->n && rc == 0; i++) {
		const struct tpl_node *n = &l->nodes[i];

		if (++e->steps > TPL_STEPS_MAX)
			return scute_err_set(e->err, EINVAL, "template: more than %d steps",
					     TPL_STEPS_MAX);
		switch (n->kind) {
		case NODE_TEXT: rc = tpl_buf_add(e->out, n->text, n->len); break;
		case NODE_ACTION: rc = exec_action(e, n, dot); break;
		case NODE_IF:
		case NODE_WITH: rc = exec_cond(e, n, dot); break;
		case NODE_RANGE: rc = exec_range(e, n, dot); break;
		}
		if (rc < 0 && e->out->failed && !e->err->msg[0])
			scute_err_set(e->err, errno == ENOMEM ? ENOMEM : EINVAL,
				      "template: output longer than %zu bytes",
				      (size_t)TPL_OUTPUT_MAX);
	}
	pop_vars(e, mark);
	return rc;
}

int tpl_exec(const struct tpl_list *t, json_t *data, bool header, bool row_html,
	     struct tpl_buf *out, struct scute_err *err)
{
	struct tpl_exec e = {
		.root = data, .header = header, .row_html = row_html, .out = out, .err = err
	};

	err->msg[0] = '\0';
	return exec_list(&e, t, data);
}
