/* A temporary directory per test, removed with everything in it at the
 * end (no root needed). For tests that work on a file tree: the store. */
#ifndef SCUTE_TEST_TMPDIR_H
#define SCUTE_TEST_TMPDIR_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static inline char *test_tmpdir(void)
{
	char tmpl[] = "/tmp/scute-unit-XXXXXX";

	if (!mkdtemp(tmpl))
		return NULL;
	return strdup(tmpl);
}

static inline int test_rm_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return type == FTW_DP ? rmdir(path) : unlink(path);
}

/* FTW_PHYS: a symlink a test planted is removed, not followed. */
static inline void test_tmpdir_remove(char *dir)
{
	if (dir)
		nftw(dir, test_rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(dir);
}

/* DIR/NAME into a static buffer (one at a time). */
static inline const char *test_path(const char *dir, const char *name)
{
	static char buf[4096];

	snprintf(buf, sizeof(buf), "%s/%s", dir, name);
	return buf;
}

#endif
