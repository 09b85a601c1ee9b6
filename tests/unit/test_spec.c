/* Unit tests of the config parser and the tables it uses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <linux/capability.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <jansson.h>
#include <stdlib.h>
#include <stdio.h>

#include "caps.h"
#include "landlock.h"
#include "spec.h"
#include "sysctl_rules.h"
#include "userns.h"

#define MINIMAL_PROCESS \
	"\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\",\"user\":{\"uid\":0,\"gid\":0}}"
#define MINIMAL_LINUX "\"linux\":{\"namespaces\":[{\"type\":\"mount\"},{\"type\":\"uts\"}]}"

static struct scute_spec *parse_ok(const char *body)
{
	char text[8192];
	struct scute_spec *spec = NULL;
	struct scute_err err = { 0 };

	snprintf(text, sizeof(text), "{\"ociVersion\":\"1.2.0\",\"root\":{\"path\":\"rootfs\"},%s}",
		 body);
	if (scute_spec_parse(text, "config.json", "/bundle", &spec, &err) < 0)
		fail_msg("unexpected error: %s", err.msg);
	return spec;
}

static void parse_err(const char *body, const char *want)
{
	char text[8192];
	struct scute_spec *spec = NULL;
	struct scute_err err = { 0 };

	snprintf(text, sizeof(text), "{\"ociVersion\":\"1.2.0\",\"root\":{\"path\":\"rootfs\"},%s}",
		 body);
	assert_int_equal(scute_spec_parse(text, "config.json", "/bundle", &spec, &err), -1);
	if (!strstr(err.msg, want))
		fail_msg("error \"%s\" does not contain \"%s\"", err.msg, want);
	assert_null(spec);
}

static void test_minimal(void **state)
{
	(void)state;
	struct scute_spec *s = parse_ok(MINIMAL_PROCESS "," MINIMAL_LINUX);
	assert_string_equal(s->root_path, "/bundle/rootfs");
	assert_string_equal(s->process.args[0], "sh");
	assert_true(s->ns[SCUTE_NS_MNT].present);
	assert_false(s->ns[SCUTE_NS_PID].present);
	assert_int_equal(s->rootfs_propagation, MS_SLAVE | MS_REC);
	scute_spec_free(s);
}

static void test_capabilities(void **state)
{
	(void)state;
	struct scute_spec *s = parse_ok(
		"\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\",\"user\":{\"uid\":0,\"gid\":0},"
		"\"capabilities\":{\"bounding\":[\"CAP_CHOWN\",\"CAP_NET_BIND_SERVICE\"],"
		"\"ambient\":[\"CAP_KILL\"]}}," MINIMAL_LINUX);
	assert_int_equal(s->process.caps[SCUTE_CAP_BOUNDING],
			 (1ULL << CAP_CHOWN) | (1ULL << CAP_NET_BIND_SERVICE));
	assert_int_equal(s->process.caps[SCUTE_CAP_AMBIENT], 1ULL << CAP_KILL);
	assert_int_equal(s->process.caps[SCUTE_CAP_INHERITABLE], 0);
	scute_spec_free(s);
}

static void test_cap_names(void **state)
{
	char buf[64];
	(void)state;
	assert_int_equal(scute_cap_from_name("CAP_SYS_ADMIN"), CAP_SYS_ADMIN);
	assert_int_equal(scute_cap_from_name("SYS_ADMIN"), -1);
	assert_int_equal(scute_cap_from_name("CAP_12"), -1);
	assert_int_equal(scute_cap_from_name("12"), -1);
	assert_string_equal(scute_cap_name(CAP_NET_RAW, buf, sizeof(buf)), "CAP_NET_RAW");
}

static void test_mount_options(void **state)
{
	(void)state;
	struct scute_spec *s = parse_ok(
		MINIMAL_PROCESS
		"," MINIMAL_LINUX ",\"mounts\":["
		"{\"destination\":\"/a\",\"type\":\"tmpfs\",\"source\":\"tmpfs\","
		"\"options\":[\"nosuid\",\"ro\",\"size=1m\",\"noatime\",\"rshared\",\"sync\"]},"
		"{\"destination\":\"/b\",\"source\":\"data\",\"options\":[\"rbind\",\"rw\",\"nodev\"]}]");
	struct scute_mount *a = &s->mounts[0], *b = &s->mounts[1];
	assert_int_equal(a->attr_set, MOUNT_ATTR_NOSUID | MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOATIME);
	assert_int_equal(a->propagation, MS_SHARED);
	assert_true(a->propagation_recursive);
	assert_int_equal(a->n_fs_options, 2);
	assert_string_equal(a->fs_options[0], "size=1m");
	assert_string_equal(a->fs_options[1], "sync");
	assert_false(a->bind);
	assert_true(b->bind && b->recursive);
	assert_string_equal(b->source, "/bundle/data");
	assert_int_equal(b->attr_clr & MOUNT_ATTR_RDONLY, MOUNT_ATTR_RDONLY);
	scute_spec_free(s);
}

static void test_rlimits(void **state)
{
	(void)state;
	struct scute_spec *s = parse_ok(
		"\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\",\"user\":{\"uid\":0,\"gid\":0},"
		"\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"soft\":10,\"hard\":20}]}," MINIMAL_LINUX);
	assert_int_equal(s->process.n_rlimits, 1);
	assert_int_equal(s->process.rlimits[0].resource, RLIMIT_NOFILE);
	assert_int_equal(s->process.rlimits[0].soft, 10);
	assert_int_equal(s->process.rlimits[0].hard, 20);
	scute_spec_free(s);
}

static void test_errors_name_paths(void **state)
{
	(void)state;
	parse_err(
		"\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\",\"user\":{\"uid\":0,\"gid\":0},"
		"\"capabilities\":{\"bounding\":[\"CAP_CHOWN\",\"CAP_KILL\",\"CAP_FOO\"]}}," MINIMAL_LINUX,
		"config.json: process.capabilities.bounding[2]: unknown capability \"CAP_FOO\"");
	parse_err(MINIMAL_LINUX, "config.json: process: required field is missing");
	parse_err(MINIMAL_PROCESS ",\"linux\":{\"namespaces\":[{\"type\":\"uts\"}]},"
				  "\"mounts\":[{\"destination\":\"/proc\",\"type\":\"proc\"}]",
		  "config.json: mounts: needs a mount namespace");
	parse_err(MINIMAL_PROCESS ",\"linux\":{\"maskedPaths\":[\"/proc/kcore\"]}",
		  "config.json: linux.maskedPaths: needs a mount namespace");
	parse_err(MINIMAL_PROCESS "," MINIMAL_LINUX ",\"mounts\":[{\"destination\":\"/a\"}]",
		  "mounts[0]: type is required unless the mount is a bind mount");
	parse_err(MINIMAL_PROCESS ",\"linux\":{\"namespaces\":[{\"type\":\"mount\"}],"
				  "\"intelRdt\":{}}",
		  "linux.intelRdt: not supported by this build");
	parse_err(MINIMAL_PROCESS ",\"linux\":{\"namespaces\":[{\"type\":\"mount\"}],"
				  "\"seccomp\":{}}",
		  "linux.seccomp.defaultAction: required field is missing");
}

/* Omitted namespaces are inherited (runtime-spec); a mount namespace can be
 * joined by path; filesystem options on a bind mount are dropped. */
static void test_namespaces_and_bind_options(void **state)
{
	struct scute_spec *s;

	(void)state;
	s = parse_ok(MINIMAL_PROCESS ",\"linux\":{}");
	for (int t = 0; t < SCUTE_NS_COUNT; t++)
		assert_false(s->ns[t].present);
	scute_spec_free(s);
	s = parse_ok(MINIMAL_PROCESS ",\"linux\":{\"namespaces\":[{\"type\":\"mount\","
				     "\"path\":\"/run/ns/mnt\"}]}");
	assert_string_equal(s->ns[SCUTE_NS_MNT].path, "/run/ns/mnt");
	scute_spec_free(s);
	s = parse_ok(MINIMAL_PROCESS
		     "," MINIMAL_LINUX ",\"mounts\":[{\"destination\":\"/a\","
		     "\"source\":\"/x\",\"options\":[\"bind\",\"mode=755\",\"size=1\"]}]");
	assert_true(s->mounts[0].bind);
	assert_int_equal(s->mounts[0].n_fs_options, 0);
	scute_spec_free(s);
}

static void test_syntax_error_position(void **state)
{
	struct scute_spec *spec = NULL;
	struct scute_err err = { 0 };
	(void)state;
	assert_int_equal(scute_spec_parse("{\n\"a\": [1,\n}", "config.json", "/b", &spec, &err),
			 -1);
	assert_non_null(strstr(err.msg, "config.json: line 3, column"));
	assert_int_equal(scute_spec_parse("{\"a\":1,\"a\":2}", "config.json", "/b", &spec, &err),
			 -1);
	assert_non_null(strstr(err.msg, "duplicate"));
}

static void test_unknown_fields_ignored(void **state)
{
	(void)state;
	struct scute_spec *s = parse_ok(
		MINIMAL_PROCESS "," MINIMAL_LINUX ",\"vnd.example\":{\"x\":1},\"solaris\":{}");
	scute_spec_free(s);
}

static void test_sysctl_rules(void **state)
{
	(void)state;
	struct scute_spec *s =
		parse_ok(MINIMAL_PROCESS
			 ",\"linux\":{\"namespaces\":[{\"type\":\"mount\"},{\"type\":\"ipc\"}]}");
	struct scute_err err = { 0 };
	assert_int_equal(scute_sysctl_check("kernel.shmmax", s, &err), 0);
	assert_int_equal(scute_sysctl_check("fs.mqueue.msg_max", s, &err), 0);
	assert_int_equal(scute_sysctl_check("net.ipv4.ip_forward", s, &err), -1);
	assert_int_equal(scute_sysctl_check("kernel.panic", s, &err), -1);
	assert_int_equal(scute_sysctl_check("kernel/../panic", s, &err), -1);
	assert_int_equal(scute_sysctl_check("kernel..shmmax", s, &err), -1);
	scute_spec_free(s);
}

static void test_idmap_format(void **state)
{
	struct scute_idmap maps[] = { { 0, 100000, 65536 }, { 65536, 1000, 1 } };
	char buf[128];
	(void)state;
	assert_int_equal(scute_idmap_format(maps, 2, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "0 100000 65536\n65536 1000 1\n");
	assert_int_equal(scute_idmap_format(maps, 2, buf, 10), -1);
}

static void test_landlock_section(void **state)
{
	struct scute_spec *spec;

	(void)state;
	spec = parse_ok(
		"\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\",\"user\":{\"uid\":0,\"gid\":0},\"noNewPrivileges\":true,"
		"\"landlock\":{\"ruleset\":{\"handledAccessFS\":[\"read_file\",\"write_file\"],"
		"\"handledAccessNet\":[\"bind_tcp\"],\"scoped\":[\"signal\"]},"
		"\"rules\":{\"pathBeneath\":[{\"allowedAccess\":[\"read_file\"],"
		"\"paths\":[\"/usr\",\"/etc\"]}],\"netPort\":[{\"allowedAccess\":"
		"[\"bind_tcp\"],\"ports\":[80,443]}]},\"disableBestEffort\":true}}," MINIMAL_LINUX);
	const struct scute_landlock *ll = spec->process.landlock;
	assert_non_null(ll);
	assert_int_equal(ll->handled_fs, (1 << 1) | (1 << 2));
	assert_int_equal(ll->handled_net, 1);
	assert_int_equal(ll->scoped, 2);
	assert_int_equal(ll->n_path_rules, 1);
	assert_int_equal(ll->path_rules[0].n_paths, 2);
	assert_string_equal(ll->path_rules[0].paths[1], "/etc");
	assert_int_equal(ll->n_port_rules, 1);
	assert_int_equal(ll->port_rules[0].ports[1], 443);
	assert_true(ll->disable_best_effort);
	scute_spec_free(spec);
	parse_err(
		"\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\",\"user\":{\"uid\":0,\"gid\":0},\"noNewPrivileges\":true,"
		"\"landlock\":{\"ruleset\":{\"handledAccessFS\":[\"execute\"]},\"rules\":{"
		"\"netPort\":[{\"allowedAccess\":[\"bind_tcp\"],\"ports\":[1]}]}}}," MINIMAL_LINUX,
		"config.json: process.landlock.rules.netPort[0]: allowedAccess: bind_tcp not in "
		"ruleset.handledAccessNet");
}

/* linux.mountLabel labels new filesystems, not binds nor proc/sysfs. */
static void test_mount_label(void **state)
{
	struct scute_spec *spec;

	(void)state;
	spec = parse_ok(MINIMAL_PROCESS
			",\"mounts\":[{\"destination\":\"/tmp\",\"type\":\"tmpfs\","
			"\"source\":\"tmpfs\"},{\"destination\":\"/proc\",\"type\":\"proc\","
			"\"source\":\"proc\"},{\"destination\":\"/b\",\"type\":\"bind\","
			"\"source\":\"/x\",\"options\":[\"bind\"]}],"
			"\"linux\":{\"namespaces\":[{\"type\":\"mount\"}],"
			"\"mountLabel\":\"system_u:object_r:container_file_t:s0:c1,c2\"}");
	assert_int_equal(spec->mounts[0].n_fs_options, 1);
	assert_string_equal(spec->mounts[0].fs_options[0],
			    "context=system_u:object_r:container_file_t:s0:c1,c2");
	assert_int_equal(spec->mounts[1].n_fs_options, 0);
	assert_int_equal(spec->mounts[2].n_fs_options, 0);
	scute_spec_free(spec);
}

static void test_hardened_spec_parses(void **state)
{
	struct scute_spec *spec = NULL;
	struct scute_err err = { 0 };
	(void)state;
	json_t *doc = scute_spec_hardened(false, &err);
	assert_non_null(doc);
	char *text = json_dumps(doc, 0);
	assert_int_equal(scute_spec_parse(text, "spec", "/b", &spec, &err), 0);
	assert_true(spec->process.no_new_privileges);
	assert_int_equal(spec->process.caps[SCUTE_CAP_INHERITABLE], 0);
	assert_int_equal(spec->process.caps[SCUTE_CAP_AMBIENT], 0);
	assert_int_equal(spec->process.caps[SCUTE_CAP_BOUNDING] & (1ULL << CAP_NET_RAW), 0);
	assert_true(spec->root_readonly);
	assert_true(spec->resources.has_pids_limit);
	assert_non_null(spec->seccomp);
	scute_spec_free(spec);
	free(text);
	json_decref(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_minimal),
		cmocka_unit_test(test_capabilities),
		cmocka_unit_test(test_cap_names),
		cmocka_unit_test(test_mount_options),
		cmocka_unit_test(test_rlimits),
		cmocka_unit_test(test_errors_name_paths),
		cmocka_unit_test(test_syntax_error_position),
		cmocka_unit_test(test_namespaces_and_bind_options),
		cmocka_unit_test(test_unknown_fields_ignored),
		cmocka_unit_test(test_sysctl_rules),
		cmocka_unit_test(test_idmap_format),
		cmocka_unit_test(test_hardened_spec_parses),
		cmocka_unit_test(test_landlock_section),
		cmocka_unit_test(test_mount_label),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
