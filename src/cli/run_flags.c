/* scute run / scute create: argv read as docker's CLI reads it (pflag with
 * interspersed arguments off: options stop at the image), every flag set
 * into the Config or HostConfig field dockerd 20.10 takes it in, and the
 * checks that span flags made once argv is read. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cleanup.h"
#include "run_flags.h"
#include "run_flags_values.h"

enum rf_kind {
	RF_BOOL,  /* no value; --flag=true|false */
	RF_VALUE, /* a value: the next argument or after '=' */
};

struct rf_flag {
	const char *name; /* long, without "--" */
	char short_name;
	enum rf_kind kind;
	cli_rf_setter set;
	bool run_only; /* -d: docker create has no such flag */
};

static int set_name(struct cli_rf *st, const char *flag, const char *v, struct scute_err *err)
{
	/* docker's container names: an optional '/', then a volume name's characters */
	if (!cli_rf_volume_name(v + (*v == '/')))
		return scute_err_set(
			err, EINVAL,
			"%s: invalid container name \"%s\" ([a-zA-Z0-9][a-zA-Z0-9_.-]+)", flag, v);
	free(st->r->name);
	st->r->name = strdup(v);
	return st->r->name ? 0 : scute_err_set(err, ENOMEM, "out of memory");
}

/* The bools: v is "true" or "false" (checked by the caller). */
static int set_bool(struct cli_rf *st, const char *flag, const char *v, struct scute_err *err)
{
	static const struct {
		const char *flag, *field; /* field in HostConfig */
	} host[] = { { "--rm", NULL },
		     { "--read-only", "ReadonlyRootfs" },
		     { "--init", "Init" },
		     { "--oom-kill-disable", "OomKillDisable" },
		     { "--privileged", "Privileged" } };
	struct cli_run_request *r = st->r;
	bool on = strcmp(v, "true") == 0;

	if (!strcmp(flag, "--detach"))
		r->detach = on;
	else if (!strcmp(flag, "--interactive"))
		r->interactive = on;
	else if (!strcmp(flag, "--tty"))
		r->tty = on;
	else if (!strcmp(flag, "--help"))
		r->help = on;
	else if (!strcmp(flag, "--no-healthcheck"))
		st->no_healthcheck = on;
	if (!strcmp(flag, "--rm"))
		st->auto_remove = on;
	for (size_t i = 0; i < sizeof(host) / sizeof(host[0]); i++)
		if (host[i].field && !strcmp(flag, host[i].flag))
			return cli_rf_put(r->host_config, host[i].field, json_boolean(on), err);
	return 0;
}

/* Strings stored as given: Config or HostConfig field, checked first
 * where the engine could not make sense of them. */
static int set_string(struct cli_rf *st, const char *flag, const char *v, struct scute_err *err)
{
	static const struct {
		const char *flag, *field;
		bool host;
	} fields[] = { { "--user", "User", false },
		       { "--hostname", "Hostname", false },
		       { "--domainname", "Domainname", false },
		       { "--workdir", "WorkingDir", false },
		       { "--uts", "UTSMode", true },
		       { "--cgroupns", "CgroupnsMode", true },
		       { "--ipc", "IpcMode", true },
		       { "--pid", "PidMode", true },
		       { "--log-driver", NULL, true },
		       { "--network", "NetworkMode", true } };
	struct cli_run_request *r = st->r;

	if (!strcmp(flag, "--log-driver")) {
		if (strcmp(v, "json-file") && strcmp(v, "none"))
			return scute_err_set(err, EINVAL,
					     "%s: unknown log driver \"%s\" (json-file or none)",
					     flag, v);
		st->log_driver = v;
		return 0;
	}
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (!strcmp(flag, fields[i].flag))
			return cli_rf_put(fields[i].host ? r->host_config : r->config,
					  fields[i].field, json_string(v), err);
	return scute_err_set(err, EINVAL, "%s: no field for it", flag);
}

/* The namespace modes and the network, with docker's vocabulary. */
static int set_mode(struct cli_rf *st, const char *flag, const char *v, struct scute_err *err)
{
	bool ok = false;

	if (!strcmp(flag, "--ipc"))
		ok = !*v || !strcmp(v, "none") || !strcmp(v, "private") ||
		     !strcmp(v, "shareable") || !strcmp(v, "host") ||
		     (!strncmp(v, "container:", 10) && v[10]);
	else if (!strcmp(flag, "--pid"))
		ok = !*v || !strcmp(v, "host") || (!strncmp(v, "container:", 10) && v[10]);
	else if (!strcmp(flag, "--uts"))
		ok = !*v || !strcmp(v, "host");
	else if (!strcmp(flag, "--cgroupns"))
		ok = !strcmp(v, "host") || !strcmp(v, "private");
	if (!strcmp(flag, "--network")) {
		if (strcmp(v, "none") && strcmp(v, "host"))
			return scute_err_set(err, EINVAL,
					     "%s: \"%s\": bridge networks are not available yet "
					     "(none or host)",
					     flag, v);
		ok = true;
	}
	if (!ok)
		return scute_err_set(err, EINVAL, "%s: invalid mode \"%s\"", flag, v);
	if (!strcmp(flag, "--cgroupns") && !strcmp(v, "host") &&
	    cli_rf_warn(st, err,
			"--cgroupns host shares the host's cgroup namespace: the container "
			"sees the host's whole cgroup tree") < 0)
		return -1;
	return set_string(st, flag, v, err);
}

static int set_entrypoint(struct cli_rf *st, const char *flag, const char *v, struct scute_err *err)
{
	/* docker: "" resets the image's entrypoint, which the engine reads from [""] */
	(void)flag;
	return cli_rf_put(st->r->config, "Entrypoint", json_pack("[s]", v), err);
}

static int set_workdir(struct cli_rf *st, const char *flag, const char *v, struct scute_err *err)
{
	if (cli_rf_abs_path(flag, "working directory", v, err) < 0)
		return -1;
	return set_string(st, flag, v, err);
}

static int set_hostname(struct cli_rf *st, const char *flag, const char *v, struct scute_err *err)
{
	/* RFC 1123 labels, within the kernel's HOST_NAME_MAX (64) */
	size_t n = strlen(v), label = 0;
	bool ok = n > 0 && n <= 64;

	for (size_t i = 0; ok && i <= n; i++) {
		char c = v[i];
		if (c == '.' || c == '\0') {
			ok = label > 0 && v[i - 1] != '-';
			label = 0;
		} else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			   (c >= '0' && c <= '9') || (c == '-' && label > 0)) {
			label++;
		} else {
			ok = false;
		}
	}
	if (!ok)
		return scute_err_set(err, EINVAL, "%s: invalid %s \"%s\"", flag,
				     strcmp(flag, "--hostname") ? "domain name" : "hostname", v);
	return set_string(st, flag, v, err);
}

static int set_group_add(struct cli_rf *st, const char *flag, const char *v, struct scute_err *err)
{
	if (!*v || strchr(v, ':') || strchr(v, ' '))
		return scute_err_set(err, EINVAL, "%s: invalid group \"%s\"", flag, v);
	return cli_rf_append(st->r->host_config, "GroupAdd", json_string(v), err);
}

static const struct rf_flag flags[] = {
	{ "name", 0, RF_VALUE, set_name, false },
	{ "detach", 'd', RF_BOOL, set_bool, true },
	{ "interactive", 'i', RF_BOOL, set_bool, false },
	{ "tty", 't', RF_BOOL, set_bool, false },
	{ "help", 0, RF_BOOL, set_bool, false },
	{ "rm", 0, RF_BOOL, set_bool, false },
	{ "read-only", 0, RF_BOOL, set_bool, false },
	{ "init", 0, RF_BOOL, set_bool, false },
	{ "oom-kill-disable", 0, RF_BOOL, set_bool, false },
	{ "privileged", 0, RF_BOOL, set_bool, false },
	{ "no-healthcheck", 0, RF_BOOL, set_bool, false },
	{ "env", 'e', RF_VALUE, cli_rf_env, false },
	{ "env-file", 0, RF_VALUE, cli_rf_env_file, false },
	{ "user", 'u', RF_VALUE, set_string, false },
	{ "workdir", 'w', RF_VALUE, set_workdir, false },
	{ "entrypoint", 0, RF_VALUE, set_entrypoint, false },
	{ "hostname", 'h', RF_VALUE, set_hostname, false },
	{ "domainname", 0, RF_VALUE, set_hostname, false },
	{ "label", 'l', RF_VALUE, cli_rf_label, false },
	{ "label-file", 0, RF_VALUE, cli_rf_label_file, false },
	{ "volume", 'v', RF_VALUE, cli_rf_volume, false },
	{ "mount", 0, RF_VALUE, cli_rf_mount, false },
	{ "tmpfs", 0, RF_VALUE, cli_rf_tmpfs, false },
	{ "cpus", 0, RF_VALUE, cli_rf_cpus, false },
	{ "cpu-shares", 'c', RF_VALUE, cli_rf_int_field, false },
	{ "cpu-quota", 0, RF_VALUE, cli_rf_int_field, false },
	{ "cpu-period", 0, RF_VALUE, cli_rf_int_field, false },
	{ "cpuset-cpus", 0, RF_VALUE, cli_rf_cpuset, false },
	{ "cpuset-mems", 0, RF_VALUE, cli_rf_cpuset, false },
	{ "memory", 'm', RF_VALUE, cli_rf_size_field, false },
	{ "memory-swap", 0, RF_VALUE, cli_rf_size_field, false },
	{ "memory-reservation", 0, RF_VALUE, cli_rf_size_field, false },
	{ "shm-size", 0, RF_VALUE, cli_rf_size_field, false },
	{ "oom-score-adj", 0, RF_VALUE, cli_rf_int_field, false },
	{ "pids-limit", 0, RF_VALUE, cli_rf_int_field, false },
	{ "blkio-weight", 0, RF_VALUE, cli_rf_int_field, false },
	{ "stop-timeout", 0, RF_VALUE, cli_rf_int_field, false },
	{ "ulimit", 0, RF_VALUE, cli_rf_ulimit, false },
	{ "device", 0, RF_VALUE, cli_rf_device, false },
	{ "device-cgroup-rule", 0, RF_VALUE, cli_rf_cgroup_rule, false },
	{ "cap-add", 0, RF_VALUE, cli_rf_cap, false },
	{ "cap-drop", 0, RF_VALUE, cli_rf_cap, false },
	{ "security-opt", 0, RF_VALUE, cli_rf_security_opt, false },
	{ "sysctl", 0, RF_VALUE, cli_rf_sysctl, false },
	{ "group-add", 0, RF_VALUE, set_group_add, false },
	{ "ipc", 0, RF_VALUE, set_mode, false },
	{ "pid", 0, RF_VALUE, set_mode, false },
	{ "uts", 0, RF_VALUE, set_mode, false },
	{ "cgroupns", 0, RF_VALUE, set_mode, false },
	{ "network", 0, RF_VALUE, set_mode, false },
	{ "net", 0, RF_VALUE, set_mode, false },
	{ "stop-signal", 0, RF_VALUE, cli_rf_stop_signal, false },
	{ "restart", 0, RF_VALUE, cli_rf_restart, false },
	{ "health-cmd", 0, RF_VALUE, cli_rf_health, false },
	{ "health-interval", 0, RF_VALUE, cli_rf_health, false },
	{ "health-timeout", 0, RF_VALUE, cli_rf_health, false },
	{ "health-start-period", 0, RF_VALUE, cli_rf_health, false },
	{ "health-retries", 0, RF_VALUE, cli_rf_health, false },
	{ "log-driver", 0, RF_VALUE, set_string, false },
	{ "log-opt", 0, RF_VALUE, cli_rf_log_opt, false },
};

static const struct rf_flag *find_long(const char *name, size_t n, bool run)
{
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (strlen(flags[i].name) == n && !strncmp(flags[i].name, name, n) &&
		    (run || !flags[i].run_only))
			return &flags[i];
	return NULL;
}

static const struct rf_flag *find_short(char c, bool run)
{
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (flags[i].short_name == c && (run || !flags[i].run_only))
			return &flags[i];
	return NULL;
}

/* Run the flag's setter under its canonical name ("--net" is "--network"). */
static int apply(struct cli_rf *st, const struct rf_flag *f, const char *v, struct scute_err *err)
{
	char flag[32];
	json_t *utf8;
	bool b;

	snprintf(flag, sizeof(flag), "--%s", strcmp(f->name, "net") ? f->name : "network");
	/* every value ends up in JSON, which holds UTF-8 only */
	if (v && !(utf8 = json_string(v)))
		return scute_err_set(err, EINVAL, "%s: the value is not valid UTF-8", flag);
	if (v)
		json_decref(utf8);
	if (f->kind == RF_BOOL) {
		if (!v)
			v = "true";
		else if (cli_rf_bool(v, &b) < 0)
			return scute_err_set(err, EINVAL, "%s: invalid boolean \"%s\"", flag, v);
		else
			v = b ? "true" : "false";
	}
	return f->set(st, flag, v, err);
}

/* argv[*i] is "--NAME" or "--NAME=VALUE"; a value may be the next argument. */
static int long_flag(struct cli_rf *st, int argc, char **argv, int *i, bool run,
		     struct scute_err *err)
{
	const char *name = argv[*i] + 2, *eq = strchr(name, '=');
	size_t n = eq ? (size_t)(eq - name) : strlen(name);
	const struct rf_flag *f = find_long(name, n, run);

	if (!f)
		return scute_err_set(err, EINVAL, "unknown flag: --%.*s", (int)n, name);
	if (eq || f->kind == RF_BOOL)
		return apply(st, f, eq ? eq + 1 : NULL, err);
	if (*i + 1 >= argc)
		return scute_err_set(err, EINVAL, "flag needs an argument: --%s", f->name);
	return apply(st, f, argv[++*i], err);
}

/* argv[*i] is "-abc": bools, then perhaps one flag that takes the rest of
 * the argument ("-m512m", "-m=512m") or the next one as its value. */
static int short_flags(struct cli_rf *st, int argc, char **argv, int *i, bool run,
		       struct scute_err *err)
{
	const char *a = argv[*i];

	for (size_t k = 1; a[k]; k++) {
		const struct rf_flag *f = find_short(a[k], run);
		const char *rest = a + k + 1;

		if (!f)
			return scute_err_set(err, EINVAL, "unknown shorthand flag: '%c' in %s",
					     a[k], a);
		if (f->kind == RF_BOOL) {
			if (*rest == '=')
				return apply(st, f, rest + 1, err);
			if (apply(st, f, NULL, err) < 0)
				return -1;
			continue;
		}
		if (*rest)
			return apply(st, f, *rest == '=' ? rest + 1 : rest, err);
		if (*i + 1 >= argc)
			return scute_err_set(err, EINVAL, "flag needs an argument: '%c' in %s",
					     a[k], a);
		return apply(st, f, argv[++*i], err);
	}
	return 0;
}

static int state_init(struct cli_rf *st, struct cli_run_request *r, struct scute_err *err)
{
	memset(st, 0, sizeof(*st));
	st->r = r;
	st->log_driver = "json-file";
	r->config = json_object();
	r->host_config = json_object();
	r->warnings = json_array();
	st->env = json_array();
	st->file_env = json_array();
	st->labels = json_object();
	st->file_labels = json_object();
	st->targets = json_object();
	st->log_opts = json_object();
	if (!r->config || !r->host_config || !r->warnings || !st->env || !st->file_env ||
	    !st->labels || !st->file_labels || !st->targets || !st->log_opts)
		return scute_err_set(err, ENOMEM, "out of memory");
	return 0;
}

static void state_free(struct cli_rf *st)
{
	json_decref(st->env);
	json_decref(st->file_env);
	json_decref(st->labels);
	json_decref(st->file_labels);
	json_decref(st->targets);
	json_decref(st->log_opts);
}

/* The image and the command after it; then the checks across flags. */
static int positionals(struct cli_rf *st, int argc, char **argv, int i, struct scute_err *err)
{
	struct cli_run_request *r = st->r;
	json_t *cmd;

	if (i >= argc)
		return scute_err_set(err, EINVAL, "\"scute %s\" requires at least 1 argument",
				     argv[0]);
	if (!*argv[i])
		return scute_err_set(err, EINVAL, "invalid reference format: the image is empty");
	r->image = strdup(argv[i]);
	if (!r->image)
		return scute_err_set(err, ENOMEM, "out of memory");
	if (cli_rf_put(r->config, "Image", json_string(argv[i]), err) < 0)
		return scute_err_set(err, EINVAL, "the image \"%s\" is not valid UTF-8", argv[i]);
	if (i + 1 < argc) {
		cmd = json_array();
		if (cli_rf_put(r->config, "Cmd", cmd, err) < 0)
			return -1;
		for (int k = i + 1; k < argc; k++)
			if (json_array_append_new(cmd, json_string(argv[k])) < 0)
				return scute_err_set(
					err, EINVAL,
					"argument %d of the command is not valid UTF-8", k - i);
	}
	return cli_rf_finish(st, err);
}

int cli_run_flags_parse(int argc, char **argv, struct cli_run_request *r, struct scute_err *err)
{
	bool run = argc > 0 && !strcmp(argv[0], "run");
	struct cli_rf st;
	int i = 1, rc = 0;

	memset(r, 0, sizeof(*r));
	if (state_init(&st, r, err) < 0)
		goto fail;
	for (; i < argc && rc == 0 && !r->help; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		if (a[0] != '-' || !a[1])
			break;
		rc = a[1] == '-' ? long_flag(&st, argc, argv, &i, run, err)
				 : short_flags(&st, argc, argv, &i, run, err);
	}
	if (rc < 0)
		goto fail;
	if (!r->help && positionals(&st, argc, argv, i, err) < 0)
		goto fail;
	state_free(&st);
	return 0;
fail:
	state_free(&st);
	cli_run_request_free(r);
	return -1;
}

void cli_run_request_free(struct cli_run_request *r)
{
	free(r->name);
	free(r->image);
	json_decref(r->config);
	json_decref(r->host_config);
	json_decref(r->warnings);
	memset(r, 0, sizeof(*r));
}
