/* libFuzzer target: image configs, manifests and indexes (src/engine/
 * images/manifest.c). Every parser is run on the input; what one accepts
 * must hold only checked digests and counts within the limits. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct scute_err err = { 0 };
	struct scute_image_config c;
	struct scute_manifest m;
	struct scute_index ix;
	enum scute_doc_kind kind;

	if (scute_image_config_parse(buf, size, "config", &c, &err) == 0) {
		if (c.n_layers > SCUTE_IMAGE_MAX_LAYERS)
			abort();
		for (size_t i = 0; i < c.n_layers; i++)
			if (strlen(c.diff_ids[i].str) != SCUTE_DIGEST_LEN)
				abort();
		scute_image_config_free(&c);
	}
	scute_doc_kind(buf, size, NULL, "doc", &kind, &err);
	if (scute_manifest_parse(buf, size, "manifest", &m, &err) == 0) {
		if (m.n_layers > SCUTE_IMAGE_MAX_LAYERS || m.config.size > SCUTE_CONFIG_MAX_SIZE)
			abort();
		for (size_t i = 0; i < m.n_layers; i++)
			if (!m.layers[i].media_type || m.layers[i].size < 0)
				abort();
		scute_manifest_free(&m);
	}
	if (scute_index_parse(buf, size, "index", &ix, &err) == 0) {
		if (ix.n > SCUTE_INDEX_MAX_MANIFESTS)
			abort();
		scute_index_select(&ix, "linux/amd64", "index", &err);
		scute_index_free(&ix);
	}
	return 0;
}
