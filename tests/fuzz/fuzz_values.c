/* libFuzzer target: the values people type into flags and configs (sizes,
 * numbers, CPU and node lists, signal names, UID[:GID], durations). Each parser gets
 * the same string; what it accepts must hold the promised invariants. */
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "values.h"

static void check_error(const struct scute_err *err)
{
	if (!err->msg[0] || strnlen(err->msg, sizeof(err->msg)) == sizeof(err->msg))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = strndup((const char *)data, size);
	struct scute_err err;
	int64_t n;
	uid_t uid;
	gid_t gid;
	int sig;

	if (!s)
		return 0;
	if (scute_parse_size(s, &n, &err) == 0) {
		if (n < -1)
			abort();
	} else {
		check_error(&err);
	}
	if (scute_parse_int(s, -1, 4096, &n, &err) == 0) {
		if (n < -1 || n > 4096)
			abort();
	} else {
		check_error(&err);
	}
	if (scute_parse_signal(s, &sig, &err) == 0) {
		if (sig < 1 || sig >= NSIG)
			abort();
	} else {
		check_error(&err);
	}
	if (scute_parse_user(s, &uid, &gid, &err) == 0) {
		if (uid == (uid_t)-1 || gid == (gid_t)-1)
			abort();
	} else {
		check_error(&err);
	}
	if (scute_parse_cpu_list(s, &err) < 0)
		check_error(&err);
	if (scute_parse_duration_ms(s, &n, &err) == 0) {
		if (n < 1)
			abort();
	} else {
		check_error(&err);
	}
	free(s);
	return 0;
}
