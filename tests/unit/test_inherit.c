/* Unit tests of the record of passed fds (src/lib/inherit.h): which fds
 * --preserve-fds and LISTEN_FDS may name. Each case runs in a child, which
 * arranges its own fds first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "inherit.h"

/* Fds 3 .. 3+n-1 open, everything above closed. */
static void arrange(int n)
{
	syscall(SYS_close_range, 3U, ~0U, 0);
	for (int i = 0; i < n; i++)
		if (open("/dev/null", O_RDONLY) != 3 + i)
			_exit(20);
}

static int in_child(int (*fn)(void))
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn());
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static int passed_two(void)
{
	struct scute_err err = { 0 };

	arrange(2);
	unsetenv(SCUTE_INHERITED_ENV);
	scute_fds_record_inherited();
	if (scute_fds_inherited() != 2)
		return 1;
	if (scute_fds_check_passed(3, 2, "--preserve-fds", &err) != 0 ||
	    scute_fds_check_passed(3, 0, "--preserve-fds", &err) != 0)
		return 2;
	/* What the process opens later never counts. */
	if (open("/dev/null", O_RDONLY) != 5)
		return 3;
	if (scute_fds_check_passed(3, 12, "--preserve-fds", &err) == 0 ||
	    strcmp(err.msg, "--preserve-fds 12: fd 5 was not passed to the runtime") != 0)
		return 4;
	if (scute_fds_check_passed(5, 1, "--preserve-fds", &err) == 0)
		return 5; /* LISTEN_FDS 2 then --preserve-fds 1 */
	return 0;
}

/* Across the sealed re-exec: the count carried bounds the new one; the
 * variable is gone afterwards. */
static int carried(void)
{
	arrange(3);
	setenv(SCUTE_INHERITED_ENV, "1", 1);
	scute_fds_record_inherited();
	if (scute_fds_inherited() != 1 || getenv(SCUTE_INHERITED_ENV))
		return 1;
	/* A carried count can lower, never raise, and junk counts as 0. */
	setenv(SCUTE_INHERITED_ENV, "9", 1);
	scute_fds_record_inherited();
	if (scute_fds_inherited() != 3)
		return 2;
	setenv(SCUTE_INHERITED_ENV, "1x", 1);
	scute_fds_record_inherited();
	return scute_fds_inherited() == 0 ? 0 : 3;
}

static int past_limit(void)
{
	struct rlimit rl = { .rlim_cur = 16, .rlim_max = 16 };
	struct scute_err err = { 0 };

	arrange(1);
	unsetenv(SCUTE_INHERITED_ENV);
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 10;
	scute_fds_record_inherited();
	if (scute_fds_check_passed(3, 20, "--preserve-fds", &err) == 0 ||
	    strcmp(err.msg, "--preserve-fds 20: fd 22 is past the fd limit (16)") != 0)
		return 1;
	return 0;
}

static void test_passed(void **state)
{
	(void)state;
	assert_int_equal(in_child(passed_two), 0);
}

static void test_carried(void **state)
{
	(void)state;
	assert_int_equal(in_child(carried), 0);
}

static void test_past_limit(void **state)
{
	(void)state;
	assert_int_equal(in_child(past_limit), 0);
}

/* LISTEN_FDS counts only when LISTEN_PID is this process, both numbers. */
static void test_listen_env(void **state)
{
	struct scute_err err = { 0 };
	char pid[16];
	int n = -1;

	(void)state;
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	setenv("LISTEN_FDS", "2", 1);
	setenv("LISTEN_PID", "1", 1); /* another process's */
	assert_int_equal(scute_listen_fds_from_env(&n, &err), 0);
	assert_int_equal(n, 0);
	setenv("LISTEN_PID", "12abc", 1);
	assert_int_equal(scute_listen_fds_from_env(&n, &err), 0);
	assert_int_equal(n, 0);
	setenv("LISTEN_PID", pid, 1);
	assert_int_equal(scute_listen_fds_from_env(&n, &err), 0);
	assert_int_equal(n, 2);
	setenv("LISTEN_FDS", "99999", 1);
	assert_int_equal(scute_listen_fds_from_env(&n, &err), -1);
	assert_non_null(strstr(err.msg, "LISTEN_FDS"));
	unsetenv("LISTEN_FDS");
	unsetenv("LISTEN_PID");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_passed),
		cmocka_unit_test(test_carried),
		cmocka_unit_test(test_past_limit),
		cmocka_unit_test(test_listen_env),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
