/* Unit tests of the cgroup v1 <-> v2 conversions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "cgroups_convert.h"

static void test_shares_to_weight(void **state)
{
	(void)state;
	assert_int_equal(scute_shares_to_weight(2), 1);
	assert_int_equal(scute_shares_to_weight(0), 1);
	assert_int_equal(scute_shares_to_weight(1024), 39);
	assert_int_equal(scute_shares_to_weight(262144), 10000);
	assert_int_equal(scute_shares_to_weight(1000000), 10000);
}

static void test_blkio_to_io_weight(void **state)
{
	(void)state;
	assert_int_equal(scute_blkio_to_io_weight(10), 1);
	assert_int_equal(scute_blkio_to_io_weight(500), 4950);
	assert_int_equal(scute_blkio_to_io_weight(1000), 10000);
}

static void test_swap(void **state)
{
	char buf[32];

	(void)state;
	assert_int_equal(scute_swap_to_v2(100, 300, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "200");
	assert_int_equal(scute_swap_to_v2(100, 100, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "0");
	assert_int_equal(scute_swap_to_v2(100, -1, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "max");
	assert_int_equal(scute_swap_to_v2(300, 100, buf, sizeof(buf)), -1);
	assert_int_equal(scute_swap_to_v2(-1, 100, buf, sizeof(buf)), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shares_to_weight),
		cmocka_unit_test(test_blkio_to_io_weight),
		cmocka_unit_test(test_swap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
