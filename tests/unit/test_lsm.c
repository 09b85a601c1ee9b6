/* Unit tests of label formats, AppArmor profile names and text, and the
 * Landlock right tables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include <errno.h>

#include "landlock.h"
#include "lsm.h"
#include "spec.h"

static void test_selinux_labels(void **state)
{
	(void)state;
	assert_true(scute_selinux_label_valid("system_u:system_r:container_t:s0"));
	assert_true(scute_selinux_label_valid("system_u:system_r:container_t:s0:c1,c2"));
	assert_true(scute_selinux_label_valid("system_u:system_r:spc_t:s0-s0:c0.c1023"));
	assert_true(scute_selinux_label_valid("user_u:object_r:container_file_t"));
	assert_false(scute_selinux_label_valid("container_t"));
	assert_false(scute_selinux_label_valid("a:b"));
	assert_false(scute_selinux_label_valid("a::c"));
	assert_false(scute_selinux_label_valid("a:b:c:"));
	assert_false(scute_selinux_label_valid("a:b:c:s0 x"));
	assert_false(scute_selinux_label_valid("a b:r:t"));
	assert_false(scute_selinux_label_valid(""));
}

static void test_selinux_context_option(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(scute_selinux_context_option("u:object_r:t:s0:c1,c2", buf, sizeof(buf)),
			 0);
	assert_string_equal(buf, "context=u:object_r:t:s0:c1,c2");
	assert_int_equal(scute_selinux_context_option("u:object_r:t:s0", buf, 12), -1);
}

static void test_apparmor_names_and_profile(void **state)
{
	char *text;

	(void)state;
	assert_true(scute_apparmor_name_valid("scute-default"));
	assert_true(scute_apparmor_name_valid("docker-default"));
	assert_false(scute_apparmor_name_valid(""));
	assert_false(scute_apparmor_name_valid("two words"));
	assert_false(scute_apparmor_name_valid("a{b}"));
	text = scute_apparmor_default_profile("mine");
	assert_non_null(text);
	assert_non_null(strstr(text, "profile mine flags="));
	assert_non_null(strstr(text, "peer=mine,"));
	assert_null(strstr(text, "@@NAME@@"));
	assert_non_null(strstr(text, "deny mount,"));
	free(text);
}

/* A name past the limit is an error, never written cut (a prefix of it
 * could name another profile); AppArmor need not be on to see it. */
static void test_apparmor_long_name(void **state)
{
	struct scute_spec spec = { 0 };
	struct scute_err err = { 0 };
	char name[302];

	(void)state;
	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	assert_int_equal(scute_apparmor_apply(-1, name, &err), -1);
	assert_int_equal(err.code, ENAMETOOLONG);
	assert_non_null(strstr(err.msg, "a name of 301 characters (at most 255)"));
	/* The control: a short name gets as far as the write (the bad fd). */
	scute_err_clear(&err);
	assert_int_equal(scute_apparmor_apply(-1, "short", &err), -1);
	assert_int_not_equal(err.code, ENAMETOOLONG);
	/* exec --apparmor reaches the check without the config's validation. */
	spec.process.apparmor_profile = name;
	scute_err_clear(&err);
	assert_int_equal(scute_lsm_check(&spec, &err), -1);
	assert_non_null(strstr(err.msg, "(301 characters) is not a profile name"));
}

static void test_landlock_rights(void **state)
{
	char names[256];

	(void)state;
	assert_int_equal(scute_landlock_right(SCUTE_LANDLOCK_FS, "execute"), 1);
	assert_int_equal(scute_landlock_right(SCUTE_LANDLOCK_FS, "truncate"), 1 << 14);
	assert_int_equal(scute_landlock_right(SCUTE_LANDLOCK_FS, "bind_tcp"), 0); /* wrong kind */
	assert_int_equal(scute_landlock_right(SCUTE_LANDLOCK_NET, "connect_tcp"), 2);
	assert_int_equal(scute_landlock_right(SCUTE_LANDLOCK_SCOPE, "signal"), 2);
	/* What each ABI adds. */
	assert_int_equal(scute_landlock_supported(SCUTE_LANDLOCK_FS, 1), (1 << 13) - 1);
	assert_int_equal(scute_landlock_supported(SCUTE_LANDLOCK_FS, 2), (1 << 14) - 1);
	assert_int_equal(scute_landlock_supported(SCUTE_LANDLOCK_FS, 4), (1 << 15) - 1);
	assert_int_equal(scute_landlock_supported(SCUTE_LANDLOCK_FS, 5), (1 << 16) - 1);
	assert_int_equal(scute_landlock_supported(SCUTE_LANDLOCK_NET, 3), 0);
	assert_int_equal(scute_landlock_supported(SCUTE_LANDLOCK_NET, 4), 3);
	assert_int_equal(scute_landlock_supported(SCUTE_LANDLOCK_SCOPE, 5), 0);
	assert_int_equal(scute_landlock_supported(SCUTE_LANDLOCK_SCOPE, 6), 3);
	scute_landlock_names(SCUTE_LANDLOCK_FS, (1 << 2) | (1 << 14), names, sizeof(names));
	assert_string_equal(names, "read_file,truncate");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_selinux_labels),
		cmocka_unit_test(test_selinux_context_option),
		cmocka_unit_test(test_apparmor_names_and_profile),
		cmocka_unit_test(test_apparmor_long_name),
		cmocka_unit_test(test_landlock_rights),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
