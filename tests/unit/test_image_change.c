/* Unit tests of `import --change` (src/engine/images/change.c): each
 * instruction applied as docker's builder applies it to an image config,
 * and the refusals, each an EINVAL error naming the change. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "change.h"

/* Apply CHANGE to the config BEFORE (JSON) and expect AFTER (JSON). */
static void check(const char *before, const char *change, const char *after)
{
	json_t *config = json_loads(before, 0, NULL), *want = json_loads(after, 0, NULL);
	struct scute_err err = { 0 };

	assert_non_null(config);
	assert_non_null(want);
	if (scute_image_change_apply(config, change, &err) < 0)
		fail_msg("%s: %s", change, err.msg);
	if (!json_equal(config, want)) {
		char *got = json_dumps(config, JSON_SORT_KEYS | JSON_COMPACT);

		fail_msg("%s: got %s, want %s", change, got, after);
	}
	json_decref(config);
	json_decref(want);
}

static void refused(const char *change, const char *msg)
{
	json_t *config = json_pack("{s[s]}", "Env", "A=1");
	json_t *copy = json_deep_copy(config);
	struct scute_err err = { 0 };

	assert_int_equal(scute_image_change_apply(config, change, &err), -1);
	assert_int_equal(err.code, EINVAL);
	if (strncmp(err.msg, "--change \"", 10) != 0 || !strstr(err.msg, msg))
		fail_msg("%s: \"%s\" does not say \"%s\"", change, err.msg, msg);
	assert_true(json_equal(config, copy)); /* nothing changed */
	json_decref(config);
	json_decref(copy);
}

static void test_cmd_entrypoint(void **state)
{
	(void)state;
	check("{}", "CMD echo hi", "{\"Cmd\":[\"/bin/sh\",\"-c\",\"echo hi\"]}");
	check("{}", "cmd [\"a\", \"b c\"]", "{\"Cmd\":[\"a\",\"b c\"]}");
	check("{}", "CMD [\"a\", 1]", "{\"Cmd\":[\"/bin/sh\",\"-c\",\"[\\\"a\\\", 1]\"]}");
	check("{\"Shell\":[\"/bin/bash\",\"-xc\"]}", "CMD ls",
	      "{\"Shell\":[\"/bin/bash\",\"-xc\"],\"Cmd\":[\"/bin/bash\",\"-xc\",\"ls\"]}");
	check("{}", "CMD echo \\\n  hi", "{\"Cmd\":[\"/bin/sh\",\"-c\",\"echo   hi\"]}");
	/* a new entrypoint drops the CMD, unless the same batch set one */
	check("{\"Cmd\":[\"x\"]}", "ENTRYPOINT [\"/init\"]",
	      "{\"Entrypoint\":[\"/init\"],\"Cmd\":null}");
	check("{}", "CMD [\"x\"]\nENTRYPOINT [\"/init\"]",
	      "{\"Entrypoint\":[\"/init\"],\"Cmd\":[\"x\"]}");
}

static void test_env_label(void **state)
{
	(void)state;
	check("{}", "ENV K=V K2=\"v 2\"", "{\"Env\":[\"K=V\",\"K2=v 2\"]}");
	check("{\"Env\":[\"PATH=/bin\",\"K=old\"]}", "env K=new",
	      "{\"Env\":[\"PATH=/bin\",\"K=new\"]}");
	check("{}", "ENV K some value", "{\"Env\":[\"K=some value\"]}");
	/* expansion from the Env before the instruction, as docker's */
	check("{\"Env\":[\"A=1\"]}", "ENV A=2 B=$A C=${A}x D=${NOPE:-d} E='$A' F=\\$A",
	      "{\"Env\":[\"A=2\",\"B=1\",\"C=1x\",\"D=d\",\"E=$A\",\"F=$A\"]}");
	check("{}", "LABEL k=v \"k 2\"=\"v\" a.b=\"x\\\"y\"",
	      "{\"Labels\":{\"k\":\"v\",\"k 2\":\"v\",\"a.b\":\"x\\\"y\"}}");
	check("{}", "LABEL version 1.0", "{\"Labels\":{\"version\":\"1.0\"}}");
}

static void test_others(void **state)
{
	(void)state;
	check("{}", "EXPOSE 80 53/udp 8000-8002 443/TCP",
	      "{\"ExposedPorts\":{\"80/tcp\":{},\"53/udp\":{},\"8000/tcp\":{},\"8001/tcp\":{},"
	      "\"8002/tcp\":{},\"443/tcp\":{}}}");
	check("{\"Env\":[\"P=1 2\"]}", "EXPOSE $P",
	      "{\"Env\":[\"P=1 2\"],\"ExposedPorts\":{\"1/tcp\":{},\"2/tcp\":{}}}");
	check("{}", "WORKDIR /a\nWORKDIR b\nWORKDIR ../c/./d/", "{\"WorkingDir\":\"/a/c/d\"}");
	check("{\"WorkingDir\":\"/x\"}", "WORKDIR /y/../../z", "{\"WorkingDir\":\"/z\"}");
	check("{}", "WORKDIR rel", "{\"WorkingDir\":\"/rel\"}");
	check("{}", "USER 1000:1000", "{\"User\":\"1000:1000\"}");
	check("{}", "VOLUME /data /logs", "{\"Volumes\":{\"/data\":{},\"/logs\":{}}}");
	check("{}", "VOLUME [\"/a b\"]", "{\"Volumes\":{\"/a b\":{}}}");
	check("{}", "STOPSIGNAL SIGINT", "{\"StopSignal\":\"SIGINT\"}");
	check("{}", "# a comment\n\n  user root", "{\"User\":\"root\"}");
}

static void test_refused(void **state)
{
	(void)state;
	refused("EXPOSE 99999", "invalid port \"99999\"");
	refused("EXPOSE 80/foo", "invalid protocol \"foo\"");
	refused("EXPOSE 90-80", "invalid port range");
	refused("EXPOSE 0-65535 0-65535/udp", "more than 65536 exposed ports");
	refused("RUN echo", "RUN is not a valid change command");
	refused("FROM x", "FROM is not a valid change command");
	refused("ONBUILD RUN x", "ONBUILD is not supported");
	refused("ENV K", "ENV must have two arguments");
	refused("ENV A=1 B", "can't find = in \"B\"");
	refused("ENV =x", "names can not be blank");
	refused("ENV A=\"x", "matching double-quote");
	refused("LABEL a='x", "matching single-quote");
	refused("CMD", "CMD requires at least one argument");
	refused("WORKDIR", "WORKDIR requires exactly one argument");
	refused("STOPSIGNAL SIGNOPE", "not a signal name or number");
	refused("ENV B=${A:-x", "missing '}'");
	refused("ENV B=${A/x/y}", "unsupported modifier");
	refused("ENV B=${NOPE:?needed}", "NOPE: needed");
	refused("ENV X=1\nRUN y", "RUN is not a valid change command"); /* X not set */
	refused("EXPOSE \x1b[31m", "--change \"EXPOSE ?[31m\"");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cmd_entrypoint),
		cmocka_unit_test(test_env_label),
		cmocka_unit_test(test_others),
		cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
