/* Unit tests of the one finalisation table (src/lib/finalise.h): the
 * order of the steps, slices of it, a failure stopping the sequence, and
 * closing fds before the program is looked up. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "finalise.h"

static int ran[SCUTE_FIN_COUNT * 2], n_ran, fail_at = -1;

/* Fake steps: each records which one it is (from its place in the table
 * the runner calls it for) and fails when told to. */
#define FAKE(step)                                                                              \
	static int fake_##step(struct scute_fin *f, struct scute_err *err)                      \
	{                                                                                       \
		(void)f;                                                                        \
		ran[n_ran++] = step;                                                            \
		return step == fail_at ? scute_err_set(err, EPERM, "step %d failed", step) : 0; \
	}
FAKE(SCUTE_FIN_RLIMITS)
FAKE(SCUTE_FIN_OOM)
FAKE(SCUTE_FIN_LSM)
FAKE(SCUTE_FIN_LANDLOCK)
FAKE(SCUTE_FIN_KEYRING)
FAKE(SCUTE_FIN_TERMINAL)
FAKE(SCUTE_FIN_BOUNDING)
FAKE(SCUTE_FIN_USER)
FAKE(SCUTE_FIN_CAPS)
FAKE(SCUTE_FIN_NO_NEW_PRIVS)
FAKE(SCUTE_FIN_CWD)
FAKE(SCUTE_FIN_CLOSE_FDS)
FAKE(SCUTE_FIN_FIND_PROGRAM)
FAKE(SCUTE_FIN_SECCOMP)
FAKE(SCUTE_FIN_CTTY)
FAKE(SCUTE_FIN_EXEC)

static const struct scute_fin_ops fake = { .step = {
						   fake_SCUTE_FIN_RLIMITS,
						   fake_SCUTE_FIN_OOM,
						   fake_SCUTE_FIN_LSM,
						   fake_SCUTE_FIN_LANDLOCK,
						   fake_SCUTE_FIN_KEYRING,
						   fake_SCUTE_FIN_TERMINAL,
						   fake_SCUTE_FIN_BOUNDING,
						   fake_SCUTE_FIN_USER,
						   fake_SCUTE_FIN_CAPS,
						   fake_SCUTE_FIN_NO_NEW_PRIVS,
						   fake_SCUTE_FIN_CWD,
						   fake_SCUTE_FIN_CLOSE_FDS,
						   fake_SCUTE_FIN_FIND_PROGRAM,
						   fake_SCUTE_FIN_SECCOMP,
						   fake_SCUTE_FIN_CTTY,
						   fake_SCUTE_FIN_EXEC,
					   } };

static void reset(int fail)
{
	n_ran = 0;
	fail_at = fail;
}

static int index_of(enum scute_fin_step s)
{
	for (int i = 0; i < n_ran; i++)
		if (ran[i] == (int)s)
			return i;
	return -1;
}

/* The security order of DESIGN.md "The init sequence". */
static void test_order(void **state)
{
	struct scute_fin f = { 0 };
	struct scute_err err = { 0 };

	(void)state;
	reset(-1);
	assert_int_equal(scute_fin_run(&fake, &f, 0, SCUTE_FIN_COUNT - 1, &err), 0);
	assert_int_equal(n_ran, SCUTE_FIN_COUNT);
	for (int i = 0; i < SCUTE_FIN_COUNT; i++)
		assert_int_equal(ran[i], i);
	/* The pairs whose order the design depends on. */
	assert_true(index_of(SCUTE_FIN_RLIMITS) < index_of(SCUTE_FIN_LSM));
	assert_true(index_of(SCUTE_FIN_LSM) < index_of(SCUTE_FIN_LANDLOCK));
	assert_true(index_of(SCUTE_FIN_OOM) < index_of(SCUTE_FIN_USER));
	assert_true(index_of(SCUTE_FIN_BOUNDING) < index_of(SCUTE_FIN_USER));
	assert_true(index_of(SCUTE_FIN_USER) < index_of(SCUTE_FIN_CAPS));
	assert_true(index_of(SCUTE_FIN_CAPS) < index_of(SCUTE_FIN_NO_NEW_PRIVS));
	assert_true(index_of(SCUTE_FIN_USER) < index_of(SCUTE_FIN_CWD));
	assert_true(index_of(SCUTE_FIN_CLOSE_FDS) < index_of(SCUTE_FIN_FIND_PROGRAM));
	assert_true(index_of(SCUTE_FIN_FIND_PROGRAM) < index_of(SCUTE_FIN_SECCOMP));
	assert_int_equal(ran[n_ran - 3], SCUTE_FIN_SECCOMP);
	assert_int_equal(ran[n_ran - 2], SCUTE_FIN_CTTY);
	assert_int_equal(ran[n_ran - 1], SCUTE_FIN_EXEC);
	assert_string_equal(scute_fin_step_name(SCUTE_FIN_CLOSE_FDS), "close fds");
}

/* A failure stops the sequence: nothing after it runs. */
static void test_failure_stops(void **state)
{
	struct scute_fin f = { 0 };
	struct scute_err err = { 0 };

	(void)state;
	for (int step = 0; step < SCUTE_FIN_COUNT; step++) {
		reset(step);
		assert_int_equal(scute_fin_run(&fake, &f, 0, SCUTE_FIN_COUNT - 1, &err), -1);
		assert_int_equal(n_ran, step + 1);
		assert_int_equal(ran[n_ran - 1], step);
		assert_int_equal(err.code, EPERM);
	}
}

/* The slices the init (up to CLOSE_FDS, then the rest after start) and
 * exec (helper up to SECCOMP, child CTTY and EXEC) run add up to the
 * table. */
static void test_slices(void **state)
{
	struct scute_fin f = { 0 };
	struct scute_err err = { 0 };

	(void)state;
	reset(-1);
	assert_int_equal(scute_fin_run(&fake, &f, 0, SCUTE_FIN_CLOSE_FDS, &err), 0);
	assert_int_equal(n_ran, SCUTE_FIN_CLOSE_FDS + 1);
	assert_int_equal(scute_fin_run(&fake, &f, SCUTE_FIN_FIND_PROGRAM, SCUTE_FIN_EXEC, &err), 0);
	assert_int_equal(n_ran, SCUTE_FIN_COUNT);
	for (int i = 0; i < SCUTE_FIN_COUNT; i++)
		assert_int_equal(ran[i], i);
	reset(-1);
	assert_int_equal(scute_fin_run(&fake, &f, 0, SCUTE_FIN_SECCOMP, &err), 0);
	assert_int_equal(scute_fin_run(&fake, &f, SCUTE_FIN_CTTY, SCUTE_FIN_EXEC, &err), 0);
	assert_int_equal(n_ran, SCUTE_FIN_COUNT);
	assert_int_equal(ran[n_ran - 1], SCUTE_FIN_EXEC);
}

static bool is_open(int fd)
{
	return fcntl(fd, F_GETFD) >= 0;
}

/* In a child (it closes fds): preserved fds stay and lose close-on-exec,
 * kept sockets stay, everything else is closed; a kept non-socket fails. */
static void test_close_fds(void **state)
{
	int status;
	pid_t pid;

	(void)state;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct scute_err err = { 0 };
		int sv[2], file, keep[1];
		dup2(open("/dev/null", O_RDONLY | O_CLOEXEC), 3);
		fcntl(3, F_SETFD, FD_CLOEXEC);
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
			_exit(10);
		file = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
		keep[0] = file;
		if (scute_fin_close_fds(1, keep, 1, &err) == 0 || err.code != EBADF)
			_exit(11); /* a directory is never kept */
		keep[0] = sv[0];
		if (scute_fin_close_fds(1, keep, 1, &err) < 0)
			_exit(12);
		if (!is_open(3) || (fcntl(3, F_GETFD) & FD_CLOEXEC))
			_exit(13);
		if (!is_open(sv[0]) || is_open(sv[1]) || is_open(file))
			_exit(14);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_failure_stops),
		cmocka_unit_test(test_slices),
		cmocka_unit_test(test_close_fds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
