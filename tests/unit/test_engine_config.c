/* Unit tests of the engine config (src/engine/config/engine_config.c):
 * each key's good values as they are kept, and its bad values refused
 * with an error naming the key (and the value where it is one). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "engine_config.h"

static void parse_ok(const char *text, struct scute_engine_config *c)
{
	struct scute_err err = { 0 };

	if (scute_engine_config_parse(text, "t.json", c, &err) < 0)
		fail_msg("%s: %s", text, err.msg);
}

/* Refused, EINVAL, and the message holds each of the NULL-ended words. */
static void parse_bad(const char *text, ...)
{
	struct scute_engine_config c;
	struct scute_err err = { 0 };
	const char *want;
	va_list ap;

	if (scute_engine_config_parse(text, "t.json", &c, &err) == 0)
		fail_msg("accepted: %s", text);
	assert_int_equal(err.code, EINVAL);
	assert_non_null(strstr(err.msg, "t.json: "));
	va_start(ap, text);
	while ((want = va_arg(ap, const char *)))
		if (!strstr(err.msg, want))
			fail_msg("%s: \"%s\" lacks \"%s\"", text, err.msg, want);
	va_end(ap);
	/* refused means nothing kept */
	assert_null(c.seccomp_profile);
	assert_null(c.default_ulimits);
	assert_int_equal(c.no_new_privileges, -1);
}

static void test_empty(void **state)
{
	struct scute_engine_config c;

	(void)state;
	parse_ok("{}", &c);
	assert_int_equal(c.no_new_privileges, -1);
	assert_int_equal(c.init, -1);
	assert_null(c.seccomp_profile);
	assert_null(c.default_ulimits);
	assert_int_equal(c.default_shm_size, 0);
	assert_false(c.has_default_capabilities);
	assert_int_equal(c.default_pids_limit, 0);
	assert_null(c.path);
	scute_engine_config_free(&c);
}

static void test_unknown_key(void **state)
{
	(void)state;
	parse_bad("{\"no-such-key\": 1}", "unknown key \"no-such-key\"", NULL);
	parse_bad("[]", "not a JSON object", NULL);
	parse_bad("{\"init\": true, \"init\": false}", "invalid JSON", NULL);
}

static void test_bools(void **state)
{
	struct scute_engine_config c;

	(void)state;
	parse_ok("{\"no-new-privileges\": false, \"init\": true}", &c);
	assert_int_equal(c.no_new_privileges, 0);
	assert_int_equal(c.init, 1);
	scute_engine_config_free(&c);
	parse_ok("{\"no-new-privileges\": true, \"init\": false}", &c);
	assert_int_equal(c.no_new_privileges, 1);
	assert_int_equal(c.init, 0);
	scute_engine_config_free(&c);
	parse_bad("{\"no-new-privileges\": \"yes\"}", "no-new-privileges", "not a boolean",
		  (char *)NULL);
	parse_bad("{\"init\": 1}", "init: not a boolean", NULL);
}

static void test_seccomp(void **state)
{
	struct scute_engine_config c;
	const char *good[] = { "builtin", "unconfined", "/etc/scute/seccomp.json" };

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		char text[128];

		snprintf(text, sizeof(text), "{\"seccomp-profile\": \"%s\"}", good[i]);
		parse_ok(text, &c);
		assert_string_equal(c.seccomp_profile, good[i]);
		scute_engine_config_free(&c);
	}
	parse_bad("{\"seccomp-profile\": \"default\"}", "seccomp-profile", "\"default\"",
		  (char *)NULL);
	parse_bad("{\"seccomp-profile\": \"p.json\"}", "seccomp-profile", "\"p.json\"",
		  "absolute path", NULL);
	parse_bad("{\"seccomp-profile\": true}", "seccomp-profile: not a string", NULL);
}

static void test_ulimits(void **state)
{
	struct scute_engine_config c;
	json_t *u;

	(void)state;
	parse_ok("{\"default-ulimits\": {\"nofile\": {\"Name\": \"nofile\", \"Soft\": 4096, "
		 "\"Hard\": 8192}, \"core\": {\"Soft\": 0, \"Hard\": -1}, "
		 "\"nproc\": {\"Soft\": -1, \"Hard\": -1}}}",
		 &c);
	u = json_object_get(c.default_ulimits, "nofile");
	assert_string_equal(json_string_value(json_object_get(u, "Name")), "nofile");
	assert_int_equal(json_integer_value(json_object_get(u, "Soft")), 4096);
	assert_int_equal(json_integer_value(json_object_get(u, "Hard")), 8192);
	/* Name filled in from the key */
	u = json_object_get(c.default_ulimits, "core");
	assert_string_equal(json_string_value(json_object_get(u, "Name")), "core");
	assert_int_equal(json_integer_value(json_object_get(u, "Hard")), -1);
	assert_int_equal(json_object_size(c.default_ulimits), 3);
	scute_engine_config_free(&c);

	parse_bad("{\"default-ulimits\": []}", "default-ulimits: not an object", NULL);
	parse_bad("{\"default-ulimits\": {\"files\": {\"Soft\": 1, \"Hard\": 1}}}",
		  "default-ulimits", "unknown ulimit \"files\"", NULL);
	parse_bad("{\"default-ulimits\": {\"nofile\": {\"Soft\": 10, \"Hard\": 5}}}",
		  "default-ulimits.nofile", "Soft 10 is above Hard 5", NULL);
	parse_bad("{\"default-ulimits\": {\"nofile\": {\"Soft\": -1, \"Hard\": 5}}}",
		  "default-ulimits.nofile", "Soft -1 is above Hard 5", NULL);
	parse_bad("{\"default-ulimits\": {\"nofile\": {\"Soft\": \"1\", \"Hard\": 5}}}",
		  "default-ulimits.nofile.Soft", "not an integer", NULL);
	parse_bad("{\"default-ulimits\": {\"nofile\": {\"Soft\": 1}}}",
		  "default-ulimits.nofile.Hard", NULL);
	parse_bad("{\"default-ulimits\": {\"nofile\": {\"Soft\": -2, \"Hard\": 1}}}",
		  "default-ulimits.nofile.Soft", NULL);
	parse_bad("{\"default-ulimits\": {\"nofile\": {\"Name\": \"nproc\", \"Soft\": 1, "
		  "\"Hard\": 1}}}",
		  "default-ulimits.nofile.Name", NULL);
	parse_bad("{\"default-ulimits\": {\"nofile\": {\"Soft\": 1, \"Hard\": 1, \"X\": 1}}}",
		  "default-ulimits.nofile", "unknown key \"X\"", NULL);
	parse_bad("{\"default-ulimits\": {\"nofile\": 5}}", "default-ulimits.nofile",
		  "not an object", NULL);
}

static void test_shm_size(void **state)
{
	struct scute_engine_config c;

	(void)state;
	parse_ok("{\"default-shm-size\": \"128M\"}", &c);
	assert_int_equal(c.default_shm_size, 128 << 20);
	scute_engine_config_free(&c);
	parse_ok("{\"default-shm-size\": 1048576}", &c);
	assert_int_equal(c.default_shm_size, 1 << 20);
	scute_engine_config_free(&c);
	parse_bad("{\"default-shm-size\": \"12x\"}", "default-shm-size", "\"12x\"", NULL);
	parse_bad("{\"default-shm-size\": \"-1\"}", "default-shm-size", "\"-1\"", NULL);
	parse_bad("{\"default-shm-size\": 0}", "default-shm-size", "0 is not a size", NULL);
	parse_bad("{\"default-shm-size\": []}", "default-shm-size: not a size", NULL);
	parse_bad("{\"max-layer-size\": \"big\"}", "max-layer-size", "\"big\"", NULL);
}

static void test_choices(void **state)
{
	struct scute_engine_config c;

	(void)state;
	parse_ok("{\"default-cgroupns-mode\": \"host\", \"log-driver\": \"none\"}", &c);
	assert_string_equal(c.default_cgroupns_mode, "host");
	assert_string_equal(c.log_driver, "none");
	scute_engine_config_free(&c);
	parse_ok("{\"default-cgroupns-mode\": \"private\", \"log-driver\": \"json-file\"}", &c);
	assert_string_equal(c.default_cgroupns_mode, "private");
	assert_string_equal(c.log_driver, "json-file");
	scute_engine_config_free(&c);
	parse_bad("{\"default-cgroupns-mode\": \"shared\"}", "default-cgroupns-mode",
		  "\"shared\" is not \"private\" or \"host\"", NULL);
	parse_bad("{\"default-cgroupns-mode\": 1}", "default-cgroupns-mode: not a string",
		  (char *)NULL);
	parse_bad("{\"log-driver\": \"syslog\"}", "log-driver", "\"syslog\"", NULL);
}

static void test_paths(void **state)
{
	struct scute_engine_config c;

	(void)state;
	parse_ok("{\"init-path\": \"/usr/bin/tini\", \"exec-root\": \"/run/x\"}", &c);
	assert_string_equal(c.init_path, "/usr/bin/tini");
	assert_string_equal(c.exec_root, "/run/x");
	scute_engine_config_free(&c);
	parse_bad("{\"init-path\": \"tini\"}", "init-path", "\"tini\" is not an absolute path",
		  NULL);
	parse_bad("{\"exec-root\": 3}", "exec-root: not a string", NULL);
	parse_bad("{\"data-root\": \"var/lib\"}", "data-root", "\"var/lib\"", NULL);
}

static void test_log_opts(void **state)
{
	struct scute_engine_config c;

	(void)state;
	parse_ok("{\"log-opts\": {\"max-size\": \"10m\", \"max-file\": \"3\", "
		 "\"compress\": \"true\", \"tag\": \"{{.Name}}\"}}",
		 &c);
	assert_string_equal(json_string_value(json_object_get(c.log_opts, "max-size")), "10m");
	assert_int_equal(json_object_size(c.log_opts), 4);
	scute_engine_config_free(&c);
	parse_bad("{\"log-opts\": []}", "log-opts: not an object", NULL);
	parse_bad("{\"log-opts\": {\"max-size\": 10}}", "log-opts.max-size: not a string",
		  (char *)NULL);
	parse_bad("{\"log-opts\": {\"max-size\": \"ten\"}}", "log-opts.max-size", "\"ten\"",
		  (char *)NULL);
	parse_bad("{\"log-opts\": {\"max-file\": \"0\"}}", "log-opts.max-file", "\"0\"",
		  (char *)NULL);
	parse_bad("{\"log-opts\": {\"compress\": \"yes\"}}", "log-opts.compress", "\"yes\"",
		  (char *)NULL);
	parse_bad("{\"log-opts\": {\"syslog-address\": \"x\"}}", "log-opts",
		  "unknown option \"syslog-address\"", NULL);
	parse_bad("{\"log-driver\": \"none\", \"log-opts\": {\"tag\": \"x\"}}", "log-opts",
		  "\"none\"", NULL);
}

static void test_capabilities(void **state)
{
	struct scute_engine_config c;

	(void)state;
	parse_ok("{\"default-capabilities\": [\"chown\", \"CAP_KILL\", \"cap_setuid\", "
		 "\"Net_Bind_Service\", \"KILL\"]}",
		 &c);
	assert_true(c.has_default_capabilities);
	assert_int_equal(c.n_default_capabilities, 4);
	assert_string_equal(c.default_capabilities[0], "CAP_CHOWN");
	assert_string_equal(c.default_capabilities[1], "CAP_KILL");
	assert_string_equal(c.default_capabilities[2], "CAP_SETUID");
	assert_string_equal(c.default_capabilities[3], "CAP_NET_BIND_SERVICE");
	scute_engine_config_free(&c);
	/* none at all is a choice */
	parse_ok("{\"default-capabilities\": []}", &c);
	assert_true(c.has_default_capabilities);
	assert_int_equal(c.n_default_capabilities, 0);
	scute_engine_config_free(&c);
	parse_bad("{\"default-capabilities\": [\"chown\", \"CAP_FLY\"]}", "default-capabilities[1]",
		  "unknown capability \"CAP_FLY\"", NULL);
	parse_bad("{\"default-capabilities\": [\"\"]}", "default-capabilities[0]", NULL);
	parse_bad("{\"default-capabilities\": [\"ALL\"]}", "\"ALL\"", NULL);
	parse_bad("{\"default-capabilities\": \"CAP_KILL\"}", "default-capabilities: not an array",
		  NULL);
	parse_bad("{\"default-capabilities\": [7]}", "default-capabilities[0]: not a string",
		  (char *)NULL);
}

static void test_pids_limit(void **state)
{
	struct scute_engine_config c;

	(void)state;
	parse_ok("{\"default-pids-limit\": 200}", &c);
	assert_int_equal(c.default_pids_limit, 200);
	scute_engine_config_free(&c);
	parse_ok("{\"default-pids-limit\": -1}", &c);
	assert_int_equal(c.default_pids_limit, -1);
	scute_engine_config_free(&c);
	parse_bad("{\"default-pids-limit\": 0}", "default-pids-limit", "0 is not", NULL);
	parse_bad("{\"default-pids-limit\": -5}", "default-pids-limit", "-5", NULL);
	parse_bad("{\"default-pids-limit\": \"100\"}", "default-pids-limit: not an integer",
		  (char *)NULL);
}

static void test_load_keeps_path(void **state)
{
	char path[] = "/tmp/scute-cfg-XXXXXX";
	struct scute_engine_config c;
	struct scute_err err = { 0 };
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "{\"init\": true}", 14), 14);
	close(fd);
	assert_int_equal(scute_engine_config_load(path, &c, &err), 0);
	assert_string_equal(c.path, path);
	assert_int_equal(c.init, 1);
	scute_engine_config_free(&c);
	unlink(path);
	/* a missing file named on purpose is an error; the missing default is not */
	assert_int_equal(scute_engine_config_load(path, &c, &err), -1);
	assert_int_equal(err.code, ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),	   cmocka_unit_test(test_unknown_key),
		cmocka_unit_test(test_bools),	   cmocka_unit_test(test_seccomp),
		cmocka_unit_test(test_ulimits),	   cmocka_unit_test(test_shm_size),
		cmocka_unit_test(test_choices),	   cmocka_unit_test(test_paths),
		cmocka_unit_test(test_log_opts),   cmocka_unit_test(test_capabilities),
		cmocka_unit_test(test_pids_limit), cmocka_unit_test(test_load_keeps_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
