/* The one error convention of libscute (see docs/hacking.md).
 *
 * A function that can fail returns a negative value and fills a struct
 * scute_err: the errno that caused it (0 for input errors) and a message that
 * already carries context. Callers add their own context in front with
 * scute_err_prefix() as the error rises. Only main() prints it. */
#ifndef SCUTE_ERROR_H
#define SCUTE_ERROR_H

#include <stdarg.h>

#define SCUTE_ERR_MSG_MAX 1024

struct scute_err {
	int code; /* errno, or 0 when the error is about input */
	char msg[SCUTE_ERR_MSG_MAX];
};

/* Set the error; returns -1 so callers can write `return scute_err_set(...)`. */
int scute_err_set(struct scute_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Set the error from errno: message becomes "<context>: <strerror(errno)>". */
int scute_err_sys(struct scute_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Put "<context>: " in front of the existing message; returns -1. */
int scute_err_prefix(struct scute_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void scute_err_clear(struct scute_err *err);

#endif
