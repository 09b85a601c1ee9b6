/* Landlock rulesets for the container's init, applied after pivot_root so
 * the rule paths are the container's own. */
#include "landlock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"
#include "log.h"

/* The kernel's structures, declared here so that a build on older headers
 * still knows the fields later ABIs added (the kernel accepts a larger
 * ruleset attribute when the fields it does not know are zero). */
struct ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net; /* ABI 4 */
	uint64_t scoped;	     /* ABI 6 */
};

struct path_beneath_attr {
	uint64_t allowed_access;
	int32_t parent_fd;
} __attribute__((packed));

struct net_port_attr {
	uint64_t allowed_access;
	uint64_t port;
};

#define CREATE_RULESET_VERSION (1U << 0)
#define RULE_PATH_BENEATH 1
#define RULE_NET_PORT 2

static const char *const kind_field[] = { "ruleset.handledAccessFS", "ruleset.handledAccessNet",
					  "ruleset.scoped" };

int scute_landlock_abi(void)
{
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, CREATE_RULESET_VERSION);

	return abi < 0 ? 0 : (int)abi;
}

/* Rights asked for that the kernel lacks: dropped (best effort) or an
 * error naming the first of them. */
static int drop_unsupported(const struct scute_landlock *ll, enum scute_landlock_kind kind,
			    const char *field, uint64_t asked, int abi, struct scute_err *err)
{
	uint64_t lost = asked & ~scute_landlock_supported(kind, abi);
	char names[256];

	if (!lost)
		return 0;
	if (ll->disable_best_effort) {
		int first_abi;
		const char *name = scute_landlock_first_right(kind, lost, &first_abi);
		return scute_err_set(err, ENOTSUP,
				     "process.landlock.%s: \"%s\" needs Landlock ABI %d; this "
				     "kernel has ABI %d (disableBestEffort is set)",
				     field, name, first_abi, abi);
	}
	scute_landlock_names(kind, lost, names, sizeof(names));
	scute_debug("landlock: %s: dropping %s (this kernel has ABI %d)", field, names, abi);
	return 0;
}

static int add_path(int ruleset, const struct scute_landlock *ll, size_t i, size_t j,
		    uint64_t allowed, struct scute_err *err)
{
	const char *path = ll->path_rules[i].paths[j];
	struct path_beneath_attr pb = { .allowed_access = allowed };
	struct stat st;
	auto_fd int fd = open(path, O_PATH | O_CLOEXEC);
	int rc = 0;

	if (fd < 0) {
		if (errno == ENOENT && !ll->disable_best_effort) {
			scute_debug("landlock: %s does not exist in the container; rule skipped",
				    path);
			return 0;
		}
		return scute_err_sys(err, "process.landlock.rules.pathBeneath[%zu].paths[%zu]: %s",
				     i, j, path);
	}
	pb.parent_fd = fd;
	if (fstat(pb.parent_fd, &st) == 0 && !S_ISDIR(st.st_mode) &&
	    (allowed & ~SCUTE_LANDLOCK_FILE_RIGHTS)) {
		/* Directory rights mean nothing on a file; the kernel refuses them. */
		if (ll->disable_best_effort)
			rc = scute_err_set(err, EINVAL,
					   "process.landlock.rules.pathBeneath[%zu]: "
					   "%s is not a directory, and only execute, "
					   "write_file, read_file, truncate and "
					   "ioctl_dev apply to a file",
					   i, path);
		pb.allowed_access &= SCUTE_LANDLOCK_FILE_RIGHTS;
	}
	if (rc == 0 && pb.allowed_access &&
	    syscall(SYS_landlock_add_rule, ruleset, RULE_PATH_BENEATH, &pb, 0) < 0)
		rc = scute_err_sys(err, "process.landlock.rules.pathBeneath[%zu]: add %s", i, path);
	return rc;
}

static int add_rules(int ruleset, const struct scute_landlock *ll, const struct ruleset_attr *a,
		     int abi, struct scute_err *err)
{
	char field[96];

	for (size_t i = 0; i < ll->n_path_rules; i++) {
		uint64_t allowed = ll->path_rules[i].allowed;
		snprintf(field, sizeof(field), "rules.pathBeneath[%zu].allowedAccess", i);
		if (drop_unsupported(ll, SCUTE_LANDLOCK_FS, field, allowed, abi, err) < 0)
			return -1;
		for (size_t j = 0; j < ll->path_rules[i].n_paths; j++)
			if (add_path(ruleset, ll, i, j, allowed & a->handled_access_fs, err) < 0)
				return -1;
	}
	for (size_t i = 0; i < ll->n_port_rules; i++) {
		const struct scute_landlock_port_rule *r = &ll->port_rules[i];
		struct net_port_attr np = { .allowed_access = r->allowed & a->handled_access_net };
		snprintf(field, sizeof(field), "rules.netPort[%zu].allowedAccess", i);
		if (drop_unsupported(ll, SCUTE_LANDLOCK_NET, field, r->allowed, abi, err) < 0)
			return -1;
		for (size_t j = 0; np.allowed_access && j < r->n_ports; j++) {
			np.port = r->ports[j];
			if (syscall(SYS_landlock_add_rule, ruleset, RULE_NET_PORT, &np, 0) < 0)
				return scute_err_sys(err,
						     "process.landlock.rules.netPort[%zu]: "
						     "add port %llu",
						     i, (unsigned long long)np.port);
		}
	}
	return 0;
}

int scute_landlock_apply(const struct scute_landlock *ll, struct scute_err *err)
{
	const uint64_t asked[] = { ll->handled_fs, ll->handled_net, ll->scoped };
	int abi = scute_landlock_abi();
	auto_fd int ruleset = -1;
	struct ruleset_attr a;

	if (!abi) {
		if (ll->disable_best_effort)
			return scute_err_set(err, ENOTSUP,
					     "process.landlock: this kernel has no "
					     "Landlock (or it is not enabled), and "
					     "disableBestEffort is set");
		scute_warn("process.landlock: this kernel has no Landlock (or it is not "
			   "enabled): the container runs without its rules (best effort)");
		return 0;
	}
	for (int k = 0; k < 3; k++)
		if (drop_unsupported(ll, (enum scute_landlock_kind)k, kind_field[k], asked[k], abi,
				     err) < 0)
			return -1;
	a.handled_access_fs = ll->handled_fs & scute_landlock_supported(SCUTE_LANDLOCK_FS, abi);
	a.handled_access_net = ll->handled_net & scute_landlock_supported(SCUTE_LANDLOCK_NET, abi);
	a.scoped = ll->scoped & scute_landlock_supported(SCUTE_LANDLOCK_SCOPE, abi);
	if (!a.handled_access_fs && !a.handled_access_net && !a.scoped) {
		scute_debug("landlock: nothing this kernel can restrict is handled");
		return 0;
	}
	ruleset = (int)syscall(SYS_landlock_create_ruleset, &a, sizeof(a), 0);
	if (ruleset < 0)
		return scute_err_sys(err, "process.landlock: create the ruleset (ABI %d)", abi);
	if (add_rules(ruleset, ll, &a, abi, err) < 0)
		return -1;
	if (syscall(SYS_landlock_restrict_self, ruleset, 0) < 0)
		return scute_err_sys(err, "process.landlock: restrict the container");
	scute_debug("landlock: restricted (ABI %d)", abi);
	return 0;
}
