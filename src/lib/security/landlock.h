/* Landlock: the config extension process.landlock (shaped like runtime-spec
 * PR #1111, with network ports and scoping), the rights each kernel ABI
 * has, and applying a ruleset inside the container's root. */
#ifndef SCUTE_LANDLOCK_H
#define SCUTE_LANDLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

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
/* The running kernel's Landlock ABI version; 0 when Landlock is not there
 * or not enabled. */
int scute_landlock_abi(void);
/* The rights of a kind that ABI `abi` has. */
uint64_t scute_landlock_supported(enum scute_landlock_kind kind, int abi);

/* Restrict the calling process: paths are opened as the process sees them
 * (called after pivot_root, they are the container's). Best effort drops
 * what the kernel lacks (reported with --debug); with disableBestEffort
 * that is an error naming the right and the ABI. */
int scute_landlock_apply(const struct scute_landlock *ll, struct scute_err *err);

void scute_landlock_free(struct scute_landlock *ll);

#endif
