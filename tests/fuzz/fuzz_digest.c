/* libFuzzer target: digests as manifests, archives and registries write
 * them (src/engine/store/digest.c). The store builds paths from what the
 * parser accepts, so an accepted digest must be exactly "sha256:" and 64
 * lowercase hex digits (no '/', no '.'), equal to the input; a refusal
 * must say so without control characters. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "digest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = strndup((const char *)data, size);
	struct scute_digest d;
	struct scute_err err = { 0 };

	if (!s)
		return 0;
	if (scute_digest_parse(s, &d, &err) == 0) {
		const char *hex = scute_digest_hex(&d);

		if (strcmp(d.str, s) != 0 || strncmp(d.str, "sha256:", 7) != 0 ||
		    strlen(hex) != SCUTE_DIGEST_HEX_LEN ||
		    strspn(hex, "0123456789abcdef") != SCUTE_DIGEST_HEX_LEN)
			abort();
	} else {
		if (err.code == 0 || !err.msg[0])
			abort();
		for (const char *p = err.msg; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				abort();
	}
	free(s);
	return 0;
}
