/* Dockerfile words for --change (change_words.h): the parser's splitting
 * and the processing of one word as the Dockerfile's shell lexer does it:
 * '…' literal, "…" with \" \$ \\ escapes and variables, a backslash
 * outside quotes taking the next character as it is, $NAME, ${NAME} and
 * ${NAME:-word}, ${NAME-word}, ${NAME:+word}, ${NAME+word}, ${NAME:?msg},
 * ${NAME?msg}. */
#include "change_words.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ${…:-${…}} nesting: each level recurses. */
#define NEST_MAX 16
/* Words of one instruction. */
#define WORDS_MAX 4096

struct sb {
	char *p;
	size_t len, cap;
};

static int sb_add(struct sb *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64;
		char *p;

		while (cap < b->len + n + 1)
			cap *= 2;
		p = realloc(b->p, cap);
		if (!p)
			return -1;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

void change_words_free(struct change_words *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->v[i]);
	free(w->v);
	w->v = NULL;
	w->n = 0;
}

static int push(struct change_words *w, const char *s, size_t n, struct scute_err *err)
{
	char **v;

	if (w->n >= WORDS_MAX)
		return scute_err_set(err, EINVAL, "more than %d words", WORDS_MAX);
	v = realloc(w->v, (w->n + 1) * sizeof(*v));
	if (!v)
		return scute_err_set(err, ENOMEM, "out of memory");
	w->v = v;
	w->v[w->n] = strndup(s, n);
	if (!w->v[w->n])
		return scute_err_set(err, ENOMEM, "out of memory");
	w->n++;
	return 0;
}

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

int change_split_blanks(const char *s, struct change_words *out, struct scute_err *err)
{
	while (*s) {
		size_t n = 0;

		while (blank(*s))
			s++;
		while (s[n] && !blank(s[n]))
			n++;
		if (n && push(out, s, n, err) < 0)
			return -1;
		s += n;
	}
	return 0;
}

int change_split_quoted(const char *s, struct change_words *out, struct scute_err *err)
{
	struct sb w = { 0 };
	bool in_word = false, kept_blank = false;
	char quote = 0;
	int rc = 0;

	for (size_t i = 0;; i++) {
		char c = s[i];

		if (!c || (!quote && blank(c))) {
			/* a word ends; one that held quotes counts even when empty */
			if (in_word && (kept_blank || w.len))
				rc = push(out, w.p ? w.p : "", w.len, err);
			w.len = 0;
			in_word = kept_blank = false;
			if (!c || rc < 0)
				break;
			continue;
		}
		in_word = true;
		if (!quote && (c == '\'' || c == '"')) {
			quote = c;
			kept_blank = true;
		} else if (quote && c == quote) {
			quote = 0;
		} else if (c == '\\' && quote != '\'') {
			/* the escape stays in the word, with what it escapes */
			if (!s[i + 1])
				continue;
			if (sb_add(&w, s + i, 1) < 0)
				goto nomem;
			c = s[++i];
		}
		if (sb_add(&w, &c, 1) < 0)
			goto nomem;
	}
	free(w.p);
	return rc;
nomem:
	free(w.p);
	return scute_err_set(err, ENOMEM, "out of memory");
}

struct lex {
	const char *s;
	size_t pos;
	json_t *env;
	int depth;
	struct scute_err *err;
};

/* Where processed characters go: one word, or words split on blanks. */
struct out {
	bool split, in_word;
	struct sb cur;
	struct change_words *words;
};

static int add_raw(struct lex *l, struct out *o, const char *s, size_t n)
{
	o->in_word = true;
	if (sb_add(&o->cur, s, n) < 0)
		return scute_err_set(l->err, ENOMEM, "out of memory");
	return 0;
}

static int add_char(struct lex *l, struct out *o, char c)
{
	if (!o->split || !blank(c))
		return add_raw(l, o, &c, 1);
	if (o->in_word && o->cur.len && push(o->words, o->cur.p, o->cur.len, l->err) < 0)
		return -1;
	o->cur.len = 0;
	o->in_word = false;
	return 0;
}

static int add_chars(struct lex *l, struct out *o, const char *s, size_t n, bool quoted)
{
	for (size_t i = 0; i < n; i++)
		if ((quoted ? add_raw(l, o, s + i, 1) : add_char(l, o, s[i])) < 0)
			return -1;
	return 0;
}

static const char *lookup(json_t *env, const char *name, size_t n)
{
	size_t i;
	json_t *e;

	json_array_foreach(env, i, e)
	{
		const char *kv = json_string_value(e);

		if (kv && strncmp(kv, name, n) == 0 && kv[n] == '=')
			return kv + n + 1;
	}
	return NULL;
}

static size_t name_len(const char *s)
{
	size_t n = 0;

	if (*s >= '0' && *s <= '9')
		return 1; /* $1: a positional parameter, never set */
	while ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z') ||
	       (s[n] >= '0' && s[n] <= '9') || s[n] == '_')
		n++;
	return n;
}

static int process(struct lex *l, struct out *o, char stop);

/* ${NAME…} after the "${": the value, or the word a modifier picks. */
static int braced(struct lex *l, struct sb *val)
{
	const char *name = l->s + l->pos, *v;
	size_t n = name_len(name);
	bool colon;
	char mod;
	struct out word = { 0 };
	int rc = 0;

	if (n == 0)
		return scute_err_set(l->err, EINVAL, "bad substitution");
	l->pos += n;
	v = lookup(l->env, name, n);
	if (l->s[l->pos] == '}') {
		l->pos++;
		return v && sb_add(val, v, strlen(v)) < 0
			       ? scute_err_set(l->err, ENOMEM, "out of memory")
			       : 0;
	}
	colon = l->s[l->pos] == ':';
	l->pos += colon;
	mod = l->s[l->pos];
	if (mod != '-' && mod != '+' && mod != '?')
		return scute_err_set(l->err, EINVAL,
				     "unsupported modifier in substitution of \"%.*s\"",
				     (int)(n > 40 ? 40 : n), name);
	l->pos++;
	if (++l->depth > NEST_MAX)
		return scute_err_set(l->err, EINVAL, "substitutions nested too deeply");
	if (process(l, &word, '}') < 0)
		goto out;
	l->depth--;
	if (l->s[l->pos] != '}') {
		rc = scute_err_set(l->err, EINVAL, "missing '}' in substitution");
		goto out;
	}
	l->pos++;
	bool set = v && (!colon || *v);

	if (mod == '?' && !set)
		rc = scute_err_set(l->err, EINVAL, "%.*s: %.80s", (int)(n > 40 ? 40 : n), name,
				   word.cur.len ? word.cur.p : "is not allowed to be unset");
	else if ((mod == '-' && !set) || (mod == '+' && set))
		rc = word.cur.len ? sb_add(val, word.cur.p, word.cur.len) : 0;
	else if (mod != '+' && v)
		rc = sb_add(val, v, strlen(v));
	if (rc < 0 && !l->err->msg[0])
		rc = scute_err_set(l->err, ENOMEM, "out of memory");
out:
	free(word.cur.p);
	return rc < 0 || l->err->msg[0] ? -1 : 0;
}

/* After a '$': a variable's value, or the '$' itself before anything
 * that is not a name. */
static int dollar(struct lex *l, struct sb *val)
{
	const char *name = l->s + ++l->pos, *v;
	size_t n;

	if (*name == '{') {
		l->pos++;
		return braced(l, val);
	}
	n = name_len(name);
	if (n == 0)
		return sb_add(val, "$", 1) < 0 ? scute_err_set(l->err, ENOMEM, "out of memory") : 0;
	l->pos += n;
	v = lookup(l->env, name, n);
	return v && sb_add(val, v, strlen(v)) < 0 ? scute_err_set(l->err, ENOMEM, "out of memory")
						  : 0;
}

static int expand(struct lex *l, struct out *o, bool quoted)
{
	struct sb val = { 0 };
	int rc = dollar(l, &val);

	if (rc == 0)
		rc = add_chars(l, o, val.p ? val.p : "", val.len, quoted);
	free(val.p);
	return rc;
}

static int double_quoted(struct lex *l, struct out *o)
{
	for (l->pos++;;) {
		char c = l->s[l->pos];

		if (!c)
			return scute_err_set(l->err, EINVAL,
					     "unexpected end of statement while looking for "
					     "matching double-quote");
		if (c == '"') {
			l->pos++;
			return add_raw(l, o, "", 0);
		}
		if (c == '$') {
			if (expand(l, o, true) < 0)
				return -1;
			continue;
		}
		if (c == '\\' && (l->s[l->pos + 1] == '"' || l->s[l->pos + 1] == '$' ||
				  l->s[l->pos + 1] == '\\'))
			l->pos++;
		if (add_raw(l, o, l->s + l->pos++, 1) < 0)
			return -1;
	}
}

static int process(struct lex *l, struct out *o, char stop)
{
	while (l->s[l->pos] && l->s[l->pos] != stop) {
		const char *c = l->s + l->pos;

		if (*c == '\'') {
			const char *end = strchr(c + 1, '\'');

			if (!end)
				return scute_err_set(
					l->err, EINVAL,
					"unexpected end of statement while looking for "
					"matching single-quote");
			if (add_raw(l, o, c + 1, (size_t)(end - c - 1)) < 0)
				return -1;
			l->pos += (size_t)(end - c) + 1;
		} else if (*c == '"') {
			if (double_quoted(l, o) < 0)
				return -1;
		} else if (*c == '$') {
			if (expand(l, o, false) < 0)
				return -1;
		} else if (*c == '\\') {
			l->pos++;
			if (l->s[l->pos] && add_raw(l, o, l->s + l->pos++, 1) < 0)
				return -1;
		} else {
			if (add_char(l, o, *c) < 0)
				return -1;
			l->pos++;
		}
	}
	return 0;
}

int change_process(const char *word, json_t *env, bool split, struct change_words *out,
		   struct scute_err *err)
{
	struct lex l = { .s = word, .env = json_is_array(env) ? env : NULL, .err = err };
	struct out o = { .split = split, .words = out };
	int rc;

	err->msg[0] = '\0';
	rc = process(&l, &o, '\0');
	if (rc == 0 && (!split || (o.in_word && o.cur.len)))
		rc = push(out, o.cur.p ? o.cur.p : "", o.cur.len, err);
	free(o.cur.p);
	return rc;
}
