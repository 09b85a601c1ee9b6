#include "seccomp.h"

#include <errno.h>
#include <linux/seccomp.h>
#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"
#include "log.h"

static bool is_exec(const char *name)
{
	return strcmp(name, "execve") == 0 || strcmp(name, "execveat") == 0;
}

/* What the profile answers a plain execve: the last unconditional rule
 * naming it, else the default action. */
static uint32_t execve_action(const struct scute_seccomp *sc)
{
	uint32_t action = sc->default_action;

	for (size_t i = 0; i < sc->n_rules; i++)
		for (size_t k = 0; k < sc->rules[i].n_names; k++)
			if (strcmp(sc->rules[i].names[k], "execve") == 0 && !sc->rules[i].n_args)
				action = sc->rules[i].action;
	return action;
}

static bool is_errno_action(uint32_t action)
{
	return (action & 0xffff0000U) == SCMP_ACT_ERRNO(0);
}

/* Conditions on distinct arguments are ANDed in one rule; several on the
 * same argument become one rule each (ORed), as runc does. */
static int add_rule(scmp_filter_ctx ctx, const struct scute_seccomp_rule *r, uint32_t action,
		    int nr)
{
	struct scmp_arg_cmp cmp[6];
	bool same_index = false;
	int rc;

	for (size_t i = 0; i < r->n_args; i++) {
		cmp[i] = (struct scmp_arg_cmp){ r->args[i].index, (enum scmp_compare)r->args[i].op,
						r->args[i].value, r->args[i].value_two };
		for (size_t k = 0; k < i; k++)
			same_index |= r->args[k].index == r->args[i].index;
	}
	if (!same_index)
		return seccomp_rule_add_array(ctx, action, nr, (unsigned)r->n_args, cmp);
	for (size_t i = 0; i < r->n_args; i++)
		if ((rc = seccomp_rule_add_array(ctx, action, nr, 1, &cmp[i])) < 0)
			return rc;
	return 0;
}

static int add_rules(scmp_filter_ctx ctx, const struct scute_seccomp *sc, bool exec_guard,
		     struct scute_err *err)
{
	for (size_t i = 0; i < sc->n_rules; i++) {
		const struct scute_seccomp_rule *r = &sc->rules[i];
		for (size_t k = 0; k < r->n_names; k++) {
			uint32_t action =
				exec_guard && is_exec(r->names[k]) ? SCMP_ACT_NOTIFY : r->action;
			int nr = seccomp_syscall_resolve_name(r->names[k]), rc;
			if (nr == __NR_SCMP_ERROR) {
				scute_debug("seccomp: syscall \"%s\" unknown here, skipped",
					    r->names[k]);
				continue;
			}
			if (action == sc->default_action)
				continue;
			if ((rc = add_rule(ctx, r, action, nr)) < 0)
				return scute_err_set(err, -rc,
						     "config.json: linux.seccomp.syscalls[%zu]: "
						     "%s: %s",
						     i, r->names[k], strerror(-rc));
		}
	}
	/* The guard: both exec calls go to the listener, whatever the rules. */
	for (int g = 0; exec_guard && g < 2; g++) {
		int nr = seccomp_syscall_resolve_name(g ? "execveat" : "execve");
		int rc = seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, nr, 0);
		if (rc < 0 && rc != -EEXIST)
			return scute_err_set(err, -rc, "seccomp: guard execve: %s", strerror(-rc));
	}
	return 0;
}

static int export_bpf(scmp_filter_ctx ctx, struct scute_bpf *out, struct scute_err *err)
{
	auto_fd int fd = memfd_create("scute-bpf", MFD_CLOEXEC);
	off_t size;
	int rc;

	if (fd < 0)
		return scute_err_sys(err, "seccomp: memfd");
	rc = seccomp_export_bpf(ctx, fd);
	size = lseek(fd, 0, SEEK_END);
	if (rc < 0 || size <= 0 || (size_t)size % sizeof(struct sock_filter) ||
	    (size_t)size / sizeof(struct sock_filter) > BPF_MAXINSNS)
		return scute_err_set(err, rc < 0 ? -rc : E2BIG, "seccomp: export the filter (%s)",
				     rc < 0 ? strerror(-rc) : "too large");
	out->insns = malloc((size_t)size);
	if (!out->insns || pread(fd, out->insns, (size_t)size, 0) != size)
		return scute_err_set(err, EIO, "seccomp: read the exported filter");
	out->len = (unsigned short)((size_t)size / sizeof(struct sock_filter));
	return 0;
}

int scute_seccomp_compile(const struct scute_seccomp *sc, struct scute_bpf *out,
			  struct scute_err *err)
{
	scmp_filter_ctx ctx;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	out->exec_guard = is_errno_action(execve_action(sc));
	if (out->exec_guard && sc->listener_path)
		return scute_err_set(err, ENOTSUP,
				     "config.json: linux.seccomp: a profile that forbids execve "
				     "cannot also hand its listener to listenerPath in this build");
	ctx = seccomp_init(sc->default_action);
	if (!ctx)
		return scute_err_set(err, EINVAL,
				     "config.json: linux.seccomp.defaultAction: "
				     "rejected by libseccomp");
	/* The runtime sets no_new_privs itself, from the config. */
	seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	/* A binary tree of syscall numbers: shorter paths through long
	 * allow lists, for every call and for the kernel's action cache. */
	seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	for (size_t i = 0; i < sc->n_arches && rc == 0; i++) {
		int r = seccomp_arch_add(ctx, sc->arches[i]);
		if (r < 0 && r != -EEXIST)
			rc = scute_err_set(err, -r,
					   "config.json: linux.seccomp.architectures[%zu]: %s", i,
					   strerror(-r));
	}
	if (rc == 0)
		rc = add_rules(ctx, sc, out->exec_guard, err);
	if (rc == 0)
		rc = export_bpf(ctx, out, err);
	seccomp_release(ctx);
	out->flags = sc->flags;
	if (sc->uses_notify || out->exec_guard)
		out->flags |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
	else /* it only means something for a listener; the kernel refuses it alone */
		out->flags &= ~(unsigned int)SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
	return rc;
}

int scute_seccomp_install(const struct scute_bpf *bpf, struct scute_err *err)
{
	struct sock_fprog prog = { .len = bpf->len, .filter = bpf->insns };
	long rc = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, bpf->flags, &prog);

	if (rc < 0)
		return scute_err_sys(err, "linux.seccomp: install the filter (flags %#x)",
				     bpf->flags);
	return (int)rc;
}

void scute_bpf_free(struct scute_bpf *bpf)
{
	free(bpf->insns);
	bpf->insns = NULL;
}
