/* scute-runtime: global options, the verb table's signature, and helpers
 * shared by the verbs. Only this layer prints and chooses exit codes. */
#ifndef SCUTE_RUNTIME_H
#define SCUTE_RUNTIME_H

#include <stdbool.h>

#include "scute.h"

struct global_opts {
	const char *root;
	const char *log_path;
	bool log_json;
	bool debug;
	bool systemd_cgroup;
	char **argv0; /* the whole argv, for re-executing from a sealed copy */
};

struct verb {
	const char *name;
	const char *usage; /* shown by VERB --help */
	int (*run)(struct global_opts *g, int argc, char **argv);
};

/* Log sink: stderr, and --log FILE as text or JSON lines. */
void runtime_log_setup(struct global_opts *g);
/* Report an error (stderr and the log) and return exit status 1. */
int runtime_fail(const struct scute_err *err);
int runtime_fail_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print VERB's usage and return `status`. */
int runtime_usage(const struct verb *v, int status);
const struct verb *runtime_find_verb(const char *name);
/* A count of fds (--preserve-fds, LISTEN_FDS), 0..4096: 0, or the exit
 * status after printing the error naming `what`. */
int runtime_parse_fd_count(const char *what, const char *s, int *out);
/* Container processes start only from a sealed copy of the runtime. */
int runtime_seal_self(struct global_opts *g);

int cmd_create(struct global_opts *g, int argc, char **argv);
int cmd_start(struct global_opts *g, int argc, char **argv);
int cmd_exec(struct global_opts *g, int argc, char **argv);
int cmd_run(struct global_opts *g, int argc, char **argv);
int cmd_state(struct global_opts *g, int argc, char **argv);
int cmd_kill(struct global_opts *g, int argc, char **argv);
int cmd_delete(struct global_opts *g, int argc, char **argv);
int cmd_list(struct global_opts *g, int argc, char **argv);
int cmd_spec(struct global_opts *g, int argc, char **argv);
int cmd_features(struct global_opts *g, int argc, char **argv);
int cmd_seccomp(struct global_opts *g, int argc, char **argv);
int cmd_apparmor(struct global_opts *g, int argc, char **argv);
int cmd_pause(struct global_opts *g, int argc, char **argv);
int cmd_resume(struct global_opts *g, int argc, char **argv);
int cmd_ps(struct global_opts *g, int argc, char **argv);
int cmd_update(struct global_opts *g, int argc, char **argv);
int cmd_events(struct global_opts *g, int argc, char **argv);

#endif
