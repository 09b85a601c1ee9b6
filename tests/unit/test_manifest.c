/* Image documents (src/engine/images/manifest.c): what archives and
 * registries send is checked field by field, with limits. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "manifest.h"

#define D1 "sha256:1111111111111111111111111111111111111111111111111111111111111111"
#define D2 "sha256:2222222222222222222222222222222222222222222222222222222222222222"

static struct scute_err err;

static void test_config(void **state)
{
	const char *doc = "{\"architecture\":\"amd64\",\"os\":\"linux\","
			  "\"created\":\"2024-01-02T03:04:05.5+01:00\","
			  "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" D1 "\",\"" D2 "\"]}}";
	struct scute_image_config c;

	(void)state;
	assert_int_equal(scute_image_config_parse(doc, strlen(doc), "config", &c, &err), 0);
	assert_int_equal(c.n_layers, 2);
	assert_string_equal(c.diff_ids[1].str, D2);
	assert_string_equal(c.os, "linux");
	assert_int_equal(c.created, 1704164645 - 3600);
	scute_image_config_free(&c);
}

static void expect_config_error(const char *doc, const char *msg)
{
	struct scute_image_config c;

	memset(&err, 0, sizeof(err));
	assert_int_equal(scute_image_config_parse(doc, strlen(doc), "config", &c, &err), -1);
	if (!strstr(err.msg, msg))
		fail_msg("%s: got \"%s\"", msg, err.msg);
}

static void test_config_errors(void **state)
{
	(void)state;
	expect_config_error("[]", "not a JSON object");
	expect_config_error("{", "invalid JSON");
	expect_config_error("{}", "rootfs: missing");
	expect_config_error("{\"rootfs\":{\"type\":\"x\"}}", "rootfs.type: \"x\"");
	expect_config_error("{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"md5:1\"]}}",
			    "rootfs.diff_ids[0]");
	expect_config_error("{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[7]}}",
			    "rootfs.diff_ids[0]: not a string");
	expect_config_error("{\"a\":1,\"a\":2}", "invalid JSON");
	expect_config_error("{\"created\":\"yesterday\",\"rootfs\":{\"type\":\"layers\"}}",
			    "created");
}

static void test_config_layer_limit(void **state)
{
	size_t n = SCUTE_IMAGE_MAX_LAYERS + 1, len = 64 + n * 75;
	char *doc = malloc(len), *p = doc;

	(void)state;
	assert_non_null(doc);
	p += sprintf(p, "{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[");
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "%s\"%s\"", i ? "," : "", D1);
	sprintf(p, "]}}");
	expect_config_error(doc, "501 layers, more than 500");
	free(doc);
}

static void test_manifest(void **state)
{
	const char *doc = "{\"schemaVersion\":2,\"mediaType\":\"" SCUTE_MEDIA_DOCKER_MANIFEST
			  "\",\"config\":{\"mediaType\":\"x\",\"digest\":\"" D1
			  "\",\"size\":10},\"layers\":[{\"mediaType\":"
			  "\"application/vnd.docker.image.rootfs.diff.tar.gzip\",\"digest\":\"" D2
			  "\",\"size\":20}]}";
	struct scute_manifest m;
	enum scute_doc_kind kind;

	(void)state;
	assert_int_equal(scute_doc_kind(doc, strlen(doc), NULL, "m", &kind, &err), 0);
	assert_int_equal(kind, SCUTE_DOC_MANIFEST);
	assert_int_equal(scute_manifest_parse(doc, strlen(doc), "m", &m, &err), 0);
	assert_string_equal(m.config.digest.str, D1);
	assert_int_equal(m.n_layers, 1);
	assert_int_equal(m.layers[0].size, 20);
	scute_manifest_free(&m);
}

static void expect_manifest_error(const char *doc, const char *msg)
{
	struct scute_manifest m;

	memset(&err, 0, sizeof(err));
	assert_int_equal(scute_manifest_parse(doc, strlen(doc), "m", &m, &err), -1);
	if (!strstr(err.msg, msg))
		fail_msg("%s: got \"%s\"", msg, err.msg);
}

static void test_manifest_errors(void **state)
{
	(void)state;
	expect_manifest_error("{\"schemaVersion\":1}", "schemaVersion: not 2");
	expect_manifest_error("{\"schemaVersion\":2}", "config.: not an object");
	expect_manifest_error("{\"schemaVersion\":2,\"config\":{\"digest\":\"" D1
			      "\",\"size\":-1},\"layers\":[]}",
			      "config.size");
	expect_manifest_error("{\"schemaVersion\":2,\"config\":{\"digest\":\"" D1
			      "\",\"size\":999999999},\"layers\":[]}",
			      "more than the 8388608 a config may have");
	expect_manifest_error("{\"schemaVersion\":2,\"config\":{\"digest\":\"" D1
			      "\",\"size\":1},\"layers\":[{\"digest\":\"" D2 "\",\"size\":1}]}",
			      "layers[0].mediaType: missing");
}

static void test_index_select(void **state)
{
	const char *doc = "{\"schemaVersion\":2,\"manifests\":["
			  "{\"digest\":\"" D1 "\",\"size\":1,\"platform\":{\"os\":\"linux\","
			  "\"architecture\":\"arm\",\"variant\":\"v7\"}},"
			  "{\"digest\":\"" D2 "\",\"size\":1,\"platform\":{\"os\":\"linux\","
			  "\"architecture\":\"amd64\"}}]}";
	struct scute_index ix;
	enum scute_doc_kind kind;

	(void)state;
	assert_int_equal(scute_doc_kind(doc, strlen(doc), NULL, "i", &kind, &err), 0);
	assert_int_equal(kind, SCUTE_DOC_INDEX);
	assert_int_equal(scute_index_parse(doc, strlen(doc), "i", &ix, &err), 0);
	assert_int_equal(scute_index_select(&ix, "linux/amd64", "i", &err), 1);
	assert_int_equal(scute_index_select(&ix, "linux/arm/v7", "i", &err), 0);
	assert_int_equal(scute_index_select(&ix, "linux/arm64", "i", &err), -1);
	assert_int_equal(err.code, ENOENT);
	assert_non_null(strstr(err.msg, "linux/arm/v7, linux/amd64"));
	assert_int_equal(scute_index_select(&ix, "linux", "i", &err), -1);
	assert_int_equal(err.code, EINVAL);
	scute_index_free(&ix);
}

static void test_rfc3339(void **state)
{
	int64_t t;

	(void)state;
	assert_int_equal(scute_parse_rfc3339("1970-01-01T00:00:00Z", &t, &err), 0);
	assert_int_equal(t, 0);
	assert_int_equal(scute_parse_rfc3339("2024-01-02T03:04:05.123456789Z", &t, &err), 0);
	assert_int_equal(t, 1704164645);
	assert_int_equal(scute_parse_rfc3339("2024-01-02T03:04:05-02:30", &t, &err), 0);
	assert_int_equal(t, 1704164645 + 9000);
	assert_int_equal(scute_parse_rfc3339("2024-01-02 03:04:05Z", &t, &err), -1);
	assert_int_equal(scute_parse_rfc3339("2024-13-02T03:04:05Z", &t, &err), -1);
	assert_int_equal(scute_parse_rfc3339("2024-01-02T03:04:05Zjunk", &t, &err), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config),
		cmocka_unit_test(test_config_errors),
		cmocka_unit_test(test_config_layer_limit),
		cmocka_unit_test(test_manifest),
		cmocka_unit_test(test_manifest_errors),
		cmocka_unit_test(test_index_select),
		cmocka_unit_test(test_rfc3339),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
