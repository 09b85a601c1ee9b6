/* Unit tests of the Docker profile conversion (pure logic). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "caps.h"
#include "seccomp_docker.h"

static const struct scute_docker_env plain = { .caps = 0,
					       .kernel_major = 6,
					       .kernel_minor = 1,
					       .arch = "SCMP_ARCH_X86_64",
					       .go_arch = "amd64" };

static json_t *convert(const char *text, const struct scute_docker_env *env, struct scute_err *err)
{
	json_error_t jerr;
	json_t *profile = json_loads(text, 0, &jerr), *out;

	assert_non_null(profile);
	out = scute_seccomp_from_docker(profile, "p.json", env, err);
	json_decref(profile);
	return out;
}

static char *names(json_t *out)
{
	static char buf[512];
	json_t *rule, *n;
	size_t i, k;

	buf[0] = '\0';
	json_array_foreach(json_object_get(out, "syscalls"), i,
			   rule) json_array_foreach(json_object_get(rule, "names"), k, n)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s ", json_string_value(n));
	return buf;
}

static void test_includes_excludes(void **state)
{
	const char *p =
		"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":["
		"{\"names\":[\"a1\"],\"action\":\"SCMP_ACT_ALLOW\"},"
		"{\"names\":[\"admin\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"caps\":[\"CAP_SYS_ADMIN\"]}},"
		"{\"names\":[\"noadmin\"],\"action\":\"SCMP_ACT_ERRNO\",\"excludes\":{\"caps\":[\"CAP_SYS_ADMIN\"]}},"
		"{\"names\":[\"arm\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"arches\":[\"arm64\"]}},"
		"{\"names\":[\"notamd\"],\"action\":\"SCMP_ACT_ALLOW\",\"excludes\":{\"arches\":[\"amd64\"]}},"
		"{\"names\":[\"new\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"minKernel\":\"6.2\"}},"
		"{\"names\":[\"old\"],\"action\":\"SCMP_ACT_ALLOW\",\"excludes\":{\"minKernel\":\"6.0\"}}]}";
	struct scute_docker_env admin = plain;
	struct scute_err err = { 0 };
	json_t *out;

	(void)state;
	out = convert(p, &plain, &err);
	assert_non_null(out);
	assert_string_equal(names(out), "a1 noadmin ");
	json_decref(out);
	admin.caps = 1ULL << scute_cap_from_name("CAP_SYS_ADMIN");
	admin.kernel_minor = 2;
	out = convert(p, &admin, &err);
	assert_string_equal(names(out), "a1 admin new ");
	json_decref(out);
}

static void test_arch_map(void **state)
{
	struct scute_err err = { 0 };
	json_t *out = convert(
		"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"archMap\":["
		"{\"architecture\":\"SCMP_ARCH_AARCH64\",\"subArchitectures\":[\"SCMP_ARCH_ARM\"]},"
		"{\"architecture\":\"SCMP_ARCH_X86_64\",\"subArchitectures\":[\"SCMP_ARCH_X86\"]}]}",
		&plain, &err);
	char *text;

	(void)state;
	assert_non_null(out);
	text = json_dumps(json_object_get(out, "architectures"), JSON_COMPACT);
	assert_string_equal(text, "[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\"]");
	free(text);
	json_decref(out);
}

static void test_errors(void **state)
{
	struct scute_err err = { 0 };

	(void)state;
	assert_null(convert(
		"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"name\":\"a\",\"names\":[\"b\"],\"action\":\"SCMP_ACT_ALLOW\"}]}",
		&plain, &err));
	assert_non_null(strstr(err.msg, "p.json: syscalls[0]: use either name or names"));
	assert_null(convert(
		"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"a\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"minKernel\":\"six\"}}]}",
		&plain, &err));
	assert_non_null(strstr(err.msg, "syscalls[0].includes: minKernel"));
	assert_null(convert("{\"defaultAction\":\"SCMP_ACT_NOPE\"}", &plain, &err));
	assert_non_null(strstr(err.msg, "unknown action \"SCMP_ACT_NOPE\""));
}

static void test_kernel_version(void **state)
{
	int ma, mi;

	(void)state;
	assert_int_equal(scute_parse_kernel_version("6.18.44-fc-v657", &ma, &mi), 0);
	assert_int_equal(ma, 6);
	assert_int_equal(mi, 18);
	assert_int_equal(scute_parse_kernel_version("5", &ma, &mi), 0);
	assert_int_equal(mi, 0);
	assert_int_equal(scute_parse_kernel_version("x.1", &ma, &mi), -1);
	/* Overflow is refused, not saturated into a huge version. */
	assert_int_equal(scute_parse_kernel_version("99999999999.1", &ma, &mi), -1);
	assert_int_equal(scute_parse_kernel_version("6.99999999999", &ma, &mi), -1);
	assert_int_equal(scute_parse_kernel_version("6.", &ma, &mi), -1);
	assert_int_equal(scute_parse_kernel_version(" 6.1", &ma, &mi), -1);
}

static void test_default_profile_builds(void **state)
{
	struct scute_err err = { 0 };
	json_t *out = scute_seccomp_default(&plain, &err);

	(void)state;
	assert_non_null(out);
	assert_string_equal(json_string_value(json_object_get(out, "defaultAction")),
			    "SCMP_ACT_ERRNO");
	assert_int_equal(json_integer_value(json_object_get(out, "defaultErrnoRet")), 38);
	json_decref(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_includes_excludes),
		cmocka_unit_test(test_arch_map),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_kernel_version),
		cmocka_unit_test(test_default_profile_builds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
