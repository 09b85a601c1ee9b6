/* libscute's public API: everything a front end (scute-runtime, the scute
 * engine) may call. Every other header under src/lib is internal: the
 * build gives front ends this folder only, so they cannot reach one.
 *
 * Conventions (docs/hacking.md "Errors"): a call that can fail returns a
 * negative number (or NULL) and fills the struct scute_err it was given;
 * the message already names what failed and the input that made it fail.
 * JSON documents are jansson's; a json_t * returned is the caller's to
 * json_decref. The library never prints: warnings and debug lines go to
 * the log sink the front end installs.
 *
 * A front end's main() calls scute_fds_record_inherited() before anything
 * opens an fd, and scute_self_reexec_sealed() before a verb that starts or
 * joins a container (those verbs refuse to run unsealed). */
#ifndef SCUTE_H
#define SCUTE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* ---- Errors -------------------------------------------------------------
 * code: the errno that caused it (EINVAL for bad input) and a message that
 * already carries context. Callers add their own context in front with
 * scute_err_prefix() as the error rises. Only the front end prints it. */

#define SCUTE_ERR_MSG_MAX 1024

struct scute_err {
	int code; /* errno; EINVAL when the error is about input */
	/* the container's own program could not be executed (not found:
	 * ENOENT; not executable: EACCES, ENOEXEC...), as opposed to a failure
	 * of the runtime: docker's 127 and 126 come from it */
	bool program;
	char msg[SCUTE_ERR_MSG_MAX];
};

/* Set the error; returns -1 so callers can write `return scute_err_set(...)`. */
int scute_err_set(struct scute_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Set the error from errno: message becomes "<context>: <strerror(errno)>". */
int scute_err_sys(struct scute_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Put "<context>: " in front of the existing message; returns -1. */
int scute_err_prefix(struct scute_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void scute_err_clear(struct scute_err *err);

/* ---- Log ----------------------------------------------------------------
 * Debug and warning messages from the library go through a sink that the
 * front end installs; without one they are dropped. */

enum scute_log_level { SCUTE_LOG_ERROR, SCUTE_LOG_WARN, SCUTE_LOG_INFO, SCUTE_LOG_DEBUG };

typedef void (*scute_log_sink)(enum scute_log_level level, const char *msg);

void scute_log_set_sink(scute_log_sink sink, enum scute_log_level max_level);

/* A message to the sink (the engine's warnings go through it too). */
void scute_log(enum scute_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- Values from the command line ---------------------------------------
 * The same parsers the config uses, so a flag and its config field accept
 * exactly the same text. Errors name the value; callers prefix the flag. */

/* A decimal integer in [min, max]; a sign only when min < 0. */
int scute_parse_int(const char *s, int64_t min, int64_t max, int64_t *out, struct scute_err *err);
/* A size in bytes as docker and runc read it ("512m", "1.5GiB"), or "-1"
 * for unlimited. */
int scute_parse_size(const char *s, int64_t *out, struct scute_err *err);
/* A cpuset list ("0-3,8"), each item below 65536: checked only. */
int scute_parse_cpu_list(const char *s, struct scute_err *err);
/* A signal number, or a name with or without "SIG" in any case, including
 * RTMIN, RTMIN+N and RTMAX-N. */
int scute_parse_signal(const char *s, int *sig, struct scute_err *err);
/* "UID" or "UID:GID", numeric ids below 2^32 - 1 ((uid_t)-1 means "no
 * change" to the kernel, so it is refused); gid is 0 when not given. */
int scute_parse_user(const char *s, uid_t *uid, gid_t *gid, struct scute_err *err);
/* A duration in milliseconds, at least 1: a number of seconds ("5"), or
 * Go's form as runc takes it, each part with a unit of us, ms, s, m or h
 * ("5s", "500ms", "1m30s", "1.5h"). */
int scute_parse_duration_ms(const char *s, int64_t *ms, struct scute_err *err);
/* "X.Y" into major and minor. */
int scute_parse_kernel_version(const char *s, int *major, int *minor);

/* ---- The front end's own process ----------------------------------------- */

/* Record how many fds from 3 on were passed to the process: only those may
 * reach a container (--preserve-fds, LISTEN_FDS). First thing in main. */
void scute_fds_record_inherited(void);
/* Socket activation, as systemd hands fds to a service: LISTEN_FDS when
 * LISTEN_PID is this process, else 0. A count past 4096 is an error naming
 * LISTEN_FDS. */
int scute_listen_fds_from_env(int *n, struct scute_err *err);
/* CVE-2019-5736: re-execute from a sealed image of the binary (a detached
 * read-only overlay view of it, or where the kernel cannot build one, a
 * sealed memfd copy) unless already running from one (then returns 0).
 * Returns only on error. */
int scute_self_reexec_sealed(char **argv, struct scute_err *err);

/* ---- Containers ---------------------------------------------------------
 * `root` is the state root (e.g. /run/scute-runtime); every call checks it
 * (owner, mode, every directory on the way) before it trusts anything in
 * it. */

struct scute_create_opts {
	const char *root;
	const char *id;
	const char *bundle;
	const char *pid_file;	    /* absolute or relative to the caller's cwd */
	const char *console_socket; /* or NULL */
	int preserve_fds;
	int listen_fds; /* socket activation: fds 3.. before the preserved ones */
	bool no_pivot;
	bool no_new_keyring;
};

/* Create the container and leave its init waiting for start. On failure
 * nothing is left: no state, cgroup, mount or process. */
int scute_container_create(const struct scute_create_opts *o, pid_t *pid, struct scute_err *err);
/* create and start in one call, as `run` does (under one lock, the state
 * not read back). On failure nothing is left: a failed start is deleted
 * with poststop hooks run, as delete -f would. */
int scute_container_run(const struct scute_create_opts *o, pid_t *pid, struct scute_err *err);
/* Let a created container's init exec its program. */
int scute_container_start(const char *root, const char *id, struct scute_err *err);
/* Signal the init, or with `all` every process of the container. */
int scute_container_kill(const char *root, const char *id, int sig, bool all,
			 struct scute_err *err);
/* Remove a created or stopped container; a running one only with force. */
int scute_container_delete(const char *root, const char *id, bool force, struct scute_err *err);
/* Drop the state directory of a container whose state cannot be read. */
int scute_container_forget(const char *root, const char *id, struct scute_err *err);
/* Freeze a running container's processes, or thaw a paused one. */
int scute_container_pause(const char *root, const char *id, bool pause, struct scute_err *err);
/* New limits for a live container: `resources` is an OCI
 * linux.resources object; errors name its fields after `where`. */
int scute_container_update(const char *root, const char *id, json_t *resources, const char *where,
			   struct scute_err *err);

/* The container's OCI state (ociVersion, id, status, pid, bundle, created,
 * owner, annotations, and oomKills), or NULL with err. */
json_t *scute_container_state(const char *root, const char *id, struct scute_err *err);
/* The state of every container of the root whose state can be read, in
 * directory order; `fn` gets each document (the callee's to keep with
 * json_incref); a negative return from it stops the walk and is returned.
 * A missing root has no containers. */
int scute_container_list(const char *root, int (*fn)(json_t *state, void *arg), void *arg,
			 struct scute_err *err);
/* The pids of the container's processes (its cgroup), in *pids (the
 * caller's to free) and their count in *n. */
int scute_container_pids(const char *root, const char *id, pid_t **pids, size_t *n,
			 struct scute_err *err);

/* Called with "stats" and its data, or "oom" and NULL; `data` is the
 * callee's to release (json_decref). */
typedef void (*scute_event_fn)(const char *type, const char *id, json_t *data, void *arg);
/* runc's `events`: with `once`, one stats event; otherwise stats every
 * `interval_ms` and an oom event for each new OOM kill, until the container
 * stops (an OOM kill that stopped it is reported too). */
int scute_container_events(const char *root, const char *id, long interval_ms, bool once,
			   scute_event_fn fn, void *arg, struct scute_err *err);

/* exec: a new process in a running container, held to everything the
 * container's own process is (namespaces, cgroup, seccomp filter, LSM
 * labels, Landlock, capability limits). */
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

/* ---- Configs, profiles and what this build supports ---------------------- */

/* The hardened config.json that `spec` writes. */
json_t *scute_spec_hardened(bool rootless, struct scute_err *err);
/* The runtime-spec features document, true to this build. */
json_t *scute_features(void);
/* A capability's number from its name ("CAP_SYS_ADMIN"), or -1. */
int scute_cap_from_name(const char *name);
/* 10 → "CAP_NET_BIND_SERVICE" written into buf. */
const char *scute_cap_name(int cap, char *buf, size_t len);
/* The highest capability number this kernel knows. */
int scute_cap_last(void);
/* Whether the host's kernel confines with AppArmor / SELinux. */
bool scute_apparmor_enabled(void);
bool scute_selinux_enabled(void);

/* What a Docker-format seccomp profile is converted for. */
struct scute_docker_env {
	uint64_t caps; /* the container's bounding set */
	int kernel_major, kernel_minor;
	const char *arch;    /* native, as SCMP_ARCH_X86_64 */
	const char *go_arch; /* native, as Go names it: amd64 */
};

/* The environment of this machine (arch, kernel) with the given caps. */
int scute_docker_env_native(struct scute_docker_env *env, uint64_t caps, struct scute_err *err);
/* Load a Docker-format profile FILE and convert it to an OCI linux.seccomp
 * section; errors give line and column, or the JSON path in the profile. */
json_t *scute_seccomp_docker_file(const char *path, const struct scute_docker_env *env,
				  struct scute_err *err);
/* The same from the profile's text (docker's CLI sends the file's contents
 * in --security-opt seccomp=…); errors name `origin`. */
json_t *scute_seccomp_docker_text(const char *text, size_t len, const char *origin,
				  const struct scute_docker_env *env, struct scute_err *err);
/* scute's built-in profile (the one in the hardened config) for `env`. */
json_t *scute_seccomp_builtin(const struct scute_docker_env *env, struct scute_err *err);

/* The AppArmor profile name the hardened config asks for. */
#define SCUTE_APPARMOR_DEFAULT "scute-default"
/* A name apparmor_parser takes in a profile line, at most 255 characters. */
bool scute_apparmor_name_valid(const char *name);
/* scute's default AppArmor profile under `name`, as text (the caller's to
 * free), or NULL when out of memory. */
char *scute_apparmor_default_profile(const char *name);
/* Load that profile into the kernel (apparmor_parser). */
int scute_apparmor_load_default(const char *name, struct scute_err *err);

#endif
