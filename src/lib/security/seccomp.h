/* Compiling linux.seccomp to BPF (libseccomp, in the runtime before the
 * init exists) and installing it in the init, last, just before execve. */
#ifndef SCUTE_SECCOMP_H
#define SCUTE_SECCOMP_H

#include <linux/filter.h>
#include <stdbool.h>

#include "error.h"
#include "spec.h"

struct scute_bpf {
	struct sock_filter *insns;
	unsigned short len;
	unsigned int flags; /* SECCOMP_FILTER_FLAG_*, NEW_LISTENER included when needed */
	/* The profile forbids execve: execve/execveat go to the listener, whose
	 * holder lets exactly the init's own exec through and then closes it,
	 * so every later exec fails with ENOSYS. */
	bool exec_guard;
};

int scute_seccomp_compile(const struct scute_seccomp *sc, struct scute_bpf *out,
			  struct scute_err *err);
/* Install the filter in the calling process; returns the listener fd when
 * the filter has one, 0 otherwise, -1 on error. */
int scute_seccomp_install(const struct scute_bpf *bpf, struct scute_err *err);
void scute_bpf_free(struct scute_bpf *bpf);

#endif
