/* Unit tests of the cgroup v1 <-> v2 conversions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "cgroups.h"
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

/* The container's cgroup mount shows a hierarchy only where it has its
 * own directory: elsewhere the mount's root would be the host's tree. */
static void test_cgroup_shown(void **state)
{
	char pids[] = "/sys/fs/cgroup/pids/ctr", memory[] = "/sys/fs/cgroup/memory/ctr";
	struct scute_cgroup none = { .n = 0 }, cg = { .n = 2 };

	(void)state;
	cg.dirs[0] = (struct scute_cgroup_dir){ .path = pids };
	cg.dirs[1] = (struct scute_cgroup_dir){ .path = memory, .absent = true };
	assert_true(scute_cgroup_shown(&cg, "/sys/fs/cgroup/pids"));
	assert_false(scute_cgroup_shown(&cg, "/sys/fs/cgroup/memory"));
	/* A mount that matches no directory of the container. */
	assert_false(scute_cgroup_shown(&cg, "/sys/fs/cgroup/cpu"));
	assert_false(scute_cgroup_shown(&cg, "/sys/fs/cgroup/pid"));
	/* No cgroups of its own (rootless): every hierarchy, as before. */
	assert_true(scute_cgroup_shown(&none, "/sys/fs/cgroup/cpu"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shares_to_weight),
		cmocka_unit_test(test_blkio_to_io_weight),
		cmocka_unit_test(test_swap),
		cmocka_unit_test(test_cgroup_shown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
