/* Unit tests of the container defaults (src/engine/config/container_defaults.c):
 * without a config every default is the hardened spec's, marked built-in;
 * each engine config key replaces its default, marked with the config's
 * path, and leaves the others built-in; ulimits merge by name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "container_defaults.h"

#define CFG "/etc/scute/test.json"

static void resolve(const char *text, struct scute_container_defaults *d)
{
	struct scute_engine_config c;
	struct scute_err err = { 0 };

	if (scute_engine_config_parse(text, CFG, &c, &err) < 0)
		fail_msg("%s: %s", text, err.msg);
	if (scute_container_defaults_resolve(&c, CFG, d, &err) < 0)
		fail_msg("%s: %s", text, err.msg);
	scute_engine_config_free(&c);
}

static json_t *ulimit(const struct scute_container_defaults *d, const char *name)
{
	json_t *u;
	size_t i;

	json_array_foreach(
		d->ulimits, i,
		u) if (!strcmp(json_string_value(json_object_get(u, "Name")), name)) return u;
	return NULL;
}

static void assert_ulimit(const struct scute_container_defaults *d, const char *name, int64_t soft,
			  int64_t hard)
{
	json_t *u = ulimit(d, name);

	assert_non_null(u);
	assert_int_equal(json_integer_value(json_object_get(u, "Soft")), soft);
	assert_int_equal(json_integer_value(json_object_get(u, "Hard")), hard);
}

/* Each value straight from scute_spec_hardened(false). */
static void test_builtin_is_the_spec(void **state)
{
	struct scute_container_defaults d;
	struct scute_err err = { 0 };
	json_t *spec = scute_spec_hardened(false, &err);
	json_t *proc = json_object_get(spec, "process"), *bounding;
	json_t *lx = json_object_get(spec, "linux");

	(void)state;
	assert_non_null(spec);
	resolve("{}", &d);
	bounding = json_object_get(json_object_get(proc, "capabilities"), "bounding");
	assert_int_equal(d.n_capabilities, json_array_size(bounding));
	for (size_t i = 0; i < d.n_capabilities; i++)
		assert_string_equal(d.capabilities[i],
				    json_string_value(json_array_get(bounding, i)));
	assert_null(d.capabilities[d.n_capabilities]);
	assert_string_equal(d.capabilities[0], "CAP_CHOWN");
	assert_true(d.no_new_privileges);
	assert_string_equal(d.seccomp, "builtin");
	assert_int_equal(d.pids_limit, 1024);
	assert_int_equal(json_array_size(d.ulimits), 1);
	assert_ulimit(&d, "nofile", 1024, 1024);
	assert_int_equal(d.shm_size, 64 << 20);
	assert_string_equal(d.cgroupns_mode, "private");
	assert_false(d.init);
	assert_string_equal(d.init_path, SCUTE_INIT_PATH);
	assert_string_equal(d.log_driver, "json-file");
	assert_int_equal(json_object_size(d.log_opts), 0);
	assert_string_equal(d.network_mode, "none");
	assert_true(json_equal(d.masked_paths, json_object_get(lx, "maskedPaths")));
	assert_true(json_equal(d.readonly_paths, json_object_get(lx, "readonlyPaths")));
	if (json_object_get(proc, "apparmorProfile"))
		assert_string_equal(d.apparmor_profile, SCUTE_APPARMOR_DEFAULT);
	else
		assert_null(d.apparmor_profile);
	{
		const struct scute_default *all[] = {
			&d.capabilities_src,	 &d.no_new_privileges_src,
			&d.seccomp_src,		 &d.pids_limit_src,
			&d.ulimits_src,		 &d.shm_size_src,
			&d.cgroupns_mode_src,	 &d.init_src,
			&d.init_path_src,	 &d.log_driver_src,
			&d.log_opts_src,	 &d.network_mode_src,
			&d.apparmor_profile_src,
		};
		for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
			assert_string_equal(all[i]->source, SCUTE_DEFAULT_BUILTIN);
	}
	scute_container_defaults_free(&d);
	json_decref(spec);
}

static void test_every_key(void **state)
{
	struct scute_container_defaults d;

	(void)state;
	resolve("{\"no-new-privileges\": false, \"seccomp-profile\": \"/etc/p.json\", "
		"\"default-ulimits\": {\"nproc\": {\"Soft\": 100, \"Hard\": 200}}, "
		"\"default-shm-size\": \"1g\", \"default-cgroupns-mode\": \"host\", "
		"\"init\": true, \"init-path\": \"/usr/bin/tini\", \"log-driver\": \"json-file\", "
		"\"log-opts\": {\"max-size\": \"5m\"}, "
		"\"default-capabilities\": [\"kill\", \"chown\"], \"default-pids-limit\": -1}",
		&d);
	assert_int_equal(d.n_capabilities, 2);
	assert_string_equal(d.capabilities[0], "CAP_KILL");
	assert_string_equal(d.capabilities[1], "CAP_CHOWN");
	assert_string_equal(d.capabilities_src.source, CFG);
	assert_false(d.no_new_privileges);
	assert_string_equal(d.no_new_privileges_src.source, CFG);
	assert_string_equal(d.seccomp, "/etc/p.json");
	assert_string_equal(d.seccomp_src.source, CFG);
	assert_int_equal(d.pids_limit, -1);
	assert_string_equal(d.pids_limit_src.source, CFG);
	/* the spec's nofile stays, the config's nproc joins it */
	assert_int_equal(json_array_size(d.ulimits), 2);
	assert_ulimit(&d, "nofile", 1024, 1024);
	assert_ulimit(&d, "nproc", 100, 200);
	assert_string_equal(d.ulimits_src.source, CFG);
	assert_int_equal(d.shm_size, 1 << 30);
	assert_string_equal(d.shm_size_src.source, CFG);
	assert_string_equal(d.cgroupns_mode, "host");
	assert_string_equal(d.cgroupns_mode_src.source, CFG);
	assert_true(d.init);
	assert_string_equal(d.init_src.source, CFG);
	assert_string_equal(d.init_path, "/usr/bin/tini");
	assert_string_equal(d.init_path_src.source, CFG);
	assert_string_equal(d.log_driver_src.source, CFG);
	assert_string_equal(json_string_value(json_object_get(d.log_opts, "max-size")), "5m");
	assert_string_equal(d.log_opts_src.source, CFG);
	/* not settable: still built-in */
	assert_string_equal(d.network_mode_src.source, SCUTE_DEFAULT_BUILTIN);
	scute_container_defaults_free(&d);
}

/* One key set: only its default changes source. */
static void test_one_key_only(void **state)
{
	struct scute_container_defaults d;

	(void)state;
	resolve("{\"default-pids-limit\": 50}", &d);
	assert_int_equal(d.pids_limit, 50);
	assert_string_equal(d.pids_limit_src.source, CFG);
	assert_string_equal(d.capabilities_src.source, SCUTE_DEFAULT_BUILTIN);
	assert_string_equal(d.ulimits_src.source, SCUTE_DEFAULT_BUILTIN);
	assert_string_equal(d.seccomp_src.source, SCUTE_DEFAULT_BUILTIN);
	assert_true(d.no_new_privileges);
	scute_container_defaults_free(&d);
	/* true is a choice too */
	resolve("{\"no-new-privileges\": true, \"init\": false}", &d);
	assert_true(d.no_new_privileges);
	assert_string_equal(d.no_new_privileges_src.source, CFG);
	assert_false(d.init);
	assert_string_equal(d.init_src.source, CFG);
	scute_container_defaults_free(&d);
}

static void test_ulimit_replaces_by_name(void **state)
{
	struct scute_container_defaults d;

	(void)state;
	resolve("{\"default-ulimits\": {\"nofile\": {\"Name\": \"nofile\", \"Soft\": 4096, "
		"\"Hard\": 65536}}}",
		&d);
	assert_int_equal(json_array_size(d.ulimits), 1);
	assert_ulimit(&d, "nofile", 4096, 65536);
	scute_container_defaults_free(&d);
}

static void test_no_capabilities(void **state)
{
	struct scute_container_defaults d;

	(void)state;
	resolve("{\"default-capabilities\": []}", &d);
	assert_int_equal(d.n_capabilities, 0);
	assert_null(d.capabilities[0]);
	assert_string_equal(d.capabilities_src.source, CFG);
	scute_container_defaults_free(&d);
}

static void test_json(void **state)
{
	struct scute_container_defaults d;
	json_t *j, *e;
	const char *key;
	static const char *const keys[] = {
		"Capabilities",	   "NoNewPrivileges", "SeccompProfile", "PidsLimit",
		"Ulimits",	   "ShmSize",	      "CgroupnsMode",	"Init",
		"InitPath",	   "LogDriver",	      "LogOpts",	"NetworkMode",
		"AppArmorProfile", "MaskedPaths",     "ReadonlyPaths",
	};

	(void)state;
	resolve("{\"default-shm-size\": \"128m\"}", &d);
	j = scute_container_defaults_json(&d);
	assert_non_null(j);
	assert_int_equal(json_object_size(j), sizeof(keys) / sizeof(keys[0]));
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		e = json_object_get(j, keys[i]);
		if (!e)
			fail_msg("no %s", keys[i]);
		assert_non_null(json_object_get(e, "Value"));
		assert_non_null(json_string_value(json_object_get(e, "Source")));
	}
	json_object_foreach(j, key, e)
	{
		if (strcmp(key, "ShmSize") != 0)
			assert_string_equal(json_string_value(json_object_get(e, "Source")),
					    SCUTE_DEFAULT_BUILTIN);
	}
	e = json_object_get(j, "ShmSize");
	assert_int_equal(json_integer_value(json_object_get(e, "Value")), 128 << 20);
	assert_string_equal(json_string_value(json_object_get(e, "Source")), CFG);
	assert_string_equal(
		json_string_value(json_object_get(json_object_get(j, "InitPath"), "Value")),
		SCUTE_INIT_PATH);
	assert_true(json_equal(json_object_get(json_object_get(j, "Ulimits"), "Value"), d.ulimits));
	json_decref(j);
	scute_container_defaults_free(&d);
}

/* A config parsed from text names no file: the source says so. */
static void test_unnamed_config(void **state)
{
	struct scute_engine_config c;
	struct scute_container_defaults d;
	struct scute_err err = { 0 };

	(void)state;
	assert_int_equal(scute_engine_config_parse("{\"init\": true}", "x", &c, &err), 0);
	assert_int_equal(scute_container_defaults_resolve(&c, NULL, &d, &err), 0);
	assert_string_equal(d.init_src.source, "engine config");
	scute_container_defaults_free(&d);
	scute_engine_config_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin_is_the_spec),
		cmocka_unit_test(test_every_key),
		cmocka_unit_test(test_one_key_only),
		cmocka_unit_test(test_ulimit_replaces_by_name),
		cmocka_unit_test(test_no_capabilities),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_unnamed_config),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
