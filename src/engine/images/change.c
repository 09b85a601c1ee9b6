/* `scute import --change` (change.h): each instruction of a change applied
 * to a copy of the image config, the copy kept only when all applied. */
#include "change.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cleanup.h"
#include "change_words.h"

/* What the instructions of one batch share: docker's "a CMD was set". */
struct state {
	json_t *config;
	bool cmd_set;
	struct scute_err *err;
};

typedef int (*instruction_fn)(struct state *st, const char *kw, const char *rest);

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static int nomem(struct state *st)
{
	return scute_err_set(st->err, ENOMEM, "out of memory");
}

/* CONFIG's member NAME of TYPE, made when missing; NULL (an error) when it
 * has another type. */
static json_t *member(struct state *st, const char *name, json_type type)
{
	json_t *v = json_object_get(st->config, name);

	if (v && !json_is_null(v)) {
		if (json_typeof(v) != type)
			scute_err_set(st->err, EINVAL, "the image config's %s is not an %s", name,
				      type == JSON_ARRAY ? "array" : "object");
		return json_typeof(v) == type ? v : NULL;
	}
	v = type == JSON_ARRAY ? json_array() : json_object();
	if (!v || json_object_set_new(st->config, name, v) < 0) {
		nomem(st);
		return NULL;
	}
	return v;
}

/* The config's Env for expansion (NULL when it has none). */
static json_t *env(struct state *st)
{
	json_t *e = json_object_get(st->config, "Env");

	return json_is_array(e) ? e : NULL;
}

/* WORD processed as one Dockerfile word with the config's Env. */
static char *word(struct state *st, const char *w)
{
	struct change_words out = { 0 };
	char *s;

	if (change_process(w, env(st), false, &out, st->err) < 0) {
		change_words_free(&out);
		return NULL;
	}
	s = out.v[0];
	out.v[0] = NULL;
	change_words_free(&out);
	return s;
}

/* The exec form (a JSON array of strings) or, for anything else, the shell
 * form: the config's Shell, or /bin/sh -c, then the text as it is. */
static json_t *command_line(struct state *st, const char *kw, const char *rest)
{
	json_t *arr, *shell, *e;
	size_t i;

	if (!*rest) {
		scute_err_set(st->err, EINVAL, "%s requires at least one argument", kw);
		return NULL;
	}
	if (rest[0] == '[') {
		arr = json_loads(rest, JSON_REJECT_DUPLICATES, NULL);
		bool strings = json_is_array(arr);

		json_array_foreach(arr, i, e) strings &= json_is_string(e);
		if (strings)
			return arr;
		json_decref(arr);
	}
	shell = json_object_get(st->config, "Shell");
	if (json_is_array(shell) && json_array_size(shell) > 0)
		arr = json_deep_copy(shell);
	else
		arr = json_pack("[ss]", "/bin/sh", "-c");
	if (!arr || json_array_append_new(arr, json_string_nocheck(rest)) < 0) {
		json_decref(arr);
		nomem(st);
		return NULL;
	}
	return arr;
}

static int do_cmd(struct state *st, const char *kw, const char *rest)
{
	json_t *cmd = command_line(st, kw, rest);

	if (!cmd || json_object_set_new(st->config, "Cmd", cmd) < 0)
		return -1;
	st->cmd_set = true;
	return 0;
}

static int do_entrypoint(struct state *st, const char *kw, const char *rest)
{
	json_t *ep = command_line(st, kw, rest);

	if (!ep || json_object_set_new(st->config, "Entrypoint", ep) < 0)
		return -1;
	/* docker: a new entrypoint drops the old CMD unless this batch set one */
	if (!st->cmd_set && json_object_set_new(st->config, "Cmd", json_null()) < 0)
		return nomem(st);
	return 0;
}

/* NAME=VALUE pairs (or the legacy "NAME VALUE"), both sides processed with
 * the config's Env as it was before the instruction, as docker does. */
static int pairs(struct state *st, const char *kw, const char *rest, struct change_words *keys,
		 struct change_words *vals)
{
	struct change_words raw = { 0 };
	int rc = -1;

	if (change_split_quoted(rest, &raw, st->err) < 0)
		goto out;
	if (raw.n == 0) {
		scute_err_set(st->err, EINVAL, "%s requires at least one argument", kw);
		goto out;
	}
	if (!strchr(raw.v[0], '=')) {
		size_t n = strcspn(rest, " \t\n\r\v\f");
		const char *v = rest + n;

		while (blank(*v))
			v++;
		if (!*v) {
			scute_err_set(st->err, EINVAL, "%s must have two arguments", kw);
			goto out;
		}
		char *k = strndup(rest, n);

		if (!k) {
			nomem(st);
			goto out;
		}
		rc = change_process(k, env(st), false, keys, st->err);
		free(k);
		if (rc == 0)
			rc = change_process(v, env(st), false, vals, st->err);
		goto out;
	}
	for (size_t i = 0; i < raw.n; i++) {
		char *eq = strchr(raw.v[i], '=');

		if (!eq) {
			scute_err_set(
				st->err, EINVAL,
				"syntax error - can't find = in \"%.80s\". Must be of the form: "
				"name=value",
				raw.v[i]);
			goto out;
		}
		*eq = '\0';
		if (change_process(raw.v[i], env(st), false, keys, st->err) < 0 ||
		    change_process(eq + 1, env(st), false, vals, st->err) < 0)
			goto out;
	}
	rc = 0;
out:
	change_words_free(&raw);
	for (size_t i = 0; rc == 0 && i < keys->n; i++)
		if (!keys->v[i][0])
			rc = scute_err_set(st->err, EINVAL, "%s names can not be blank", kw);
	return rc;
}

static int set_env(struct state *st, json_t *e, const char *k, const char *v)
{
	size_t n = strlen(k), i;
	json_t *item;
	auto_free char *kv = NULL;

	if (asprintf(&kv, "%s=%s", k, v) < 0) {
		kv = NULL;
		return nomem(st);
	}
	json_array_foreach(e, i, item)
	{
		const char *s = json_string_value(item);

		if (s && strncmp(s, k, n) == 0 && s[n] == '=')
			return json_array_set_new(e, i, json_string_nocheck(kv)) < 0 ? nomem(st)
										     : 0;
	}
	return json_array_append_new(e, json_string_nocheck(kv)) < 0 ? nomem(st) : 0;
}

static int do_env(struct state *st, const char *kw, const char *rest)
{
	struct change_words keys = { 0 }, vals = { 0 };
	json_t *e;
	int rc = pairs(st, kw, rest, &keys, &vals);

	if (rc == 0 && !(e = member(st, "Env", JSON_ARRAY)))
		rc = -1;
	for (size_t i = 0; rc == 0 && i < keys.n; i++)
		rc = set_env(st, e, keys.v[i], vals.v[i]);
	change_words_free(&keys);
	change_words_free(&vals);
	return rc;
}

static int do_label(struct state *st, const char *kw, const char *rest)
{
	struct change_words keys = { 0 }, vals = { 0 };
	json_t *labels;
	int rc = pairs(st, kw, rest, &keys, &vals);

	if (rc == 0 && !(labels = member(st, "Labels", JSON_OBJECT)))
		rc = -1;
	for (size_t i = 0; rc == 0 && i < keys.n; i++)
		if (json_object_set_new(labels, keys.v[i], json_string_nocheck(vals.v[i])) < 0)
			rc = nomem(st);
	change_words_free(&keys);
	change_words_free(&vals);
	return rc;
}

/* A port number as nat.ParsePort reads one: decimal, below 65536. */
static int port_number(const char *s, size_t n, unsigned *out)
{
	unsigned v = 0;

	if (n == 0 || n > 5)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (v > 65535)
		return -1;
	*out = v;
	return 0;
}

/* PORT[-END][/PROTO] into EXPOSED, each port of a range a member. */
static int expose_one(struct state *st, json_t *exposed, const char *spec)
{
	const char *slash = strchr(spec, '/'), *dash;
	size_t n = slash ? (size_t)(slash - spec) : strlen(spec);
	const char *proto = slash ? slash + 1 : "tcp";
	unsigned lo, hi;
	char proto_l[8] = "";

	for (size_t i = 0; proto[i]; i++) {
		if (i + 1 >= sizeof(proto_l))
			break;
		proto_l[i] = (char)(proto[i] >= 'A' && proto[i] <= 'Z' ? proto[i] + 32 : proto[i]);
		proto_l[i + 1] = '\0';
	}
	if (strlen(proto) >= sizeof(proto_l) ||
	    (strcmp(proto_l, "tcp") && strcmp(proto_l, "udp") && strcmp(proto_l, "sctp")))
		return scute_err_set(st->err, EINVAL, "invalid protocol \"%.40s\"", proto);
	dash = memchr(spec, '-', n);
	if (port_number(spec, dash ? (size_t)(dash - spec) : n, &lo) < 0 ||
	    (dash && port_number(dash + 1, n - (size_t)(dash - spec) - 1, &hi) < 0))
		return scute_err_set(st->err, EINVAL, "invalid port \"%.*s\"",
				     (int)(n > 40 ? 40 : n), spec);
	if (!dash)
		hi = lo;
	if (hi < lo)
		return scute_err_set(st->err, EINVAL, "invalid port range \"%.*s\"", (int)n, spec);
	for (unsigned p = lo; p <= hi; p++) {
		char key[24];

		if (json_object_size(exposed) >= SCUTE_CHANGE_PORTS_MAX)
			return scute_err_set(st->err, EINVAL, "more than %d exposed ports",
					     SCUTE_CHANGE_PORTS_MAX);
		snprintf(key, sizeof(key), "%u/%s", p, proto_l);
		if (json_object_set_new(exposed, key, json_object()) < 0)
			return nomem(st);
	}
	return 0;
}

static int do_expose(struct state *st, const char *kw, const char *rest)
{
	struct change_words raw = { 0 }, ports = { 0 };
	json_t *exposed;
	int rc = change_split_blanks(rest, &raw, st->err);

	for (size_t i = 0; rc == 0 && i < raw.n; i++)
		rc = change_process(raw.v[i], env(st), true, &ports, st->err);
	if (rc == 0 && ports.n == 0)
		rc = scute_err_set(st->err, EINVAL, "%s requires at least one argument", kw);
	if (rc == 0 && !(exposed = member(st, "ExposedPorts", JSON_OBJECT)))
		rc = -1;
	for (size_t i = 0; rc == 0 && i < ports.n; i++)
		rc = expose_one(st, exposed, ports.v[i]);
	change_words_free(&raw);
	change_words_free(&ports);
	return rc;
}

/* "/" + PATH cleaned as Go's path.Clean does: no empty or "." parts, ".."
 * taking the part before it away, never above the root. */
static char *clean_path(const char *path)
{
	size_t len = strlen(path), n = 0;
	char *o = malloc(len + 2);

	if (!o)
		return NULL;
	for (const char *p = path; *p;) {
		size_t k = strcspn(p, "/");

		if (k == 2 && p[0] == '.' && p[1] == '.') {
			while (n > 0 && o[--n] != '/')
				;
		} else if (k && !(k == 1 && p[0] == '.')) {
			o[n++] = '/';
			memcpy(o + n, p, k);
			n += k;
		}
		p += k;
		while (*p == '/')
			p++;
	}
	if (n == 0)
		o[n++] = '/';
	o[n] = '\0';
	return o;
}

static int one_argument(struct state *st, const char *kw, const char *rest, char **out)
{
	if (!*rest)
		return scute_err_set(st->err, EINVAL, "%s requires exactly one argument", kw);
	*out = word(st, rest);
	return *out ? 0 : -1;
}

static int do_workdir(struct state *st, const char *kw, const char *rest)
{
	auto_free char *dir = NULL, *joined = NULL, *clean = NULL;
	const char *current = json_string_value(json_object_get(st->config, "WorkingDir"));

	if (one_argument(st, kw, rest, &dir) < 0)
		return -1;
	if (!dir[0])
		return scute_err_set(st->err, EINVAL, "cannot normalize nothing");
	/* relative to the WORKDIR before it, as docker's normalizeWorkdir */
	if (asprintf(&joined, "%s/%s", dir[0] == '/' ? "" : current ? current : "", dir) < 0) {
		joined = NULL;
		return nomem(st);
	}
	clean = clean_path(joined);
	if (!clean)
		return nomem(st);
	if (json_object_set_new(st->config, "WorkingDir", json_string_nocheck(clean)) < 0)
		return nomem(st);
	return 0;
}

static int do_user(struct state *st, const char *kw, const char *rest)
{
	auto_free char *user = NULL;

	if (one_argument(st, kw, rest, &user) < 0)
		return -1;
	return json_object_set_new(st->config, "User", json_string_nocheck(user)) < 0 ? nomem(st)
										      : 0;
}

static int do_stopsignal(struct state *st, const char *kw, const char *rest)
{
	auto_free char *sig = NULL;
	int n;

	if (one_argument(st, kw, rest, &sig) < 0 || scute_parse_signal(sig, &n, st->err) < 0)
		return -1;
	return json_object_set_new(st->config, "StopSignal", json_string_nocheck(sig)) < 0
		       ? nomem(st)
		       : 0;
}

static int do_volume(struct state *st, const char *kw, const char *rest)
{
	struct change_words raw = { 0 }, vols = { 0 };
	auto_json json_t *arr = rest[0] == '[' ? json_loads(rest, 0, NULL) : NULL;
	json_t *volumes, *e;
	size_t i;
	int rc = 0;

	json_array_foreach(arr, i,
			   e) if (!json_is_string(e) && (json_decref(arr), arr = NULL, true)) break;
	if (arr) {
		json_array_foreach(arr, i, e) if (rc == 0) rc =
			change_process(json_string_value(e), env(st), false, &vols, st->err);
	} else {
		rc = change_split_blanks(rest, &raw, st->err);
		for (i = 0; rc == 0 && i < raw.n; i++)
			rc = change_process(raw.v[i], env(st), false, &vols, st->err);
	}
	if (rc == 0 && vols.n == 0)
		rc = scute_err_set(st->err, EINVAL, "%s requires at least one argument", kw);
	if (rc == 0 && !(volumes = member(st, "Volumes", JSON_OBJECT)))
		rc = -1;
	for (i = 0; rc == 0 && i < vols.n; i++)
		if (!vols.v[i][0])
			rc = scute_err_set(st->err, EINVAL,
					   "VOLUME specified can not be an empty string");
		else if (json_object_set_new(volumes, vols.v[i], json_object()) < 0)
			rc = nomem(st);
	change_words_free(&raw);
	change_words_free(&vols);
	return rc;
}

static const struct {
	const char *name;
	instruction_fn fn;
} instructions[] = {
	{ "CMD", do_cmd },	 { "ENTRYPOINT", do_entrypoint }, { "ENV", do_env },
	{ "EXPOSE", do_expose }, { "LABEL", do_label },		  { "STOPSIGNAL", do_stopsignal },
	{ "USER", do_user },	 { "VOLUME", do_volume },	  { "WORKDIR", do_workdir },
};

static int instruction(struct state *st, const char *line)
{
	size_t n = strcspn(line, " \t\n\r\v\f");
	const char *rest = line + n;
	auto_free char *args = NULL;
	size_t len;

	while (blank(*rest))
		rest++;
	args = strdup(rest);
	if (!args)
		return nomem(st);
	for (len = strlen(args); len && blank(args[len - 1]);)
		args[--len] = '\0';
	for (size_t i = 0; i < sizeof(instructions) / sizeof(instructions[0]); i++)
		if (strlen(instructions[i].name) == n &&
		    strncasecmp(line, instructions[i].name, n) == 0)
			return instructions[i].fn(st, instructions[i].name, args);
	if ((n == 7 && strncasecmp(line, "ONBUILD", 7) == 0) ||
	    (n == 11 && strncasecmp(line, "HEALTHCHECK", 11) == 0))
		return scute_err_set(st->err, EINVAL, "%.*s is not supported by scute import",
				     (int)n, line);
	return scute_err_set(st->err, EINVAL, "%.*s is not a valid change command",
			     (int)(n > 40 ? 40 : n), line);
}

/* The next instruction of TEXT at *P, as the Dockerfile parser joins
 * lines: comments and blank lines skipped, a trailing backslash continuing
 * the line (leading blanks kept on continuation lines). NULL at the end. */
static char *next_line(const char **p, bool *nomem_out)
{
	char *line = NULL;
	size_t len = 0;
	bool cont = false;

	*nomem_out = false;
	while (**p) {
		const char *s = *p, *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s), start = 0;
		char *grown;

		*p = nl ? nl + 1 : s + n;
		while (start < n && blank(s[start]))
			start++;
		if (start == n || s[start] == '#')
			continue;
		if (cont)
			start = 0;
		while (n > start && blank(s[n - 1]))
			n--;
		cont = n > start && s[n - 1] == '\\';
		if (cont)
			n--;
		grown = realloc(line, len + (n - start) + 1);
		if (!grown) {
			*nomem_out = true;
			free(line);
			return NULL;
		}
		line = grown;
		memcpy(line + len, s + start, n - start);
		len += n - start;
		line[len] = '\0';
		if (!cont)
			break;
	}
	return line;
}

/* The change as an error may show it: at most 80 characters, nothing a
 * terminal would act on. */
static void printable(const char *s, char *out, size_t size)
{
	size_t n = 0;

	for (; *s && n + 4 < size && n < 80; s++)
		out[n++] = (unsigned char)*s < 0x20 || (unsigned char)*s == 0x7f ? '?' : *s;
	if (*s)
		out[n++] = '.', out[n++] = '.', out[n++] = '.';
	out[n] = '\0';
}

static int apply_one(struct state *st, const char *change)
{
	const char *p = change;
	char *line;
	bool oom;

	if (strnlen(change, SCUTE_CHANGE_MAX + 1) > SCUTE_CHANGE_MAX)
		return scute_err_set(st->err, EINVAL, "longer than %d bytes", SCUTE_CHANGE_MAX);
	while ((line = next_line(&p, &oom))) {
		int rc = instruction(st, line);

		free(line);
		if (rc < 0)
			return -1;
	}
	return oom ? nomem(st) : 0;
}

int scute_image_changes_apply(json_t *config, const char *const *changes, size_t n,
			      struct scute_err *err)
{
	auto_json json_t *copy = json_deep_copy(config);
	struct state st = { .config = copy, .err = err };

	if (!json_is_object(config))
		return scute_err_set(err, EINVAL, "--change: the image config is not an object");
	if (!copy)
		return scute_err_set(err, ENOMEM, "--change: out of memory");
	for (size_t i = 0; i < n; i++) {
		char shown[96];

		err->msg[0] = '\0';
		if (apply_one(&st, changes[i]) == 0)
			continue;
		printable(changes[i], shown, sizeof(shown));
		scute_err_prefix(err, "--change \"%s\"", shown);
		for (char *c = err->msg; *c; c++)
			if ((unsigned char)*c < 0x20 || (unsigned char)*c == 0x7f)
				*c = '?';
		return -1;
	}
	/* all or nothing: the config changes only once every change applied */
	json_object_clear(config);
	if (json_object_update(config, copy) < 0)
		return scute_err_set(err, ENOMEM, "--change: out of memory");
	return 0;
}

int scute_image_change_apply(json_t *config, const char *change, struct scute_err *err)
{
	return scute_image_changes_apply(config, &change, 1, err);
}
