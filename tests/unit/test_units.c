/* Unit tests of the sizes and times docker's CLI prints (src/cli/units.c):
 * go-units' HumanSizeWithPrecision and HumanDuration at their boundaries,
 * Go's time formats in UTC. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>

#include "cli_units.h"

static void size_is(double bytes, int precision, const char *want)
{
	char got[32];

	cli_human_size(bytes, precision, got, sizeof(got));
	assert_string_equal(got, want);
}

static void test_size(void **state)
{
	(void)state;
	size_is(0, 3, "0B");
	size_is(999, 3, "999B");
	size_is(1000, 3, "1kB");
	size_is(4257000, 3, "4.26MB");
	size_is(4257000, 4, "4.257MB");
	size_is(72800000, 3, "72.8MB");
	size_is(1234567890, 3, "1.23GB");
	/* %g's rounding, as Go's: 999.9995kB at 3 digits */
	size_is(999999.5, 3, "1e+03kB");
	size_is(1e27, 3, "1e+03YB");
}

static void duration_is(int64_t seconds, const char *want)
{
	char got[48];

	cli_human_duration(seconds, got, sizeof(got));
	assert_string_equal(got, want);
}

static void test_duration(void **state)
{
	(void)state;
	duration_is(-5, "Less than a second");
	duration_is(0, "Less than a second");
	duration_is(1, "1 second");
	duration_is(59, "59 seconds");
	duration_is(60, "About a minute");
	duration_is(119, "About a minute");
	duration_is(120, "2 minutes");
	duration_is(3599, "59 minutes");
	duration_is(3600, "About an hour");
	duration_is(5399, "About an hour");
	duration_is(5400, "2 hours");
	duration_is(47 * 3600, "47 hours");
	duration_is(48 * 3600, "2 days");
	duration_is(13 * 86400, "13 days");
	duration_is(14 * 86400, "2 weeks");
	duration_is(59 * 86400, "8 weeks");
	duration_is(60 * 86400, "2 months");
	duration_is(729 * 86400, "24 months");
	duration_is(730 * 86400, "2 years");
}

static void test_times(void **state)
{
	char got[64];

	(void)state;
	cli_human_since(1000, 1000 + 7200, got, sizeof(got));
	assert_string_equal(got, "2 hours ago");
	cli_time_string(1704164645, got, sizeof(got));
	assert_string_equal(got, "2024-01-02 03:04:05 +0000 UTC");
	cli_time_rfc3339(1704164645, got, sizeof(got));
	assert_string_equal(got, "2024-01-02T03:04:05Z");
}

static void test_times_zone(void **state)
{
	char got[64];

	(void)state;
	setenv("TZ", "CET-1", 1);
	cli_time_string(1704164645, got, sizeof(got));
	assert_string_equal(got, "2024-01-02 04:04:05 +0100 CET");
	cli_time_rfc3339(1704164645, got, sizeof(got));
	assert_string_equal(got, "2024-01-02T04:04:05+01:00");
	setenv("TZ", "UTC", 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_size),
		cmocka_unit_test(test_duration),
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_times_zone),
	};

	/* the times are local, as Go's time.Unix gives them */
	setenv("TZ", "UTC", 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
