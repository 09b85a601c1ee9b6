/* libFuzzer target: tar member classification (src/engine/layers/
 * tar_entry.c). Input: a type byte, then the name, a NUL and the
 * hard-link target. An accepted member's path and link must be relative,
 * free of "." and ".." components and empty ones, valid to classify again
 * unchanged (normalisation is idempotent); a refusal must say so. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tar_entry.h"

static void check_path(const char *p)
{
	const char *c = p;

	if (p[0] == '/' || strstr(p, "//"))
		abort();
	while (*c) {
		size_t len = strcspn(c, "/");

		if (len == 0 || (len == 1 && c[0] == '.') || (len == 2 && !strncmp(c, "..", 2)))
			abort();
		c += len + (c[len] == '/');
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const mode_t types[] = { S_IFREG, S_IFDIR, S_IFLNK, S_IFCHR,
					S_IFBLK, S_IFIFO, S_IFSOCK };
	struct scute_tar_entry *e = malloc(sizeof(*e));
	struct scute_err err = { 0 };
	char *s;
	const char *link;

	if (size < 1 || !e) {
		free(e);
		return 0;
	}
	s = calloc(1, size + 1);
	memcpy(s, data + 1, size - 1);
	link = strlen(s) < size - 1 ? s + strlen(s) + 1 : NULL;
	if (scute_tar_entry_classify(s, types[data[0] % 7], data[0] & 0x80 ? link : NULL, e,
				     &err) == 0) {
		char path[PATH_MAX];

		check_path(e->path);
		if (e->kind == SCUTE_TAR_HARDLINK)
			check_path(e->link);
		if (scute_tar_path_normalise(e->path, path, &err) < 0 || strcmp(path, e->path) != 0)
			abort();
	} else if (!err.msg[0]) {
		abort();
	}
	free(s);
	free(e);
	return 0;
}
