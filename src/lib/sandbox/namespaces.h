/* Joining an existing namespace given by path (linux.namespaces[].path). */
#ifndef SCUTE_NAMESPACES_H
#define SCUTE_NAMESPACES_H

#include <sys/types.h>

#include "error.h"
#include "spec.h"

int scute_ns_join(enum scute_ns_type type, const char *path, struct scute_err *err);
/* Join a mount namespace by path, refusing the runtime's own and the host's
 * (pid 1's, through `procfd`, the runtime's procfs handle). */
int scute_ns_join_mount(int procfd, const char *path, struct scute_err *err);
/* A warning for every isolating namespace (mount, pid, network, ipc, uts,
 * cgroup) that the config omits, or joins from the runtime itself. The user
 * namespace is left out: without one is the ordinary rootful container. */
void scute_ns_warn_shared(const struct scute_spec *spec);
/* chroot into the root of the process `pid` (still the one `pidfd` names):
 * exec into a container that shares the runtime's mount namespace. */
int scute_ns_enter_root_of(int procfd, int pidfd, pid_t pid, struct scute_err *err);
/* Refuse a pid namespace (nsfd, named path) to join when a process of it
 * in the runtime's user namespace has CAP_SYS_PTRACE in its bounding set
 * and is confined (a smaller bounding set than ours, or a seccomp filter):
 * the init is born in that namespace and sets up there with the runtime's
 * capabilities and the host's root, and CAP_SYS_PTRACE passes the
 * non-dumpable guard (its /proc/PID/root, ptrace, pidfd_getfd). */
int scute_ns_pid_check_tracers(int procfd, int nsfd, const char *path, struct scute_err *err);

#endif
