/* The library's container entry points refuse to run from an unsealed
 * binary (CVE-2019-5736), whatever the front end did: this test binary is
 * an ordinary file, so create and exec must fail before they touch
 * anything — the state root given here must not even be made. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "container.h"
#include "exec.h"
#include "selfexec.h"

static char root[] = "/tmp/scute-sealed-test.XXXXXX";

static void unsealed_binary(void **state)
{
	(void)state;
	assert_false(scute_self_is_sealed());
}

static void create_refused(void **state)
{
	struct scute_create_opts o = { .root = root, .id = "c", .bundle = "/nonexistent" };
	struct scute_err err = { 0 };
	struct stat st;
	pid_t pid = 0;

	(void)state;
	assert_int_equal(scute_container_create(&o, &pid, &err), -1);
	assert_int_equal(err.code, EPERM);
	assert_non_null(strstr(err.msg, "sealed copy"));
	assert_int_equal(pid, 0);
	assert_int_equal(stat(root, &st), -1);
}

static void exec_refused(void **state)
{
	char *args[] = { "true", NULL };
	struct scute_exec_opts o = { .root = root, .id = "c", .args = args, .n_args = 1 };
	struct scute_err err = { 0 };
	int status = -1;

	(void)state;
	assert_int_equal(scute_container_exec(&o, &status, &err), -1);
	assert_int_equal(err.code, EPERM);
	assert_non_null(strstr(err.msg, "CVE-2019-5736"));
	assert_int_equal(status, -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(unsealed_binary),
		cmocka_unit_test(create_refused),
		cmocka_unit_test(exec_refused),
	};
	int rc;

	/* A name that does not exist: mkdtemp then rmdir. */
	if (!mkdtemp(root) || rmdir(root) < 0)
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	rmdir(root);
	return rc;
}
