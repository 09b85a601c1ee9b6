/* The vocabulary of process.landlock: each right's name, bit and the
 * first kernel ABI that has it; and freeing a parsed ruleset. */
#include "landlock_rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct right {
	enum scute_landlock_kind kind;
	const char *name;
	uint64_t bit;
	int abi; /* the first ABI with it */
};

static const struct right rights[] = {
	{ SCUTE_LANDLOCK_FS, "execute", 1ULL << 0, 1 },
	{ SCUTE_LANDLOCK_FS, "write_file", 1ULL << 1, 1 },
	{ SCUTE_LANDLOCK_FS, "read_file", 1ULL << 2, 1 },
	{ SCUTE_LANDLOCK_FS, "read_dir", 1ULL << 3, 1 },
	{ SCUTE_LANDLOCK_FS, "remove_dir", 1ULL << 4, 1 },
	{ SCUTE_LANDLOCK_FS, "remove_file", 1ULL << 5, 1 },
	{ SCUTE_LANDLOCK_FS, "make_char", 1ULL << 6, 1 },
	{ SCUTE_LANDLOCK_FS, "make_dir", 1ULL << 7, 1 },
	{ SCUTE_LANDLOCK_FS, "make_reg", 1ULL << 8, 1 },
	{ SCUTE_LANDLOCK_FS, "make_sock", 1ULL << 9, 1 },
	{ SCUTE_LANDLOCK_FS, "make_fifo", 1ULL << 10, 1 },
	{ SCUTE_LANDLOCK_FS, "make_block", 1ULL << 11, 1 },
	{ SCUTE_LANDLOCK_FS, "make_sym", 1ULL << 12, 1 },
	{ SCUTE_LANDLOCK_FS, "refer", 1ULL << 13, 2 },
	{ SCUTE_LANDLOCK_FS, "truncate", 1ULL << 14, 3 },
	{ SCUTE_LANDLOCK_FS, "ioctl_dev", 1ULL << 15, 5 },
	{ SCUTE_LANDLOCK_NET, "bind_tcp", 1ULL << 0, 4 },
	{ SCUTE_LANDLOCK_NET, "connect_tcp", 1ULL << 1, 4 },
	{ SCUTE_LANDLOCK_SCOPE, "abstract_unix_socket", 1ULL << 0, 6 },
	{ SCUTE_LANDLOCK_SCOPE, "signal", 1ULL << 1, 6 },
};
#define N_RIGHTS (sizeof(rights) / sizeof(rights[0]))

uint64_t scute_landlock_right(enum scute_landlock_kind kind, const char *name)
{
	for (size_t i = 0; i < N_RIGHTS; i++)
		if (rights[i].kind == kind && strcmp(rights[i].name, name) == 0)
			return rights[i].bit;
	return 0;
}

void scute_landlock_names(enum scute_landlock_kind kind, uint64_t bits, char *buf, size_t len)
{
	buf[0] = '\0';
	for (size_t i = 0; i < N_RIGHTS; i++)
		if (rights[i].kind == kind && (bits & rights[i].bit))
			snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", *buf ? "," : "",
				 rights[i].name);
}

uint64_t scute_landlock_supported(enum scute_landlock_kind kind, int abi)
{
	uint64_t bits = 0;

	for (size_t i = 0; i < N_RIGHTS; i++)
		if (rights[i].kind == kind && rights[i].abi <= abi)
			bits |= rights[i].bit;
	return bits;
}

const char *scute_landlock_first_right(enum scute_landlock_kind kind, uint64_t bits, int *abi)
{
	for (size_t i = 0; i < N_RIGHTS; i++)
		if (rights[i].kind == kind && (bits & rights[i].bit)) {
			*abi = rights[i].abi;
			return rights[i].name;
		}
	*abi = 0;
	return "?";
}

void scute_landlock_free(struct scute_landlock *ll)
{
	if (!ll)
		return;
	for (size_t i = 0; i < ll->n_path_rules; i++) {
		for (size_t j = 0; j < ll->path_rules[i].n_paths; j++)
			free(ll->path_rules[i].paths[j]);
		free(ll->path_rules[i].paths);
	}
	for (size_t i = 0; i < ll->n_port_rules; i++)
		free(ll->port_rules[i].ports);
	free(ll->path_rules);
	free(ll->port_rules);
	free(ll);
}
