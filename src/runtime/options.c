#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "runtime.h"

static struct global_opts *log_opts;
static FILE *log_file;

static const char *level_name(enum scute_log_level l)
{
	static const char *const names[] = { "error", "warning", "info", "debug" };
	return names[l];
}

static void log_line(enum scute_log_level level, const char *msg)
{
	char when[64];
	time_t now = time(NULL);
	struct tm tm;

	if (level == SCUTE_LOG_DEBUG && log_opts && log_opts->debug) {
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		fprintf(stderr, "[%ld.%06ld %d] %s\n", (long)ts.tv_sec, ts.tv_nsec / 1000,
			(int)getpid(), msg);
	} else if (level == SCUTE_LOG_ERROR || (level == SCUTE_LOG_WARN && !log_file)) {
		/* With --log, warnings go to the log only: engines hand the
		 * runtime the container's stdio, so what it prints there
		 * would land in the container's output. */
		fprintf(stderr, "%s%s\n", level == SCUTE_LOG_ERROR ? "scute-runtime: " : "", msg);
	}
	if (!log_file)
		return;
	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (log_opts->log_json) {
		json_t *j = json_pack("{s:s, s:s, s:s}", "level", level_name(level), "msg", msg,
				      "time", when);
		char *text = json_dumps(j, JSON_COMPACT);
		fprintf(log_file, "%s\n", text);
		free(text);
		json_decref(j);
	} else {
		fprintf(log_file, "time=\"%s\" level=%s msg=\"%s\"\n", when, level_name(level),
			msg);
	}
	fflush(log_file);
}

void runtime_log_setup(struct global_opts *g)
{
	log_opts = g;
	if (g->log_path) {
		int fd = open(g->log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
		if (fd >= 0)
			log_file = fdopen(fd, "a");
		if (!log_file)
			fprintf(stderr, "scute-runtime: --log %s: %s\n", g->log_path,
				strerror(errno));
	}
	scute_log_set_sink(log_line, g->debug ? SCUTE_LOG_DEBUG : SCUTE_LOG_WARN);
}

int runtime_fail(const struct scute_err *err)
{
	log_line(SCUTE_LOG_ERROR, err->msg);
	return 1;
}

int runtime_fail_msg(const char *fmt, ...)
{
	struct scute_err err;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err.msg, sizeof(err.msg), fmt, ap);
	va_end(ap);
	return runtime_fail(&err);
}

int runtime_usage(const struct verb *v, int status)
{
	fprintf(status ? stderr : stdout, "usage: scute-runtime [global options] %s %s\n", v->name,
		v->usage);
	return status;
}

int runtime_parse_fd_count(const char *what, const char *s, int *out)
{
	struct scute_err err;
	int64_t n;

	if (scute_parse_int(s, 0, 4096, &n, &err) < 0)
		return scute_err_prefix(&err, "%s", what), runtime_fail(&err);
	*out = (int)n;
	return 0;
}

int runtime_seal_self(struct global_opts *g)
{
	struct scute_err err;

	if (scute_self_reexec_sealed(g->argv0, &err) < 0)
		return runtime_fail(&err);
	return 0;
}
