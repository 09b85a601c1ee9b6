/* Tar member classification (src/engine/layers/tar_entry.c): names are
 * normalised or refused before anything touches the disk. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "tar_entry.h"

static struct scute_tar_entry e;
static struct scute_err err;

static int classify(const char *name, mode_t type, const char *link)
{
	memset(&err, 0, sizeof(err));
	return scute_tar_entry_classify(name, type, link, &e, &err);
}

static void test_normalised(void **state)
{
	(void)state;
	assert_int_equal(classify("./etc//passwd", S_IFREG, NULL), 0);
	assert_string_equal(e.path, "etc/passwd");
	assert_int_equal(e.kind, SCUTE_TAR_FILE);
	assert_int_equal(classify("usr/lib/", S_IFDIR, NULL), 0);
	assert_string_equal(e.path, "usr/lib");
	assert_int_equal(classify("./", S_IFDIR, NULL), 0);
	assert_int_equal(e.kind, SCUTE_TAR_SKIP);
	assert_int_equal(classify("a/./b/.", S_IFLNK, NULL), 0);
	assert_string_equal(e.path, "a/b");
	assert_int_equal(e.kind, SCUTE_TAR_SYMLINK);
	assert_int_equal(classify("caf\xc3\xa9", S_IFREG, NULL), 0);
}

static void test_refused(void **state)
{
	static const char *const bad[] = {
		"../x",
		"a/../../x",
		"a/..",
		"/etc/passwd",
		"\xff\xfe",
		"a\xc0\xaf"
		"b",		    /* overlong '/' */
		"\xed\xa0\x80",	    /* a surrogate */
		"\xf4\x90\x80\x80", /* past U+10FFFF */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(classify(bad[i], S_IFREG, NULL), -1);
		assert_true(err.code == EINVAL || err.code == EILSEQ);
	}
	/* the root as anything but a directory */
	assert_int_equal(classify(".", S_IFREG, NULL), -1);
}

static void test_lengths(void **state)
{
	char name[PATH_MAX + 16];

	(void)state;
	memset(name, 'a', NAME_MAX + 1);
	name[NAME_MAX + 1] = '\0';
	assert_int_equal(classify(name, S_IFREG, NULL), -1);
	assert_int_equal(err.code, ENAMETOOLONG);
	name[NAME_MAX] = '\0';
	assert_int_equal(classify(name, S_IFREG, NULL), 0);
	for (size_t i = 0; i < PATH_MAX + 8; i += 2)
		name[i] = 'a', name[i + 1] = '/';
	name[PATH_MAX + 8] = '\0';
	assert_int_equal(classify(name, S_IFREG, NULL), -1);
	assert_int_equal(err.code, ENAMETOOLONG);
	/* deep but short: the depth limit */
	for (size_t i = 0; i < 2 * (SCUTE_TAR_MAX_DEPTH + 1); i += 2)
		name[i] = 'a', name[i + 1] = '/';
	name[2 * (SCUTE_TAR_MAX_DEPTH + 1) - 1] = '\0';
	assert_int_equal(classify(name, S_IFREG, NULL), -1);
	assert_int_equal(err.code, ENAMETOOLONG);
	name[2 * SCUTE_TAR_MAX_DEPTH - 1] = '\0';
	assert_int_equal(classify(name, S_IFREG, NULL), 0);
}

static void test_whiteouts(void **state)
{
	(void)state;
	assert_int_equal(classify("etc/.wh.passwd", S_IFREG, NULL), 0);
	assert_int_equal(e.kind, SCUTE_TAR_WHITEOUT);
	assert_string_equal(e.path, "etc/passwd");
	assert_int_equal(classify(".wh.top", S_IFREG, NULL), 0);
	assert_string_equal(e.path, "top");
	assert_int_equal(classify("var/.wh..wh..opq", S_IFREG, NULL), 0);
	assert_int_equal(e.kind, SCUTE_TAR_OPAQUE);
	assert_string_equal(e.path, "var");
	assert_int_equal(classify(".wh..wh..opq", S_IFREG, NULL), 0);
	assert_int_equal(e.kind, SCUTE_TAR_OPAQUE);
	assert_string_equal(e.path, "");
	assert_int_equal(classify("a/.wh..wh.plnk", S_IFREG, NULL), 0);
	assert_int_equal(e.kind, SCUTE_TAR_SKIP);
	/* a whiteout of nothing, or of "." */
	assert_int_equal(classify("a/.wh.", S_IFREG, NULL), -1);
	assert_int_equal(classify("a/.wh..", S_IFREG, NULL), -1);
	/* ".wh..." hides "..", which is refused as a name */
	assert_int_equal(classify("a/.wh...", S_IFREG, NULL), -1);
	/* a directory named like a whiteout is a directory */
	assert_int_equal(classify("a/.wh.d", S_IFDIR, NULL), 0);
	assert_int_equal(e.kind, SCUTE_TAR_DIR);
}

static void test_types_and_links(void **state)
{
	(void)state;
	assert_int_equal(classify("dev/null", S_IFCHR, NULL), 0);
	assert_int_equal(e.kind, SCUTE_TAR_DEVICE);
	assert_int_equal(classify("dev/sda", S_IFBLK, NULL), 0);
	assert_int_equal(e.kind, SCUTE_TAR_DEVICE);
	assert_int_equal(classify("run/fifo", S_IFIFO, NULL), 0);
	assert_int_equal(e.kind, SCUTE_TAR_FIFO);
	assert_int_equal(classify("run/sock", S_IFSOCK, NULL), 0);
	assert_int_equal(e.kind, SCUTE_TAR_OTHER);
	assert_int_equal(classify("bin/b", S_IFREG, "./bin//a"), 0);
	assert_int_equal(e.kind, SCUTE_TAR_HARDLINK);
	assert_string_equal(e.link, "bin/a");
	assert_int_equal(classify("bin/b", S_IFREG, "../etc/shadow"), -1);
	assert_int_equal(classify("bin/b", S_IFREG, "/etc/shadow"), -1);
	assert_int_equal(classify("bin/b", S_IFREG, "bin/b"), -1);
	assert_int_equal(classify("bin/b", S_IFREG, "."), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalised),	cmocka_unit_test(test_refused),
		cmocka_unit_test(test_lengths),		cmocka_unit_test(test_whiteouts),
		cmocka_unit_test(test_types_and_links),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
