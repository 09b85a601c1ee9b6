/* Unit tests of the deadline helpers (deadline.c): the wait ends when the
 * fd is readable, when the idle check gives up, or at the deadline, and
 * never before it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <unistd.h>

#include "deadline.h"

static void pipe_of(int fds[2])
{
	assert_int_equal(pipe2(fds, O_CLOEXEC), 0);
}

static bool give_up_at_three(void *arg)
{
	int *steps = arg;

	return ++*steps >= 3;
}

static void test_readable_fd_ends_the_wait(void **state)
{
	struct scute_err err = { 0 };
	int fds[2];

	(void)state;
	pipe_of(fds);
	assert_int_equal(write(fds[1], "x", 1), 1);
	assert_int_equal(scute_wait_readable(fds[0], 0, 10, NULL, NULL, "test", &err),
			 SCUTE_WAIT_READABLE);
	close(fds[0]);
	close(fds[1]);
}

static void test_hang_up_is_readable(void **state)
{
	struct scute_err err = { 0 };
	int fds[2];

	(void)state;
	pipe_of(fds);
	close(fds[1]);
	assert_int_equal(
		scute_wait_readable(fds[0], scute_now_ms() + 1000, 10, NULL, NULL, "test", &err),
		SCUTE_WAIT_READABLE);
	close(fds[0]);
}

static void test_deadline_passes_not_before_time(void **state)
{
	struct scute_err err = { 0 };
	int64_t start = scute_now_ms();
	int fds[2], steps = 0;

	(void)state;
	pipe_of(fds);
	/* A step longer than the time left is cut to it. */
	assert_int_equal(scute_wait_readable(fds[0], start + 50, 10000, give_up_at_three, &steps,
					     "test", &err),
			 SCUTE_WAIT_DEADLINE);
	assert_true(scute_now_ms() - start >= 50);
	assert_true(scute_now_ms() - start < 5000);
	assert_int_equal(steps, 1);
	close(fds[0]);
	close(fds[1]);
}

static void test_idle_check_gives_up_after_each_step(void **state)
{
	struct scute_err err = { 0 };
	int64_t start = scute_now_ms();
	int fds[2], steps = 0;

	(void)state;
	pipe_of(fds);
	assert_int_equal(scute_wait_readable(fds[0], 0, 10, give_up_at_three, &steps, "test", &err),
			 SCUTE_WAIT_GAVE_UP);
	assert_int_equal(steps, 3);
	assert_true(scute_now_ms() - start >= 30);
	close(fds[0]);
	close(fds[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_readable_fd_ends_the_wait),
		cmocka_unit_test(test_hang_up_is_readable),
		cmocka_unit_test(test_deadline_passes_not_before_time),
		cmocka_unit_test(test_idle_check_gives_up_after_each_step),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
