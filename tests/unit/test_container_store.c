/* Unit tests of container records (src/engine/containers/): IDs, docker's
 * name rule and generated names, the lookup order (full ID, name, unique
 * prefix), a name in use, state saved and read back, rename and delete,
 * listing newest first. Each test has a store of its own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "container_json.h"
#include "container_store.h"
#include "db.h"
#include "tmpdir.h"

struct fixture {
	char *dir;
	sqlite3 *db;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct scute_err err = { 0 };

	if (!f)
		return -1;
	f->dir = test_tmpdir();
	f->db = f->dir ? scute_db_open(f->dir, &err) : NULL;
	if (!f->db) {
		print_error("store: %s\n", f->dir ? err.msg : "no temporary directory");
		if (f->dir)
			test_tmpdir_remove(f->dir);
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	scute_db_close(f->db);
	test_tmpdir_remove(f->dir);
	free(f);
	return 0;
}

/* A record with the given ID and name, created at `created`. */
static void add(sqlite3 *db, const char *id, const char *name, int64_t created)
{
	struct scute_container c = { 0 };
	struct scute_err err = { 0 };

	snprintf(c.id, sizeof(c.id), "%s", id);
	c.name = (char *)name;
	c.image_ref = (char *)"busybox";
	c.created = created;
	c.config = json_pack("{s:s}", "Image", "busybox");
	c.host_config = json_pack("{s:s}", "NetworkMode", "none");
	c.status = SCUTE_CONTAINER_CREATED;
	if (scute_container_insert_tx(db, &c, &err) < 0)
		fail_msg("insert %s: %s", name, err.msg);
	json_decref(c.config);
	json_decref(c.host_config);
}

static char *hex_id(char c, const char *head)
{
	static char id[SCUTE_CONTAINER_ID_LEN + 1];

	memset(id, c, SCUTE_CONTAINER_ID_LEN);
	id[SCUTE_CONTAINER_ID_LEN] = '\0';
	memcpy(id, head, strlen(head));
	return id;
}

static void expect_find(sqlite3 *db, const char *ref, const char *want_name)
{
	struct scute_container c;
	struct scute_err err = { 0 };

	if (scute_container_find(db, ref, &c, &err) < 0)
		fail_msg("find %s: %s", ref, err.msg);
	assert_string_equal(c.name, want_name);
	assert_string_equal(c.image_ref, "busybox");
	assert_string_equal(json_string_value(json_object_get(c.config, "Image")), "busybox");
	scute_container_clear(&c);
}

static void expect_not_found(sqlite3 *db, const char *ref, int code, const char *msg)
{
	struct scute_container c;
	struct scute_err err = { 0 };

	assert_int_equal(scute_container_find(db, ref, &c, &err), -1);
	assert_int_equal(err.code, code);
	if (!strstr(err.msg, msg))
		fail_msg("\"%s\" does not say \"%s\"", err.msg, msg);
}

static void ids(void **state)
{
	char a[SCUTE_CONTAINER_ID_LEN + 1], b[SCUTE_CONTAINER_ID_LEN + 1];
	struct scute_err err = { 0 };

	(void)state;
	assert_int_equal(scute_container_new_id(a, &err), 0);
	assert_int_equal(scute_container_new_id(b, &err), 0);
	assert_int_equal(strlen(a), SCUTE_CONTAINER_ID_LEN);
	assert_int_equal(strspn(a, "0123456789abcdef"), SCUTE_CONTAINER_ID_LEN);
	assert_true(strspn(a, "0123456789") < 12);
	assert_string_not_equal(a, b);
}

static void names(void **state)
{
	struct fixture *f = *state;
	struct scute_err err = { 0 };
	char *n = NULL;

	assert_int_equal(scute_container_name_check("web-1.a_b", &err), 0);
	assert_int_equal(scute_container_name_check("a", &err), -1);
	assert_int_equal(err.code, EINVAL);
	assert_int_equal(scute_container_name_check("-web", &err), -1);
	assert_int_equal(scute_container_name_check("we/b", &err), -1);
	assert_int_equal(scute_container_name_check("we b", &err), -1);
	assert_non_null(strstr(err.msg, "invalid container name \"we b\""));
	/* generated names are valid, and differ from those in use */
	for (int i = 0; i < 200; i++) {
		char id[SCUTE_CONTAINER_ID_LEN + 1];

		assert_int_equal(scute_container_name_generate(f->db, &n, &err), 0);
		assert_int_equal(scute_container_name_check(n, &err), 0);
		assert_int_equal(scute_container_new_id(id, &err), 0);
		add(f->db, id, n, 1000 + i);
		free(n);
	}
}

static void lookup(void **state)
{
	struct fixture *f = *state;

	add(f->db, hex_id('0', "abc1"), "first", 1);
	add(f->db, hex_id('0', "abc2"), "second", 2);
	/* a name that is another container's ID prefix: the name wins */
	add(f->db, hex_id('1', "f00d"), "abc1", 3);
	expect_find(f->db, hex_id('0', "abc1"), "first");
	expect_find(f->db, "second", "second");
	expect_find(f->db, "/second", "second");
	expect_find(f->db, "abc1", "abc1");
	expect_find(f->db, "abc2", "second");
	expect_find(f->db, "f00", "abc1");
	expect_not_found(f->db, "abc", EINVAL,
			 "multiple containers found with the ID prefix \"abc\"");
	expect_not_found(f->db, "nothere", ENOENT, "no such container: nothere");
	expect_not_found(f->db, "ab*", ENOENT, "no such container: ab*");
	expect_not_found(f->db, "", ENOENT, "no such container");
}

static void name_in_use(void **state)
{
	struct fixture *f = *state;
	struct scute_container c = { 0 };
	struct scute_err err = { 0 };

	add(f->db, hex_id('2', "aa"), "web", 1);
	snprintf(c.id, sizeof(c.id), "%s", hex_id('3', "bb"));
	c.name = (char *)"web";
	c.image_ref = (char *)"busybox";
	c.created = 2;
	c.config = json_object();
	c.host_config = json_object();
	assert_int_equal(scute_container_insert_tx(f->db, &c, &err), -1);
	assert_int_equal(err.code, EEXIST);
	if (!strstr(err.msg, "\"/web\" is already in use by container \"aa22"))
		fail_msg("%s", err.msg);
	json_decref(c.config);
	json_decref(c.host_config);
	expect_not_found(f->db, hex_id('3', "bb"), ENOENT, "no such container");
}

static int collect(const struct scute_container *c, void *arg)
{
	json_array_append_new(arg, json_string(c->name));
	return 0;
}

static void state_rename_delete(void **state)
{
	struct fixture *f = *state;
	struct scute_container c;
	struct scute_err err = { 0 };
	json_t *order = json_array();
	char *s;

	add(f->db, hex_id('4', "01"), "old", 5);
	add(f->db, hex_id('5', "02"), "new", 9);
	add(f->db, hex_id('6', "03"), "mid", 7);
	assert_int_equal(scute_container_find(f->db, "old", &c, &err), 0);
	c.status = SCUTE_CONTAINER_EXITED;
	c.exit_code = 137;
	c.oom_killed = true;
	c.pid = 4242;
	c.pid_start = 99;
	c.started_at = 10;
	c.finished_at = 20;
	c.restart_count = 3;
	assert_int_equal(scute_container_save_state_tx(f->db, &c, &err), 0);
	scute_container_clear(&c);
	assert_int_equal(scute_container_find(f->db, "old", &c, &err), 0);
	assert_int_equal(c.status, SCUTE_CONTAINER_EXITED);
	assert_string_equal(scute_container_status_name(c.status), "exited");
	assert_int_equal(c.exit_code, 137);
	assert_true(c.oom_killed);
	assert_int_equal(c.pid, 4242);
	assert_int_equal(c.pid_start, 99);
	assert_int_equal(c.finished_at, 20);
	assert_int_equal(c.restart_count, 3);
	assert_int_equal(scute_container_rename_tx(f->db, c.id, "mid", &err), -1);
	assert_int_equal(err.code, EEXIST);
	assert_int_equal(scute_container_rename_tx(f->db, c.id, "x", &err), -1);
	assert_int_equal(err.code, EINVAL);
	assert_int_equal(scute_container_rename_tx(f->db, c.id, "renamed", &err), 0);
	expect_find(f->db, "renamed", "renamed");
	expect_not_found(f->db, "old", ENOENT, "no such container: old");
	assert_int_equal(scute_container_each(f->db, collect, order, &err), 0);
	s = json_dumps(order, JSON_COMPACT);
	assert_string_equal(s, "[\"new\",\"mid\",\"renamed\"]");
	free(s);
	json_decref(order);
	assert_int_equal(scute_container_delete_tx(f->db, c.id, &err), 0);
	assert_int_equal(scute_container_delete_tx(f->db, c.id, &err), -1);
	assert_int_equal(err.code, ENOENT);
	assert_int_equal(scute_container_save_state_tx(f->db, &c, &err), -1);
	assert_int_equal(err.code, ENOENT);
	scute_container_clear(&c);
}

static void times(void **state)
{
	char buf[48];

	(void)state;
	scute_time_rfc3339_nano(0, buf, sizeof(buf));
	assert_string_equal(buf, "0001-01-01T00:00:00Z");
	scute_time_rfc3339_nano(1704164645123456789LL, buf, sizeof(buf));
	assert_string_equal(buf, "2024-01-02T03:04:05.123456789Z");
	scute_time_rfc3339_nano(1704164645120000000LL, buf, sizeof(buf));
	assert_string_equal(buf, "2024-01-02T03:04:05.12Z");
	scute_time_rfc3339_nano(1704164645000000000LL, buf, sizeof(buf));
	assert_string_equal(buf, "2024-01-02T03:04:05Z");
}

/* The value at a JSON pointer-ish dotted path, dumped compactly. */
static void expect_at(json_t *doc, const char *path, const char *want)
{
	char buf[256], *key, *save = NULL;
	json_t *v = doc;
	char *got;

	snprintf(buf, sizeof(buf), "%s", path);
	for (key = strtok_r(buf, ".", &save); key && v; key = strtok_r(NULL, ".", &save))
		v = json_object_get(v, key);
	if (!v)
		fail_msg("%s: missing", path);
	got = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_SORT_KEYS);
	if (strcmp(got, want))
		fail_msg("%s: %s, not %s", path, got, want);
	free(got);
}

static void shapes(void **state)
{
	struct scute_container c = { 0 };
	struct scute_container_paths paths = { "/l1:/l2", "/u", "/w", "/m" };
	json_t *doc;

	(void)state;
	snprintf(c.id, sizeof(c.id), "%s", hex_id('a', "0"));
	c.name = (char *)"web";
	c.image = (char *)"sha256:feed";
	c.image_ref = (char *)"busybox";
	c.created = 1704164645000000000LL;
	c.config = json_pack("{s[s] s[ss] s{ss}}", "Entrypoint", "/bin/sh", "Cmd", "-c", "echo hi",
			     "Labels", "a", "b");
	c.host_config = json_pack("{ss}", "NetworkMode", "none");
	c.status = SCUTE_CONTAINER_EXITED;
	c.exit_code = 3;
	c.pid = 77;
	c.started_at = 1704164646000000000LL;
	c.finished_at = 1704164647500000000LL;
	doc = scute_container_inspect_json(&c, &paths);
	assert_non_null(doc);
	expect_at(doc, "Name", "\"/web\"");
	expect_at(doc, "Path", "\"/bin/sh\"");
	expect_at(doc, "Args", "[\"-c\",\"echo hi\"]");
	expect_at(doc, "Created", "\"2024-01-02T03:04:05Z\"");
	expect_at(doc, "State.Status", "\"exited\"");
	expect_at(doc, "State.Running", "false");
	expect_at(doc, "State.Pid", "0");
	expect_at(doc, "State.ExitCode", "3");
	expect_at(doc, "State.FinishedAt", "\"2024-01-02T03:04:07.5Z\"");
	expect_at(doc, "GraphDriver.Data.UpperDir", "\"/u\"");
	expect_at(doc, "Config.Labels", "{\"a\":\"b\"}");
	expect_at(doc, "NetworkSettings.Networks", "{\"none\":{}}");
	json_decref(doc);
	c.status = SCUTE_CONTAINER_RUNNING;
	doc = scute_container_inspect_json(&c, NULL);
	expect_at(doc, "State.Running", "true");
	expect_at(doc, "State.Pid", "77");
	expect_at(doc, "GraphDriver.Data.UpperDir", "\"\"");
	json_decref(doc);
	doc = scute_container_list_entry(&c);
	assert_non_null(doc);
	expect_at(doc, "Names", "[\"/web\"]");
	expect_at(doc, "Command", "\"/bin/sh -c 'echo hi'\"");
	expect_at(doc, "Created", "1704164645");
	expect_at(doc, "State", "\"running\"");
	expect_at(doc, "HostConfig.NetworkMode", "\"none\"");
	json_decref(doc);
	json_decref(c.config);
	json_decref(c.host_config);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ids),
		cmocka_unit_test(times),
		cmocka_unit_test(shapes),
		cmocka_unit_test_setup_teardown(names, setup, teardown),
		cmocka_unit_test_setup_teardown(lookup, setup, teardown),
		cmocka_unit_test_setup_teardown(name_in_use, setup, teardown),
		cmocka_unit_test_setup_teardown(state_rename_delete, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
