/* Unit tests of what registries say about authentication
 * (src/engine/registry/auth.c): WWW-Authenticate challenges, token
 * responses, Basic credentials and the summary of error bodies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"

static void test_bearer(void **state)
{
	struct scute_challenge c;
	struct scute_err err = { 0 };

	(void)state;
	assert_int_equal(scute_challenge_parse("Bearer realm=\"https://auth.docker.io/token\","
					       "service=\"registry.docker.io\","
					       "scope=\"repository:library/busybox:pull\"",
					       &c, &err),
			 0);
	assert_int_equal(c.scheme, SCUTE_AUTH_BEARER);
	assert_string_equal(c.realm, "https://auth.docker.io/token");
	assert_string_equal(c.service, "registry.docker.io");
	assert_string_equal(c.scope, "repository:library/busybox:pull");
	scute_challenge_free(&c);
	/* Case, spaces, escapes, a token value, unknown parameters. */
	assert_int_equal(scute_challenge_parse("bEaReR  Realm = \"https://a/\\\"t\" , service=svc, "
					       "error=\"insufficient_scope\"",
					       &c, &err),
			 0);
	assert_string_equal(c.realm, "https://a/\"t");
	assert_string_equal(c.service, "svc");
	assert_null(c.scope);
	scute_challenge_free(&c);
}

static void test_several(void **state)
{
	struct scute_challenge c;
	struct scute_err err = { 0 };

	(void)state;
	/* Bearer wins over Basic, in either order; unknown schemes are skipped. */
	assert_int_equal(
		scute_challenge_parse("Basic realm=\"r\", Bearer realm=\"https://t/\"", &c, &err),
		0);
	assert_int_equal(c.scheme, SCUTE_AUTH_BEARER);
	assert_string_equal(c.realm, "https://t/");
	scute_challenge_free(&c);
	assert_int_equal(
		scute_challenge_parse("Negotiate, Basic realm=\"Registry Realm\"", &c, &err), 0);
	assert_int_equal(c.scheme, SCUTE_AUTH_BASIC);
	assert_string_equal(c.realm, "Registry Realm");
	scute_challenge_free(&c);
	assert_int_equal(scute_challenge_parse("Basic", &c, &err), 0);
	assert_int_equal(c.scheme, SCUTE_AUTH_BASIC);
	scute_challenge_free(&c);
}

static void refused(const char *header, const char *want)
{
	struct scute_challenge c;
	struct scute_err err = { 0 };

	if (scute_challenge_parse(header, &c, &err) == 0)
		fail_msg("accepted: %s", header);
	assert_int_equal(err.code, EPROTO);
	if (!strstr(err.msg, want))
		fail_msg("%s: %s (want %s)", header, err.msg, want);
	assert_null(c.realm);
	scute_challenge_free(&c);
}

static void test_refused(void **state)
{
	char *big = malloc(SCUTE_CHALLENGE_MAX + 20);

	(void)state;
	assert_non_null(big);
	refused("", "no Basic or Bearer");
	refused("Digest realm=\"x\"", "no Basic or Bearer");
	refused("Bearer service=\"x\"", "without realm");
	refused("Bearer realm=\"https://x", "unterminated");
	refused("Bearer realm=\"https://x\r\nSet-Cookie: a\"", "control character");
	refused("Bearer realm=", "bad parameter value");
	refused("Bearer realm=\"x\" @", "unexpected character");
	memset(big, 'a', SCUTE_CHALLENGE_MAX + 10);
	memcpy(big, "Bearer realm=\"", 14);
	big[SCUTE_CHALLENGE_MAX + 10] = '\0';
	refused(big, "longer than");
	big[SCUTE_CHALLENGE_VALUE_MAX + 20] = '"';
	big[SCUTE_CHALLENGE_VALUE_MAX + 21] = '\0';
	refused(big, "value longer than");
	free(big);
}

static void token(const char *json, const char *want, int64_t want_exp)
{
	struct scute_err err = { 0 };
	char *t;
	int64_t exp;

	if (scute_token_parse(json, strlen(json), &t, &exp, &err) < 0)
		fail_msg("%s: %s", json, err.msg);
	assert_string_equal(t, want);
	assert_int_equal(exp, want_exp);
	free(t);
}

static void bad_token(const char *json, const char *want)
{
	struct scute_err err = { 0 };
	char *t;
	int64_t exp;

	assert_int_equal(scute_token_parse(json, strlen(json), &t, &exp, &err), -1);
	assert_int_equal(err.code, EPROTO);
	assert_null(t);
	if (!strstr(err.msg, want))
		fail_msg("%s: %s (want %s)", json, err.msg, want);
}

static void test_token(void **state)
{
	(void)state;
	token("{\"token\":\"abc.def\",\"expires_in\":300}", "abc.def", 300);
	token("{\"access_token\":\"xyz\"}", "xyz", 60);
	token("{\"token\":\"\",\"access_token\":\"xyz\",\"expires_in\":5}", "xyz", 60);
	bad_token("[]", "not a JSON object");
	bad_token("{\"token\":1}", "no token");
	bad_token("{\"token\":\"a\\r\\nX-Evil: 1\"}", "not printable");
	bad_token("{\"token\":\"a b\"}", "not printable");
	bad_token("{\"token\":\"a\\u0000b\"}", "not a JSON object");
	bad_token("{\"token\":\"a\",\"expires_in\":\"60\"}", "expires_in");
	bad_token("{\"token\":\"a\",\"token\":\"b\"}", "not a JSON object");
}

static void test_basic(void **state)
{
	char *b = scute_auth_basic("user", "pa:ss");

	(void)state;
	assert_string_equal(b, "Basic dXNlcjpwYTpzcw==");
	free(b);
}

static void summary(const char *body, const char *want)
{
	char out[128];

	scute_registry_error_summary(body, strlen(body), out, sizeof(out));
	assert_string_equal(out, want);
}

static void test_summary(void **state)
{
	(void)state;
	summary("{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\","
		"\"detail\":{}}]}",
		"MANIFEST_UNKNOWN: manifest unknown");
	summary("{\"errors\":[{\"code\":\"A\",\"message\":\"a\"},{\"code\":\"B\"},"
		"{\"message\":\"c\"},{\"code\":\"D\"}]}",
		"A: a; B; c");
	summary("{\"errors\":[{\"code\":\"X\",\"message\":\"\\u001b[31mred\"}]}", "X: ?[31mred");
	summary("404 page not found\n", "404 page not found");
	summary("{\"errors\":5}", "");
	summary("", "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bearer),	cmocka_unit_test(test_several),
		cmocka_unit_test(test_refused), cmocka_unit_test(test_token),
		cmocka_unit_test(test_basic),	cmocka_unit_test(test_summary),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
