/* exec: a new process in a running container, with everything the
 * container's own process is held to (namespaces, cgroup, seccomp filter,
 * LSM labels, Landlock, capability limits). */
#ifndef SCUTE_EXEC_H
#define SCUTE_EXEC_H

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"
#include "spec.h"

struct scute_exec_opts {
	const char *root, *id;
	const char *process_file; /* --process: an OCI process object, or NULL */
	char **args;		  /* else the program and its arguments */
	size_t n_args;
	const char *cwd;
	char **env; /* added to (or replacing) the container's */
	size_t n_env;
	bool has_user;
	uid_t uid;
	gid_t gid;
	gid_t *groups; /* --additional-gids */
	size_t n_groups;
	char **caps; /* --cap: added to the container's sets */
	size_t n_caps;
	bool no_new_privs;
	const char *apparmor, *process_label;
	bool tty;
	const char *console_socket;
	bool detach;
	const char *pid_file;
	int preserve_fds;
};

/* Run the process. Detached: returns once it exec'd. Otherwise waits and
 * puts its exit status (128 + signal when killed) in *status. */
int scute_container_exec(const struct scute_exec_opts *o, int *status, struct scute_err *err);

#endif
