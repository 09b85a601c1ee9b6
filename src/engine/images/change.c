#include "change.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/cleanup.h"

struct change_ctx {
	json_t *config;
	bool cmd_set; /* a CMD came earlier among the changes */
};

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static const char *skip_space(const char *p)
{
	while (is_space(*p))
		p++;
	return p;
}

/* The next word at *p, its quotes and escapes removed, into *out (NULL at
 * the end). */
static int next_word(const char **p, char **out, struct scute_err *err)
{
	const char *s = skip_space(*p);
	char *w, quote = 0;
	size_t n = 0;

	*out = NULL;
	if (!*s) {
		*p = s;
		return 0;
	}
	w = malloc(strlen(s) + 1);
	if (!w)
		return scute_err_sys(err, "word");
	for (; *s && (quote || !is_space(*s)); s++) {
		if (*s == quote)
			quote = 0;
		else if (!quote && (*s == '"' || *s == '\''))
			quote = *s;
		else if (*s == '\\' && quote != '\'' && s[1])
			w[n++] = *++s;
		else
			w[n++] = *s;
	}
	w[n] = '\0';
	*p = s;
	if (quote) {
		free(w);
		return scute_err_set(err, EINVAL, "a %s quote is not closed",
				     quote == '"' ? "double" : "single");
	}
	*out = w;
	return 0;
}

/* The words of args, joined by single spaces (WORKDIR, USER), into *out
 * (the caller frees it). */
static int words_of(const char *args, char **out, size_t *count, struct scute_err *err)
{
	char *all = malloc(strlen(args) + 1), *w;
	size_t used = 0;

	*count = 0;
	*out = NULL;
	if (!all)
		return scute_err_sys(err, "words");
	for (;;) {
		if (next_word(&args, &w, err) < 0) {
			free(all);
			return -1;
		}
		if (!w)
			break;
		if ((*count)++)
			all[used++] = ' ';
		/* a word is never longer than what is left of args */
		memcpy(all + used, w, strlen(w));
		used += strlen(w);
		free(w);
	}
	all[used] = '\0';
	*out = all;
	return 0;
}

/* ---- CMD, ENTRYPOINT ------------------------------------------------------- */

/* The exec form (a JSON array of strings) or, for anything else, the shell
 * form, as a Dockerfile takes it. */
static json_t *command_of(const char *args)
{
	json_t *v = args[0] == '[' ? json_loads(args, 0, NULL) : NULL;
	json_t *e;
	size_t i;

	if (json_is_array(v)) {
		json_array_foreach(v, i, e) if (!json_is_string(e)) break;
		if (i == json_array_size(v))
			return v;
	}
	json_decref(v);
	return json_pack("[sss]", "/bin/sh", "-c", args);
}

static int set_command(json_t *config, const char *key, const char *args, struct scute_err *err)
{
	if (!args[0])
		return scute_err_set(err, EINVAL, "no command given");
	if (json_object_set_new(config, key, command_of(args)) < 0)
		return scute_err_set(err, ENOMEM, "out of memory");
	return 0;
}

static int do_cmd(struct change_ctx *c, const char *args, struct scute_err *err)
{
	c->cmd_set = true;
	return set_command(c->config, "Cmd", args, err);
}

static int do_entrypoint(struct change_ctx *c, const char *args, struct scute_err *err)
{
	/* docker's builder: a new entrypoint drops the command it came with */
	if (!c->cmd_set)
		json_object_del(c->config, "Cmd");
	return set_command(c->config, "Entrypoint", args, err);
}

/* ---- ENV, LABEL -------------------------------------------------------------- */

typedef int (*pair_fn)(json_t *config, const char *key, const char *value, struct scute_err *err);

static int set_env(json_t *config, const char *key, const char *value, struct scute_err *err)
{
	json_t *env = json_object_get(config, "Env"), *e;
	auto_free char *entry = NULL;
	size_t i, klen = strlen(key);

	if (!json_is_array(env)) {
		env = json_array();
		if (json_object_set_new(config, "Env", env) < 0)
			return scute_err_set(err, ENOMEM, "out of memory");
	}
	if (asprintf(&entry, "%s=%s", key, value) < 0)
		return scute_err_sys(err, "ENV");
	json_array_foreach(env, i, e)
	{
		const char *s = json_string_value(e);

		if (s && !strncmp(s, key, klen) && s[klen] == '=')
			return json_array_set_new(env, i, json_string(entry)) < 0
				       ? scute_err_set(err, ENOMEM, "out of memory")
				       : 0;
	}
	return json_array_append_new(env, json_string(entry)) < 0
		       ? scute_err_set(err, ENOMEM, "out of memory")
		       : 0;
}

static int set_label(json_t *config, const char *key, const char *value, struct scute_err *err)
{
	json_t *labels = json_object_get(config, "Labels");

	if (!json_is_object(labels)) {
		labels = json_object();
		if (json_object_set_new(config, "Labels", labels) < 0)
			return scute_err_set(err, ENOMEM, "out of memory");
	}
	if (json_object_set_new(labels, key, json_string(value)) < 0)
		return scute_err_set(err, ENOMEM, "out of memory");
	return 0;
}

/* The legacy form, KEY VALUE: the rest of the line is the value. */
static int legacy_pair(json_t *config, const char *key, const char *rest, pair_fn fn,
		       struct scute_err *err)
{
	const char *start = skip_space(rest);
	size_t n = strlen(start);
	char *value;
	int rc;

	if (!key[0])
		return scute_err_set(err, EINVAL, "the name is empty");
	while (n > 0 && is_space(start[n - 1]))
		n--;
	if (n == 0)
		return scute_err_set(err, EINVAL, "\"%s\" has no value (KEY=VALUE or KEY VALUE)",
				     key);
	value = strndup(start, n);
	if (!value)
		return scute_err_sys(err, "value");
	rc = fn(config, key, value, err);
	free(value);
	return rc;
}

static int each_pair(json_t *config, const char *args, pair_fn fn, struct scute_err *err)
{
	const char *p = args;
	char *w = NULL;
	int n = 0;

	for (;;) {
		char *eq;
		int rc;

		if (next_word(&p, &w, err) < 0)
			return -1;
		if (!w)
			break;
		eq = strchr(w, '=');
		if (!eq && n == 0) {
			rc = legacy_pair(config, w, p, fn, err);
			p = "";
		} else if (!eq)
			rc = scute_err_set(err, EINVAL, "\"%s\" is not KEY=VALUE", w);
		else if (eq == w)
			rc = scute_err_set(err, EINVAL, "\"%s\": the name is empty", w);
		else {
			*eq = '\0';
			rc = fn(config, w, eq + 1, err);
		}
		free(w);
		if (rc < 0)
			return -1;
		n++;
	}
	return n ? 0 : scute_err_set(err, EINVAL, "no KEY=VALUE given");
}

static int do_env(struct change_ctx *c, const char *args, struct scute_err *err)
{
	return each_pair(c->config, args, set_env, err);
}

static int do_label(struct change_ctx *c, const char *args, struct scute_err *err)
{
	return each_pair(c->config, args, set_label, err);
}

/* ---- WORKDIR, USER ------------------------------------------------------------- */

/* dir below base (when relative), "." and ".." folded, as a clean
 * absolute path. */
static char *join_clean(const char *base, const char *dir)
{
	size_t len = strlen(base) + strlen(dir) + 3, used = 0;
	char *in = malloc(len), *out = malloc(len);
	const char *p;

	if (!in || !out) {
		free(in);
		free(out);
		return NULL;
	}
	snprintf(in, len, "%s/%s", dir[0] == '/' ? "" : base, dir);
	for (p = in; *p;) {
		size_t n = strcspn(p, "/");

		if (n == 2 && !strncmp(p, "..", 2)) {
			while (used > 0 && out[--used] != '/')
				;
		} else if (n && !(n == 1 && *p == '.')) {
			out[used++] = '/';
			memcpy(out + used, p, n);
			used += n;
		}
		p += n + (p[n] == '/');
	}
	free(in);
	if (!used)
		out[used++] = '/';
	out[used] = '\0';
	return out;
}

static int do_workdir(struct change_ctx *c, const char *args, struct scute_err *err)
{
	const char *prev = json_string_value(json_object_get(c->config, "WorkingDir"));
	char *dir, *clean;
	size_t n;
	int rc = 0;

	if (words_of(args, &dir, &n, err) < 0)
		return -1;
	clean = n ? join_clean(prev && prev[0] ? prev : "/", dir) : NULL;
	free(dir);
	if (!n)
		return scute_err_set(err, EINVAL, "no directory given");
	if (!clean || json_object_set_new(c->config, "WorkingDir", json_string(clean)) < 0)
		rc = scute_err_set(err, ENOMEM, "out of memory");
	free(clean);
	return rc;
}

static int do_user(struct change_ctx *c, const char *args, struct scute_err *err)
{
	char *user;
	size_t n;
	int rc = 0;

	if (words_of(args, &user, &n, err) < 0)
		return -1;
	if (n != 1)
		rc = scute_err_set(err, EINVAL, "one user expected (NAME[:GROUP]), %zu given", n);
	else if (json_object_set_new(c->config, "User", json_string(user)) < 0)
		rc = scute_err_set(err, ENOMEM, "out of memory");
	free(user);
	return rc;
}

/* ---- EXPOSE ---------------------------------------------------------------------- */

static int parse_port(const char *s, size_t len, const char *word, long *out, struct scute_err *err)
{
	long v = 0;

	if (len == 0 || len > 5)
		return scute_err_set(err, EINVAL, "\"%s\": not a port number", word);
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return scute_err_set(err, EINVAL, "\"%s\": not a port number", word);
		v = v * 10 + (s[i] - '0');
	}
	if (v < 1 || v > 65535)
		return scute_err_set(err, EINVAL, "\"%s\": port %ld is out of range (1-65535)",
				     word, v);
	*out = v;
	return 0;
}

/* PORT[-PORT][/PROTO] */
static int expose_word(json_t *ports, const char *word, struct scute_err *err)
{
	static const char *const protos[] = { "tcp", "udp", "sctp" };
	const char *slash = strchr(word, '/'), *proto = slash ? slash + 1 : "tcp";
	size_t spec = slash ? (size_t)(slash - word) : strlen(word);
	const char *dash = memchr(word, '-', spec);
	long lo = 0, hi = 0;
	size_t k;

	for (k = 0; k < 3 && strcasecmp(proto, protos[k]); k++)
		;
	if (k == 3)
		return scute_err_set(err, EINVAL, "\"%s\": protocol \"%s\" is not tcp, udp or sctp",
				     word, proto);
	if (parse_port(word, dash ? (size_t)(dash - word) : spec, word, &lo, err) < 0)
		return -1;
	hi = lo;
	if (dash && parse_port(dash + 1, spec - (size_t)(dash + 1 - word), word, &hi, err) < 0)
		return -1;
	if (hi < lo)
		return scute_err_set(err, EINVAL, "\"%s\": the range ends before it starts", word);
	for (long p = lo; p <= hi; p++) {
		char key[16];

		snprintf(key, sizeof(key), "%ld/%s", p, protos[k]);
		if (json_object_set_new(ports, key, json_object()) < 0)
			return scute_err_set(err, ENOMEM, "out of memory");
	}
	return 0;
}

static int do_expose(struct change_ctx *c, const char *args, struct scute_err *err)
{
	json_t *ports = json_object_get(c->config, "ExposedPorts");
	const char *p = args;
	char *w = NULL;
	int n = 0;

	if (!json_is_object(ports)) {
		ports = json_object();
		if (json_object_set_new(c->config, "ExposedPorts", ports) < 0)
			return scute_err_set(err, ENOMEM, "out of memory");
	}
	for (;;) {
		int rc;

		if (next_word(&p, &w, err) < 0)
			return -1;
		if (!w)
			break;
		rc = expose_word(ports, w, err);
		free(w);
		if (rc < 0)
			return -1;
		n++;
	}
	return n ? 0 : scute_err_set(err, EINVAL, "no port given");
}

/* ---- the instructions ------------------------------------------------------------ */

static const struct {
	const char *name;
	int (*apply)(struct change_ctx *c, const char *args, struct scute_err *err);
} instructions[] = {
	{ "CMD", do_cmd },	   { "ENTRYPOINT", do_entrypoint }, { "ENV", do_env },
	{ "EXPOSE", do_expose },   { "LABEL", do_label },	    { "USER", do_user },
	{ "WORKDIR", do_workdir },
};

/* JSON strings are UTF-8: a change that is not is refused whole (its
 * words, cut at ASCII bytes, are UTF-8 when it is). */
static bool is_utf8(const char *s)
{
	json_t *j = json_string(s);

	json_decref(j);
	return j != NULL;
}

static int apply_one(struct change_ctx *c, const char *change, struct scute_err *err)
{
	const char *p = skip_space(change), *args;
	size_t n;

	if (!is_utf8(change))
		return scute_err_set(err, EINVAL, "not UTF-8");
	for (n = 0; p[n] && !is_space(p[n]); n++)
		;
	args = skip_space(p + n);
	for (size_t i = 0; i < sizeof(instructions) / sizeof(instructions[0]); i++)
		if (strlen(instructions[i].name) == n && !strncasecmp(p, instructions[i].name, n))
			return instructions[i].apply(c, args, err);
	if (!n)
		return scute_err_set(err, EINVAL, "no instruction");
	return scute_err_set(err, EINVAL,
			     "unknown instruction: %.*s (one of CMD, ENTRYPOINT, ENV, EXPOSE, "
			     "LABEL, USER, WORKDIR)",
			     (int)(n > 32 ? 32 : n), p);
}

int scute_image_changes_apply(json_t *config, const char *const *changes, size_t n,
			      struct scute_err *err)
{
	struct change_ctx c = { config, false };

	if (!json_is_object(config))
		return scute_err_set(err, EINVAL, "change: the config is not an object");
	for (size_t i = 0; i < n; i++) {
		scute_err_clear(err);
		if (apply_one(&c, changes[i], err) < 0)
			return scute_err_prefix(err, "change \"%.200s\"", changes[i]);
	}
	return 0;
}
