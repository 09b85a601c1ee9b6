/* process.landlock as the config gives it (shaped like runtime-spec PR
 * #1111, with network ports and scoping): the parsed rules and the names of
 * the rights. Applying them is security/landlock.h. */
#ifndef SCUTE_LANDLOCK_RULES_H
#define SCUTE_LANDLOCK_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum scute_landlock_kind { SCUTE_LANDLOCK_FS, SCUTE_LANDLOCK_NET, SCUTE_LANDLOCK_SCOPE };

struct scute_landlock_path_rule {
	uint64_t allowed; /* LANDLOCK_ACCESS_FS_* */
	char **paths;
	size_t n_paths;
};

struct scute_landlock_port_rule {
	uint64_t allowed; /* LANDLOCK_ACCESS_NET_* */
	uint64_t *ports;
	size_t n_ports;
};

struct scute_landlock {
	uint64_t handled_fs, handled_net, scoped;
	struct scute_landlock_path_rule *path_rules;
	size_t n_path_rules;
	struct scute_landlock_port_rule *port_rules;
	size_t n_port_rules;
	bool disable_best_effort;
};

/* The bit of a right's name ("read_file", "bind_tcp", "signal") of that
 * kind, or 0 when there is none. */
uint64_t scute_landlock_right(enum scute_landlock_kind kind, const char *name);
/* The names of the set bits, comma-separated, into buf. */
void scute_landlock_names(enum scute_landlock_kind kind, uint64_t bits, char *buf, size_t len);
/* The rights of a kind that ABI `abi` has. */
uint64_t scute_landlock_supported(enum scute_landlock_kind kind, int abi);

/* The name of the lowest set bit of `bits` and, in *abi, the first ABI
 * that has it. */
const char *scute_landlock_first_right(enum scute_landlock_kind kind, uint64_t bits, int *abi);
/* The rights that apply to a file that is not a directory: execute,
 * write_file, read_file, truncate, ioctl_dev. */
#define SCUTE_LANDLOCK_FILE_RIGHTS \
	((1ULL << 0) | (1ULL << 1) | (1ULL << 2) | (1ULL << 14) | (1ULL << 15))

void scute_landlock_free(struct scute_landlock *ll);

#endif
