/* run/create flags that are lists of KEY=VALUE: -e and --env-file, -l and
 * --label-file (docker's file format: one pair a line, '#' comments,
 * blank lines, a bare NAME), --sysctl (docker's namespaced set) and
 * --log-opt (json-file's options). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cleanup.h"
#include "run_flags_values.h"

/* -e NAME without a value takes NAME's value from here, as docker does;
 * a NAME not set is left out. */
static int env_entry(json_t *list, const char *flag, const char *v, struct scute_err *err)
{
	const char *eq = strchr(v, '='), *val;
	auto_free char *pair = NULL;

	if (eq == v || !*v)
		return scute_err_set(err, EINVAL, "%s: invalid environment variable \"%s\"", flag,
				     v);
	if (eq)
		return json_array_append_new(list, json_string(v)) < 0
			       ? scute_err_set(err, EINVAL, "%s: \"%s\" is not UTF-8", flag, v)
			       : 0;
	val = getenv(v);
	if (!val)
		return 0;
	if (asprintf(&pair, "%s=%s", v, val) < 0)
		return scute_err_set(err, ENOMEM, "out of memory");
	if (json_array_append_new(list, json_string(pair)) < 0)
		return scute_err_set(err, EINVAL, "%s: the value of %s is not UTF-8", flag, v);
	return 0;
}

int cli_rf_env(struct cli_rf *st, const char *flag, const char *v, struct scute_err *err)
{
	return env_entry(st->env, flag, v, err);
}

static int label_entry(json_t *map, const char *flag, const char *v, struct scute_err *err)
{
	const char *eq = strchr(v, '=');
	size_t n = eq ? (size_t)(eq - v) : strlen(v);
	auto_free char *key = strndup(v, n);
	json_t *val;

	if (!key)
		return scute_err_set(err, ENOMEM, "out of memory");
	if (strspn(key, " \t") == n)
		return scute_err_set(err, EINVAL, "%s: invalid label \"%s\": empty name", flag, v);
	val = json_string(eq ? eq + 1 : "");
	if (!val || json_object_set_new(map, key, val) < 0)
		return scute_err_set(err, EINVAL, "%s: \"%s\" is not UTF-8", flag, v);
	return 0;
}

int cli_rf_label(struct cli_rf *st, const char *flag, const char *v, struct scute_err *err)
{
	return label_entry(st->labels, flag, v, err);
}

/* One line of an env or label file, read as docker reads it: leading
 * space trimmed, comments and blank lines skipped, no space in the name. */
static int kv_line(struct cli_rf *st, bool env, const char *flag, const char *file, size_t lineno,
		   char *line, struct scute_err *err)
{
	size_t n = strlen(line);
	char *eq;

	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	if (lineno == 1 && !strncmp(line, "\xef\xbb\xbf", 3))
		line += 3;
	line += strspn(line, " \t\v\f\r");
	if (!*line || *line == '#')
		return 0;
	eq = strchr(line, '=');
	if (eq == line)
		return scute_err_set(err, EINVAL, "%s: %s line %zu: no variable name", flag, file,
				     lineno);
	if (strcspn(line, " \t\v\f") < (eq ? (size_t)(eq - line) : strlen(line)))
		return scute_err_set(err, EINVAL, "%s: %s line %zu: the name contains whitespace",
				     flag, file, lineno);
	if (env ? env_entry(st->file_env, flag, line, err) < 0
		: label_entry(st->file_labels, flag, line, err) < 0)
		return scute_err_prefix(err, "%s line %zu", file, lineno);
	return 0;
}

static int kv_file(struct cli_rf *st, bool env, const char *flag, const char *file,
		   struct scute_err *err)
{
	auto_fclose FILE *f = fopen(file, "re");
	auto_free char *line = NULL;
	size_t cap = 0, lineno = 0;
	ssize_t n;

	if (!f)
		return scute_err_sys(err, "%s: %s", flag, file);
	while ((n = getline(&line, &cap, f)) >= 0) {
		if (memchr(line, '\0', (size_t)n))
			return scute_err_set(err, EINVAL, "%s: %s line %zu: a NUL byte", flag, file,
					     lineno + 1);
		if (kv_line(st, env, flag, file, ++lineno, line, err) < 0)
			return -1;
	}
	if (ferror(f))
		return scute_err_sys(err, "%s: reading %s", flag, file);
	return 0;
}

int cli_rf_env_file(struct cli_rf *st, const char *flag, const char *v, struct scute_err *err)
{
	return kv_file(st, true, flag, v, err);
}

int cli_rf_label_file(struct cli_rf *st, const char *flag, const char *v, struct scute_err *err)
{
	return kv_file(st, false, flag, v, err);
}

/* The sysctls docker lets a container set: those of the namespaces it
 * has of its own (IPC and network); the host's are refused. */
int cli_rf_sysctl(struct cli_rf *st, const char *flag, const char *v, struct scute_err *err)
{
	static const char *const ipc[] = { "kernel.msgmax", "kernel.msgmnb",
					   "kernel.msgmni", "kernel.sem",
					   "kernel.shmall", "kernel.shmmax",
					   "kernel.shmmni", "kernel.shm_rmid_forced" };
	const char *eq = strchr(v, '=');
	auto_free char *key = eq ? strndup(v, (size_t)(eq - v)) : NULL;
	bool ok = false;

	if (!eq)
		return scute_err_set(err, EINVAL, "%s: \"%s\" is not NAME=VALUE", flag, v);
	if (!key)
		return scute_err_set(err, ENOMEM, "out of memory");
	for (size_t i = 0; i < sizeof(ipc) / sizeof(ipc[0]); i++)
		ok |= !strcmp(key, ipc[i]);
	ok |= (!strncmp(key, "net.", 4) && key[4]) || (!strncmp(key, "fs.mqueue.", 10) && key[10]);
	if (!ok || strstr(key, "..") || strchr(key, '/'))
		return scute_err_set(err, EINVAL,
				     "%s: sysctl \"%s\" is not one a container may set (kernel "
				     "IPC, fs.mqueue.* and net.*)",
				     flag, key);
	return cli_rf_map_set(st->r->host_config, "Sysctls", key, eq + 1, err);
}

int cli_rf_log_opt(struct cli_rf *st, const char *flag, const char *v, struct scute_err *err)
{
	const char *eq = strchr(v, '=');
	auto_free char *key = eq ? strndup(v, (size_t)(eq - v)) : NULL;

	if (!eq || eq == v)
		return scute_err_set(err, EINVAL, "%s: \"%s\" is not KEY=VALUE", flag, v);
	if (!key)
		return scute_err_set(err, ENOMEM, "out of memory");
	/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc) auto_free: cleanup.h */
	return cli_rf_put(st->log_opts, key, json_string(eq + 1), err);
}
