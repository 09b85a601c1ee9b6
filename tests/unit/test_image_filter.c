/* Unit tests of docker's image-list filters (src/engine/images/
 * image_filter.c): the keys and values --filter takes, and dockerd's
 * rules for dangling, label and reference over scute_images_list() rows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "image_filter.h"

static const char rows_text[] =
	"[{\"Id\":\"sha256:a\",\"RepoTags\":[\"busybox:1\",\"busybox:latest\",\"me/app:2\"],"
	"\"RepoDigests\":[\"busybox@sha256:d\"],\"Labels\":{\"k\":\"v\",\"x\":\"y\"}},"
	"{\"Id\":\"sha256:b\",\"RepoTags\":[],\"RepoDigests\":[],\"Labels\":null},"
	"{\"Id\":\"sha256:c\",\"RepoTags\":[],\"RepoDigests\":[\"pulled@sha256:e\"],"
	"\"Labels\":{\"k\":\"w\"}}]";

/* The IDs and tags that FILTERS (--filter arguments, NULL-ended) keep,
 * as "a:busybox:1,busybox:latest b: …". */
static void keeps(const char *want, ...)
{
	json_t *rows = json_loads(rows_text, 0, NULL), *filters = json_object(), *out, *row;
	struct scute_err err = { 0 };
	char got[512] = "";
	const char *arg;
	va_list ap;
	size_t i, j;
	json_t *t;

	assert_non_null(rows);
	va_start(ap, want);
	while ((arg = va_arg(ap, const char *)))
		if (scute_images_filter_add(filters, arg, &err) < 0)
			fail_msg("%s: %s", arg, err.msg);
	va_end(ap);
	out = scute_images_filter(rows, filters, &err);
	assert_non_null(out);
	json_array_foreach(out, i, row)
	{
		snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s:", i ? " " : "",
			 json_string_value(json_object_get(row, "Id")) + 7);
		json_array_foreach(json_object_get(row, "RepoTags"), j, t)
			snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s", j ? "," : "",
				 json_string_value(t));
	}
	if (strcmp(got, want) != 0)
		fail_msg("got [%s] want [%s]", got, want);
	json_decref(out);
	json_decref(filters);
	json_decref(rows);
}

#define END ((const char *)NULL)

static void test_filters(void **state)
{
	(void)state;
	keeps("a:busybox:1,busybox:latest,me/app:2 b: c:", END);
	keeps("b: c:", "dangling=true", END);
	keeps("a:busybox:1,busybox:latest,me/app:2 c:", "dangling=false", END);
	keeps("a:busybox:1,busybox:latest,me/app:2 c:", "label=k", END);
	keeps("c:", "label=k=w", END);
	keeps("a:busybox:1,busybox:latest,me/app:2", "label=k=v", "label=x", END);
	keeps("", "label=k=v", "label=nope", END);
	/* reference: repo:tag or repo; the names narrowed; '*' stops at '/' */
	keeps("a:busybox:1,busybox:latest", "reference=busybox", END);
	keeps("a:busybox:latest", "reference=busybox:l*", END);
	/* digests count: pulled@… matches by its repository */
	keeps("a:busybox:1,busybox:latest c:", "reference=*", END);
	keeps("a:me/app:2", "reference=*/*", END);
	keeps("a:me/app:2 c:", "reference=me/app", "reference=pulled", END);
	keeps("", "reference=nothing", END);
	/* every filter holds at once */
	keeps("", "dangling=true", "label=nope", END);
	keeps("c:", "dangling=true", "label=k", END);
}

static void refused(const char *arg, const char *msg)
{
	json_t *filters = json_object();
	struct scute_err err = { 0 };

	assert_int_equal(scute_images_filter_add(filters, arg, &err), -1);
	assert_int_equal(err.code, EINVAL);
	if (strcmp(err.msg, msg) != 0)
		fail_msg("%s: got \"%s\"", arg, err.msg);
	json_decref(filters);
}

static void test_refused(void **state)
{
	(void)state;
	refused("dangling=yes", "invalid filter 'dangling=yes'");
	refused("since=busybox", "invalid filter 'since=busybox'");
	refused("label=", "invalid filter 'label='");
	refused("reference", "bad format of filter 'reference' (expected name=value)");
	refused("=x", "invalid filter '=x'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_filters),
		cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
