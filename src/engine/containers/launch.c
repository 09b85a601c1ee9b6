/* Starting a container and waiting for it (lifecycle.h, "start"). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "container_volumes.h"
#include "db.h"
#include "lifecycle.h"
#include "rootfs.h"

/* What the detached waiter tells its parent once the container runs, or
 * why it does not. One write, shorter than PIPE_BUF. */
struct launch_report {
	int ok;
	struct scute_err err;
};

int scute_container_prepare(struct scute_store *s, const struct scute_engine_paths *e,
			    const struct scute_container *c, struct scute_err *err)
{
	struct scute_container_place p;

	if (scute_container_place(e, c->id, &p, err) < 0)
		return -1;
	/* a --rm root is thrown away with the container: no sync of its
	 * writes, and none of the whole filesystem when it is unmounted */
	return scute_rootfs_remount(
		s, p.fs, json_is_true(json_object_get(c->host_config, "AutoRemove")), err);
}

/* config.json in the bundle, whole or not at all. */
static int write_config(const char *dir, json_t *config, struct scute_err *err)
{
	char tmp[PATH_MAX + 32], path[PATH_MAX + 32];

	snprintf(tmp, sizeof(tmp), "%s/.config.json.tmp", dir);
	snprintf(path, sizeof(path), "%s/config.json", dir);
	if (json_dump_file(config, tmp, JSON_COMPACT) < 0 || rename(tmp, path) < 0) {
		scute_err_sys(err, "write %s", path);
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* ---- the record, written by the waiter ---------------------------------- */

struct change {
	enum scute_container_status status;
	pid_t pid;
	int exit_code;
	bool oom_killed;
	const char *error;
	bool started, finished;
};

struct change_args {
	const struct change *ch;
	const char *id;
};

static int change_tx(sqlite3 *db, void *arg, struct scute_err *err)
{
	const struct change *ch = ((struct change_args *)arg)->ch;
	const char *id = ((struct change_args *)arg)->id;
	struct scute_container c;
	int rc;

	if (scute_container_find(db, id, &c, err) < 0)
		return -1;
	c.status = ch->status;
	c.pid = ch->pid;
	if (ch->started) {
		c.started_at = scute_now_ns();
		c.oom_killed = false;
		c.exit_code = 0;
	}
	if (ch->finished) {
		c.finished_at = scute_now_ns();
		c.exit_code = ch->exit_code;
		c.oom_killed = ch->oom_killed;
	}
	if (ch->error) {
		free(c.error);
		c.error = strdup(ch->error);
	}
	rc = scute_container_save_state_tx(db, &c, err);
	scute_container_clear(&c);
	return rc;
}

/* The start's change, with the caller's store (closed after it: the
 * waiter holds no store while the container runs) or one opened for as
 * long as the change takes. */
static int record(const struct scute_launch *l, const struct change *ch, struct scute_err *err)
{
	bool given = l->store && l->store->db;
	struct scute_store own = { .rootfd = -1 }, *s = &own;
	struct change_args a = { ch, l->id };
	int rc;

	if (given)
		s = l->store;
	else if (scute_store_open(l->e->root, SCUTE_STORE_WRITE, &own, err) < 0)
		return -1;
	rc = scute_db_tx_state(s->db, change_tx, &a, err);
	scute_store_close(s);
	return rc;
}

/* After the container's end, with the store opened once: its end
 * recorded, its runtime state and its root's mount gone, and with
 * AutoRemove the container too. */
/* Whether a restart asked the waiter to keep the container
 * (scute_container_restart_mark); the mark goes with the answer. */
static bool restarting(const struct scute_container_place *p)
{
	char mark[PATH_MAX + 16];

	snprintf(mark, sizeof(mark), "%s/restarting", p->run);
	return unlink(mark) == 0;
}

int scute_container_restart_mark(const struct scute_engine_paths *e, const char *id,
				 struct scute_err *err)
{
	struct scute_container_place p;
	char mark[PATH_MAX + 16];
	int fd;

	if (scute_container_place(e, id, &p, err) < 0)
		return -1;
	snprintf(mark, sizeof(mark), "%s/restarting", p.run);
	fd = open(mark, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return errno == ENOENT ? 0 : scute_err_sys(err, "container %s: %s", id, mark);
	close(fd);
	return 0;
}

static void finish(const struct scute_launch *l, const struct scute_container_place *p,
		   const struct change *ch, bool auto_remove, struct scute_err *err)
{
	struct change_args a = { ch, l->id };
	struct scute_store s;
	struct scute_err ignored;

	/* docker restart keeps a --rm container: it ends only when it stops */
	if (auto_remove && restarting(p))
		auto_remove = false;

	scute_container_delete(p->runtime, l->id, true, &ignored);
	if (scute_store_open(l->e->root, SCUTE_STORE_WRITE, &s, err) < 0) {
		scute_log(SCUTE_LOG_WARN, "container %s: %s", l->id, err->msg);
		return;
	}
	if (scute_db_tx_state(s.db, change_tx, &a, err) < 0)
		scute_log(SCUTE_LOG_WARN, "container %s: %s", l->id, err->msg);
	if (auto_remove ? scute_container_remove_volumes(&s, l->e, l->id, true, err)
			: scute_rootfs_unmount(&s, p->fs, err))
		scute_log(SCUTE_LOG_WARN, "container %s: %s", l->id, err->msg);
	scute_store_close(&s);
}

/* ---- waiting -------------------------------------------------------------- */

static const int proxied[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 };

/* Wait for `pid`, passing on the proxied signals when asked to; its
 * status as a shell gives it (128 + signal when killed). */
static int wait_init(pid_t pid, bool proxy)
{
	sigset_t set;
	int st;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	for (size_t i = 0; proxy && i < sizeof(proxied) / sizeof(proxied[0]); i++)
		sigaddset(&set, proxied[i]);
	for (;;) {
		struct timespec tick = { 1, 0 };
		pid_t r = waitpid(pid, &st, WNOHANG);
		int sig;

		if (r == pid)
			break;
		if (r < 0 && errno != EINTR)
			return 255;
		sig = sigtimedwait(&set, NULL, &tick);
		if (sig > 0 && sig != SIGCHLD)
			kill(pid, sig);
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static bool oom_killed(const struct scute_container_place *p, const char *id)
{
	struct scute_err ignored;
	auto_json json_t *st = scute_container_state(p->runtime, id, &ignored);

	return json_integer_value(json_object_get(st, "oomKills")) > 0;
}

/* The waiter: the init's parent, from start to the record of its end.
 * `report` (detached) hears once the container runs. */
static int wait_and_record(const struct scute_launch *l, const struct scute_container_place *p,
			   int report, int *status, struct scute_err *err);

/* The signals the waiter takes with sigtimedwait are blocked before the
 * init exists, so none is lost (the init unblocks its own), and given
 * back after. The detached waiter passes none on. */
static int waiter(const struct scute_launch *l, const struct scute_container_place *p, int report,
		  int *status, struct scute_err *err)
{
	bool proxy = l->foreground && l->proxy_signals;
	sigset_t set, old;
	int rc;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	for (size_t i = 0; proxy && i < sizeof(proxied) / sizeof(proxied[0]); i++)
		sigaddset(&set, proxied[i]);
	sigprocmask(SIG_BLOCK, &set, &old);
	rc = wait_and_record(l, p, report, status, err);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return rc;
}

/* A parent gone meanwhile (killed) hears nothing, and the container runs
 * on: the write must not raise SIGPIPE, which would kill the waiter and
 * leave a running container that nobody waits for. */
static void send_report(int report, const struct launch_report *rep)
{
	struct timespec now = { 0, 0 };
	sigset_t pipe_only, old;

	sigemptyset(&pipe_only);
	sigaddset(&pipe_only, SIGPIPE);
	sigprocmask(SIG_BLOCK, &pipe_only, &old);
	if (write(report, rep, sizeof(*rep)) < 0 && errno == EPIPE)
		sigtimedwait(&pipe_only, NULL, &now); /* take the pending SIGPIPE */
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(report);
}

static int wait_and_record(const struct scute_launch *l, const struct scute_container_place *p,
			   int report, int *status, struct scute_err *err)
{
	struct scute_create_opts o = { .root = p->runtime, .id = l->id, .bundle = p->dir };
	struct launch_report rep = { 0 };
	struct change ch = { 0 };
	char lock[PATH_MAX + 16];
	auto_fd int lockfd = -1;
	struct scute_err ignored;
	pid_t pid;

	snprintf(lock, sizeof(lock), "%s/waiter.lock", p->run);
	lockfd = open(lock, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (lockfd < 0 || flock(lockfd, LOCK_EX) < 0)
		scute_err_sys(err, "container %s: %s", l->id, lock);
	else if (scute_container_run(&o, &pid, err) == 0) {
		ch = (struct change){
			.status = SCUTE_CONTAINER_RUNNING, .pid = pid, .started = true, .error = ""
		};
		if (record(l, &ch, err) == 0)
			rep.ok = 1;
		else
			kill(pid, SIGKILL);
	}
	if (!rep.ok) {
		if (l->store)
			scute_store_close(l->store);
		rep.err = *err;
		ch = (struct change){ .status = SCUTE_CONTAINER_EXITED,
				      .exit_code = 128,
				      .finished = true,
				      .error = err->msg };
		finish(l, p, &ch, false, &ignored);
	}
	if (report >= 0)
		send_report(report, &rep);
	if (!rep.ok)
		return -1;
	*status = wait_init(pid, l->foreground && l->proxy_signals);
	ch = (struct change){ .status = SCUTE_CONTAINER_EXITED,
			      .exit_code = *status,
			      .oom_killed = oom_killed(p, l->id),
			      .finished = true };
	finish(l, p, &ch, l->auto_remove, &ignored);
	return 0;
}

/* ---- launching ------------------------------------------------------------ */

static int make_run_dir(const struct scute_container_place *p, const struct scute_engine_paths *e,
			struct scute_err *err)
{
	char parent[PATH_MAX + 16];

	snprintf(parent, sizeof(parent), "%s/containers", e->exec_root);
	if ((mkdir(e->exec_root, 0700) < 0 && errno != EEXIST) ||
	    (mkdir(parent, 0700) < 0 && errno != EEXIST) ||
	    (mkdir(p->run, 0700) < 0 && errno != EEXIST))
		return scute_err_sys(err, "make %s", p->run);
	return 0;
}

/* The detached waiter: a child in a session of its own, stdio on
 * /dev/null; this process returns once it reports. */
static int launch_detached(const struct scute_launch *l, const struct scute_container_place *p,
			   struct scute_err *err)
{
	struct launch_report rep = { 0 };
	int fds[2], st;
	pid_t child;
	ssize_t n;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return scute_err_sys(err, "container %s: pipe", l->id);
	child = fork();
	if (child < 0) {
		close(fds[0]);
		close(fds[1]);
		return scute_err_sys(err, "container %s: fork its waiter", l->id);
	}
	if (child == 0) {
		int null = open("/dev/null", O_RDWR | O_CLOEXEC), status;
		struct scute_err werr = { 0 };

		close(fds[0]);
		setsid();
		/* the waiter goes on after its parent: it is reparented, and its
		 * session keeps no terminal */
		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 1);
			dup2(null, 2);
		}
		if (fork() > 0)
			_exit(0);
		_exit(waiter(l, p, fds[1], &status, &werr) < 0 ? 1 : 0);
	}
	close(fds[1]);
	do
		n = read(fds[0], &rep, sizeof(rep));
	while (n < 0 && errno == EINTR);
	close(fds[0]);
	while (waitpid(child, &st, 0) < 0 && errno == EINTR)
		;
	if (n != (ssize_t)sizeof(rep))
		return scute_err_set(err, EPIPE, "container %s: its waiter ended before it ran",
				     l->id);
	if (!rep.ok) {
		rep.err.msg[sizeof(rep.err.msg) - 1] = '\0';
		*err = rep.err;
		return -1;
	}
	return 0;
}

int scute_container_launch(const struct scute_launch *l, int *status, struct scute_err *err)
{
	struct scute_container_place p;

	*status = 0;
	/* a connection must not cross the detached waiter's fork */
	if (l->store && !l->foreground)
		scute_store_close(l->store);
	if (scute_container_place(l->e, l->id, &p, err) < 0 || make_run_dir(&p, l->e, err) < 0 ||
	    write_config(p.dir, l->oci_config, err) < 0) {
		if (l->store)
			scute_store_close(l->store);
		return -1;
	}
	if (!l->foreground)
		return launch_detached(l, &p, err);
	/* docker's run without -i: the container's stdin is empty, never the
	 * terminal or pipe the command was started from */
	if (!l->stdin_open) {
		int null = open("/dev/null", O_RDONLY | O_CLOEXEC);

		if (null < 0 || dup2(null, 0) < 0) {
			if (null >= 0)
				close(null);
			if (l->store)
				scute_store_close(l->store);
			return scute_err_sys(err, "container %s: stdin from /dev/null", l->id);
		}
		close(null);
	}
	return waiter(l, &p, -1, status, err);
}
