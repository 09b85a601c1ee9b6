/* run/create flag values: numbers and sizes with dockerd's ranges, --cpus,
 * Go durations, the restart policy, the health flags, environment and
 * label lists (and their files), sysctls and log options. */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cleanup.h"
#include "run_flags_values.h"

int cli_rf_put(json_t *o, const char *key, json_t *v, struct scute_err *err)
{
	if (!v || json_object_set_new(o, key, v) < 0)
		return scute_err_set(err, ENOMEM, "out of memory");
	return 0;
}

int cli_rf_append(json_t *o, const char *key, json_t *v, struct scute_err *err)
{
	json_t *a = json_object_get(o, key);

	if (!a) {
		a = json_array();
		if (cli_rf_put(o, key, a, err) < 0) {
			json_decref(v);
			return -1;
		}
	}
	if (!v || json_array_append_new(a, v) < 0)
		return scute_err_set(err, ENOMEM, "out of memory");
	return 0;
}

int cli_rf_map_set(json_t *o, const char *key, const char *k, const char *v, struct scute_err *err)
{
	json_t *m = json_object_get(o, key);

	if (!m) {
		m = json_object();
		if (cli_rf_put(o, key, m, err) < 0)
			return -1;
	}
	return cli_rf_put(m, k, json_string(v), err);
}

int cli_rf_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "1", "t", "T", "TRUE", "true", "True" };
	static const char *const no[] = { "0", "f", "F", "FALSE", "false", "False" };

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (!strcmp(s, yes[i]))
			return *out = true, 0;
		if (!strcmp(s, no[i]))
			return *out = false, 0;
	}
	return -1;
}

int cli_rf_abs_path(const char *flag, const char *what, const char *path, struct scute_err *err)
{
	if (path[0] != '/')
		return scute_err_set(err, EINVAL, "%s: %s \"%s\" is not an absolute path", flag,
				     what, path);
	for (const char *p = path; (p = strstr(p, "..")); p += 2)
		if (p[-1] == '/' && (p[2] == '/' || !p[2]))
			return scute_err_set(err, EINVAL, "%s: %s \"%s\" has a \"..\" part", flag,
					     what, path);
	return 0;
}

int cli_rf_target(struct cli_rf *st, const char *flag, const char *path, struct scute_err *err)
{
	char clean[4096];
	size_t n = strlen(path);

	/* "/data" and "/data/" are one mount point */
	while (n > 1 && path[n - 1] == '/')
		n--;
	if (n >= sizeof(clean))
		return scute_err_set(err, EINVAL, "%s: path \"%s\" is too long", flag, path);
	if (n == 1)
		return scute_err_set(err, EINVAL, "%s: \"%s\": cannot mount over /", flag, path);
	memcpy(clean, path, n);
	clean[n] = '\0';
	if (json_object_get(st->targets, clean))
		return scute_err_set(err, EINVAL, "%s: duplicate mount point %s", flag, clean);
	return cli_rf_put(st->targets, clean, json_true(), err);
}

int cli_rf_warn(struct cli_rf *st, struct scute_err *err, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	/* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized) va_start is right above */
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (json_array_append_new(st->r->warnings, json_string(msg)) < 0)
		return scute_err_set(err, ENOMEM, "out of memory");
	return 0;
}

/* ---- integers and sizes: dockerd's ranges (daemon_unix.go) ---- */

static const struct {
	const char *flag, *field;
	int64_t min, max;
	bool config;
} int_fields[] = {
	/* 0 leaves the kernel's default; the kernel takes 2..262144 */
	{ "--cpu-shares", "CpuShares", 0, 262144, false },
	{ "--cpu-quota", "CpuQuota", -1, INT64_MAX, false },
	{ "--cpu-period", "CpuPeriod", 0, 1000000, false },
	{ "--oom-score-adj", "OomScoreAdj", -1000, 1000, false },
	{ "--pids-limit", "PidsLimit", -1, INT64_MAX, false },
	{ "--blkio-weight", "BlkioWeight", 0, 1000, false },
	{ "--stop-timeout", "StopTimeout", -1, INT32_MAX, true },
};

int cli_rf_int_field(struct cli_rf *st, const char *flag, const char *v, struct scute_err *err)
{
	int64_t n;

	for (size_t i = 0; i < sizeof(int_fields) / sizeof(int_fields[0]); i++) {
		if (strcmp(flag, int_fields[i].flag))
			continue;
		if (scute_parse_int(v, int_fields[i].min, int_fields[i].max, &n, err) < 0)
			return scute_err_prefix(err, "%s", flag);
		/* dockerd's lower bounds past 0 (a 0 means "not set") */
		if ((!strcmp(flag, "--cpu-shares") && n == 1) ||
		    (!strcmp(flag, "--cpu-quota") && n > 0 && n < 1000) ||
		    (!strcmp(flag, "--cpu-period") && n > 0 && n < 1000) ||
		    (!strcmp(flag, "--blkio-weight") && n > 0 && n < 10))
			return scute_err_set(err, EINVAL, "%s: %s is below the minimum (%s)", flag,
					     v,
					     flag[2] == 'b'   ? "10"
					     : flag[6] == 's' ? "2"
							      : "1000, i.e. 1ms");
		return cli_rf_put(int_fields[i].config ? st->r->config : st->r->host_config,
				  int_fields[i].field, json_integer(n), err);
	}
	return scute_err_set(err, EINVAL, "%s: no field for it", flag);
}

int cli_rf_size_field(struct cli_rf *st, const char *flag, const char *v, struct scute_err *err)
{
	static const struct {
		const char *flag, *field;
	} fields[] = { { "--memory", "Memory" },
		       { "--memory-swap", "MemorySwap" },
		       { "--memory-reservation", "MemoryReservation" },
		       { "--shm-size", "ShmSize" } };
	struct scute_err ignored;
	int64_t n;

	/* -1 (unlimited) only for swap, as docker's MemSwapBytes */
	if (scute_parse_size(v, &n, &ignored) < 0 || (n < 0 && strcmp(flag, "--memory-swap")))
		return scute_err_set(err, EINVAL, "%s: invalid size \"%s\" (like 4096, 512m or 1g)",
				     flag, v);
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (!strcmp(flag, fields[i].flag))
			return cli_rf_put(st->r->host_config, fields[i].field, json_integer(n),
					  err);
	return scute_err_set(err, EINVAL, "%s: no field for it", flag);
}

/* --cpus: a decimal number of CPUs, in billionths (NanoCpus); 0 unsets. */
int cli_rf_cpus(struct cli_rf *st, const char *flag, const char *v, struct scute_err *err)
{
	const char *p = v;
	int64_t nano = 0, scale = 1000000000;
	bool any = false;

	for (; *p >= '0' && *p <= '9'; p++, any = true) {
		if (nano > (INT64_MAX / 10 - 9) / scale)
			return scute_err_set(err, EINVAL, "%s: \"%s\" is too large", flag, v);
		nano = nano * 10 + (*p - '0');
	}
	nano *= scale;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++, any = true) {
			scale /= 10;
			if (!scale && *p != '0')
				return scute_err_set(
					err, EINVAL,
					"%s: \"%s\" is too precise (at most 9 decimals)", flag, v);
			nano += scale * (*p - '0');
		}
	if (!any || *p)
		return scute_err_set(err, EINVAL, "%s: \"%s\" is not a number of CPUs (like 1.5)",
				     flag, v);
	return cli_rf_put(st->r->host_config, "NanoCpus", json_integer(nano), err);
}

int cli_rf_cpuset(struct cli_rf *st, const char *flag, const char *v, struct scute_err *err)
{
	if (scute_parse_cpu_list(v, err) < 0)
		return scute_err_prefix(err, "%s", flag);
	return cli_rf_put(st->r->host_config,
			  strcmp(flag, "--cpuset-cpus") ? "CpusetMems" : "CpusetCpus",
			  json_string(v), err);
}

/* ---- durations, the restart policy, health ---- */

static int64_t go_unit(const char **p)
{
	static const struct {
		const char *name;
		int64_t ns;
	} units[] = { { "ns", 1 },	    { "us", 1000 },	   { "\u00b5s", 1000 },
		      { "\u03bcs", 1000 },  { "ms", 1000000 },	   { "s", 1000000000 },
		      { "m", 60000000000 }, { "h", 3600000000000 } };

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		size_t n = strlen(units[i].name);
		if (!strncmp(*p, units[i].name, n)) {
			*p += n;
			return units[i].ns;
		}
	}
	return 0;
}

int cli_rf_go_duration(const char *s, int64_t *ns)
{
	const char *p = s + (*s == '-' || *s == '+');
	bool neg = *s == '-';
	__int128 total = 0;

	if (!strcmp(p, "0"))
		return *ns = 0, 0;
	if (!*p)
		return -1;
	while (*p) {
		__int128 whole = 0, frac = 0, den = 1;
		bool any = false;
		int64_t unit;

		for (; *p >= '0' && *p <= '9'; p++, any = true)
			if ((whole = whole * 10 + (*p - '0')) > INT64_MAX)
				return -1;
		if (*p == '.')
			for (p++; *p >= '0' && *p <= '9'; p++, any = true)
				if (den < 1000000000000000000LL)
					frac = frac * 10 + (*p - '0'), den *= 10;
		if (!any || !(unit = go_unit(&p)))
			return -1;
		total += whole * unit + frac * unit / den;
		if (total > INT64_MAX)
			return -1;
	}
	*ns = (int64_t)(neg ? -total : total);
	return 0;
}

int cli_rf_restart(struct cli_rf *st, const char *flag, const char *v, struct scute_err *err)
{
	const char *colon = strchr(v, ':');
	size_t n = colon ? (size_t)(colon - v) : strlen(v);
	static const char *const names[] = { "no", "always", "unless-stopped", "on-failure" };
	int64_t count = 0;
	bool known = false;
	char name[16];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		known |= strlen(names[i]) == n && !strncmp(names[i], v, n);
	if (!known)
		return scute_err_set(
			err, EINVAL,
			"%s: invalid restart policy \"%s\" (no, always, unless-stopped, "
			"on-failure[:N])",
			flag, v);
	snprintf(name, sizeof(name), "%.*s", (int)n, v);
	if (colon && strcmp(name, "on-failure"))
		return scute_err_set(err, EINVAL,
				     "%s: \"%s\": a maximum retry count goes with on-failure only",
				     flag, v);
	if (colon && scute_parse_int(colon + 1, 0, INT32_MAX, &count, err) < 0)
		return scute_err_prefix(err, "%s: maximum retry count", flag);
	return cli_rf_put(
		st->r->host_config, "RestartPolicy",
		json_pack("{s:s,s:I}", "Name", name, "MaximumRetryCount", (json_int_t)count), err);
}

int cli_rf_health(struct cli_rf *st, const char *flag, const char *v, struct scute_err *err)
{
	int64_t *dst = NULL, n;

	st->health_given = true;
	if (!strcmp(flag, "--health-cmd")) {
		st->health_cmd = v;
		return 0;
	}
	if (!strcmp(flag, "--health-retries")) {
		if (scute_parse_int(v, 0, INT32_MAX, &st->health_retries, err) < 0)
			return scute_err_prefix(err, "%s", flag);
		return 0;
	}
	dst = !strcmp(flag, "--health-interval")  ? &st->health_interval
	      : !strcmp(flag, "--health-timeout") ? &st->health_timeout
						  : &st->health_start;
	if (cli_rf_go_duration(v, &n) < 0)
		return scute_err_set(err, EINVAL, "%s: invalid duration \"%s\" (like 30s or 1m30s)",
				     flag, v);
	if (n < 0)
		return scute_err_set(err, EINVAL, "%s: \"%s\" cannot be negative", flag, v);
	/* dockerd: a period under 1ms is refused, 0 takes the image's */
	if (n > 0 && n < 1000000)
		return scute_err_set(err, EINVAL, "%s: \"%s\" is less than 1ms", flag, v);
	*dst = n;
	return 0;
}

int cli_rf_stop_signal(struct cli_rf *st, const char *flag, const char *v, struct scute_err *err)
{
	int sig;

	if (scute_parse_signal(v, &sig, err) < 0)
		return scute_err_prefix(err, "%s", flag);
	return cli_rf_put(st->r->config, "StopSignal", json_string(v), err);
}
