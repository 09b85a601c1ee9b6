/* Unit tests of the blob store (src/engine/store/blobs.c, digest.c,
 * root.c): a blob is in place only with the digest and size it was
 * promised, a mismatch leaves nothing, digests are taken in their one form
 * only, the sweep clears what a dead writer left but not a live one, and
 * nothing planted in the store as a symlink is followed. Each test has its
 * own engine root under a temporary directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "blobs.h"
#include "root.h"
#include "tmpdir.h"

/* sha256("hello") and sha256("other") */
#define HELLO "sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
#define OTHER "sha256:d9298a10d1b0735837dc4bd85dac641b0f3cef27a47e5d53a54f2f3f5b2fcffa"

struct fixture {
	char *dir;
	char root[4096];
	int rootfd;
	struct scute_blobs bs;
};

static void release(struct fixture *f)
{
	scute_blobs_close(&f->bs);
	if (f->rootfd >= 0)
		close(f->rootfd);
	test_tmpdir_remove(f->dir);
	free(f);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct scute_err err = { 0 };

	if (!f)
		return -1;
	f->rootfd = -1;
	f->bs.shafd = f->bs.tmpfd = -1;
	f->dir = test_tmpdir();
	if (f->dir) {
		snprintf(f->root, sizeof(f->root), "%s/root", f->dir);
		f->rootfd = scute_store_root_open(f->root, &err);
	}
	if (f->rootfd < 0 || scute_blobs_open(f->rootfd, &f->bs, &err) < 0) {
		release(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	release(*state);
	return 0;
}

static struct scute_digest digest(const char *s)
{
	struct scute_digest d;
	struct scute_err err = { 0 };

	assert_int_equal(scute_digest_parse(s, &d, &err), 0);
	return d;
}

/* Entries in ROOT/NAME other than . and .. */
static int entries(struct fixture *f, const char *name)
{
	DIR *d = opendir(test_path(f->root, name));
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

static int put(struct fixture *f, const char *data, const struct scute_digest *expected,
	       int64_t size, struct scute_digest *out, struct scute_err *err)
{
	struct scute_blob_writer *w = scute_blob_create(&f->bs, err);

	assert_non_null(w);
	assert_int_equal(scute_blob_write(w, data, strlen(data), err), 0);
	return scute_blob_commit(w, expected, size, out, err);
}

static void test_write_commit_read_back(void **state)
{
	struct fixture *f = *state;
	struct scute_err err = { 0 };
	struct scute_digest want = digest(HELLO), got;
	struct scute_blob_writer *w = scute_blob_create(&f->bs, &err);
	struct stat st;
	char buf[16] = { 0 };
	int fd;

	assert_non_null(w);
	/* Hashed across writes: the digest is of the whole stream. */
	assert_int_equal(scute_blob_write(w, "hel", 3, &err), 0);
	assert_int_equal(scute_blob_write(w, "lo", 2, &err), 0);
	assert_int_equal(scute_blob_commit(w, &want, 5, &got, &err), 0);
	assert_string_equal(got.str, HELLO);
	fd = scute_blob_open(&f->bs, &want, &err);
	assert_true(fd >= 0);
	assert_int_equal(read(fd, buf, sizeof(buf)), 5);
	assert_string_equal(buf, "hello");
	assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	close(fd);
	assert_int_equal(scute_blob_stat(&f->bs, &want, &st, &err), 0);
	assert_int_equal(st.st_size, 5);
	assert_int_equal(st.st_mode & 0777, 0444);
	assert_int_equal(entries(f, "tmp"), 0);
	/* Without expectations the digest is what was written. */
	assert_int_equal(put(f, "other", NULL, -1, &got, &err), 0);
	assert_string_equal(got.str, OTHER);
	assert_int_equal(entries(f, "blobs/sha256"), 2);
}

static void test_digest_mismatch_leaves_nothing(void **state)
{
	struct fixture *f = *state;
	struct scute_err err = { 0 };
	struct scute_digest want = digest(OTHER), hello = digest(HELLO);

	assert_int_equal(put(f, "hello", &want, -1, NULL, &err), -1);
	assert_int_equal(err.code, EBADMSG);
	assert_string_equal(err.msg, "blob: digest mismatch: expected " OTHER ", got " HELLO);
	assert_int_equal(entries(f, "blobs/sha256"), 0);
	assert_int_equal(entries(f, "tmp"), 0);
	assert_int_equal(scute_blob_open(&f->bs, &hello, &err), -1);
	assert_int_equal(err.code, ENOENT);
}

static void test_size_mismatch_leaves_nothing(void **state)
{
	struct fixture *f = *state;
	struct scute_err err = { 0 };
	struct scute_digest want = digest(HELLO);

	assert_int_equal(put(f, "hello", &want, 6, NULL, &err), -1);
	assert_int_equal(err.code, EBADMSG);
	assert_string_equal(err.msg, "blob " HELLO ": size mismatch: expected 6 bytes, got 5");
	assert_int_equal(entries(f, "blobs/sha256"), 0);
	assert_int_equal(entries(f, "tmp"), 0);
}

static void test_bad_digests_are_refused(void **state)
{
	static const char *const bad[] = {
		"",
		"sha256:",
		"sha256:2CF24DBA5FB0A30E26E83B2AC5B9E29E1B161E5C1FA7425E73043362938B9824",
		"sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b982",
		"sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b98244",
		"sha512:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
		"sha256:../../../../../../../../../../../../../../../../../../etc/passwd",
		"../sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b",
		"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
		"SHA256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
		"sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b982\n",
		"sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b98/4",
	};
	struct scute_err err = { 0 };
	struct scute_digest d;
	char want[256];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(scute_digest_parse(bad[i], &d, &err), -1);
		assert_int_equal(err.code, EINVAL);
		if (!strchr(bad[i], '\n')) {
			snprintf(want, sizeof(want), "invalid digest \"%s\"", bad[i]);
			assert_non_null(strstr(err.msg, want));
		}
	}
	/* Control characters are not repeated into the message. */
	assert_int_equal(scute_digest_parse("\x1b[31m", &d, &err), -1);
	assert_null(strchr(err.msg, '\x1b'));
	assert_int_equal(scute_digest_parse(HELLO, &d, &err), 0);
	assert_string_equal(scute_digest_hex(&d), HELLO + 7);
}

static void test_abort_removes_the_temporary(void **state)
{
	struct fixture *f = *state;
	struct scute_err err = { 0 };
	struct scute_blob_writer *w = scute_blob_create(&f->bs, &err);

	assert_non_null(w);
	assert_int_equal(scute_blob_write(w, "half", 4, &err), 0);
	assert_int_equal(entries(f, "tmp"), 1);
	scute_blob_abort(w);
	assert_int_equal(entries(f, "tmp"), 0);
	assert_int_equal(entries(f, "blobs/sha256"), 0);
}

static void plant(const char *path, const char *data)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, strlen(data)), (ssize_t)strlen(data));
	close(fd);
}

/* What a killed writer left (files, a half-unpacked tree, links) goes;
 * what a link pointed to stays. */
static void test_sweep_removes_leftovers(void **state)
{
	struct fixture *f = *state;
	struct scute_err err = { 0 };
	char outside[4096], tree[4096];
	struct stat st;

	snprintf(outside, sizeof(outside), "%s/outside", f->dir);
	assert_int_equal(mkdir(outside, 0700), 0);
	plant(test_path(outside, "keep"), "keep");
	plant(test_path(f->root, "tmp/tmp-0123"), "half a blob");
	snprintf(tree, sizeof(tree), "%s/tmp/layer", f->root);
	assert_int_equal(mkdir(tree, 0700), 0);
	assert_int_equal(mkdir(test_path(tree, "usr"), 0700), 0);
	plant(test_path(tree, "usr/file"), "x");
	assert_int_equal(symlink(outside, test_path(tree, "usr/out")), 0);
	assert_int_equal(symlink(outside, test_path(f->root, "tmp/link")), 0);
	assert_int_equal(mkfifo(test_path(f->root, "tmp/fifo"), 0600), 0);
	assert_int_equal(entries(f, "tmp"), 4);
	assert_int_equal(scute_store_sweep_tmp(f->rootfd, &err), 0);
	assert_int_equal(entries(f, "tmp"), 0);
	assert_int_equal(stat(test_path(outside, "keep"), &st), 0);
}

/* Another scute process's blob in the making is not an orphan. */
static void test_sweep_leaves_a_live_writer(void **state)
{
	struct fixture *f = *state;
	struct scute_err err = { 0 };
	struct scute_digest want = digest(HELLO);
	struct scute_blob_writer *w = scute_blob_create(&f->bs, &err);

	assert_non_null(w);
	assert_int_equal(scute_blob_write(w, "hello", 5, &err), 0);
	assert_int_equal(scute_store_sweep_tmp(f->rootfd, &err), 0);
	assert_int_equal(entries(f, "tmp"), 1);
	assert_int_equal(scute_blob_commit(w, &want, 5, NULL, &err), 0);
	assert_int_equal(entries(f, "blobs/sha256"), 1);
}

static void test_symlinked_blob_is_not_followed(void **state)
{
	struct fixture *f = *state;
	struct scute_err err = { 0 };
	struct scute_digest want = digest(HELLO);
	char target[4096], link[4096], buf[16] = { 0 };
	struct stat st;
	int fd;

	snprintf(target, sizeof(target), "%s/secret", f->dir);
	plant(target, "secret");
	snprintf(link, sizeof(link), "%s/blobs/sha256/%s", f->root, scute_digest_hex(&want));
	assert_int_equal(symlink(target, link), 0);
	assert_int_equal(scute_blob_open(&f->bs, &want, &err), -1);
	assert_int_equal(err.code, ELOOP);
	assert_int_equal(scute_blob_stat(&f->bs, &want, &st, &err), -1);
	assert_int_equal(err.code, ELOOP);
	/* Committing the real blob replaces the link, and writes nothing
	 * through it. */
	assert_int_equal(put(f, "hello", &want, 5, NULL, &err), 0);
	fd = scute_blob_open(&f->bs, &want, &err);
	assert_true(fd >= 0);
	assert_int_equal(read(fd, buf, sizeof(buf)), 5);
	close(fd);
	fd = open(target, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	memset(buf, 0, sizeof(buf));
	assert_int_equal(read(fd, buf, sizeof(buf)), 6);
	assert_string_equal(buf, "secret");
	close(fd);
	/* Removing a blob removes the name, never a link's target. */
	assert_int_equal(scute_blob_remove(&f->bs, &want, &err), 0);
	assert_int_equal(scute_blob_remove(&f->bs, &want, &err), 0);
	assert_int_equal(scute_blob_open(&f->bs, &want, &err), -1);
	assert_int_equal(err.code, ENOENT);
}

static void test_symlinked_store_is_not_followed(void **state)
{
	struct fixture *f = *state;
	struct scute_err err = { 0 };
	struct scute_blobs bs;
	char root[4096], elsewhere[4096];
	int rootfd;

	(void)state;
	snprintf(root, sizeof(root), "%s/root2", f->dir);
	snprintf(elsewhere, sizeof(elsewhere), "%s/elsewhere", f->dir);
	assert_int_equal(mkdir(elsewhere, 0700), 0);
	rootfd = scute_store_root_open(root, &err);
	assert_true(rootfd >= 0);
	assert_int_equal(symlink(elsewhere, test_path(root, "blobs")), 0);
	assert_int_equal(scute_blobs_open(rootfd, &bs, &err), -1);
	assert_int_equal(err.code, ELOOP);
	assert_int_equal(rmdir(elsewhere), 0); /* still empty */
	/* The same for tmp, which the sweep empties. */
	assert_int_equal(mkdir(elsewhere, 0700), 0);
	plant(test_path(elsewhere, "keep"), "keep");
	assert_int_equal(symlink(elsewhere, test_path(root, "tmp")), 0);
	assert_int_equal(scute_store_sweep_tmp(rootfd, &err), -1);
	assert_int_equal(err.code, ELOOP);
	assert_int_equal(access(test_path(elsewhere, "keep"), F_OK), 0);
	close(rootfd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_write_commit_read_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_digest_mismatch_leaves_nothing, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_size_mismatch_leaves_nothing, setup, teardown),
		cmocka_unit_test(test_bad_digests_are_refused),
		cmocka_unit_test_setup_teardown(test_abort_removes_the_temporary, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sweep_removes_leftovers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sweep_leaves_a_live_writer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlinked_blob_is_not_followed, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_symlinked_store_is_not_followed, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
