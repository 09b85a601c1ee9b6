/* Unit tests of the store's tree removal (src/engine/store/remove_tree.c):
 * a tree deeper than the open-files limit goes with a handful of fds, a
 * symlink to something outside is removed and its target kept, and a
 * mount point inside the tree is not entered (the mount test needs root:
 * it runs in a mount namespace of its own, which takes the bind mount
 * with it whatever happens). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "remove_tree.h"
#include "tmpdir.h"

struct fixture {
	char *dir;
	int dirfd;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->dir = test_tmpdir();
	assert_non_null(f->dir);
	f->dirfd = open(f->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(f->dirfd >= 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	close(f->dirfd);
	test_tmpdir_remove(f->dir);
	free(f);
	return 0;
}

static void write_file(int dirfd, const char *name, const char *text)
{
	int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static int mkdir_open(int dirfd, const char *name)
{
	int fd;

	assert_int_equal(mkdirat(dirfd, name, 0755), 0);
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	return fd;
}

static bool exists(int dirfd, const char *name)
{
	struct stat st;

	return fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

/* A mount namespace of the test's own, or skip (not root). The fixture's
 * directory is opened again in it: an fd opened before is on the old
 * namespace's mount, where the test's mounts are not seen. */
static void enter_own_mount_ns(struct fixture *f)
{
	if (geteuid() != 0 || unshare(CLONE_NEWNS) < 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		skip();
	close(f->dirfd);
	f->dirfd = open(f->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(f->dirfd >= 0);
}

/* How many fds the process has open: the same before and after means
 * nothing leaked. */
static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	assert_non_null(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

static void test_files_dirs_and_a_missing_name(void **state)
{
	struct fixture *f = *state;
	struct scute_err err = { 0 };
	int top = mkdir_open(f->dirfd, "tree");
	int sub = mkdir_open(top, "a");

	write_file(top, "f", "x");
	write_file(sub, "g", "y");
	assert_int_equal(mkdirat(sub, "empty", 0), 0); /* mode 000: root or not, it goes */
	assert_int_equal(mkfifoat(sub, "fifo", 0600), 0);
	close(sub);
	close(top);
	write_file(f->dirfd, "plain", "z");

	assert_int_equal(scute_remove_tree_at(f->dirfd, "tree", &err), 0);
	assert_false(exists(f->dirfd, "tree"));
	assert_int_equal(scute_remove_tree_at(f->dirfd, "plain", &err), 0);
	assert_false(exists(f->dirfd, "plain"));
	assert_int_equal(scute_remove_tree_at(f->dirfd, "missing", &err), 0);
}

/* Deeper than the open-files limit allows fds: a walk holding one per
 * level would fail with EMFILE. */
static void test_deeper_than_the_fd_limit(void **state)
{
	struct fixture *f = *state;
	struct scute_err err = { 0 };
	struct rlimit old, low;
	const int depth = 1000;
	int fd = mkdir_open(f->dirfd, "deep");
	int before;

	for (int i = 0; i < depth; i++) {
		int next = mkdir_open(fd, "d");

		write_file(next, "file", "x");
		close(fd);
		fd = next;
	}
	close(fd);
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &old), 0);
	low = old;
	low.rlim_cur = 64;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
	before = open_fds();
	assert_int_equal(scute_remove_tree_at(f->dirfd, "deep", &err), 0);
	assert_int_equal(open_fds(), before);
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &old), 0);
	assert_false(exists(f->dirfd, "deep"));
}

/* Symlinks to a directory and to a file outside the tree go; what they
 * point to stays. */
static void test_symlinks_out_are_not_followed(void **state)
{
	struct fixture *f = *state;
	struct scute_err err = { 0 };
	int outside = mkdir_open(f->dirfd, "outside");
	int top = mkdir_open(f->dirfd, "tree");
	char target[4200];

	write_file(outside, "keep", "keep");
	close(outside);
	snprintf(target, sizeof(target), "%s/outside", f->dir);
	assert_int_equal(symlinkat(target, top, "to-dir"), 0);
	assert_int_equal(symlinkat("../outside/keep", top, "to-file"), 0);
	assert_int_equal(symlinkat("../outside", top, "relative"), 0);
	close(top);

	assert_int_equal(scute_remove_tree_at(f->dirfd, "tree", &err), 0);
	assert_false(exists(f->dirfd, "tree"));
	assert_true(exists(f->dirfd, "outside/keep"));
}

/* A bind mount of a directory outside (the same file system: only the
 * mount ID tells it apart) inside the tree: refused with EBUSY, naming
 * it, and nothing below it touched; once unmounted the tree goes. */
static void test_a_mount_inside_is_not_entered(void **state)
{
	struct fixture *f = *state;
	struct scute_err err = { 0 };
	char outside[4200], point[4200];
	int top, sub;

	enter_own_mount_ns(f);
	close(mkdir_open(f->dirfd, "outside"));
	snprintf(outside, sizeof(outside), "%s/outside", f->dir);
	write_file(f->dirfd, "outside/keep", "keep");
	top = mkdir_open(f->dirfd, "tree");
	sub = mkdir_open(top, "a");
	write_file(sub, "before", "x");
	close(mkdir_open(sub, "mnt"));
	close(sub);
	close(top);
	snprintf(point, sizeof(point), "%s/tree/a/mnt", f->dir);
	assert_int_equal(mount(outside, point, NULL, MS_BIND, NULL), 0);

	assert_int_equal(scute_remove_tree_at(f->dirfd, "tree", &err), -1);
	assert_int_equal(err.code, EBUSY);
	assert_non_null(strstr(err.msg, "mnt is a mount point"));
	assert_true(exists(f->dirfd, "outside/keep"));

	assert_int_equal(umount2(point, 0), 0);
	assert_int_equal(scute_remove_tree_at(f->dirfd, "tree", &err), 0);
	assert_false(exists(f->dirfd, "tree"));
	assert_true(exists(f->dirfd, "outside/keep"));
}

/* The tree's top itself a mount point: not entered either. */
static void test_a_mounted_top_is_not_entered(void **state)
{
	struct fixture *f = *state;
	struct scute_err err = { 0 };
	char point[4200];

	enter_own_mount_ns(f);
	close(mkdir_open(f->dirfd, "top"));
	snprintf(point, sizeof(point), "%s/top", f->dir);
	assert_int_equal(mount("tmpfs", point, "tmpfs", 0, "size=64k"), 0);
	write_file(f->dirfd, "top/keep", "keep");

	assert_int_equal(scute_remove_tree_at(f->dirfd, "top", &err), -1);
	assert_int_equal(err.code, EBUSY);
	assert_true(exists(f->dirfd, "top/keep"));
	assert_int_equal(umount2(point, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_files_dirs_and_a_missing_name, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_deeper_than_the_fd_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlinks_out_are_not_followed, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_a_mount_inside_is_not_entered, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_a_mounted_top_is_not_entered, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
