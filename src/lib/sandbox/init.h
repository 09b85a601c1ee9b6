/* The container init: the child side of create, run in the new process
 * from clone3 until it execs the container's program (DESIGN.md "The init
 * sequence"). */
#ifndef SCUTE_INIT_H
#define SCUTE_INIT_H

#include <stdbool.h>
#include <sys/types.h>

#include "seccomp.h"
#include "spec.h"

struct scute_init_args {
	const struct scute_spec *spec;
	int sync_fd;	   /* handshake with the parent */
	int start_fd;	   /* listening socket that `start` connects to */
	int console_fd;	   /* engine's console socket, or -1 */
	int preserve_fds;  /* fds 3 .. 3+N-1 pass to the container */
	int unshare_flags; /* namespaces the init makes itself */
	bool new_userns;
	bool new_cgroupns;	     /* made once the init is in its cgroup */
	const struct scute_bpf *bpf; /* the compiled linux.seccomp, or NULL */
	const int *cgroup_fds;	     /* v1 "tasks" files the init writes itself into */
	int n_cgroup_fds;
	const struct scute_cgroup *cgroup; /* which hierarchies the container is in */
	bool no_pivot;
	bool no_new_keyring;
};

/* Never returns: execs the container's program, or exits non-zero after
 * reporting the failure to the parent or to `start`. */
__attribute__((noreturn)) void scute_init_main(const struct scute_init_args *a);

#endif
