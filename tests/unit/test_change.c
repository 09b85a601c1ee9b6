/* Unit tests of docker's --change instructions (src/engine/images/change.c):
 * each instruction's forms as docker takes them, and the changes it
 * refuses, each an EINVAL error naming the change. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "change.h"

/* Apply the changes to an empty config; expect it to print as `want`. */
static void check(const char *want, size_t n, const char *const *changes)
{
	json_t *config = json_object();
	struct scute_err err = { 0 };
	char *got;

	if (scute_image_changes_apply(config, changes, n, &err) < 0)
		fail_msg("%s: %s", changes[0], err.msg);
	got = json_dumps(config, JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(got, want);
	free(got);
	json_decref(config);
}

#define CHECK(want, ...)                                              \
	do {                                                          \
		const char *const list_[] = { __VA_ARGS__ };          \
		check(want, sizeof(list_) / sizeof(list_[0]), list_); \
	} while (0)

/* The change is refused with an EINVAL error containing `what`. */
static void refused(const char *change, const char *what)
{
	json_t *config = json_object();
	struct scute_err err = { 0 };

	assert_int_equal(scute_image_changes_apply(config, &change, 1, &err), -1);
	assert_int_equal(err.code, EINVAL);
	if (!strstr(err.msg, what))
		fail_msg("%s: \"%s\" does not say \"%s\"", change, err.msg, what);
	assert_non_null(strstr(err.msg, "change \""));
	json_decref(config);
}

static void test_cmd_entrypoint(void **state)
{
	(void)state;
	CHECK("{\"Cmd\":[\"a\",\"b c\"]}", "CMD [\"a\", \"b c\"]");
	CHECK("{\"Cmd\":[\"/bin/sh\",\"-c\",\"echo  hi\"]}", "cmd echo  hi");
	/* not a JSON array of strings: the shell form, as a Dockerfile */
	CHECK("{\"Cmd\":[\"/bin/sh\",\"-c\",\"[1, 2]\"]}", "CMD [1, 2]");
	CHECK("{\"Cmd\":[]}", "CMD []");
	CHECK("{\"Entrypoint\":[\"/e\"]}", "Entrypoint [\"/e\"]");
	/* a new entrypoint drops a command set before this list, not one in it */
	CHECK("{\"Cmd\":[\"c\"],\"Entrypoint\":[\"e\"]}", "CMD [\"c\"]", "ENTRYPOINT [\"e\"]");
}

static void test_entrypoint_clears_inherited_cmd(void **state)
{
	json_t *config = json_pack("{s[s]}", "Cmd", "old");
	const char *change = "ENTRYPOINT [\"e\"]";
	struct scute_err err = { 0 };

	(void)state;
	assert_int_equal(scute_image_changes_apply(config, &change, 1, &err), 0);
	assert_null(json_object_get(config, "Cmd"));
	json_decref(config);
}

static void test_env(void **state)
{
	(void)state;
	CHECK("{\"Env\":[\"A=1\",\"B=x y\",\"C=q\\\"\"]}", "ENV A=1 B=\"x y\" C='q\"'");
	CHECK("{\"Env\":[\"A=one two\"]}", "env A one two  ");
	CHECK("{\"Env\":[\"A=2\",\"B=\"]}", "ENV A=1", "ENV A=2 B=");
	CHECK("{\"Env\":[\"P=a b\"]}", "ENV P=a\\ b");
}

static void test_label(void **state)
{
	(void)state;
	CHECK("{\"Labels\":{\"a\":\"b\",\"c d\":\"e=f\"}}", "LABEL a=b \"c d\"=e=f");
	CHECK("{\"Labels\":{\"a\":\"2\"}}", "LABEL a=1", "label a=2");
}

static void test_workdir_user(void **state)
{
	(void)state;
	CHECK("{\"WorkingDir\":\"/a/b\"}", "WORKDIR /a//b/");
	CHECK("{\"WorkingDir\":\"/a/c\"}", "WORKDIR /a", "WORKDIR b/../c");
	CHECK("{\"WorkingDir\":\"/rel\"}", "WORKDIR rel");
	CHECK("{\"WorkingDir\":\"/\"}", "WORKDIR /a/../../..");
	CHECK("{\"WorkingDir\":\"/my dir\"}", "WORKDIR \"/my dir\"");
	CHECK("{\"User\":\"1000:1000\"}", "USER 1000:1000");
}

static void test_expose(void **state)
{
	(void)state;
	CHECK("{\"ExposedPorts\":{\"53/udp\":{},\"80/tcp\":{},\"9/sctp\":{}}}",
	      "EXPOSE 80 80/tcp 53/UDP 9/sctp");
	CHECK("{\"ExposedPorts\":{\"1/tcp\":{},\"2/tcp\":{},\"3/tcp\":{}}}", "EXPOSE 1-3");
	CHECK("{\"ExposedPorts\":{\"65535/tcp\":{}}}", "EXPOSE 65535");
}

static void test_refused(void **state)
{
	(void)state;
	refused("FROM busybox", "unknown instruction: FROM");
	refused("RUN true", "unknown instruction: RUN");
	refused("", "no instruction");
	refused("CMD", "no command given");
	refused("EXPOSE 0", "port 0 is out of range");
	refused("EXPOSE 65536", "port 65536 is out of range");
	refused("EXPOSE 80/icmp", "protocol \"icmp\"");
	refused("EXPOSE http", "not a port number");
	refused("EXPOSE 9-1", "ends before it starts");
	refused("EXPOSE", "no port given");
	refused("ENV", "no KEY=VALUE");
	refused("ENV A", "has no value");
	refused("ENV A=1 B", "\"B\" is not KEY=VALUE");
	refused("ENV =1", "the name is empty");
	refused("ENV \"\" v", "the name is empty");
	refused("LABEL \"a=b", "quote is not closed");
	refused("WORKDIR", "no directory given");
	refused("USER a b", "one user expected");
	refused("USER", "one user expected");
	refused("CMD \xff", "not UTF-8");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cmd_entrypoint),
		cmocka_unit_test(test_entrypoint_clears_inherited_cmd),
		cmocka_unit_test(test_env),
		cmocka_unit_test(test_label),
		cmocka_unit_test(test_workdir_user),
		cmocka_unit_test(test_expose),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
