/* libFuzzer target: image references (src/engine/images/reference.c). An
 * accepted reference must have a domain, a path, a tag or a digest, a name
 * of at most 255 characters, and its full and familiar forms must parse to
 * the same parts (the forms are stable); a refusal must be EINVAL and say
 * so without control characters. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "reference.h"

static bool same(const struct scute_image_ref *a, const struct scute_image_ref *b)
{
	return strcmp(a->domain, b->domain) == 0 && strcmp(a->path, b->path) == 0 &&
	       !a->tag == !b->tag && (!a->tag || strcmp(a->tag, b->tag) == 0) &&
	       !a->digest == !b->digest &&
	       (!a->digest || strcmp(a->digest->str, b->digest->str) == 0);
}

static void reparse(const struct scute_image_ref *ref, char *form)
{
	struct scute_image_ref *again = NULL;
	struct scute_err err = { 0 };

	if (!form)
		return;
	if (scute_image_ref_parse(form, &again, &err) < 0 || !same(ref, again))
		abort();
	scute_image_ref_free(again);
	free(form);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = strndup((const char *)data, size);
	struct scute_image_ref *ref = NULL;
	struct scute_err err = { 0 };

	if (!s)
		return 0;
	if (scute_image_ref_parse(s, &ref, &err) == 0) {
		if (!ref->domain[0] || !ref->path[0] || (!ref->tag && !ref->digest) ||
		    strlen(ref->domain) + 1 + strlen(ref->path) > SCUTE_REF_NAME_MAX)
			abort();
		reparse(ref, scute_image_ref_string(ref));
		reparse(ref, scute_image_ref_familiar(ref));
		scute_image_ref_free(ref);
	} else {
		if (err.code != EINVAL || !err.msg[0] || ref)
			abort();
		for (const char *p = err.msg; *p; p++)
			if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
				abort();
	}
	free(s);
	return 0;
}
