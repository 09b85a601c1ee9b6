/* Unit tests of named volumes (src/engine/volumes/): create and inspect,
 * docker's name rule, the driver and options refused, anonymous volumes,
 * the list's filters, a volume in use refused removal and released with
 * its container, use by a container (made if missing, one per
 * destination), prune with the space it reclaims, and the sweep of
 * directories without a row. Each test has a store of its own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <regex.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "container_store.h"
#include "db.h"
#include "store.h"
#include "tmpdir.h"
#include "volume_store.h"

struct fixture {
	char *dir;
	char real[PATH_MAX];
	struct scute_store s;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct scute_err err = { 0 };

	if (!f)
		return -1;
	f->dir = test_tmpdir();
	if (!f->dir || !realpath(f->dir, f->real) ||
	    scute_store_open(f->dir, SCUTE_STORE_WRITE, &f->s, &err) < 0) {
		print_error("store: %s\n", f->dir ? err.msg : "no temporary directory");
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

	scute_store_close(&f->s);
	test_tmpdir_remove(f->dir);
	free(f);
	return 0;
}

static long long query(struct fixture *f, const char *sql)
{
	sqlite3_stmt *st = NULL;
	long long v = -1;

	if (sqlite3_prepare_v2(f->s.db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* The entries of ROOT/SUB, sorted, joined by spaces ("" when none). */
static const char *entries(struct fixture *f, const char *sub)
{
	static char out[4096];
	struct dirent **list = NULL;
	int n = scandir(test_path(f->dir, sub), &list, NULL, alphasort);

	out[0] = '\0';
	for (int i = 0; i < n; i++) {
		if (strcmp(list[i]->d_name, ".") && strcmp(list[i]->d_name, ".."))
			snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%s",
				 out[0] ? " " : "", list[i]->d_name);
		free(list[i]);
	}
	free(list);
	return out;
}

static void expect_err(int rc, const struct scute_err *err, int code, const char *text)
{
	assert_int_equal(rc, -1);
	assert_int_equal(err->code, code);
	if (!strstr(err->msg, text))
		fail_msg("\"%s\" does not say \"%s\"", err->msg, text);
}

static void add_container(struct fixture *f, const char *id, const char *name)
{
	struct scute_container c = { 0 };
	struct scute_err err = { 0 };

	snprintf(c.id, sizeof(c.id), "%s", id);
	c.name = (char *)name;
	c.image_ref = (char *)"busybox";
	c.created = 1;
	c.config = json_object();
	c.host_config = json_object();
	c.status = SCUTE_CONTAINER_CREATED;
	if (scute_container_insert_tx(f->s.db, &c, &err) < 0)
		fail_msg("insert %s: %s", name, err.msg);
	json_decref(c.config);
	json_decref(c.host_config);
}

static const char *id_of(char c)
{
	static char id[SCUTE_CONTAINER_ID_LEN + 1];

	memset(id, c, SCUTE_CONTAINER_ID_LEN);
	id[SCUTE_CONTAINER_ID_LEN] = '\0';
	return id;
}

static void make(struct fixture *f, const char *name, json_t *labels)
{
	struct scute_err err = { 0 };
	json_t *doc = scute_volume_create(&f->s, name, NULL, labels, NULL, &err);

	if (!doc)
		fail_msg("create %s: %s", name, err.msg);
	json_decref(doc);
	json_decref(labels);
}

static void create_inspect(void **state)
{
	struct fixture *f = *state;
	struct scute_err err = { 0 };
	json_t *labels = json_pack("{ss}", "team", "db");
	json_t *doc = scute_volume_create(&f->s, "data", "local", labels, NULL, &err);
	char want[PATH_MAX + 64];
	struct stat st;
	regex_t re;
	char *text;

	if (!doc)
		fail_msg("create: %s", err.msg);
	snprintf(want, sizeof(want), "%s/volumes/data/_data", f->real);
	assert_string_equal(json_string_value(json_object_get(doc, "Mountpoint")), want);
	assert_int_equal(regcomp(&re,
				 "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}(Z|[+-][0-9]{2}:[0-9]{2})$",
				 REG_EXTENDED | REG_NOSUB),
			 0);
	assert_int_equal(
		regexec(&re, json_string_value(json_object_get(doc, "CreatedAt")), 0, NULL, 0), 0);
	regfree(&re);
	json_object_del(doc, "CreatedAt");
	json_object_del(doc, "Mountpoint");
	text = json_dumps(doc, JSON_COMPACT);
	assert_string_equal(text, "{\"Driver\":\"local\",\"Labels\":{\"team\":\"db\"},"
				  "\"Name\":\"data\",\"Options\":{},\"Scope\":\"local\"}");
	free(text);
	json_decref(doc);
	assert_int_equal(stat(want, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0755);
	assert_int_equal(st.st_uid, geteuid());
	/* a second create of the name returns the volume as it is */
	json_decref(labels);
	labels = json_pack("{ss}", "other", "x");
	doc = scute_volume_create(&f->s, "data", NULL, labels, NULL, &err);
	assert_non_null(doc);
	assert_string_equal(
		json_string_value(json_object_get(json_object_get(doc, "Labels"), "team")), "db");
	json_decref(labels);
	json_decref(doc);
	assert_string_equal(entries(f, "volumes"), "data");
	assert_string_equal(entries(f, "volumes/data"), "_data");
	assert_string_equal(entries(f, "tmp"), "");
	assert_int_equal(query(f, "SELECT anonymous FROM volumes WHERE name = 'data'"), 0);
	doc = scute_volume_inspect(&f->s, "nothere", &err);
	assert_null(doc);
	expect_err(-1, &err, ENOENT, "no such volume: nothere");
}

static void name_rule(void **state)
{
	struct fixture *f = *state;
	static const char *const bad[] = {
		"a", "-ab", ".ab", "_ab", "a/b", "..", "a b", "ab\n", "\xc3\xa9t\xc3\xa9", ""
	};
	char longest[SCUTE_VOLUME_NAME_MAX + 2];
	struct scute_err err = { 0 };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *doc = scute_volume_create(&f->s, bad[i], NULL, NULL, NULL, &err);

		assert_null(doc);
		expect_err(-1, &err, EINVAL, "invalid volume name \"");
		if (!strstr(err.msg, bad[i]))
			fail_msg("\"%s\" does not name \"%s\"", err.msg, bad[i]);
	}
	memset(longest, 'v', sizeof(longest) - 1);
	longest[sizeof(longest) - 1] = '\0';
	assert_null(scute_volume_create(&f->s, longest, NULL, NULL, NULL, &err));
	expect_err(-1, &err, EINVAL, "invalid volume name");
	/* nothing made by any of them */
	assert_int_equal(query(f, "SELECT count(*) FROM volumes"), 0);
	assert_string_equal(entries(f, "volumes"), "");
	longest[SCUTE_VOLUME_NAME_MAX] = '\0';
	make(f, longest, NULL);
	make(f, "a.b-c_D9", NULL);
	make(f, "0x", NULL);
	assert_int_equal(query(f, "SELECT count(*) FROM volumes"), 3);
	/* the schema holds to the rule too */
	assert_int_not_equal(sqlite3_exec(f->s.db,
					  "INSERT INTO volumes(name, created) VALUES ('-x', 1)",
					  NULL, NULL, NULL),
			     SQLITE_OK);
}

static void driver_and_options(void **state)
{
	struct fixture *f = *state;
	struct scute_err err = { 0 };
	json_t *opts = json_pack("{ss}", "type", "tmpfs");
	json_t *labels = json_pack("{si}", "n", 1);

	assert_null(scute_volume_create(&f->s, "vol", "nfs", NULL, NULL, &err));
	expect_err(-1, &err, EINVAL, "volume driver \"nfs\"");
	assert_null(scute_volume_create(&f->s, "vol", NULL, NULL, opts, &err));
	expect_err(-1, &err, EINVAL, "volume option \"type\"");
	assert_null(scute_volume_create(&f->s, "vol", NULL, labels, NULL, &err));
	expect_err(-1, &err, EINVAL, "volume label \"n\": not a string");
	assert_int_equal(query(f, "SELECT count(*) FROM volumes"), 0);
	assert_string_equal(entries(f, "volumes"), "");
	json_decref(opts);
	json_decref(labels);
}

static void anonymous(void **state)
{
	struct fixture *f = *state;
	struct scute_err err = { 0 };
	json_t *a = scute_volume_create(&f->s, NULL, NULL, NULL, NULL, &err);
	json_t *b = scute_volume_create(&f->s, NULL, NULL, NULL, NULL, &err);
	const char *name;

	assert_non_null(a);
	assert_non_null(b);
	name = json_string_value(json_object_get(a, "Name"));
	assert_int_equal(strlen(name), 64);
	assert_int_equal(strspn(name, "0123456789abcdef"), 64);
	assert_string_not_equal(name, json_string_value(json_object_get(b, "Name")));
	assert_int_equal(query(f, "SELECT count(*) FROM volumes WHERE anonymous = 1"), 2);
	json_decref(a);
	json_decref(b);
}

/* The names a list with FILTER ("" for none) gives, joined by spaces. */
static const char *listed(struct fixture *f, const char *filter)
{
	static char out[1024];
	json_t *filters = json_object();
	struct scute_err err = { 0 };
	json_t *list, *v;
	size_t i;

	if (filter[0] && scute_volumes_filter_add(filters, filter, &err) < 0)
		fail_msg("filter %s: %s", filter, err.msg);
	list = scute_volumes_list(&f->s, filters, &err);
	if (!list)
		fail_msg("list: %s", err.msg);
	out[0] = '\0';
	json_array_foreach(list, i, v)
		snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%s", i ? " " : "",
			 json_string_value(json_object_get(v, "Name")));
	json_decref(list);
	json_decref(filters);
	return out;
}

static void list_filters(void **state)
{
	struct fixture *f = *state;
	struct scute_err err = { 0 };
	json_t *filters = json_object();
	char path[PATH_MAX];

	make(f, "cache", NULL);
	make(f, "build", json_pack("{ss ss}", "tier", "ci", "keep", ""));
	make(f, "archive", NULL);
	add_container(f, id_of('a'), "web");
	assert_int_equal(scute_volume_use(&f->s, id_of('a'), "archive", "/srv", false, path,
					  sizeof(path), &err),
			 0);
	assert_string_equal(listed(f, ""), "archive build cache");
	assert_string_equal(listed(f, "dangling=true"), "build cache");
	assert_string_equal(listed(f, "dangling=1"), "build cache");
	assert_string_equal(listed(f, "dangling=false"), "archive");
	assert_string_equal(listed(f, "name=ca"), "cache");
	assert_string_equal(listed(f, "name=^b.*d$"), "build");
	assert_string_equal(listed(f, "name=nothing"), "");
	assert_string_equal(listed(f, "label=tier"), "build");
	assert_string_equal(listed(f, "label=tier=ci"), "build");
	assert_string_equal(listed(f, "label=tier=cd"), "");
	assert_string_equal(listed(f, "driver=local"), "archive build cache");
	expect_err(scute_volumes_filter_add(filters, "dangling=maybe", &err), &err, EINVAL,
		   "invalid filter 'dangling=maybe'");
	expect_err(scute_volumes_filter_add(filters, "reference=x", &err), &err, EINVAL,
		   "invalid filter 'reference=x'");
	json_decref(filters);
}

static void in_use(void **state)
{
	struct fixture *f = *state;
	struct scute_err err = { 0 };
	char path[PATH_MAX], want[PATH_MAX + 64];

	add_container(f, id_of('b'), "db");
	assert_int_equal(scute_volume_use(&f->s, id_of('b'), "pgdata", "/var/lib/pg", false, path,
					  sizeof(path), &err),
			 0);
	snprintf(want, sizeof(want), "%s/volumes/pgdata/_data", f->real);
	assert_string_equal(path, want);
	assert_int_equal(access(path, F_OK), 0);
	/* made by the use: null labels and options, as docker's */
	assert_int_equal(query(f, "SELECT count(*) FROM volumes WHERE name = 'pgdata' AND "
				  "labels IS NULL AND options IS NULL AND anonymous = 0"),
			 1);
	expect_err(scute_volume_remove(&f->s, "pgdata", false, &err), &err, EBUSY,
		   "volume pgdata is in use by container bbbbbbbb");
	expect_err(scute_volume_remove(&f->s, "pgdata", true, &err), &err, EBUSY, "in use");
	assert_int_equal(access(path, F_OK), 0);
	/* the container's removal releases it */
	assert_int_equal(scute_container_delete_tx(f->s.db, id_of('b'), &err), 0);
	assert_int_equal(query(f, "SELECT count(*) FROM container_volumes"), 0);
	assert_int_equal(scute_volume_remove(&f->s, "pgdata", false, &err), 0);
	assert_int_equal(query(f, "SELECT count(*) FROM volumes"), 0);
	assert_string_equal(entries(f, "volumes"), "");
	assert_string_equal(entries(f, "tmp"), "");
	expect_err(scute_volume_remove(&f->s, "pgdata", false, &err), &err, ENOENT,
		   "no such volume: pgdata");
	assert_int_equal(scute_volume_remove(&f->s, "pgdata", true, &err), 0);
}

static void use_rules(void **state)
{
	struct fixture *f = *state;
	struct scute_err err = { 0 };
	char path[PATH_MAX];
	json_t *anon;

	add_container(f, id_of('c'), "app");
	assert_int_equal(scute_volume_use(&f->s, id_of('c'), "shared", "/a", false, path,
					  sizeof(path), &err),
			 0);
	expect_err(
		scute_volume_use(&f->s, id_of('c'), "other", "/a", false, path, sizeof(path), &err),
		&err, EEXIST, "duplicate mount point: /a");
	/* the failed use left no volume behind */
	assert_int_equal(query(f, "SELECT count(*) FROM volumes WHERE name = 'other'"), 0);
	assert_string_equal(entries(f, "volumes"), "shared");
	expect_err(
		scute_volume_use(&f->s, id_of('d'), "lost", "/a", false, path, sizeof(path), &err),
		&err, ENOENT, "no such container");
	expect_err(
		scute_volume_use(&f->s, id_of('c'), "rel", "data", false, path, sizeof(path), &err),
		&err, EINVAL, "invalid mount destination \"data\"");
	expect_err(
		scute_volume_use(&f->s, id_of('c'), "b@d", "/b", false, path, sizeof(path), &err),
		&err, EINVAL, "invalid volume name \"b@d\"");
	assert_string_equal(entries(f, "volumes"), "shared");
	assert_string_equal(entries(f, "tmp"), "");
	/* anonymous ones, for rm -v */
	assert_int_equal(
		scute_volume_use(&f->s, id_of('c'), NULL, "/anon", true, path, sizeof(path), &err),
		0);
	anon = scute_volumes_anonymous_of(&f->s, id_of('c'), &err);
	assert_non_null(anon);
	assert_int_equal(json_array_size(anon), 1);
	assert_non_null(strstr(path, json_string_value(json_array_get(anon, 0))));
	json_decref(anon);
	/* a row whose directory went (a crash mid-removal) gets a new one */
	assert_int_equal(scute_container_delete_tx(f->s.db, id_of('c'), &err), 0);
	add_container(f, id_of('e'), "again");
	assert_int_equal(
		nftw(test_path(f->dir, "volumes/shared"), test_rm_one, 8, FTW_DEPTH | FTW_PHYS), 0);
	assert_int_equal(scute_volume_use(&f->s, id_of('e'), "shared", "/a", false, path,
					  sizeof(path), &err),
			 0);
	assert_int_equal(access(path, F_OK), 0);
}

/* A file of SIZE bytes at ROOT/REL. */
static void write_file(struct fixture *f, const char *rel, size_t size)
{
	char buf[512] = { 0 };
	int fd = open(test_path(f->dir, rel), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);

	assert_true(fd >= 0);
	while (size > 0) {
		size_t n = size < sizeof(buf) ? size : sizeof(buf);

		assert_int_equal(write(fd, buf, n), (ssize_t)n);
		size -= n;
	}
	close(fd);
}

static void prune(void **state)
{
	struct fixture *f = *state;
	struct scute_err err = { 0 };
	char path[PATH_MAX], link_from[PATH_MAX];
	uint64_t reclaimed = 0;
	json_t *gone;
	char *text;

	make(f, "old", NULL);
	make(f, "older", NULL);
	add_container(f, id_of('f'), "keeper");
	assert_int_equal(
		scute_volume_use(&f->s, id_of('f'), "kept", "/k", false, path, sizeof(path), &err),
		0);
	assert_int_equal(
		scute_volume_use(&f->s, id_of('f'), NULL, "/anon", true, path, sizeof(path), &err),
		0);
	write_file(f, "volumes/old/_data/a", 1000);
	assert_int_equal(mkdir(test_path(f->dir, "volumes/older/_data/sub"), 0755), 0);
	write_file(f, "volumes/older/_data/sub/b", 234);
	/* a hard link counts once */
	snprintf(link_from, sizeof(link_from), "%s",
		 test_path(f->dir, "volumes/older/_data/sub/b"));
	assert_int_equal(link(link_from, test_path(f->dir, "volumes/older/_data/c")), 0);
	assert_int_equal(symlink("/etc", test_path(f->dir, "volumes/older/_data/etc")), 0);
	write_file(f, "volumes/kept/_data/k", 77);
	gone = scute_volumes_prune(&f->s, &reclaimed, &err);
	if (!gone)
		fail_msg("prune: %s", err.msg);
	text = json_dumps(gone, JSON_COMPACT);
	assert_string_equal(text, "[\"old\",\"older\"]");
	free(text);
	json_decref(gone);
	assert_int_equal(reclaimed, 1234);
	assert_int_equal(query(f, "SELECT count(*) FROM volumes"), 2);
	assert_int_equal(access(test_path(f->dir, "volumes/kept/_data/k"), F_OK), 0);
	assert_int_equal(access("/etc", F_OK), 0);
	assert_string_equal(entries(f, "tmp"), "");
	/* nothing more to prune */
	reclaimed = 0;
	gone = scute_volumes_prune(&f->s, &reclaimed, &err);
	assert_non_null(gone);
	assert_int_equal(json_array_size(gone), 0);
	assert_int_equal(reclaimed, 0);
	json_decref(gone);
}

static void sweep(void **state)
{
	struct fixture *f = *state;
	struct scute_err err = { 0 };

	make(f, "live", NULL);
	/* what a crash leaves: a directory renamed in whose row never
	 * committed, and entries no volume could have made */
	assert_int_equal(mkdir(test_path(f->dir, "volumes/lost"), 0755), 0);
	assert_int_equal(mkdir(test_path(f->dir, "volumes/lost/_data"), 0755), 0);
	write_file(f, "volumes/lost/_data/x", 10);
	write_file(f, "volumes/.odd", 1);
	assert_int_equal(symlink("/etc", test_path(f->dir, "volumes/ln")), 0);
	assert_string_equal(entries(f, "volumes"), ".odd live ln lost");
	assert_int_equal(scute_volumes_sweep(&f->s, &err), 0);
	assert_string_equal(entries(f, "volumes"), "live");
	assert_string_equal(entries(f, "tmp"), "");
	assert_int_equal(access("/etc", F_OK), 0);
	/* a volume whose leftover had its name is made afresh */
	assert_int_equal(mkdir(test_path(f->dir, "volumes/again"), 0755), 0);
	write_file(f, "volumes/again/stale", 1);
	make(f, "again", NULL);
	assert_string_equal(entries(f, "volumes/again"), "_data");
	assert_string_equal(entries(f, "volumes/again/_data"), "");
}

static void read_only_store(void **state)
{
	struct fixture *f = *state;
	struct scute_store ro;
	struct scute_err err = { 0 };
	json_t *list;

	make(f, "seen", NULL);
	assert_int_equal(scute_store_open(f->dir, SCUTE_STORE_READ, &ro, &err), 0);
	list = scute_volumes_list(&ro, NULL, &err);
	assert_int_equal(json_array_size(list), 1);
	json_decref(list);
	assert_null(scute_volume_create(&ro, "nope", NULL, NULL, NULL, &err));
	expect_err(-1, &err, EINVAL, "read-only");
	scute_store_close(&ro);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(create_inspect, setup, teardown),
		cmocka_unit_test_setup_teardown(name_rule, setup, teardown),
		cmocka_unit_test_setup_teardown(driver_and_options, setup, teardown),
		cmocka_unit_test_setup_teardown(anonymous, setup, teardown),
		cmocka_unit_test_setup_teardown(list_filters, setup, teardown),
		cmocka_unit_test_setup_teardown(in_use, setup, teardown),
		cmocka_unit_test_setup_teardown(use_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(prune, setup, teardown),
		cmocka_unit_test_setup_teardown(sweep, setup, teardown),
		cmocka_unit_test_setup_teardown(read_only_store, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
