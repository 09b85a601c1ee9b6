#include "error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int scute_err_set(struct scute_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	err->code = code;
	err->program = false;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

int scute_err_sys(struct scute_err *err, const char *fmt, ...)
{
	int saved = errno;
	char ctx[SCUTE_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ctx, sizeof(ctx), fmt, ap);
	va_end(ap);
	err->code = saved;
	err->program = false;
	snprintf(err->msg, sizeof(err->msg), "%s: %s", ctx, strerror(saved));
	errno = saved;
	return -1;
}

int scute_err_prefix(struct scute_err *err, const char *fmt, ...)
{
	char ctx[SCUTE_ERR_MSG_MAX];
	char old[SCUTE_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ctx, sizeof(ctx), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	snprintf(err->msg, sizeof(err->msg), "%s: %s", ctx, old);
	return -1;
}

void scute_err_clear(struct scute_err *err)
{
	err->code = 0;
	err->msg[0] = '\0';
}
