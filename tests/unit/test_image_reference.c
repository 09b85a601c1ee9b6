/* Unit tests of image references (src/engine/images/reference.c): docker's
 * short names normalised as docker does, the familiar and full forms, and
 * the references distribution/reference refuses, each an EINVAL error
 * naming the input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "reference.h"

#define HEX "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
#define DIGEST "sha256:" HEX

/* Parse S; expect DOMAIN, PATH, TAG (or NULL), DIGEST (or NULL) and the
 * two forms. */
static void check(const char *s, const char *domain, const char *path, const char *tag,
		  const char *digest, const char *full, const char *familiar)
{
	struct scute_image_ref *ref = NULL;
	struct scute_err err = { 0 };
	char *f;

	if (scute_image_ref_parse(s, &ref, &err) < 0)
		fail_msg("%s: %s", s, err.msg);
	assert_string_equal(ref->domain, domain);
	assert_string_equal(ref->path, path);
	if (tag)
		assert_string_equal(ref->tag, tag);
	else
		assert_null(ref->tag);
	if (digest)
		assert_string_equal(ref->digest->str, digest);
	else
		assert_null(ref->digest);
	f = scute_image_ref_string(ref);
	assert_non_null(f);
	assert_string_equal(f, full);
	free(f);
	f = scute_image_ref_familiar(ref);
	assert_non_null(f);
	assert_string_equal(f, familiar);
	free(f);
	scute_image_ref_free(ref);
}

/* S is refused with EINVAL, an error naming it and saying WHY. */
static void refused(const char *s, const char *why)
{
	struct scute_image_ref *ref = (void *)1;
	struct scute_err err = { 0 };
	char shown[16];

	if (scute_image_ref_parse(s, &ref, &err) == 0)
		fail_msg("%s: accepted", s);
	assert_int_equal(err.code, EINVAL);
	assert_null(ref);
	assert_non_null(strstr(err.msg, "invalid image reference \""));
	snprintf(shown, sizeof(shown), "%s", s);
	for (char *p = shown; *p; p++)
		if ((unsigned char)*p < 0x20)
			*p = '?';
	assert_non_null(strstr(err.msg, shown));
	if (!strstr(err.msg, why))
		fail_msg("%s: \"%s\" does not say \"%s\"", s, err.msg, why);
}

static void test_short_names(void **state)
{
	(void)state;
	check("busybox", "docker.io", "library/busybox", "latest", NULL,
	      "docker.io/library/busybox:latest", "busybox:latest");
	check("library/busybox", "docker.io", "library/busybox", "latest", NULL,
	      "docker.io/library/busybox:latest", "busybox:latest");
	check("docker.io/library/busybox:1.36", "docker.io", "library/busybox", "1.36", NULL,
	      "docker.io/library/busybox:1.36", "busybox:1.36");
	check("docker.io/busybox", "docker.io", "library/busybox", "latest", NULL,
	      "docker.io/library/busybox:latest", "busybox:latest");
	check("foo/bar:1", "docker.io", "foo/bar", "1", NULL, "docker.io/foo/bar:1", "foo/bar:1");
	check("index.docker.io/x", "docker.io", "library/x", "latest", NULL,
	      "docker.io/library/x:latest", "x:latest");
	check("index.docker.io/a/b:c", "docker.io", "a/b", "c", NULL, "docker.io/a/b:c", "a/b:c");
	check("docker.io/library/a/b", "docker.io", "library/a/b", "latest", NULL,
	      "docker.io/library/a/b:latest", "library/a/b:latest");
	/* the familiar form keeps docker.io where the path would read as a domain */
	check("docker.io/a.b/c", "docker.io", "a.b/c", "latest", NULL, "docker.io/a.b/c:latest",
	      "docker.io/a.b/c:latest");
	check("docker.io/localhost/c", "docker.io", "localhost/c", "latest", NULL,
	      "docker.io/localhost/c:latest", "docker.io/localhost/c:latest");
	check("docker.io/a-b/c", "docker.io", "a-b/c", "latest", NULL, "docker.io/a-b/c:latest",
	      "a-b/c:latest");
	/* a name without a '/' is never a domain: the ':' is a tag */
	check("localhost:5000", "docker.io", "library/localhost", "5000", NULL,
	      "docker.io/library/localhost:5000", "localhost:5000");
}

static void test_domains(void **state)
{
	(void)state;
	check("localhost:5000/foo/bar:t", "localhost:5000", "foo/bar", "t", NULL,
	      "localhost:5000/foo/bar:t", "localhost:5000/foo/bar:t");
	check("localhost/foo", "localhost", "foo", "latest", NULL, "localhost/foo:latest",
	      "localhost/foo:latest");
	check("127.0.0.1:5000/x", "127.0.0.1:5000", "x", "latest", NULL, "127.0.0.1:5000/x:latest",
	      "127.0.0.1:5000/x:latest");
	check("example.com/a/b@" DIGEST, "example.com", "a/b", NULL, DIGEST,
	      "example.com/a/b@" DIGEST, "example.com/a/b@" DIGEST);
	check("Example.COM/a", "Example.COM", "a", "latest", NULL, "Example.COM/a:latest",
	      "Example.COM/a:latest");
	check("[::1]:5000/a", "[::1]:5000", "a", "latest", NULL, "[::1]:5000/a:latest",
	      "[::1]:5000/a:latest");
	check("my-registry.example.com:443/team/app", "my-registry.example.com:443", "team/app",
	      "latest", NULL, "my-registry.example.com:443/team/app:latest",
	      "my-registry.example.com:443/team/app:latest");
}

static void test_tags_and_digests(void **state)
{
	(void)state;
	check("name:tag@" DIGEST, "docker.io", "library/name", "tag", DIGEST,
	      "docker.io/library/name:tag@" DIGEST, "name:tag@" DIGEST);
	check("busybox@" DIGEST, "docker.io", "library/busybox", NULL, DIGEST,
	      "docker.io/library/busybox@" DIGEST, "busybox@" DIGEST);
	check("a:_A-z.9", "docker.io", "library/a", "_A-z.9", NULL, "docker.io/library/a:_A-z.9",
	      "a:_A-z.9");
	check("a/b.c_d__e---f:1", "docker.io", "a/b.c_d__e---f", "1", NULL,
	      "docker.io/a/b.c_d__e---f:1", "a/b.c_d__e---f:1");
}

static void test_lengths(void **state)
{
	char s[512];

	(void)state;
	/* docker.io/ (10) + 245 = 255: the longest name */
	memset(s, 'a', 245);
	memcpy(s, "x/", 2);
	s[245] = '\0';
	{
		struct scute_image_ref *ref = NULL;
		struct scute_err err = { 0 };

		assert_int_equal(scute_image_ref_parse(s, &ref, &err), 0);
		assert_int_equal(strlen(ref->domain) + 1 + strlen(ref->path), 255);
		scute_image_ref_free(ref);
	}
	s[245] = 'a';
	s[246] = '\0';
	refused(s, "name longer than 255");
	memset(s, 'a', 256);
	s[256] = '\0';
	refused(s, "longer than 255");
	memset(s, 'a', sizeof(s) - 1);
	s[sizeof(s) - 1] = '\0';
	refused(s, "too long");
	/* a tag of 128 characters, then 129 */
	memcpy(s, "a:", 2);
	memset(s + 2, 't', 128);
	s[130] = '\0';
	check(s, "docker.io", "library/a", s + 2, NULL,
	      "docker.io/library/a:" /* + tag */
	      "tttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt"
	      "tttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt",
	      s);
	s[130] = 't';
	s[131] = '\0';
	refused(s, "tag longer than 128");
}

static void test_refused(void **state)
{
	(void)state;
	refused("", "empty");
	refused("Busybox", "repository name must be lowercase");
	refused("docker.io/Library/busybox", "repository name must be lowercase");
	refused("example.com/a/B:1", "repository name must be lowercase");
	refused("a:", "empty tag");
	refused(":tag", "no repository name");
	refused("@" DIGEST, "no repository name");
	refused("a@sha256:short", "digest");
	refused("a@sha512:" HEX, "digest");
	refused("a@sha256:" HEX "@" DIGEST, "digest");
	refused("a@", "digest");
	refused("a//b", "double '/'");
	refused("example.com//b", "double '/'");
	refused("a/", "trailing");
	refused("/a", "leading");
	refused("example.com/", "double '/'");
	refused("a..b", "separators");
	refused("a--", "end with a letter or a digit");
	refused("-a", "start with a letter or a digit");
	refused("a___b", "separators");
	refused("a_-b", "separators");
	refused("a b", "only lowercase letters");
	refused("a:t t", "tag may hold only");
	refused("a:.t", "tag must start");
	refused("a:-t", "tag must start");
	refused("exa_mple.com/a", "domain");
	refused("-example.com/a", "domain");
	refused("example-.com/a", "domain");
	refused("example..com/a", "domain");
	refused("example.com:/a", "port");
	refused("example.com:5x/a", "domain");
	refused("[zz]:5000/a", "IPv6");
	refused("[zz]/a", "path components must start");
	/* a first component with a "." is a domain, so "_" is refused there */
	refused("a.b_c/d", "domain");
	refused(HEX, "image ID");
	refused("a\nb", "only lowercase letters");
}

static void test_error_escaped(void **state)
{
	struct scute_image_ref *ref = NULL;
	struct scute_err err = { 0 };
	char s[300];

	(void)state;
	memset(s, 'A', sizeof(s) - 1);
	s[0] = '\x1b';
	s[sizeof(s) - 1] = '\0';
	assert_int_equal(scute_image_ref_parse(s, &ref, &err), -1);
	assert_int_equal(err.code, EINVAL);
	for (const char *p = err.msg; *p; p++)
		assert_true((unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7f);
	assert_non_null(strstr(err.msg, "..."));
	assert_true(strlen(err.msg) < 200);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_short_names),	 cmocka_unit_test(test_domains),
		cmocka_unit_test(test_tags_and_digests), cmocka_unit_test(test_lengths),
		cmocka_unit_test(test_refused),		 cmocka_unit_test(test_error_escaped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
