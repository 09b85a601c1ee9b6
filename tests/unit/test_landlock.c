/* Landlock applied for real, each case in a forked child (a ruleset binds
 * the process for life): what a ruleset refuses and allows, and the
 * errors disableBestEffort turns the best-effort drops into. Needs a
 * kernel with Landlock; skipped without. No root needed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <libgen.h>
#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "landlock.h"
#include "spec.h"

static char scratch[] = "/tmp/scute-landlock.XXXXXX";
static char build_root[PATH_MAX];

/* The process object around a landlock section, parsed as config.json's. */
static int parse(const char *landlock, struct scute_process *p, struct scute_err *err)
{
	char text[4096];
	json_error_t jerr;
	json_t *doc;
	int rc;

	snprintf(text, sizeof(text),
		 "{\"args\": [\"x\"], \"cwd\": \"/\", \"user\": {\"uid\": 0, \"gid\": 0},"
		 " \"noNewPrivileges\": true, \"landlock\": %s}",
		 landlock);
	doc = json_loads(text, 0, &jerr);
	if (!doc)
		fail_msg("test JSON: %s", jerr.text);
	rc = scute_spec_parse_process(doc, "config.json", p, err);
	json_decref(doc);
	return rc;
}

/* Run `check` in a child restricted by the section; its exit status. The
 * child leaves with exit(), not _exit(): a coverage build writes its
 * counters then, which every ruleset here allows (beneath the build). */
static int in_child(const char *landlock, int (*check)(void))
{
	struct scute_process p;
	struct scute_err err;
	int status;
	pid_t pid;

	if (parse(landlock, &p, &err) < 0)
		fail_msg("%s", err.msg);
	fflush(NULL); /* the child's exit() must not print the parent's buffers again */
	pid = fork();
	if (pid == 0) {
		prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		if (scute_landlock_apply(p.landlock, &err) < 0) {
			fprintf(stderr, "apply: %s\n", err.msg);
			exit(100);
		}
		exit(check());
	}
	scute_process_free(&p);
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 200;
}

static int write_in(const char *dir)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/file", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd >= 0)
		close(fd);
	return fd >= 0 ? 0 : errno;
}

/* The scratch directory has no rule: creating a file there is refused;
 * the build tree, with a rule, stays writable. */
static int check_fs(void)
{
	if (write_in(scratch) != EACCES)
		return 1;
	return write_in(build_root) == 0 ? 0 : 2;
}

static void test_fs_rules(void **state)
{
	char section[1024];

	(void)state;
	snprintf(
		section, sizeof(section),
		"{\"ruleset\": {\"handledAccessFS\": [\"write_file\", \"make_reg\", \"remove_file\"]},"
		" \"rules\": {\"pathBeneath\": [{\"allowedAccess\": [\"write_file\", \"make_reg\","
		" \"remove_file\"], \"paths\": [\"%s\", \"/dev\"]}]}}",
		build_root);
	assert_int_equal(in_child(section, check_fs), 0);
	/* Unrestricted, the same write works: the refusal was Landlock's. */
	assert_int_equal(write_in(scratch), 0);
}

static int bind_port(uint16_t port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), rc;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	rc = bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 ? 0 : errno;
	close(fd);
	return rc;
}

static int check_net(void)
{
	int allowed = bind_port(42471), other = bind_port(42472);

	return (allowed == 0 || allowed == EADDRINUSE) && other == EACCES ? 0 : 1;
}

static void test_net_rules(void **state)
{
	(void)state;
	if (scute_landlock_abi() < 4)
		skip();
	assert_int_equal(in_child("{\"ruleset\": {\"handledAccessNet\": [\"bind_tcp\"]},"
				  " \"rules\": {\"netPort\": [{\"allowedAccess\": [\"bind_tcp\"],"
				  " \"ports\": [42471]}]}}",
				  check_net),
			 0);
}

static int check_signal_scope(void)
{
	return kill(getppid(), 0) < 0 && errno == EPERM ? 0 : 1;
}

static void test_scoped_signals(void **state)
{
	(void)state;
	if (scute_landlock_abi() < 6)
		skip();
	assert_int_equal(in_child("{\"ruleset\": {\"scoped\": [\"signal\"]}}", check_signal_scope),
			 0);
}

static int check_nothing(void)
{
	return 0;
}

/* disableBestEffort: what best effort skips is an error naming it. */
static void test_strict_errors(void **state)
{
	struct scute_process p;
	struct scute_err err;
	char section[1024];

	(void)state;
	/* (/proc: a sanitizer build's leak check lists /proc/PID/task.) */
	snprintf(
		section, sizeof(section),
		"{\"ruleset\": {\"handledAccessFS\": [\"read_dir\", \"write_file\"]},"
		" \"rules\": {\"pathBeneath\": [{\"allowedAccess\": [\"read_dir\", \"write_file\"],"
		" \"paths\": [\"%s/missing\", \"%s\", \"/proc\"]}]}}",
		scratch, build_root);
	/* Best effort: the missing path is skipped. */
	assert_int_equal(in_child(section, check_nothing), 0);
	snprintf(section, sizeof(section),
		 "{\"ruleset\": {\"handledAccessFS\": [\"read_dir\"]},"
		 " \"rules\": {\"pathBeneath\": [{\"allowedAccess\": [\"read_dir\"],"
		 " \"paths\": [\"%s/missing\"]}]}, \"disableBestEffort\": true}",
		 scratch);
	assert_int_equal(parse(section, &p, &err), 0);
	assert_int_equal(scute_landlock_apply(p.landlock, &err), -1);
	assert_non_null(strstr(err.msg, "pathBeneath[0].paths[0]"));
	assert_non_null(strstr(err.msg, "/missing"));
	scute_process_free(&p);
	/* A directory right on a file. */
	snprintf(section, sizeof(section),
		 "{\"ruleset\": {\"handledAccessFS\": [\"read_dir\", \"read_file\"]},"
		 " \"rules\": {\"pathBeneath\": [{\"allowedAccess\": [\"read_dir\", \"read_file\"],"
		 " \"paths\": [\"/dev/null\"]}]}, \"disableBestEffort\": true}");
	assert_int_equal(parse(section, &p, &err), 0);
	assert_int_equal(scute_landlock_apply(p.landlock, &err), -1);
	assert_non_null(strstr(err.msg, "/dev/null is not a directory"));
	scute_process_free(&p);
}

static int setup(void **state)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	(void)state;
	if (n <= 0 || !mkdtemp(scratch))
		return -1;
	exe[n] = '\0';
	/* build/tests/test_landlock: the build root is two levels up. */
	snprintf(build_root, sizeof(build_root), "%s", dirname(dirname(exe)));
	return 0;
}

static int teardown(void **state)
{
	char path[PATH_MAX];

	(void)state;
	snprintf(path, sizeof(path), "%s/file", scratch);
	unlink(path);
	snprintf(path, sizeof(path), "%s/file", build_root);
	unlink(path);
	return rmdir(scratch);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fs_rules),
		cmocka_unit_test(test_net_rules),
		cmocka_unit_test(test_scoped_signals),
		cmocka_unit_test(test_strict_errors),
	};

	if (scute_landlock_abi() == 0) {
		printf("Landlock is not available here; skipped\n");
		return 0;
	}
	return cmocka_run_group_tests(tests, setup, teardown);
}
