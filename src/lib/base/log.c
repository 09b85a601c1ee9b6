#include "log.h"

#include <stdarg.h>
#include <stdio.h>

static scute_log_sink log_sink;
static enum scute_log_level log_max = SCUTE_LOG_WARN;

void scute_log_set_sink(scute_log_sink sink, enum scute_log_level max_level)
{
	log_sink = sink;
	log_max = max_level;
}

void scute_log(enum scute_log_level level, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;

	if (!log_sink || level > log_max)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	log_sink(level, buf);
}
