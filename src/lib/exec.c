/* exec: a helper child joins the container's cgroup and namespaces and
 * clones the process (CLONE_PARENT, so it is the runtime's child and lands
 * in the container's pid namespace); that process takes the container's
 * limits in the init's order and execs. The runtime follows it over a
 * socket as start follows the init: seccomp listeners, or why it failed. */
#include "exec.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "caps.h"
#include "cgroups.h"
#include "container.h"
#include "coverage.h"
#include "fsutil.h"
#include "init.h"
#include "landlock.h"
#include "log.h"
#include "lsm.h"
#include "process.h"
#include "seccomp_cache.h"
#include "sync.h"
#include "terminal.h"

struct exec_ctx {
	const struct scute_exec_opts *o;
	struct scute_state st;
	struct scute_spec *spec;   /* the config the container was created with */
	struct scute_process proc; /* the process to run */
	struct scute_bpf bpf;
	bool has_bpf;
	int procfd, console_fd, pidfd, sync[2];
	int ns_flags;
	uint64_t ctr_caps[SCUTE_CAP_SET_COUNT]; /* the container's own sets */
	struct scute_landlock *landlock;	/* the container's ruleset */
	struct scute_cgroup_fds cgfds;
};

static int load_config(struct exec_ctx *c, struct scute_err *err)
{
	size_t len;
	char *text;
	int rc;

	text = scute_state_config(c->o->root, c->o->id, &len, err);
	if (!text)
		return -1;
	rc = scute_spec_parse(text, "config.json", c->st.bundle, &c->spec, err);
	free(text);
	return rc;
}

/* --env KEY=VALUE replaces KEY or is added. */
static int set_env(struct scute_process *p, const char *kv, struct scute_err *err)
{
	size_t key = strcspn(kv, "=");
	char **grown, *copy;

	if (!kv[key] || !key)
		return scute_err_set(err, EINVAL, "--env: \"%s\" is not KEY=VALUE", kv);
	copy = strdup(kv);
	if (!copy)
		return scute_err_set(err, ENOMEM, "out of memory");
	for (size_t i = 0; i < p->n_env; i++)
		if (strncmp(p->env[i], kv, key + 1) == 0) {
			free(p->env[i]);
			p->env[i] = copy;
			return 0;
		}
	grown = realloc(p->env, (p->n_env + 2) * sizeof(char *));
	if (!grown) {
		free(copy);
		return scute_err_set(err, ENOMEM, "out of memory");
	}
	p->env = grown;
	p->env[p->n_env++] = copy;
	p->env[p->n_env] = NULL;
	return 0;
}

static void free_strings(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* A NULL-ended copy, or NULL when memory runs out. */
static char **copy_strings(char **v, size_t n)
{
	char **out = calloc(n + 1, sizeof(char *));

	for (size_t i = 0; out && i < n; i++) {
		if (!(out[i] = strdup(v[i]))) {
			free_strings(out, i);
			return NULL;
		}
	}
	return out;
}

/* The container's process with the flags laid over it. */
static int process_from_flags(struct exec_ctx *c, struct scute_err *err)
{
	const struct scute_exec_opts *o = c->o;
	struct scute_process *p = &c->proc;

	/* Take the container's process over (its landlock stays with c). */
	*p = c->spec->process;
	memset(&c->spec->process, 0, sizeof(c->spec->process));
	p->landlock = NULL;
	free_strings(p->args, p->n_args);
	p->args = copy_strings(o->args, o->n_args);
	p->n_args = p->args ? o->n_args : 0;
	if (!p->args)
		return scute_err_set(err, ENOMEM, "out of memory");
	if (o->cwd) {
		free(p->cwd);
		p->cwd = strdup(o->cwd);
	}
	for (size_t i = 0; i < o->n_env; i++)
		if (set_env(p, o->env[i], err) < 0)
			return -1;
	if (o->has_user) {
		p->uid = o->uid;
		p->gid = o->gid;
	}
	if (o->n_groups) {
		free(p->additional_gids);
		p->additional_gids = malloc(o->n_groups * sizeof(gid_t));
		if (!p->additional_gids)
			return scute_err_set(err, ENOMEM, "out of memory");
		memcpy(p->additional_gids, o->groups, o->n_groups * sizeof(gid_t));
		p->n_additional_gids = o->n_groups;
	}
	for (size_t i = 0; i < o->n_caps; i++) {
		char full[64];
		snprintf(full, sizeof(full), "%s%s", strncmp(o->caps[i], "CAP_", 4) ? "CAP_" : "",
			 o->caps[i]);
		int cap = scute_cap_from_name(full);
		if (cap < 0)
			return scute_err_set(err, EINVAL, "--cap: unknown capability \"%s\"",
					     o->caps[i]);
		p->caps[SCUTE_CAP_EFFECTIVE] |= 1ULL << cap;
		p->caps[SCUTE_CAP_PERMITTED] |= 1ULL << cap;
	}
	p->no_new_privileges |= o->no_new_privs;
	p->terminal = o->tty;
	return 0;
}

static int process_from_file(struct exec_ctx *c, struct scute_err *err)
{
	json_error_t jerr;
	char origin[300];
	int rc;
	json_t *doc = json_load_file(c->o->process_file, JSON_REJECT_DUPLICATES, &jerr);

	snprintf(origin, sizeof(origin), "--process %s", c->o->process_file);
	if (!doc)
		return scute_err_set(err, EINVAL, "%s: line %d, column %d: %s", origin, jerr.line,
				     jerr.column, jerr.text);
	rc = scute_spec_parse_process(doc, origin, &c->proc, err);
	json_decref(doc);
	if (rc == 0 && c->o->tty)
		c->proc.terminal = true;
	return rc;
}

/* Never more than the container holds: every set within its bounding set,
 * inheritable and ambient within its own. */
static int bound_caps(struct exec_ctx *c, struct scute_err *err)
{
	const uint64_t *ctr = c->ctr_caps;
	uint64_t *p = c->proc.caps, bounding = ctr[SCUTE_CAP_BOUNDING];
	char name[64];

	for (int set = 0; set < SCUTE_CAP_SET_COUNT; set++) {
		uint64_t extra = p[set] & ~bounding;
		if (extra) {
			int cap = __builtin_ctzll(extra);
			return scute_err_set(err, EPERM,
					     "capability %s is not in the container's "
					     "bounding set",
					     scute_cap_name(cap, name, sizeof(name)));
		}
	}
	p[SCUTE_CAP_INHERITABLE] &= ctr[SCUTE_CAP_INHERITABLE];
	p[SCUTE_CAP_AMBIENT] &= ctr[SCUTE_CAP_AMBIENT] & p[SCUTE_CAP_INHERITABLE];
	return 0;
}

/* The namespaces of the init that are not ours. */
static int ns_flags_of(pid_t pid)
{
	static const struct {
		const char *name;
		int flag;
	} ns[] = {
		{ "user", CLONE_NEWUSER },     { "mnt", CLONE_NEWNS },	  { "pid", CLONE_NEWPID },
		{ "net", CLONE_NEWNET },       { "ipc", CLONE_NEWIPC },	  { "uts", CLONE_NEWUTS },
		{ "cgroup", CLONE_NEWCGROUP }, { "time", CLONE_NEWTIME },
	};
	char mine[64], theirs[64];
	struct stat a, b;
	int flags = 0;

	for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
		snprintf(mine, sizeof(mine), "/proc/self/ns/%s", ns[i].name);
		snprintf(theirs, sizeof(theirs), "/proc/%d/ns/%s", pid, ns[i].name);
		if (stat(mine, &a) == 0 && stat(theirs, &b) == 0 && a.st_ino != b.st_ino)
			flags |= ns[i].flag;
	}
	return flags;
}

static int prepare(struct exec_ctx *c, struct scute_err *err)
{
	const struct scute_exec_opts *o = c->o;
	enum scute_status s;

	if (scute_container_load(o->root, o->id, &c->st, err) < 0)
		return -1;
	s = scute_state_status(&c->st);
	if (s != SCUTE_RUNNING && s != SCUTE_CREATED)
		return scute_err_set(err, EINVAL, "container \"%s\" is %s: cannot exec in it",
				     o->id, scute_status_name(s));
	if (!o->process_file && !o->n_args)
		return scute_err_set(err, EINVAL,
				     "exec: give --process FILE or the program to run");
	if (load_config(c, err) < 0)
		return -1;
	memcpy(c->ctr_caps, c->spec->process.caps, sizeof(c->ctr_caps));
	c->landlock = c->spec->process.landlock;
	c->spec->process.landlock = NULL;
	if ((o->process_file ? process_from_file(c, err) : process_from_flags(c, err)) < 0 ||
	    bound_caps(c, err) < 0)
		return -1;
	if (o->apparmor) {
		free(c->proc.apparmor_profile);
		c->proc.apparmor_profile = strdup(o->apparmor);
	}
	if (o->process_label) {
		free(c->proc.selinux_label);
		c->proc.selinux_label = strdup(o->process_label);
	}
	if (c->proc.terminal && !o->console_socket)
		return scute_err_set(err, EINVAL,
				     "a terminal (--tty or process.terminal) needs "
				     "--console-socket");
	struct scute_spec labels = { .process = c->proc };
	if (scute_lsm_check(&labels, err) < 0)
		return -1;
	if (c->spec->seccomp) {
		if (scute_seccomp_compile_cached(c->spec->seccomp, o->root, &c->bpf, err) < 0)
			return -1;
		c->has_bpf = true;
	}
	c->pidfd = scute_container_init_pidfd(&c->st);
	if (c->pidfd < 0)
		return scute_err_set(err, ESRCH, "container \"%s\" is not running", o->id);
	c->ns_flags = ns_flags_of(c->st.pid);
	c->procfd = scute_proc_open("/proc", err);
	if (c->procfd < 0 || scute_cgroup_open_fds(&c->st.cgroup, &c->cgfds, err) < 0)
		return -1;
	if (o->console_socket &&
	    (c->console_fd = scute_console_socket_connect(o->console_socket, err)) < 0)
		return -1;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, c->sync) < 0)
		return scute_err_sys(err, "socketpair");
	return 0;
}

/* The process itself, in the container's namespaces: the init's steps
 * from labels on (DESIGN.md "The init sequence"), then exec. */
__attribute__((noreturn)) static void run_process(struct exec_ctx *c)
{
	const struct scute_process *p = &c->proc;
	struct scute_err err = { 0 };
	sigset_t none;
	char path[4096];
	int rc = 0;

	if (p->landlock || c->landlock || p->apparmor_profile || p->selinux_label)
		scute_coverage_dump(); /* before a label or Landlock stops it */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (p->terminal) {
		int rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC), peer;
		peer = scute_terminal_setup(rootfd, c->console_fd, p->console_height,
					    p->console_width, false, &err);
		rc = peer < 0 ? -1 : scute_terminal_become(peer, &err);
	}
	if (rc == 0 && scute_init_enter_cwd(p, &err) == 0 &&
	    scute_lsm_apply(c->procfd, p, &err) == 0 &&
	    (!c->landlock || scute_landlock_apply(c->landlock, &err) == 0) &&
	    (!p->landlock || scute_landlock_apply(p->landlock, &err) == 0) &&
	    scute_process_rlimits(p, &err) == 0 &&
	    scute_caps_drop_bounding(p->caps[SCUTE_CAP_BOUNDING], &err) == 0 &&
	    scute_process_switch_user(p, c->ns_flags & CLONE_NEWUSER, &err) == 0 &&
	    ((c->has_bpf && !p->no_new_privileges) || scute_caps_apply(p->caps, &err) == 0) &&
	    (!p->no_new_privileges || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 ||
	     scute_err_sys(&err, "set no_new_privs") == 0)) {
		close(c->procfd);
		umask(p->has_umask ? p->umask : 022);
		if (scute_init_seal_fds(c->o->preserve_fds, &err) == 0 &&
		    scute_process_find_program(p, path, sizeof(path), &err) == 0 &&
		    scute_init_install_seccomp(c->has_bpf ? &c->bpf : NULL, p, c->sync[1], &err) ==
			    0) {
			execve(path, p->args, p->env);
			scute_err_sys(&err, "exec %s", p->args[0]);
		}
	}
	send(c->sync[1], err.msg, strlen(err.msg), MSG_NOSIGNAL);
	scute_coverage_dump();
	_exit(err.code == EACCES ? 126 : 127);
}

/* The helper: into the cgroup and the namespaces, then the process. */
__attribute__((noreturn)) static void helper(struct exec_ctx *c)
{
	struct scute_err err = { 0 };
	char msg[32];
	pid_t pid;

	close(c->sync[0]);
	/* Nothing in the container may trace or open us while we join it. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	if (scute_cgroup_join_self(c->cgfds.tasks, c->cgfds.n_tasks, &err) < 0)
		goto fail;
	scute_coverage_keep_root();
	if (c->ns_flags && setns(c->pidfd, c->ns_flags) < 0) {
		scute_err_sys(&err, "join the container's namespaces");
		goto fail;
	}
	pid = (pid_t)syscall(SYS_clone, CLONE_PARENT | SIGCHLD, NULL, NULL, NULL, 0);
	if (pid == 0)
		run_process(c);
	if (pid < 0) {
		scute_err_sys(&err, "start the process");
		goto fail;
	}
	snprintf(msg, sizeof(msg), "P%d", pid);
	send(c->sync[1], msg, strlen(msg), MSG_NOSIGNAL);
	scute_coverage_dump();
	_exit(0);
fail:
	send(c->sync[1], err.msg, strlen(err.msg), MSG_NOSIGNAL);
	scute_coverage_dump();
	_exit(1);
}

static pid_t spawn(struct exec_ctx *c, struct scute_err *err)
{
	struct clone_args args = { .exit_signal = SIGCHLD };
	char msg[SCUTE_ERR_MSG_MAX];
	pid_t helper_pid, pid;
	int status;

	if (c->cgfds.v2_dir >= 0) {
		args.flags = CLONE_INTO_CGROUP;
		args.cgroup = (__u64)(unsigned int)c->cgfds.v2_dir;
	}
	helper_pid = (pid_t)syscall(SYS_clone3, &args, sizeof(args));
	if (helper_pid < 0)
		return scute_err_sys(err, "fork");
	if (helper_pid == 0)
		helper(c);
	close(c->sync[1]);
	c->sync[1] = -1;
	waitpid(helper_pid, &status, 0);
	if (scute_sync_recv_text(c->sync[0], msg, sizeof(msg), err) < 0)
		return -1;
	if (msg[0] != 'P' || (pid = (pid_t)atoi(msg + 1)) <= 0)
		return scute_err_set(err, EPERM, "exec in \"%s\": %s", c->o->id, msg);
	return pid;
}

static void free_ctx(struct exec_ctx *c)
{
	for (int i = 0; i < 2; i++)
		if (c->sync[i] >= 0)
			close(c->sync[i]);
	if (c->procfd >= 0)
		close(c->procfd);
	if (c->console_fd >= 0)
		close(c->console_fd);
	if (c->pidfd >= 0)
		close(c->pidfd);
	scute_cgroup_close_fds(&c->cgfds);
	scute_process_free(&c->proc);
	scute_landlock_free(c->landlock);
	if (c->has_bpf)
		scute_bpf_free(&c->bpf);
	scute_spec_free(c->spec);
	scute_state_free(&c->st);
}

int scute_container_exec(const struct scute_exec_opts *o, int *status, struct scute_err *err)
{
	struct exec_ctx c = { .o = o,
			      .procfd = -1,
			      .console_fd = -1,
			      .pidfd = -1,
			      .sync = { -1, -1 },
			      .cgfds = { .v2_dir = -1 } };
	pid_t pid = -1;
	int rc, wstatus;

	rc = prepare(&c, err);
	if (rc == 0 && (pid = spawn(&c, err)) < 0)
		rc = -1;
	if (rc == 0)
		rc = scute_container_follow_exec(c.sync[0], &c.st, pid, err);
	if (rc == 0)
		rc = scute_write_pid_file(o->pid_file, pid, err);
	if (rc < 0 && pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	free_ctx(&c);
	if (rc < 0 || o->detach)
		return rc;
	while (waitpid(pid, &wstatus, 0) < 0)
		if (errno != EINTR)
			return scute_err_sys(err, "wait for the process");
	*status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
	return 0;
}
