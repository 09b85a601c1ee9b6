/* Deadlines: the monotonic clock in milliseconds, and waiting for an fd
 * until a deadline on it, in steps that let the caller look at something
 * else (a process's state) while nothing comes. */
#ifndef SCUTE_DEADLINE_H
#define SCUTE_DEADLINE_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"

/* Milliseconds on CLOCK_MONOTONIC: deadlines are this plus a limit. */
int64_t scute_now_ms(void);

/* What scute_wait_readable saw. */
enum scute_wait {
	SCUTE_WAIT_DEADLINE, /* the deadline passed, nothing came */
	SCUTE_WAIT_READABLE, /* the fd is readable (or hung up) */
	SCUTE_WAIT_GAVE_UP,  /* the caller's idle check said to stop */
};

/* Wait until fd is readable or `deadline` (a scute_now_ms() time; 0: none)
 * passes, polling at most step_ms at a time. After each step in which
 * nothing came, `idle(arg)` (if given) is asked whether to give up; then
 * the deadline is looked at. -1 with err ("WHAT: poll") if poll fails. */
int scute_wait_readable(int fd, int64_t deadline, int step_ms, bool (*idle)(void *arg), void *arg,
			const char *what, struct scute_err *err);

#endif
