/* Unit tests of the parent/init handshake (sync.c) and fd passing
 * (fdpass.c): a failure says which message failed, and a peer that breaks
 * the protocol gets an error, not a silent -1 or a stray fd. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fdpass.h"
#include "sync.h"

static void pair(int sv[2])
{
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
}

static void test_expect_names_both_messages(void **state)
{
	struct scute_err err = { 0 };
	int sv[2];

	(void)state;
	pair(sv);
	assert_int_equal(scute_sync_send(sv[0], SCUTE_SYNC_READY, NULL, &err), 0);
	assert_int_equal(scute_sync_expect(sv[1], SCUTE_SYNC_GO, &err), -1);
	assert_int_equal(err.code, EPROTO);
	assert_string_equal(err.msg, "sync: expected GO, got READY");
	/* The right one is taken. */
	assert_int_equal(scute_sync_send(sv[0], SCUTE_SYNC_GO, NULL, &err), 0);
	assert_int_equal(scute_sync_expect(sv[1], SCUTE_SYNC_GO, &err), 0);
	close(sv[0]);
	close(sv[1]);
}

static void test_error_payload_passes_as_is(void **state)
{
	struct scute_err sent = { .code = EINVAL }, err = { 0 };
	int sv[2];

	(void)state;
	pair(sv);
	snprintf(sent.msg, sizeof(sent.msg), "config.json: process.cwd: nope");
	assert_int_equal(scute_sync_send(sv[0], SCUTE_SYNC_ERROR, &sent, &err), 0);
	assert_int_equal(scute_sync_expect(sv[1], SCUTE_SYNC_READY, &err), -1);
	assert_int_equal(err.code, EINVAL);
	assert_string_equal(err.msg, "config.json: process.cwd: nope");
	close(sv[0]);
	close(sv[1]);
}

static void test_closed_channel_says_what_was_awaited(void **state)
{
	struct scute_err err = { 0 };
	int sv[2];

	(void)state;
	pair(sv);
	close(sv[0]);
	assert_int_equal(scute_sync_expect(sv[1], SCUTE_SYNC_HOOKS_DONE, &err), -1);
	assert_int_equal(err.code, EPIPE);
	assert_non_null(strstr(err.msg, "HOOKS_DONE"));
	close(sv[1]);
}

static void test_failed_send_is_an_error(void **state)
{
	struct scute_err err = { 0 };
	int sv[2];

	(void)state;
	pair(sv);
	close(sv[1]);
	assert_int_equal(scute_sync_send(sv[0], SCUTE_SYNC_GO, NULL, &err), -1);
	assert_int_equal(err.code, EPIPE);
	assert_non_null(strstr(err.msg, "sync: send GO"));
	assert_int_equal(scute_sync_send_text(sv[0], "{}", &err), -1);
	assert_non_null(strstr(err.msg, "sync: send the state"));
	close(sv[0]);
}

/* A message with two fds attached: the receiver keeps neither. */
static void test_two_fds_refused(void **state)
{
	struct scute_err err = { 0 };
	int sv[2], fds[2] = { 0, 1 }, got = 123, before;
	char cbuf[CMSG_SPACE(sizeof(fds))] = { 0 }, buf[16];
	struct iovec iov = { .iov_base = "L", .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov,
			      .msg_iovlen = 1,
			      .msg_control = cbuf,
			      .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

	(void)state;
	pair(sv);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(fds));
	memcpy(CMSG_DATA(c), fds, sizeof(fds));
	assert_true(sendmsg(sv[0], &msg, 0) == 1);
	before = fcntl(0, F_DUPFD_CLOEXEC, 0); /* the lowest free fd now */
	close(before);
	assert_int_equal(scute_recv_fd(sv[1], buf, sizeof(buf), &got, &err), -1);
	assert_int_equal(got, -1);
	assert_int_equal(err.code, EPROTO);
	/* The fd that did come was closed again: the lowest free is the same. */
	int after = fcntl(0, F_DUPFD_CLOEXEC, 0);
	assert_int_equal(after, before);
	close(after);
	close(sv[0]);
	close(sv[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expect_names_both_messages),
		cmocka_unit_test(test_error_payload_passes_as_is),
		cmocka_unit_test(test_closed_channel_says_what_was_awaited),
		cmocka_unit_test(test_failed_send_is_an_error),
		cmocka_unit_test(test_two_fds_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
