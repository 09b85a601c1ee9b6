/* Unit tests of the flag and config value parsers: numbers, sizes, CPU
 * lists, signal names, UID[:GID]. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <signal.h>
#include <string.h>

#include "values.h"

static int64_t size_of(const char *s)
{
	struct scute_err err;
	int64_t v = -12345;

	return scute_parse_size(s, &v, &err) == 0 ? v : -12345;
}

static void test_sizes(void **state)
{
	(void)state;
	assert_int_equal(size_of("4096"), 4096);
	assert_int_equal(size_of("0"), 0);
	assert_int_equal(size_of("-1"), -1);
	assert_int_equal(size_of("512m"), 512LL << 20);
	assert_int_equal(size_of("512M"), 512LL << 20);
	assert_int_equal(size_of("1g"), 1LL << 30);
	assert_int_equal(size_of("1GB"), 1LL << 30);
	assert_int_equal(size_of("1GiB"), 1LL << 30);
	assert_int_equal(size_of("1 gb"), 1LL << 30);
	assert_int_equal(size_of("2k"), 2048);
	assert_int_equal(size_of("10b"), 10);
	assert_int_equal(size_of("1.5g"), 3LL << 29);
	assert_int_equal(size_of("0.5k"), 512);
	assert_int_equal(size_of("1p"), 1LL << 50);
	assert_int_equal(size_of("8191p"), 8191LL << 50);
	/* refused */
	assert_int_equal(size_of(""), -12345);
	assert_int_equal(size_of("-2"), -12345);
	assert_int_equal(size_of("-1m"), -12345);
	assert_int_equal(size_of("+5"), -12345);
	assert_int_equal(size_of(" 5"), -12345);
	assert_int_equal(size_of("5 "), -12345);
	assert_int_equal(size_of("5x"), -12345);
	assert_int_equal(size_of("5mm"), -12345);
	assert_int_equal(size_of("5ib"), -12345);
	assert_int_equal(size_of("1."), -12345);
	assert_int_equal(size_of("1.2.3"), -12345);
	assert_int_equal(size_of(".5"), -12345);
	assert_int_equal(size_of("8192p"), -12345);		   /* 2^63: too large */
	assert_int_equal(size_of("99999999999999999999"), -12345); /* past 2^64 */
	assert_int_equal(size_of("9999999999999t"), -12345);
}

static void test_size_error_names_value(void **state)
{
	struct scute_err err;
	int64_t v;

	(void)state;
	assert_int_equal(scute_parse_size("12q", &v, &err), -1);
	assert_non_null(strstr(err.msg, "\"12q\" is not a size"));
	assert_int_equal(scute_parse_size("9999999999999t", &v, &err), -1);
	assert_non_null(strstr(err.msg, "too large"));
}

static int64_t ms_of(const char *s)
{
	struct scute_err err;
	int64_t v;
	return scute_parse_duration_ms(s, &v, &err) == 0 ? v : -12345;
}

static void test_durations(void **state)
{
	struct scute_err err;
	int64_t v;

	(void)state;
	assert_int_equal(ms_of("5"), 5000);
	assert_int_equal(ms_of("5s"), 5000);
	assert_int_equal(ms_of("500ms"), 500);
	assert_int_equal(ms_of("1m30s"), 90000);
	assert_int_equal(ms_of("1.5h"), 5400000);
	assert_int_equal(ms_of("2500us"), 2);
	assert_int_equal(ms_of("0.25s"), 250);
	/* Nothing without a unit after the first part, no sign, no blanks,
	 * nothing below a millisecond, nothing that overflows. */
	const char *bad[] = { "",  "s",	 "5x",	"1m30",	 "-5s", " 5s",	       "5s ",
			      "0", "0s", "5ns", "500us", ".5s", "9999999999h", "4294967296" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(ms_of(bad[i]), -12345);
	assert_int_equal(scute_parse_duration_ms("5x", &v, &err), -1);
	assert_non_null(strstr(err.msg, "\"5x\" is not a duration"));
}

static void test_ints(void **state)
{
	struct scute_err err;
	int64_t v;

	(void)state;
	assert_int_equal(scute_parse_int("42", 0, 100, &v, &err), 0);
	assert_int_equal(v, 42);
	assert_int_equal(scute_parse_int("-1", -1, 100, &v, &err), 0);
	assert_int_equal(v, -1);
	assert_int_equal(scute_parse_int("-9223372036854775808", INT64_MIN, 0, &v, &err), 0);
	assert_true(v == INT64_MIN);
	assert_int_equal(scute_parse_int("9223372036854775807", 0, INT64_MAX, &v, &err), 0);
	assert_true(v == INT64_MAX);
	assert_int_equal(scute_parse_int("9223372036854775808", 0, INT64_MAX, &v, &err), -1);
	assert_int_equal(scute_parse_int("-1", 0, 100, &v, &err), -1);
	assert_int_equal(scute_parse_int("101", 0, 100, &v, &err), -1);
	assert_non_null(strstr(err.msg, "out of range [0, 100]"));
	assert_int_equal(scute_parse_int("", 0, 100, &v, &err), -1);
	assert_int_equal(scute_parse_int("-", -5, 100, &v, &err), -1);
	assert_int_equal(scute_parse_int(" 1", 0, 100, &v, &err), -1);
	assert_int_equal(scute_parse_int("+1", 0, 100, &v, &err), -1);
	assert_int_equal(scute_parse_int("1x", 0, 100, &v, &err), -1);
	assert_int_equal(scute_parse_int("0x10", 0, 100, &v, &err), -1);
}

static void test_cpu_lists(void **state)
{
	static const char *const good[] = { "", "0", "0-3", "0,2", "0-3,8,10-11", "65535", "1-1" };
	static const char *const bad[] = { ",",	  "0,",	  ",0",	   "0-",      "-1",
					   "3-1", "0--1", "0,,1",  "a",	      "0-3 ",
					   " 0",  "1:2",  "65536", "0-65536", "0-3\n" };
	struct scute_err err;

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_int_equal(scute_parse_cpu_list(good[i], &err), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (scute_parse_cpu_list(bad[i], &err) != -1)
			fail_msg("\"%s\" was accepted", bad[i]);
	}
	assert_int_equal(scute_parse_cpu_list("3-1", &err), -1);
	assert_non_null(strstr(err.msg, "runs backwards"));
}

static int signal_of(const char *s)
{
	struct scute_err err;
	int sig = -2;

	return scute_parse_signal(s, &sig, &err) == 0 ? sig : -1;
}

static void test_signals(void **state)
{
	(void)state;
	assert_int_equal(signal_of("TERM"), SIGTERM);
	assert_int_equal(signal_of("SIGTERM"), SIGTERM);
	assert_int_equal(signal_of("sigkill"), SIGKILL);
	assert_int_equal(signal_of("hup"), SIGHUP);
	assert_int_equal(signal_of("9"), 9);
	assert_int_equal(signal_of("64"), 64);
	assert_int_equal(signal_of("RTMIN"), SIGRTMIN);
	assert_int_equal(signal_of("SIGRTMIN+3"), SIGRTMIN + 3);
	assert_int_equal(signal_of("rtmax-1"), SIGRTMAX - 1);
	assert_int_equal(signal_of("RTMAX"), SIGRTMAX);
	/* refused */
	assert_int_equal(signal_of("0"), -1);
	assert_int_equal(signal_of("65"), -1);
	assert_int_equal(signal_of("9x"), -1);
	assert_int_equal(signal_of(""), -1);
	assert_int_equal(signal_of("SIG"), -1);
	assert_int_equal(signal_of("NOPE"), -1);
	assert_int_equal(signal_of("RTMIN-1"), -1);
	assert_int_equal(signal_of("RTMAX+1"), -1);
	assert_int_equal(signal_of("RTMIN+31"), -1);
	assert_int_equal(signal_of("RTMIN+"), -1);
	assert_int_equal(signal_of("RTMINX"), -1);
}

static void test_users(void **state)
{
	struct scute_err err;
	uid_t uid;
	gid_t gid;

	(void)state;
	assert_int_equal(scute_parse_user("1000", &uid, &gid, &err), 0);
	assert_int_equal(uid, 1000);
	assert_int_equal(gid, 0);
	assert_int_equal(scute_parse_user("1000:100", &uid, &gid, &err), 0);
	assert_int_equal(gid, 100);
	assert_int_equal(scute_parse_user("4294967294:4294967294", &uid, &gid, &err), 0);
	/* 2^32 would wrap to uid 0 in a uid_t: refused, as is (uid_t)-1. */
	assert_int_equal(scute_parse_user("4294967296", &uid, &gid, &err), -1);
	assert_int_equal(scute_parse_user("4294967295", &uid, &gid, &err), -1);
	assert_int_equal(scute_parse_user("0:4294967296", &uid, &gid, &err), -1);
	assert_int_equal(scute_parse_user("-1", &uid, &gid, &err), -1);
	assert_int_equal(scute_parse_user("1000:", &uid, &gid, &err), -1);
	assert_int_equal(scute_parse_user(":100", &uid, &gid, &err), -1);
	assert_int_equal(scute_parse_user("root", &uid, &gid, &err), -1);
	assert_int_equal(scute_parse_user("1:2:3", &uid, &gid, &err), -1);
}

static void test_line_u63(void **state)
{
	int64_t v = -1;

	(void)state;
	assert_true(scute_parse_line_u63("1234\n", INT32_MAX, &v));
	assert_int_equal(v, 1234);
	assert_true(scute_parse_line_u63("7\nusage 9\n", INT64_MAX, &v));
	assert_int_equal(v, 7);
	assert_true(scute_parse_line_u63("0", 10, &v));
	assert_false(scute_parse_line_u63("max\n", INT64_MAX, &v));
	assert_false(scute_parse_line_u63("\n", INT64_MAX, &v));
	assert_false(scute_parse_line_u63("12 3\n", INT64_MAX, &v));
	assert_false(scute_parse_line_u63("-4\n", INT64_MAX, &v));
	assert_false(scute_parse_line_u63("4294967296\n", INT32_MAX, &v));
	assert_false(scute_parse_line_u63("99999999999999999999999999999999\n", INT64_MAX, &v));
}

static void test_line_hex64(void **state)
{
	uint64_t v = 0;

	(void)state;
	assert_true(scute_parse_line_hex64("000001ffffffffff\n", &v));
	assert_true(v == 0x1ffffffffffULL);
	assert_true(scute_parse_line_hex64("FfFfFfFfFfFfFfFf", &v));
	assert_true(v == UINT64_MAX);
	assert_false(scute_parse_line_hex64("\n", &v));
	assert_false(scute_parse_line_hex64(" 1f\n", &v));
	assert_false(scute_parse_line_hex64("0x1f\n", &v));
	assert_false(scute_parse_line_hex64("1g\n", &v));
	assert_false(scute_parse_line_hex64("10000000000000000\n", &v)); /* 17 digits */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line_u63),  cmocka_unit_test(test_line_hex64),
		cmocka_unit_test(test_sizes),	  cmocka_unit_test(test_size_error_names_value),
		cmocka_unit_test(test_durations), cmocka_unit_test(test_ints),
		cmocka_unit_test(test_cpu_lists), cmocka_unit_test(test_signals),
		cmocka_unit_test(test_users),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
