/* The parser of --format templates (format_template.h): text, actions
 * {{…}} with Go's trim markers and comments, if/else if/else, range, with,
 * end, and pipelines of fields, variables, literals and function calls.
 * Errors read like Go's ("unclosed action", "unexpected {{end}}") with a
 * line and a column (0-based, as Go counts them). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format_template.h"

/* The functions a template may call: those docker documents for --format
 * ("Format command and log output") and Go's builtins len, index, printf. */
static const char *const known_funcs[] = {
	"json", "split", "join", "title", "lower", "upper", "println", "len", "index", "printf",
};

struct parser {
	const char *s;
	size_t pos;
	int depth;
	bool trim_next; /* the last action ended "-}}" */
	struct scute_err *err;
};

enum stop { STOP_EOF, STOP_END, STOP_ELSE, STOP_ELSE_IF };

static void where(const struct parser *p, size_t pos, int *line, int *col)
{
	size_t start = 0;

	*line = 1;
	for (size_t i = 0; i < pos; i++)
		if (p->s[i] == '\n')
			(*line)++, start = i + 1;
	*col = (int)(pos - start);
}

static int fail_at(struct parser *p, size_t pos, const char *what)
{
	int line, col;

	where(p, pos, &line, &col);
	return scute_err_set(p->err, EINVAL, "template: %d:%d: %s", line, col, what);
}

static bool space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool ident_char(char c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || (unsigned char)c >= 0x80;
}

static void *grow(void *arr, size_t n, size_t size)
{
	/* Arrays grow one element at a time: templates are short. */
	return realloc(arr, (n + 1) * size);
}

static void free_pipe(struct tpl_pipe *pp);

static void free_arg(struct tpl_arg *a)
{
	free(a->var);
	for (size_t i = 0; i < a->n_names; i++)
		free(a->names[i]);
	free(a->names);
	free(a->text);
	free_pipe(a->pipe);
}

static void free_pipe(struct tpl_pipe *pp)
{
	if (!pp)
		return;
	for (size_t i = 0; i < pp->n_decl; i++)
		free(pp->decl[i]);
	for (size_t i = 0; i < pp->n_cmds; i++) {
		for (size_t j = 0; j < pp->cmds[i].n_args; j++)
			free_arg(&pp->cmds[i].args[j]);
		free(pp->cmds[i].args);
	}
	free(pp->cmds);
	free(pp->source);
	free(pp);
}

void tpl_free(struct tpl_list *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++) {
		free(t->nodes[i].text);
		free_pipe(t->nodes[i].pipe);
		tpl_free(t->nodes[i].list);
		tpl_free(t->nodes[i].else_list);
	}
	free(t->nodes);
	free(t);
}

static int nomem(struct parser *p)
{
	return scute_err_set(p->err, ENOMEM, "template: out of memory");
}

/* Spaces inside an action; false at a "-}}" that closes it. */
static void skip_space(struct parser *p)
{
	while (space(p->s[p->pos]))
		p->pos++;
}

/* At the end of the action: "}}", or " -}}" (spaces already skipped, so a
 * '-' right after a space). Consumes it. */
static bool action_end(struct parser *p)
{
	if (p->s[p->pos] == '}' && p->s[p->pos + 1] == '}') {
		p->pos += 2;
		return true;
	}
	if (p->pos > 0 && space(p->s[p->pos - 1]) && strncmp(p->s + p->pos, "-}}", 3) == 0) {
		p->pos += 3;
		p->trim_next = true;
		return true;
	}
	return false;
}

static bool at_action_end(const struct parser *p)
{
	const char *c = p->s + p->pos;

	return (c[0] == '}' && c[1] == '}') ||
	       (p->pos > 0 && space(c[-1]) && strncmp(c, "-}}", 3) == 0);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static size_t put_utf8(char *o, unsigned long cp)
{
	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = 0xfffd;
	if (cp < 0x80)
		return o[0] = (char)cp, 1;
	if (cp < 0x800)
		return o[0] = (char)(0xc0 | (cp >> 6)), o[1] = (char)(0x80 | (cp & 0x3f)), 2;
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* One escape after the backslash of a quoted string (Go's strconv.Unquote). */
static int unescape(struct parser *p, char *o, size_t *n)
{
	static const char simple[] = "a\ab\bf\fn\nr\rt\tv\v\\\\\"\"";
	char c = p->s[p->pos++];
	int digits = c == 'x' ? 2 : c == 'u' ? 4 : c == 'U' ? 8 : 0;
	unsigned long cp = 0;

	for (size_t i = 0; simple[i]; i += 2)
		if (c == simple[i])
			return o[(*n)++] = simple[i + 1], 0;
	if (c >= '0' && c <= '7') {
		for (int i = 0; i < 2; i++, p->pos++)
			if (p->s[p->pos] < '0' || p->s[p->pos] > '7')
				return fail_at(p, p->pos, "invalid syntax in quoted string");
		cp = (unsigned long)(c - '0') * 64 + (unsigned long)(p->s[p->pos - 2] - '0') * 8 +
		     (unsigned long)(p->s[p->pos - 1] - '0');
		if (cp > 255)
			return fail_at(p, p->pos, "invalid syntax in quoted string");
		return o[(*n)++] = (char)cp, 0;
	}
	if (!digits)
		return fail_at(p, p->pos - 1, "invalid syntax in quoted string");
	for (int i = 0; i < digits; i++) {
		int h = hexval(p->s[p->pos]);

		if (h < 0)
			return fail_at(p, p->pos, "invalid syntax in quoted string");
		cp = cp * 16 + (unsigned long)h;
		p->pos++;
	}
	if (c == 'x')
		o[(*n)++] = (char)cp;
	else
		*n += put_utf8(o + *n, cp);
	return 0;
}

static int parse_string(struct parser *p, struct tpl_arg *a)
{
	char q = p->s[p->pos++];
	size_t start = p->pos, n = 0;
	char *o;

	while (p->s[p->pos] && p->s[p->pos] != q) {
		if (q == '"' &&
		    (p->s[p->pos] == '\n' || (p->s[p->pos] == '\\' && !p->s[p->pos + 1])))
			break;
		p->pos += p->s[p->pos] == '\\' && q == '"' ? 2 : 1;
	}
	if (p->s[p->pos] != q)
		return fail_at(p, start - 1,
			       q == '"' ? "unterminated quoted string"
					: "unterminated raw quoted string");
	/* Escapes never make a string longer than its source. */
	o = malloc(p->pos - start + 1);
	if (!o)
		return nomem(p);
	a->text = o;
	for (size_t end = p->pos, i = (p->pos = start); p->pos < end; i = p->pos) {
		if (q == '"' && p->s[i] == '\\') {
			p->pos++;
			if (unescape(p, o, &n) < 0)
				return -1;
		} else {
			o[n++] = p->s[p->pos++];
		}
	}
	o[n] = '\0';
	a->len = n;
	a->kind = ARG_STRING;
	p->pos++;
	return 0;
}

static int parse_number(struct parser *p, struct tpl_arg *a)
{
	size_t start = p->pos;
	char *end;
	char tok[64];
	size_t n;

	if (p->s[p->pos] == '-' || p->s[p->pos] == '+')
		p->pos++;
	while (ident_char(p->s[p->pos]) || p->s[p->pos] == '.')
		p->pos++;
	n = p->pos - start;
	if (n >= sizeof(tok))
		return fail_at(p, start, "number too long");
	memcpy(tok, p->s + start, n);
	tok[n] = '\0';
	errno = 0;
	a->num = strtoll(tok, &end, 0);
	if (*end || end == tok) {
		char msg[96];

		snprintf(msg, sizeof(msg), "bad number syntax: \"%s\"", tok);
		return fail_at(p, start, msg);
	}
	if (errno == ERANGE) {
		char msg[96];

		snprintf(msg, sizeof(msg), "integer overflow: \"%s\"", tok);
		return fail_at(p, start, msg);
	}
	a->kind = ARG_INT;
	return 0;
}

/* A name after '.' or '$'; NULL (and no error) when there is none. */
static char *parse_name(struct parser *p, size_t *n)
{
	size_t start = p->pos;

	while (ident_char(p->s[p->pos]))
		p->pos++;
	*n = p->pos - start;
	return strndup(p->s + start, *n);
}

/* ".A.B" after whatever the chain is on; at least one name when FIRST. */
static int parse_chain(struct parser *p, struct tpl_arg *a)
{
	while (p->s[p->pos] == '.' && ident_char(p->s[p->pos + 1])) {
		size_t n;
		char **names;

		p->pos++;
		if (a->n_names >= TPL_DEPTH_MAX)
			return fail_at(p, p->pos, "field chain too long");
		names = grow(a->names, a->n_names, sizeof(*names));
		if (!names)
			return nomem(p);
		a->names = names;
		a->names[a->n_names] = parse_name(p, &n);
		if (!a->names[a->n_names])
			return nomem(p);
		a->n_names++;
	}
	return 0;
}

static struct tpl_pipe *parse_pipe(struct parser *p, bool in_parens, bool decl_ok);

static int parse_word(struct parser *p, struct tpl_arg *a)
{
	size_t n;
	char *w = parse_name(p, &n);

	if (!w)
		return nomem(p);
	if (strcmp(w, "true") == 0 || strcmp(w, "false") == 0) {
		a->kind = ARG_BOOL;
		a->num = w[0] == 't';
		free(w);
		return 0;
	}
	if (strcmp(w, "nil") == 0) {
		a->kind = ARG_NIL;
		free(w);
		return 0;
	}
	a->kind = ARG_FUNC;
	a->text = w;
	for (size_t i = 0; i < sizeof(known_funcs) / sizeof(known_funcs[0]); i++)
		if (strcmp(w, known_funcs[i]) == 0)
			return 0;
	char msg[128];

	snprintf(msg, sizeof(msg), "function \"%.60s\" not defined", w);
	return fail_at(p, p->pos - n, msg);
}

static int parse_operand(struct parser *p, struct tpl_arg *a)
{
	char c = p->s[p->pos], c1 = '\0';

	if (c)
		c1 = p->s[p->pos + 1];

	where(p, p->pos, &a->line, &a->col);
	if (c == '"' || c == '`')
		return parse_string(p, a);
	if ((c >= '0' && c <= '9') || ((c == '-' || c == '+') && c1 >= '0' && c1 <= '9'))
		return parse_number(p, a);
	if (c == '.' && !ident_char(c1)) {
		p->pos++;
		a->kind = ARG_DOT;
		return 0;
	}
	if (c == '.') {
		a->kind = ARG_FIELD;
		return parse_chain(p, a);
	}
	if (c == '$') {
		size_t n;
		char *name;

		p->pos++;
		name = parse_name(p, &n);
		if (!name)
			return nomem(p);
		a->var = malloc(n + 2);
		if (!a->var)
			return free(name), nomem(p);
		a->var[0] = '$';
		memcpy(a->var + 1, name, n + 1);
		free(name);
		a->kind = ARG_FIELD;
		return parse_chain(p, a);
	}
	if (c == '(') {
		if (++p->depth > TPL_DEPTH_MAX)
			return fail_at(p, p->pos, "template nested too deeply");
		p->pos++;
		a->kind = ARG_PIPE;
		a->pipe = parse_pipe(p, true, false);
		p->depth--;
		return a->pipe ? 0 : -1;
	}
	if (ident_char(c) && !(c >= '0' && c <= '9'))
		return parse_word(p, a);
	if (!c)
		return fail_at(p, p->pos, "unclosed action");
	char msg[64];

	if ((unsigned char)c < 0x20 || (unsigned char)c >= 0x7f)
		snprintf(msg, sizeof(msg), "unrecognized character in action: U+%04X",
			 (unsigned)(unsigned char)c);
	else
		snprintf(msg, sizeof(msg), "unrecognized character in action: U+%04X '%c'",
			 (unsigned)c, c);
	return fail_at(p, p->pos, msg);
}

/* "$x :=" or "$i, $e :=" at the start of a pipeline. */
static int parse_decl(struct parser *p, struct tpl_pipe *pp)
{
	size_t save = p->pos;

	while (p->s[p->pos] == '$' && pp->n_decl < 2) {
		size_t n;

		p->pos++;
		char *name = parse_name(p, &n);

		if (!name)
			return nomem(p);
		skip_space(p);
		if (p->s[p->pos] != ',' && strncmp(p->s + p->pos, ":=", 2) != 0) {
			free(name);
			break;
		}
		pp->decl[pp->n_decl] = malloc(n + 2);
		if (!pp->decl[pp->n_decl])
			return free(name), nomem(p);
		pp->decl[pp->n_decl][0] = '$';
		memcpy(pp->decl[pp->n_decl++] + 1, name, n + 1);
		free(name);
		if (p->s[p->pos] == ',') {
			p->pos++;
			skip_space(p);
			continue;
		}
		p->pos += 2;
		return 0;
	}
	/* Not a declaration: read it again as operands. */
	for (size_t i = 0; i < pp->n_decl; i++)
		free(pp->decl[i]), pp->decl[i] = NULL;
	pp->n_decl = 0;
	p->pos = save;
	return 0;
}

static int parse_cmd(struct parser *p, struct tpl_cmd *cmd, bool in_parens)
{
	where(p, p->pos, &cmd->line, &cmd->col);
	for (;;) {
		struct tpl_arg *args;

		skip_space(p);
		if (in_parens && at_action_end(p))
			return fail_at(p, p->pos, "unclosed left paren");
		if (!in_parens && p->s[p->pos] == ')')
			return fail_at(p, p->pos, "unexpected right paren");
		if (p->s[p->pos] == '|' || (in_parens && p->s[p->pos] == ')') ||
		    (!in_parens && at_action_end(p)))
			break;
		args = grow(cmd->args, cmd->n_args, sizeof(*args));
		if (!args)
			return nomem(p);
		cmd->args = args;
		memset(&args[cmd->n_args], 0, sizeof(*args));
		if (parse_operand(p, &args[cmd->n_args++]) < 0)
			return -1;
		if (p->s[p->pos] && !space(p->s[p->pos]) && p->s[p->pos] != '|' &&
		    p->s[p->pos] != ')' && !at_action_end(p) && p->s[p->pos] != '(')
			return fail_at(p, p->pos, "unexpected character after operand");
	}
	if (cmd->n_args == 0)
		return fail_at(p, p->pos, "missing value for command");
	return 0;
}

static int check_stages(struct parser *p, struct tpl_pipe *pp)
{
	for (size_t i = 1; i < pp->n_cmds; i++) {
		enum tpl_arg_kind k = pp->cmds[i].args[0].kind;

		if (k != ARG_FUNC && k != ARG_FIELD && k != ARG_PIPE) {
			char msg[64];

			snprintf(msg, sizeof(msg), "non executable command in pipeline stage %zu",
				 i + 1);
			return fail_at(p, p->pos, msg);
		}
	}
	return 0;
}

/* A pipeline up to "}}" (left unconsumed) or, IN_PARENS, up to and
 * including ')'. */
static struct tpl_pipe *parse_pipe(struct parser *p, bool in_parens, bool decl_ok)
{
	struct tpl_pipe *pp = calloc(1, sizeof(*pp));
	size_t start;

	if (!pp)
		return nomem(p), NULL;
	skip_space(p);
	start = p->pos;
	where(p, p->pos, &pp->line, &pp->col);
	if (decl_ok && parse_decl(p, pp) < 0)
		goto fail;
	for (;;) {
		struct tpl_cmd *cmds = grow(pp->cmds, pp->n_cmds, sizeof(*cmds));

		if (!cmds) {
			nomem(p);
			goto fail;
		}
		pp->cmds = cmds;
		memset(&cmds[pp->n_cmds], 0, sizeof(*cmds));
		if (parse_cmd(p, &cmds[pp->n_cmds++], in_parens) < 0)
			goto fail;
		if (p->s[p->pos] != '|')
			break;
		p->pos++;
	}
	if (check_stages(p, pp) < 0)
		goto fail;
	pp->source = strndup(p->s + start, p->pos - start);
	if (!pp->source) {
		nomem(p);
		goto fail;
	}
	while (pp->source[0] && space(pp->source[strlen(pp->source) - 1]))
		pp->source[strlen(pp->source) - 1] = '\0';
	if (in_parens)
		p->pos++; /* the ')' */
	return pp;
fail:
	free_pipe(pp);
	return NULL;
}

static int parse_list(struct parser *p, struct tpl_list **out, enum stop *stop);

static struct tpl_node *add_node(struct parser *p, struct tpl_list *l, enum tpl_node_kind kind)
{
	struct tpl_node *nodes = grow(l->nodes, l->n, sizeof(*nodes));

	if (!nodes)
		return nomem(p), NULL;
	l->nodes = nodes;
	memset(&nodes[l->n], 0, sizeof(*nodes));
	nodes[l->n].kind = kind;
	return &nodes[l->n++];
}

/* Text up to OPEN (a "{{" or the end), trimmed as the markers around it
 * ask; an empty text adds no node. */
static int add_text(struct parser *p, struct tpl_list *l, size_t open, bool trim_left)
{
	size_t start = p->pos, end = open;
	struct tpl_node *n;

	if (p->trim_next)
		while (start < end && space(p->s[start]))
			start++;
	if (trim_left)
		while (end > start && space(p->s[end - 1]))
			end--;
	p->trim_next = false;
	if (end == start)
		return 0;
	n = add_node(p, l, NODE_TEXT);
	if (!n)
		return -1;
	n->text = strndup(p->s + start, end - start);
	n->len = end - start;
	return n->text ? 0 : nomem(p);
}

static int expect_end(struct parser *p, const char *what)
{
	char msg[64];

	skip_space(p);
	if (action_end(p))
		return 0;
	if (!p->s[p->pos])
		return fail_at(p, p->pos, "unclosed action");
	snprintf(msg, sizeof(msg), "unexpected text in {{%s}}", what);
	return fail_at(p, p->pos, msg);
}

/* if/range/with after its keyword: the pipeline, the body, an else (or an
 * else if, which becomes an if alone in the else list and shares the end). */
static int parse_control(struct parser *p, struct tpl_node *n, const char *kw)
{
	size_t at = p->pos;
	enum stop stop = STOP_EOF;

	if (++p->depth > TPL_DEPTH_MAX)
		return fail_at(p, at, "template nested too deeply");
	skip_space(p);
	if (at_action_end(p)) {
		char msg[48];

		snprintf(msg, sizeof(msg), "missing value for %s", kw);
		return fail_at(p, at, msg);
	}
	n->pipe = parse_pipe(p, false, true);
	if (!n->pipe)
		return -1;
	if (n->pipe->n_decl > (n->kind == NODE_RANGE ? 2u : 1u))
		return fail_at(p, at, "too many declarations");
	if (expect_end(p, kw) < 0 || parse_list(p, &n->list, &stop) < 0)
		return -1;
	if (stop == STOP_ELSE_IF && n->kind == NODE_IF) {
		struct tpl_node *sub;

		n->else_list = calloc(1, sizeof(*n->else_list));
		if (!n->else_list)
			return nomem(p);
		sub = add_node(p, n->else_list, NODE_IF);
		if (!sub || parse_control(p, sub, "else if") < 0)
			return -1;
		p->depth--;
		return 0;
	}
	if (stop == STOP_ELSE_IF)
		return fail_at(p, at, "else if outside of an if");
	if (stop == STOP_ELSE && parse_list(p, &n->else_list, &stop) < 0)
		return -1;
	if (stop != STOP_END)
		return fail_at(p, p->pos,
			       stop == STOP_EOF ? "unexpected EOF"
						: "expected end; found {{else}}");
	p->depth--;
	return 0;
}

static bool keyword(struct parser *p, const char *kw)
{
	size_t n = strlen(kw);

	if (strncmp(p->s + p->pos, kw, n) != 0 || ident_char(p->s[p->pos + n]))
		return false;
	p->pos += n;
	return true;
}

static int parse_comment(struct parser *p)
{
	const char *close = strstr(p->s + p->pos + 2, "*/");

	if (!close)
		return fail_at(p, p->pos, "unclosed comment");
	p->pos = (size_t)(close - p->s) + 2;
	if (action_end(p))
		return 0;
	if (p->s[p->pos] == ' ' && strncmp(p->s + p->pos + 1, "-}}", 3) == 0) {
		p->pos += 4;
		p->trim_next = true;
		return 0;
	}
	return fail_at(p, p->pos, "comment ends before closing delimiter");
}

/* One action after its "{{": true in *STOP when it ends the list. */
static int parse_action(struct parser *p, struct tpl_list *l, enum stop *stop)
{
	static const struct {
		const char *kw;
		enum tpl_node_kind kind;
	} controls[] = { { "if", NODE_IF }, { "range", NODE_RANGE }, { "with", NODE_WITH } };
	struct tpl_node *n;

	if (strncmp(p->s + p->pos, "/*", 2) == 0)
		return parse_comment(p);
	skip_space(p);
	if (keyword(p, "end")) {
		*stop = STOP_END;
		return expect_end(p, "end");
	}
	if (keyword(p, "else")) {
		skip_space(p);
		*stop = keyword(p, "if") ? STOP_ELSE_IF : STOP_ELSE;
		return *stop == STOP_ELSE ? expect_end(p, "else") : 0;
	}
	for (size_t i = 0; i < sizeof(controls) / sizeof(controls[0]); i++)
		if (keyword(p, controls[i].kw)) {
			n = add_node(p, l, controls[i].kind);
			return n ? parse_control(p, n, controls[i].kw) : -1;
		}
	n = add_node(p, l, NODE_ACTION);
	if (!n)
		return -1;
	n->pipe = parse_pipe(p, false, true);
	if (!n->pipe)
		return -1;
	return expect_end(p, "action");
}

static int parse_list(struct parser *p, struct tpl_list **out, enum stop *stop)
{
	struct tpl_list *l = calloc(1, sizeof(*l));

	*out = l;
	if (!l)
		return nomem(p);
	for (;;) {
		const char *open = strstr(p->s + p->pos, "{{");
		size_t at = open ? (size_t)(open - p->s) : strlen(p->s);
		bool trim = open && open[2] == '-' && space(open[3]);

		if (add_text(p, l, at, trim) < 0)
			return -1;
		if (!open) {
			p->pos = at;
			*stop = STOP_EOF;
			return 0;
		}
		p->pos = at + (trim ? 4 : 2);
		*stop = STOP_EOF;
		if (parse_action(p, l, stop) < 0)
			return -1;
		if (*stop != STOP_EOF)
			return 0;
	}
}

struct tpl_list *tpl_parse(const char *text, struct scute_err *err)
{
	struct parser p = { .s = text, .err = err };
	struct tpl_list *t = NULL;
	enum stop stop = STOP_EOF;

	if (parse_list(&p, &t, &stop) < 0) {
		tpl_free(t);
		return NULL;
	}
	if (stop != STOP_EOF) {
		tpl_free(t);
		fail_at(&p, p.pos, stop == STOP_END ? "unexpected {{end}}" : "unexpected {{else}}");
		return NULL;
	}
	return t;
}
