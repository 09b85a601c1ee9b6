/* Unit tests of the registry transport's decisions
 * (src/engine/registry/policy.c): which hosts get plain HTTP (loopback,
 * docker's insecure-registries entries, CIDRs on IP literals only), which
 * redirects are followed and where the credentials go. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "policy.h"

static void test_loopback(void **state)
{
	(void)state;
	assert_true(scute_host_is_loopback("localhost"));
	assert_true(scute_host_is_loopback("LocalHost"));
	assert_true(scute_host_is_loopback("127.0.0.1"));
	assert_true(scute_host_is_loopback("127.255.3.4"));
	assert_true(scute_host_is_loopback("::1"));
	assert_false(scute_host_is_loopback("128.0.0.1"));
	assert_false(scute_host_is_loopback("localhost.example.com"));
	assert_false(scute_host_is_loopback("127.0.0.1.nip.io"));
	assert_false(scute_host_is_loopback("::2"));
	assert_false(scute_host_is_loopback("registry-1.docker.io"));
}

static void test_insecure_entries(void **state)
{
	const char *list[] = { "reg.example:5000", "plain.example", "10.0.0.0/8",
			       "fd00::/8",	   "[fe80::5]:443", "bad/99" };
	size_t n = sizeof(list) / sizeof(list[0]);

	(void)state;
	assert_true(scute_plain_http_allowed("reg.example", 5000, list, n));
	assert_true(scute_plain_http_allowed("REG.example", 5000, list, n));
	assert_false(scute_plain_http_allowed("reg.example", 5001, list, n));
	assert_false(scute_plain_http_allowed("reg.example", 80, list, n));
	assert_true(scute_plain_http_allowed("plain.example", 80, list, n));
	assert_true(scute_plain_http_allowed("plain.example", 8080, list, n));
	assert_false(scute_plain_http_allowed("other.example", 80, list, n));
	assert_true(scute_plain_http_allowed("10.1.2.3", 5000, list, n));
	assert_false(scute_plain_http_allowed("11.1.2.3", 5000, list, n));
	assert_true(scute_plain_http_allowed("fd00::1", 5000, list, n));
	assert_false(scute_plain_http_allowed("fe80::1", 5000, list, n));
	assert_true(scute_plain_http_allowed("fe80::5", 443, list, n));
	assert_false(scute_plain_http_allowed("fe80::5", 444, list, n));
	/* A CIDR never matches a name, whatever DNS would say about it. */
	assert_false(scute_plain_http_allowed("ten.example", 5000, list, n));
	/* Loopback without an entry. */
	assert_true(scute_plain_http_allowed("127.0.0.1", 5000, NULL, 0));
	assert_false(scute_plain_http_allowed("192.168.1.1", 5000, NULL, 0));
}

static void test_cidr_edges(void **state)
{
	const char *a[] = { "192.168.0.0/16" }, *b[] = { "192.168.1.7/32" }, *c[] = { "0.0.0.0/0" },
		   *d[] = { "192.168.1.0/33" }, *e[] = { "192.168.1.0/" };

	(void)state;
	assert_true(scute_plain_http_allowed("192.168.200.1", 80, a, 1));
	assert_false(scute_plain_http_allowed("192.169.0.1", 80, a, 1));
	assert_true(scute_plain_http_allowed("192.168.1.7", 80, b, 1));
	assert_false(scute_plain_http_allowed("192.168.1.8", 80, b, 1));
	assert_true(scute_plain_http_allowed("8.8.8.8", 80, c, 1));
	assert_false(scute_plain_http_allowed("192.168.1.1", 80, d, 1));
	assert_false(scute_plain_http_allowed("192.168.1.1", 80, e, 1));
}

static void origin(const char *url, struct scute_origin *o)
{
	struct scute_err err = { 0 };

	if (scute_origin_parse(url, o, &err) < 0)
		fail_msg("%s: %s", url, err.msg);
}

static void test_origin(void **state)
{
	struct scute_origin a, b;
	struct scute_err err = { 0 };

	(void)state;
	origin("https://Registry.Example/v2/", &a);
	assert_true(a.https);
	assert_string_equal(a.host, "registry.example");
	assert_int_equal(a.port, 443);
	origin("https://registry.example:443/x", &b);
	assert_true(scute_origin_equal(&a, &b));
	origin("http://registry.example/x", &b);
	assert_int_equal(b.port, 80);
	assert_false(scute_origin_equal(&a, &b));
	origin("http://[::1]:5000/v2/", &b);
	assert_string_equal(b.host, "::1");
	assert_int_equal(b.port, 5000);
	assert_int_equal(scute_origin_parse("ftp://x/", &b, &err), -1);
	assert_int_equal(err.code, EINVAL);
	assert_int_equal(scute_origin_parse("/relative", &b, &err), -1);
	assert_int_equal(scute_origin_parse("https://user:pw@x/", &b, &err), -1);
	assert_non_null(strstr(err.msg, "user information"));
}

/* FROM -> TO with credentials meant for AUTH: 0 and *send_auth, or -1. */
static int redirect(const char *auth, const char *from, const char *to, bool *send_auth)
{
	const char *insecure[] = { "plain.example:5000" };
	struct scute_origin a, f, t;
	struct scute_err err = { 0 };
	int rc;

	origin(auth, &a);
	origin(from, &f);
	origin(to, &t);
	rc = scute_redirect_check(&a, &f, &t, insecure, 1, send_auth, &err);
	if (rc < 0)
		assert_int_equal(err.code, EPERM);
	return rc;
}

static void test_redirects(void **state)
{
	bool send = true;

	(void)state;
	/* Same origin: credentials go along. */
	assert_int_equal(
		redirect("https://r.example", "https://r.example/a", "https://r.example/b", &send),
		0);
	assert_true(send);
	/* Another host, port or scheme: followed without them. */
	assert_int_equal(
		redirect("https://r.example", "https://r.example/a", "https://s3.example/b", &send),
		0);
	assert_false(send);
	assert_int_equal(redirect("https://r.example", "https://r.example/a",
				  "https://r.example:8443/b", &send),
			 0);
	assert_false(send);
	assert_int_equal(redirect("http://127.0.0.1:5000", "http://127.0.0.1:5000/a",
				  "http://localhost:5000/b", &send),
			 0);
	assert_false(send);
	/* Back to the registry after a hop elsewhere: they go again. */
	assert_int_equal(redirect("https://r.example", "https://cdn.example/a",
				  "https://r.example/b", &send),
			 0);
	assert_true(send);
	/* Downgrades are refused, even to loopback. */
	send = true;
	assert_int_equal(
		redirect("https://r.example", "https://r.example/a", "http://r.example/b", &send),
		-1);
	assert_false(send);
	assert_int_equal(redirect("https://127.0.0.1:5000", "https://127.0.0.1:5000/a",
				  "http://127.0.0.1:5000/b", &send),
			 -1);
	/* http -> http only to hosts allowed plain HTTP. */
	assert_int_equal(redirect("http://plain.example:5000", "http://plain.example:5000/a",
				  "http://evil.example/b", &send),
			 -1);
	assert_int_equal(redirect("http://plain.example:5000", "http://plain.example:5000/a",
				  "http://plain.example:5000/b", &send),
			 0);
	assert_true(send);
	/* http -> https is an upgrade. */
	assert_int_equal(redirect("http://127.0.0.1:5000", "http://127.0.0.1:5000/a",
				  "https://cdn.example/b", &send),
			 0);
	assert_false(send);
}

static void test_printable(void **state)
{
	char out[16];

	(void)state;
	scute_registry_printable("a\x1b[2Jb\xff", 7, out, sizeof(out));
	assert_string_equal(out, "a?[2Jb?");
	scute_registry_printable("0123456789abcdefghij", 20, out, sizeof(out));
	assert_string_equal(out, "0123456789ab...");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loopback),   cmocka_unit_test(test_insecure_entries),
		cmocka_unit_test(test_cidr_edges), cmocka_unit_test(test_origin),
		cmocka_unit_test(test_redirects),  cmocka_unit_test(test_printable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
