/* Unit tests of docker's config.json credentials
 * (src/engine/registry/credentials.c): lookup by docker's key forms,
 * store and erase keeping every other member, the file 0600 whatever the
 * umask or the old mode, and credential helpers refused by name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "credentials.h"
#include "tmpdir.h"

static void write_file(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "we");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
}

static json_t *read_json(const char *path)
{
	json_t *j = json_load_file(path, 0, NULL);

	assert_non_null(j);
	return j;
}

static void expect_creds(const char *path, const char *key, const char *user, const char *pw)
{
	struct scute_err err = { 0 };
	char *u, *p;
	int rc = scute_credentials_lookup(path, key, &u, &p, &err);

	if (rc < 0)
		fail_msg("%s", err.msg);
	if (!user) {
		assert_int_equal(rc, 0);
		assert_null(u);
		return;
	}
	assert_int_equal(rc, 1);
	assert_string_equal(u, user);
	assert_string_equal(p, pw);
	free(u);
	free(p);
}

static void test_lookup(void **state)
{
	char *dir = test_tmpdir();
	char path[4096];

	(void)state;
	snprintf(path, sizeof(path), "%s/config.json", dir);
	expect_creds(path, "localhost:5000", NULL, NULL); /* no file */
	/* dXNlcjpwYTpzcw== is user:pa:ss; Zm9vOmJhcg== is foo:bar */
	write_file(path,
		   "{\"auths\":{\"localhost:5000\":{\"auth\":\"dXNlcjpwYTpzcw==\"},"
		   "\"https://index.docker.io/v1/\":{\"auth\":\"Zm9vOmJhcg==\"},"
		   "\"https://reg.example/v2/\":{\"auth\":\"Zm9vOmJhcg==\"},"
		   "\"token.example\":{\"identitytoken\":\"x\"}}}",
		   0600);
	expect_creds(path, "localhost:5000", "user", "pa:ss");
	expect_creds(path, scute_credentials_key("docker.io"), "foo", "bar");
	expect_creds(path, "reg.example", "foo", "bar");
	expect_creds(path, "reg.example:5000", NULL, NULL);
	expect_creds(path, "token.example", NULL, NULL);
	expect_creds(path, "other", NULL, NULL);
	test_tmpdir_remove(dir);
}

static void lookup_error(const char *path, const char *key, int code, const char *want)
{
	struct scute_err err = { 0 };
	char *u, *p;

	assert_int_equal(scute_credentials_lookup(path, key, &u, &p, &err), -1);
	assert_int_equal(err.code, code);
	assert_null(u);
	if (!strstr(err.msg, want))
		fail_msg("%s (want %s)", err.msg, want);
}

static void test_lookup_errors(void **state)
{
	char *dir = test_tmpdir();
	char path[4096];

	(void)state;
	snprintf(path, sizeof(path), "%s/config.json", dir);
	write_file(path, "{\"auths\":{\"r\":{\"auth\":\"bm9jb2xvbg==\"}}}", 0600); /* "nocolon" */
	lookup_error(path, "r", EINVAL, "auths.\"r\".auth: not base64 of USER:PASSWORD");
	write_file(path, "{\"auths\":{\"r\":{\"auth\":\"!!!\"}}}", 0600);
	lookup_error(path, "r", EINVAL, "not base64");
	write_file(path, "{\"auths\":", 0600);
	lookup_error(path, "r", EINVAL, "config.json: line 1");
	write_file(path, "{\"credsStore\":\"desktop\",\"auths\":{\"r\":{}}}", 0600);
	lookup_error(path, "r", ENOTSUP,
		     "docker-credential-desktop, and credential helpers are not supported");
	write_file(path, "{\"credHelpers\":{\"gcr.io\":\"gcloud\"}}", 0600);
	lookup_error(path, "gcr.io", ENOTSUP, "docker-credential-gcloud");
	expect_creds(path, "other.io", NULL, NULL); /* a helper for another registry */
	test_tmpdir_remove(dir);
}

static void test_store_erase(void **state)
{
	char *dir = test_tmpdir();
	char path[4096];
	struct scute_err err = { 0 };
	struct stat st;
	json_t *j;
	mode_t old = umask(0);

	(void)state;
	snprintf(path, sizeof(path), "%s/sub/config.json", dir);
	/* A new file, in a new directory (0700), 0600 whatever the umask. */
	assert_int_equal(scute_credentials_store(path, "localhost:5000", "u1", "p:1", &err), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	snprintf(path, sizeof(path), "%s/sub", dir);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	snprintf(path, sizeof(path), "%s/sub/config.json", dir);
	expect_creds(path, "localhost:5000", "u1", "p:1");

	/* An existing 0644 file: its other members kept, the mode made 0600. */
	write_file(path,
		   "{\"auths\":{\"keep.example\":{\"auth\":\"Zm9vOmJhcg==\"}},"
		   "\"psFormat\":\"table {{.ID}}\",\"proxies\":{\"default\":{}}}",
		   0644);
	assert_int_equal(
		scute_credentials_store(path, scute_credentials_key("docker.io"), "me", "pw", &err),
		0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	j = read_json(path);
	assert_string_equal(json_string_value(json_object_get(j, "psFormat")), "table {{.ID}}");
	assert_non_null(json_object_get(j, "proxies"));
	assert_string_equal(
		json_string_value(json_object_get(
			json_object_get(json_object_get(j, "auths"), "https://index.docker.io/v1/"),
			"auth")),
		"bWU6cHc=");
	json_decref(j);
	expect_creds(path, "keep.example", "foo", "bar");

	/* Erase: the entry goes, the rest stays; a second erase finds nothing. */
	assert_int_equal(scute_credentials_erase(path, "https://index.docker.io/v1/", &err), 1);
	expect_creds(path, "https://index.docker.io/v1/", NULL, NULL);
	expect_creds(path, "keep.example", "foo", "bar");
	assert_int_equal(scute_credentials_erase(path, "https://index.docker.io/v1/", &err), 0);
	j = read_json(path);
	assert_non_null(json_object_get(j, "psFormat"));
	json_decref(j);
	/* No temporary file left beside it. */
	snprintf(path, sizeof(path), "%s/sub", dir);
	DIR *d = opendir(path);
	struct dirent *e;
	int n = 0;
	assert_non_null(d);
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	assert_int_equal(n, 1);
	umask(old);
	test_tmpdir_remove(dir);
}

static void test_store_refuses(void **state)
{
	char *dir = test_tmpdir();
	char path[4096];
	struct scute_err err = { 0 };

	(void)state;
	snprintf(path, sizeof(path), "%s/config.json", dir);
	assert_int_equal(scute_credentials_store(path, "r", "a:b", "p", &err), -1);
	assert_int_equal(err.code, EINVAL);
	assert_int_equal(scute_credentials_store(path, "r", "", "p", &err), -1);
	write_file(path, "{\"auths\":[]}", 0600);
	assert_int_equal(scute_credentials_store(path, "r", "u", "p", &err), -1);
	assert_non_null(strstr(err.msg, "auths: not an object"));
	test_tmpdir_remove(dir);
}

/* A symlinked config.json (dotfiles repositories) stays a symlink. */
static void test_store_symlink(void **state)
{
	char *dir = test_tmpdir();
	char path[4096], target[4096];
	struct stat st;
	struct scute_err err = { 0 };

	(void)state;
	snprintf(path, sizeof(path), "%s/config.json", dir);
	snprintf(target, sizeof(target), "%s/real.json", dir);
	write_file(target, "{}", 0600);
	assert_int_equal(symlink(target, path), 0);
	assert_int_equal(scute_credentials_store(path, "r", "u", "p", &err), 0);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	expect_creds(target, "r", "u", "p");
	test_tmpdir_remove(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup),	      cmocka_unit_test(test_lookup_errors),
		cmocka_unit_test(test_store_erase),   cmocka_unit_test(test_store_refuses),
		cmocka_unit_test(test_store_symlink),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
