/* run/create once argv is read: the fields gathered from several flags
 * (environment, labels, healthcheck, logging, attach), the defaults scute
 * fills in, and the checks docker's CLI and dockerd make across flags. */
#include <errno.h>
#include <string.h>

#include "base/cleanup.h"
#include "run_flags_values.h"

#define MIN_MEMORY ((int64_t)6 * 1024 * 1024) /* dockerd's smallest limit */

static int64_t host_int(const struct cli_rf *st, const char *key)
{
	return json_integer_value(json_object_get(st->r->host_config, key));
}

static const char *host_str(const struct cli_rf *st, const char *key)
{
	return json_string_value(json_object_get(st->r->host_config, key));
}

/* Config.Env (env files first, as docker) and Config.Labels (-l last). */
static int env_and_labels(struct cli_rf *st, struct scute_err *err)
{
	json_t *c = st->r->config;

	if (json_array_extend(st->file_env, st->env) < 0 ||
	    json_object_update(st->file_labels, st->labels) < 0)
		return scute_err_set(err, ENOMEM, "out of memory");
	if (json_array_size(st->file_env) &&
	    cli_rf_put(c, "Env", json_incref(st->file_env), err) < 0)
		return -1;
	if (json_object_size(st->file_labels) &&
	    cli_rf_put(c, "Labels", json_incref(st->file_labels), err) < 0)
		return -1;
	return 0;
}

static int healthcheck(struct cli_rf *st, struct scute_err *err)
{
	static const char *const keys[] = { "Interval", "Timeout", "StartPeriod", "Retries" };
	int64_t vals[] = { st->health_interval, st->health_timeout, st->health_start,
			   st->health_retries };
	json_t *h;

	if (st->no_healthcheck && st->health_given)
		return scute_err_set(err, EINVAL,
				     "--no-healthcheck conflicts with --health-* options");
	if (st->no_healthcheck)
		return cli_rf_put(st->r->config, "Healthcheck",
				  json_pack("{s:[s]}", "Test", "NONE"), err);
	if (!st->health_given)
		return 0;
	h = json_object();
	if (cli_rf_put(st->r->config, "Healthcheck", h, err) < 0)
		return -1;
	if (st->health_cmd &&
	    cli_rf_put(h, "Test", json_pack("[s,s]", "CMD-SHELL", st->health_cmd), err) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (vals[i] && cli_rf_put(h, keys[i], json_integer(vals[i]), err) < 0)
			return -1;
	return 0;
}

/* LogConfig, with json-file's options checked (docker's list). */
static int log_config(struct cli_rf *st, struct scute_err *err)
{
	static const char *const known[] = { "max-size",     "max-file", "compress",  "labels",
					     "labels-regex", "env",	 "env-regex", "tag" };
	const char *k;
	json_t *v;

	if (!strcmp(st->log_driver, "none") && json_object_size(st->log_opts))
		return scute_err_set(err, EINVAL,
				     "--log-opt: the none log driver takes no options");
	json_object_foreach(st->log_opts, k, v)
	{
		const char *s = json_string_value(v);
		bool ok = false, b;
		int64_t n;
		struct scute_err ignored;

		for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
			ok |= !strcmp(k, known[i]);
		if (!ok)
			return scute_err_set(
				err, EINVAL,
				"--log-opt: unknown option \"%s\" for the json-file driver", k);
		if ((!strcmp(k, "max-size") && scute_parse_size(s, &n, &ignored) < 0) ||
		    (!strcmp(k, "max-file") &&
		     scute_parse_int(s, 1, INT32_MAX, &n, &ignored) < 0) ||
		    (!strcmp(k, "compress") && cli_rf_bool(s, &b) < 0))
			return scute_err_set(err, EINVAL, "--log-opt: invalid %s \"%s\"", k, s);
	}
	return cli_rf_put(st->r->host_config, "LogConfig",
			  json_pack("{s:s,s:O}", "Type", st->log_driver, "Config", st->log_opts),
			  err);
}

/* dockerd's memory rules (daemon_unix.go, verifyPlatformContainerResources). */
static int memory(struct cli_rf *st, struct scute_err *err)
{
	int64_t mem = host_int(st, "Memory"), swap = host_int(st, "MemorySwap"),
		res = host_int(st, "MemoryReservation");

	if (mem > 0 && mem < MIN_MEMORY)
		return scute_err_set(err, EINVAL, "--memory: the minimum limit is 6MB");
	if (res > 0 && res < MIN_MEMORY)
		return scute_err_set(err, EINVAL, "--memory-reservation: the minimum is 6MB");
	if (swap > 0 && mem == 0)
		return scute_err_set(err, EINVAL, "--memory-swap needs a --memory limit too");
	if (swap > 0 && swap < mem)
		return scute_err_set(err, EINVAL,
				     "--memory-swap: the limit must be at least --memory's "
				     "(memory plus swap)");
	if (mem > 0 && res > mem)
		return scute_err_set(err, EINVAL,
				     "--memory-reservation: must not be above the --memory limit");
	if (json_is_true(json_object_get(st->r->host_config, "OomKillDisable")) && mem == 0 &&
	    cli_rf_warn(st, err,
			"Disabling the OOM killer on containers without setting a "
			"'-m/--memory' limit may be dangerous.") < 0)
		return -1;
	return 0;
}

/* Flags that contradict each other, as docker refuses them. */
static int conflicts(struct cli_rf *st, struct scute_err *err)
{
	json_t *hc = st->r->host_config, *sysctls = json_object_get(hc, "Sysctls");
	const char *net = host_str(st, "NetworkMode"), *ipc = host_str(st, "IpcMode");
	const char *policy =
		json_string_value(json_object_get(json_object_get(hc, "RestartPolicy"), "Name"));
	const char *k;
	json_t *v;

	if (st->auto_remove && policy && strcmp(policy, "no"))
		return scute_err_set(err, EINVAL, "Conflicting options: --restart and --rm");
	if (host_int(st, "NanoCpus") && (host_int(st, "CpuPeriod") || host_int(st, "CpuQuota")))
		return scute_err_set(err, EINVAL,
				     "Conflicting options: --cpus and --cpu-period/--cpu-quota");
	if (host_str(st, "UTSMode") && !strcmp(host_str(st, "UTSMode"), "host") &&
	    json_object_get(st->r->config, "Hostname"))
		return scute_err_set(err, EINVAL, "Conflicting options: --hostname and --uts host");
	json_object_foreach(sysctls, k, v)
	{
		if (net && !strcmp(net, "host") && !strncmp(k, "net.", 4))
			return scute_err_set(err, EINVAL,
					     "--sysctl: %s is not allowed with --network host", k);
		if (ipc && !strcmp(ipc, "host") && strncmp(k, "net.", 4))
			return scute_err_set(err, EINVAL,
					     "--sysctl: %s is not allowed with --ipc host", k);
	}
	return 0;
}

/* What the CLI attaches to, as docker's run and create set it. */
static int attach(struct cli_rf *st, struct scute_err *err)
{
	struct cli_run_request *r = st->r;
	bool in = r->interactive && !r->detach;

	if (cli_rf_put(r->config, "AttachStdin", json_boolean(in), err) < 0 ||
	    cli_rf_put(r->config, "AttachStdout", json_boolean(!r->detach), err) < 0 ||
	    cli_rf_put(r->config, "AttachStderr", json_boolean(!r->detach), err) < 0 ||
	    cli_rf_put(r->config, "Tty", json_boolean(r->tty), err) < 0 ||
	    cli_rf_put(r->config, "OpenStdin", json_boolean(r->interactive), err) < 0 ||
	    cli_rf_put(r->config, "StdinOnce", json_boolean(in), err) < 0)
		return -1;
	return 0;
}

int cli_rf_finish(struct cli_rf *st, struct scute_err *err)
{
	json_t *hc = st->r->host_config;

	if (!json_object_get(hc, "NetworkMode") &&
	    cli_rf_put(hc, "NetworkMode", json_string("none"), err) < 0)
		return -1;
	if (!json_object_get(hc, "RestartPolicy") &&
	    cli_rf_put(hc, "RestartPolicy",
		       json_pack("{s:s,s:i}", "Name", "no", "MaximumRetryCount", 0), err) < 0)
		return -1;
	if (st->auto_remove && cli_rf_put(hc, "AutoRemove", json_true(), err) < 0)
		return -1;
	if (json_is_true(json_object_get(hc, "Privileged")) &&
	    cli_rf_warn(st, err,
			"--privileged gives the container every capability and every host "
			"device, without seccomp, AppArmor, SELinux or Landlock confinement") < 0)
		return -1;
	if (env_and_labels(st, err) < 0 || healthcheck(st, err) < 0 || log_config(st, err) < 0 ||
	    memory(st, err) < 0 || conflicts(st, err) < 0 || attach(st, err) < 0)
		return -1;
	return 0;
}
