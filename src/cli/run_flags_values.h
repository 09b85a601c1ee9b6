/* The insides of the run/create flag parser (run_flags.c): the state a
 * parse builds up and the value parsers, one per flag or family of flags,
 * in run_flags_values.c (numbers, sizes, durations, policies, files of
 * K=V lines), run_flags_mounts.c (volumes, mounts, tmpfs, devices,
 * ulimits) and run_flags_security.c (capabilities, --security-opt).
 *
 * Every setter takes the flag as the user would name it ("--memory") and
 * its value, and fails with an EINVAL error that names both. */
#ifndef SCUTE_CLI_RUN_FLAGS_VALUES_H
#define SCUTE_CLI_RUN_FLAGS_VALUES_H

#include <stdbool.h>
#include <stdint.h>

#include "run_flags.h"

/* What a parse gathers before it can be written out: values that depend
 * on each other (env files before -e, health flags, memory limits) are
 * kept here and checked once argv is read (cli_rf_finish in run_flags.c). */
struct cli_rf {
	struct cli_run_request *r;
	json_t *env;	  /* -e, in order */
	json_t *file_env; /* --env-file lines, which docker puts before -e */
	json_t *labels;	  /* -l, which win over --label-file */
	json_t *file_labels;
	json_t *targets; /* container paths mounted so far, for duplicates */
	const char *log_driver;
	json_t *log_opts;
	/* the health flags: docker writes a Healthcheck only if one is given */
	const char *health_cmd;
	int64_t health_interval, health_timeout, health_start, health_retries;
	bool health_given, no_healthcheck;
	bool auto_remove;
};

typedef int (*cli_rf_setter)(struct cli_rf *st, const char *flag, const char *v,
			     struct scute_err *err);

/* ---- helpers (run_flags_values.c) ---- */

/* o[key] = v, v stolen; ENOMEM when v is NULL or jansson fails. */
int cli_rf_put(json_t *o, const char *key, json_t *v, struct scute_err *err);
/* v appended to the array o[key], made when missing; v stolen. */
int cli_rf_append(json_t *o, const char *key, json_t *v, struct scute_err *err);
/* o[key][k] = string v, the object made when missing. */
int cli_rf_map_set(json_t *o, const char *key, const char *k, const char *v, struct scute_err *err);
/* Go's strconv.ParseBool: 1 t T TRUE true True, 0 f F FALSE false False. */
int cli_rf_bool(const char *s, bool *out);
/* An absolute path without ".." parts: what a container path must be. */
int cli_rf_abs_path(const char *flag, const char *what, const char *path, struct scute_err *err);
/* Record a container path as mounted; a second mount there is an error. */
int cli_rf_target(struct cli_rf *st, const char *flag, const char *path, struct scute_err *err);
/* "WARNING" text for the CLI to print. */
int cli_rf_warn(struct cli_rf *st, struct scute_err *err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The checks across flags and the defaults, once argv is read
 * (run_flags_check.c). */
int cli_rf_finish(struct cli_rf *st, struct scute_err *err);

/* ---- value setters (run_flags_values.c; K=V lists in run_flags_kv.c) ---- */
int cli_rf_int_field(struct cli_rf *st, const char *flag, const char *v, struct scute_err *err);
int cli_rf_size_field(struct cli_rf *st, const char *flag, const char *v, struct scute_err *err);
int cli_rf_cpus(struct cli_rf *st, const char *flag, const char *v, struct scute_err *err);
int cli_rf_cpuset(struct cli_rf *st, const char *flag, const char *v, struct scute_err *err);
int cli_rf_restart(struct cli_rf *st, const char *flag, const char *v, struct scute_err *err);
int cli_rf_health(struct cli_rf *st, const char *flag, const char *v, struct scute_err *err);
int cli_rf_env(struct cli_rf *st, const char *flag, const char *v, struct scute_err *err);
int cli_rf_env_file(struct cli_rf *st, const char *flag, const char *v, struct scute_err *err);
int cli_rf_label(struct cli_rf *st, const char *flag, const char *v, struct scute_err *err);
int cli_rf_label_file(struct cli_rf *st, const char *flag, const char *v, struct scute_err *err);
int cli_rf_sysctl(struct cli_rf *st, const char *flag, const char *v, struct scute_err *err);
int cli_rf_log_opt(struct cli_rf *st, const char *flag, const char *v, struct scute_err *err);
int cli_rf_stop_signal(struct cli_rf *st, const char *flag, const char *v, struct scute_err *err);
/* Go's time.ParseDuration, in nanoseconds ("1m30s", "1.5h", "0"). */
int cli_rf_go_duration(const char *s, int64_t *ns);

/* ---- mounts and devices (run_flags_mounts.c, --mount in run_flags_mount.c) ---- */
/* docker's local volume names: [a-zA-Z0-9][a-zA-Z0-9_.-]+ */
bool cli_rf_volume_name(const char *s);
int cli_rf_volume(struct cli_rf *st, const char *flag, const char *v, struct scute_err *err);
int cli_rf_mount(struct cli_rf *st, const char *flag, const char *v, struct scute_err *err);
int cli_rf_tmpfs(struct cli_rf *st, const char *flag, const char *v, struct scute_err *err);
int cli_rf_device(struct cli_rf *st, const char *flag, const char *v, struct scute_err *err);
int cli_rf_cgroup_rule(struct cli_rf *st, const char *flag, const char *v, struct scute_err *err);
int cli_rf_ulimit(struct cli_rf *st, const char *flag, const char *v, struct scute_err *err);

/* ---- capabilities and --security-opt (run_flags_security.c) ---- */
int cli_rf_cap(struct cli_rf *st, const char *flag, const char *v, struct scute_err *err);
int cli_rf_security_opt(struct cli_rf *st, const char *flag, const char *v, struct scute_err *err);

#endif
