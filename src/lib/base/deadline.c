#include "deadline.h"

#include <errno.h>
#include <poll.h>
#include <time.h>

int64_t scute_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int scute_wait_readable(int fd, int64_t deadline, int step_ms, bool (*idle)(void *arg), void *arg,
			const char *what, struct scute_err *err)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int64_t left;
	int wait, n;

	for (;;) {
		wait = step_ms;
		if (deadline) {
			left = deadline - scute_now_ms();
			if (left <= 0)
				return SCUTE_WAIT_DEADLINE;
			if (left < wait)
				wait = (int)left;
		}
		n = poll(&p, 1, wait);
		if (n > 0)
			return SCUTE_WAIT_READABLE;
		if (n < 0 && errno != EINTR)
			return scute_err_sys(err, "%s: poll", what);
		if (n == 0 && idle && idle(arg))
			return SCUTE_WAIT_GAVE_UP;
	}
}
