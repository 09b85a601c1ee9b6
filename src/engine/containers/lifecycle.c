/* Containers around their records (lifecycle.h). */
#include "lifecycle.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "db.h"
#include "digest.h"
#include "image_store.h"
#include "remove_tree.h"
#include "rootfs.h"

#define WAITER_LOCK "waiter.lock"

static int join(char *out, const char *a, const char *b, const char *c, struct scute_err *err)
{
	if (snprintf(out, PATH_MAX, "%s/%s%s%s", a, b, c ? "/" : "", c ? c : "") >= PATH_MAX)
		return scute_err_set(err, ENAMETOOLONG, "container directory under %s: too long",
				     a);
	return 0;
}

int scute_container_place(const struct scute_engine_paths *e, const char *id,
			  struct scute_container_place *p, struct scute_err *err)
{
	char dir[PATH_MAX];

	if (join(p->dir, e->root, "containers", id, err) < 0 ||
	    join(dir, p->dir, "fs", NULL, err) < 0 ||
	    join(p->rootfs, p->dir, "rootfs", NULL, err) < 0 ||
	    join(p->run, e->exec_root, "containers", id, err) < 0 ||
	    join(p->runtime, e->exec_root, "runtime", NULL, err) < 0)
		return -1;
	memcpy(p->fs, dir, sizeof(dir));
	return 0;
}

/* ---- make ------------------------------------------------------------------ */

struct make_args {
	struct scute_container *c;
	bool generate;
};

/* In one transaction: the image's ID, a name if none was given, the row. */
static int insert_tx(sqlite3 *db, void *arg, struct scute_err *err)
{
	struct make_args *a = arg;
	struct scute_digest id;

	if (scute_image_resolve(db, a->c->image_ref, &id, err) < 0)
		return -1;
	free(a->c->image);
	a->c->image = strdup(id.str);
	if (!a->c->image)
		return scute_err_sys(err, "container");
	if (a->generate) {
		free(a->c->name);
		a->c->name = NULL;
		if (scute_container_name_generate(db, &a->c->name, err) < 0)
			return -1;
	}
	return scute_container_insert_tx(db, a->c, err);
}

static int delete_row_tx(sqlite3 *db, void *arg, struct scute_err *err)
{
	return scute_container_delete_tx(db, arg, err);
}

static int make_dir_p(const char *path, mode_t mode, struct scute_err *err)
{
	if (mkdir(path, mode) < 0 && errno != EEXIST)
		return scute_err_sys(err, "make %s", path);
	return 0;
}

/* The directories and the root, after the row. */
static int make_files(struct scute_store *s, const struct scute_engine_paths *e,
		      const struct scute_container *c, struct scute_err *err)
{
	struct scute_container_place p;
	char parent[PATH_MAX];

	if (scute_container_place(e, c->id, &p, err) < 0 ||
	    join(parent, e->root, "containers", NULL, err) < 0 || make_dir_p(parent, 0700, err) < 0)
		return -1;
	if (mkdir(p.dir, 0700) < 0)
		return scute_err_sys(err, "make %s", p.dir);
	if (mkdir(p.rootfs, 0700) < 0) {
		scute_err_sys(err, "make %s", p.rootfs);
		rmdir(p.dir);
		return -1;
	}
	if (scute_rootfs_make(s, c->image, p.fs, p.rootfs, err) < 0) {
		rmdir(p.rootfs);
		rmdir(p.dir);
		return -1;
	}
	return 0;
}

int scute_container_make(struct scute_store *s, const struct scute_engine_paths *e,
			 const char *name, const char *image_ref, json_t *config,
			 json_t *host_config, struct scute_container *out, struct scute_err *err)
{
	struct make_args a = { out, !name };
	struct scute_err ignored;

	memset(out, 0, sizeof(*out));
	if (name && scute_container_name_check(name[0] == '/' ? name + 1 : name, err) < 0)
		return -1;
	if (scute_container_new_id(out->id, err) < 0)
		return -1;
	out->name = name ? strdup(name[0] == '/' ? name + 1 : name) : NULL;
	out->image_ref = strdup(image_ref);
	out->error = strdup("");
	out->config = json_incref(config);
	out->host_config = json_incref(host_config);
	out->created = scute_now_ns();
	out->status = SCUTE_CONTAINER_CREATED;
	if ((name && !out->name) || !out->image_ref || !out->error) {
		scute_container_clear(out);
		return scute_err_sys(err, "container");
	}
	if (scute_db_tx(s->db, insert_tx, &a, err) < 0) {
		scute_container_clear(out);
		return -1;
	}
	if (make_files(s, e, out, err) < 0) {
		scute_db_tx(s->db, delete_row_tx, out->id, &ignored);
		scute_container_clear(out);
		return -1;
	}
	return 0;
}

/* ---- reconcile ------------------------------------------------------------- */

/* Whether the process that waits for the container's init still runs: it
 * holds RUN/waiter.lock for as long as it does. */
static bool waiter_alive(const struct scute_container_place *p)
{
	char path[PATH_MAX];
	auto_fd int fd = -1;

	if (snprintf(path, sizeof(path), "%s/" WAITER_LOCK, p->run) >= (int)sizeof(path))
		return false;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return false;
	return flock(fd, LOCK_SH | LOCK_NB) < 0 && errno == EWOULDBLOCK;
}

enum init_status { INIT_GONE, INIT_RUNNING, INIT_PAUSED };

/* What libscute says of the container's init. */
static enum init_status init_status(const struct scute_container_place *p, const char *id)
{
	struct scute_err ignored;
	auto_json json_t *st = scute_container_state(p->runtime, id, &ignored);
	const char *status = st ? json_string_value(json_object_get(st, "status")) : NULL;

	if (status && !strcmp(status, "running"))
		return INIT_RUNNING;
	return status && !strcmp(status, "paused") ? INIT_PAUSED : INIT_GONE;
}

/* Whether libscute says the container's init runs (or is paused). */
static bool init_alive(const struct scute_container_place *p, const char *id)
{
	return init_status(p, id) != INIT_GONE;
}

/* v1's freezer holds even a SIGKILL until the cgroup is thawed (cgroup2's
 * lets it through): a paused container is thawed after one, as dockerd
 * does. */
static void thaw_if_paused(const struct scute_container_place *p, const char *id)
{
	struct scute_err err;

	if (init_status(p, id) == INIT_PAUSED && scute_container_pause(p->runtime, id, false, &err))
		scute_log(SCUTE_LOG_WARN, "container %s: thaw after SIGKILL: %s", id, err.msg);
}

static int save_tx(sqlite3 *db, void *arg, struct scute_err *err)
{
	return scute_container_save_state_tx(db, arg, err);
}

static bool is_live(enum scute_container_status s)
{
	return s == SCUTE_CONTAINER_RUNNING || s == SCUTE_CONTAINER_PAUSED ||
	       s == SCUTE_CONTAINER_RESTARTING;
}

/* c's status (running or paused) over the row's, unless the waiter
 * recorded the container's end meanwhile. */
static int save_paused_tx(sqlite3 *db, void *arg, struct scute_err *err)
{
	const struct scute_container *want = arg;
	struct scute_container now;
	int rc = 0;

	if (scute_container_find(db, want->id, &now, err) < 0)
		return -1;
	if (now.status == SCUTE_CONTAINER_RUNNING || now.status == SCUTE_CONTAINER_PAUSED) {
		now.status = want->status;
		rc = scute_container_save_state_tx(db, &now, err);
	}
	scute_container_clear(&now);
	return rc;
}

int scute_container_reconcile(struct scute_store *s, const struct scute_engine_paths *e,
			      struct scute_container *c, struct scute_err *err)
{
	struct scute_container_place p;
	struct scute_err ignored;
	enum init_status init;

	if (!is_live(c->status))
		return 0;
	if (scute_container_place(e, c->id, &p, err) < 0)
		return -1;
	init = init_status(&p, c->id);
	/* frozen or thawed behind the engine's back (scute-runtime pause), or
	 * a crash between the freezer and the record: the kernel is right */
	if ((init == INIT_PAUSED) != (c->status == SCUTE_CONTAINER_PAUSED) && init != INIT_GONE &&
	    c->status != SCUTE_CONTAINER_RESTARTING) {
		c->status = init == INIT_PAUSED ? SCUTE_CONTAINER_PAUSED : SCUTE_CONTAINER_RUNNING;
		return scute_db_tx_state(s->db, save_paused_tx, c, err);
	}
	if (init != INIT_GONE || waiter_alive(&p))
		return 0;
	scute_container_delete(p.runtime, c->id, true, &ignored);
	if (scute_rootfs_unmount(s, p.fs, err) < 0 && err->code != ENOENT)
		return -1;
	free(c->error);
	c->error = strdup("its exit status is unknown: the process waiting for it was gone");
	c->status = SCUTE_CONTAINER_EXITED;
	c->exit_code = 255;
	c->pid = 0;
	c->finished_at = scute_now_ns();
	return scute_db_tx_state(s->db, save_tx, c, err);
}

/* ---- remove ---------------------------------------------------------------- */

/* Kill every process of the container and wait (up to 10 s) for libscute
 * to see it stopped. */
static int kill_and_wait(const struct scute_container_place *p, const char *id,
			 struct scute_err *err)
{
	if (scute_container_kill(p->runtime, id, SIGKILL, true, err) < 0 && err->code != ENOENT)
		return -1;
	thaw_if_paused(p, id);
	for (int i = 0; i < 1000 && init_alive(p, id); i++)
		usleep(10000);
	if (init_alive(p, id))
		return scute_err_set(err, EBUSY, "container %s: still running 10 s after SIGKILL",
				     id);
	return 0;
}

static int remove_tree_path(const char *parent, const char *name, struct scute_err *err)
{
	auto_fd int fd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return errno == ENOENT ? 0 : scute_err_sys(err, "open %s", parent);
	if (scute_remove_tree_at(fd, name, err) < 0 && err->code != ENOENT)
		return -1;
	return 0;
}

/* Everything but the row, each step done already if a crash came after it. */
static int remove_files(struct scute_store *s, const struct scute_engine_paths *e,
			const struct scute_container *c, const struct scute_container_place *p,
			struct scute_err *err)
{
	char parent[PATH_MAX];

	if (scute_container_delete(p->runtime, c->id, true, err) < 0 && err->code != ENOENT)
		return -1;
	if (scute_rootfs_remove(s, p->fs, p->rootfs, err) < 0 && err->code != ENOENT)
		return -1;
	if (join(parent, e->root, "containers", NULL, err) < 0 ||
	    remove_tree_path(parent, c->id, err) < 0)
		return -1;
	if (join(parent, e->exec_root, "containers", NULL, err) < 0 ||
	    remove_tree_path(parent, c->id, err) < 0)
		return -1;
	return 0;
}

int scute_container_remove(struct scute_store *s, const struct scute_engine_paths *e,
			   const char *ref, bool force, struct scute_err *err)
{
	struct scute_container c;
	struct scute_container_place p;
	int rc = -1;

	if (scute_container_find(s->db, ref, &c, err) < 0)
		return -1;
	if (scute_container_place(e, c.id, &p, err) < 0 ||
	    scute_container_reconcile(s, e, &c, err) < 0)
		goto out;
	if (is_live(c.status) && !force) {
		scute_err_set(err, EBUSY,
			      "you cannot remove a running container %s: stop it first, or "
			      "remove it with -f",
			      c.id);
		goto out;
	}
	if (is_live(c.status)) {
		if (kill_and_wait(&p, c.id, err) < 0)
			goto out;
		/* its waiter records the end and unmounts the root: let it
		 * finish first, so the two never take the root down at once
		 * (the waiter's own removal, --rm, finds it exited) */
		for (int i = 0; i < 1000 && waiter_alive(&p); i++)
			usleep(10000);
	}
	/* A container's files go before its rows (the reverse of an image's),
	 * so a commit a power failure loses leaves a record whose files are
	 * gone, which the next rm finishes: no sync needed (tx_state). */
	c.status = SCUTE_CONTAINER_REMOVING;
	if (scute_db_tx_state(s->db, save_tx, &c, err) < 0 || remove_files(s, e, &c, &p, err) < 0)
		goto out;
	rc = scute_db_tx_state(s->db, delete_row_tx, c.id, err);
out:
	scute_container_clear(&c);
	return rc < 0 ? scute_err_prefix(err, "container %s", ref) : 0;
}

/* ---- signals, stop, wait ---------------------------------------------------- */

/* The container `ref`, found and reconciled, into *c. */
static int find_live(struct scute_store *s, const struct scute_engine_paths *e, const char *ref,
		     struct scute_container *c, struct scute_container_place *p,
		     struct scute_err *err)
{
	if (scute_container_find(s->db, ref, c, err) < 0)
		return -1;
	if (scute_container_place(e, c->id, p, err) < 0 ||
	    scute_container_reconcile(s, e, c, err) < 0) {
		scute_container_clear(c);
		return -1;
	}
	return 0;
}

int scute_container_signal(struct scute_store *s, const struct scute_engine_paths *e,
			   const char *ref, int sig, struct scute_err *err)
{
	struct scute_container c;
	struct scute_container_place p;
	int rc = -1;

	if (find_live(s, e, ref, &c, &p, err) < 0)
		return -1;
	if (!is_live(c.status))
		scute_err_set(err, EINVAL, "container %s is not running", c.id);
	else
		rc = scute_container_kill(p.runtime, c.id, sig, false, err);
	if (rc == 0 && sig == SIGKILL)
		thaw_if_paused(&p, c.id);
	scute_container_clear(&c);
	return rc < 0 ? scute_err_prefix(err, "cannot kill container %s", ref) : 0;
}

/* The record's status once the waiter let go of it, or once the init is
 * gone, whichever is later: `deadline_ms` from now at most (-1: no end). */
static int wait_stopped(const struct scute_engine_paths *e, const char *id, int64_t deadline_ms,
			struct scute_container *out, struct scute_err *err)
{
	struct scute_container_place p;

	if (scute_container_place(e, id, &p, err) < 0)
		return -1;
	for (int64_t waited = 0; deadline_ms < 0 || waited <= deadline_ms; waited += 20) {
		struct scute_store s;
		int rc;

		if (!init_alive(&p, id) && !waiter_alive(&p)) {
			if (scute_store_open(e->root, SCUTE_STORE_WRITE, &s, err) < 0)
				return -1;
			rc = scute_container_find(s.db, id, out, err);
			if (rc == 0 && scute_container_reconcile(&s, e, out, err) < 0) {
				scute_container_clear(out);
				rc = -1;
			}
			scute_store_close(&s);
			return rc;
		}
		usleep(20000);
	}
	return scute_err_set(err, ETIMEDOUT, "container %s is still running", id);
}

int scute_container_stop(struct scute_store *s, const struct scute_engine_paths *e, const char *ref,
			 int timeout_s, struct scute_err *err)
{
	struct scute_container c, after;
	struct scute_container_place p;
	json_t *sv = NULL;
	int sig = SIGTERM, rc = 0;

	if (find_live(s, e, ref, &c, &p, err) < 0)
		return -1;
	if (!is_live(c.status))
		goto out; /* docker: stopping a stopped container succeeds */
	sv = json_object_get(c.config, "StopSignal");
	if (json_is_string(sv) && scute_parse_signal(json_string_value(sv), &sig, err) < 0) {
		rc = -1;
		goto out;
	}
	if (timeout_s < 0) {
		json_t *t = json_object_get(c.config, "StopTimeout");

		timeout_s = json_is_integer(t) ? (int)json_integer_value(t) : 10;
	}
	if (scute_container_kill(p.runtime, c.id, sig, false, err) < 0 && err->code != ENOENT) {
		rc = -1;
		goto out;
	}
	if (wait_stopped(e, c.id, (int64_t)timeout_s * 1000, &after, err) == 0 ||
	    err->code == ENOENT) {
		if (err->code != ENOENT)
			scute_container_clear(&after);
		scute_err_clear(err);
		goto out;
	}
	/* past the timeout: every process of it, as docker does */
	if (scute_container_kill(p.runtime, c.id, SIGKILL, true, err) < 0 && err->code != ENOENT) {
		rc = -1;
		goto out;
	}
	thaw_if_paused(&p, c.id);
	rc = wait_stopped(e, c.id, 10000, &after, err);
	if (rc == 0)
		scute_container_clear(&after);
	else if (err->code == ENOENT) /* removed at its end (AutoRemove) */
		rc = 0;
out:
	scute_container_clear(&c);
	return rc < 0 ? scute_err_prefix(err, "cannot stop container %s", ref) : 0;
}

int scute_container_wait(const struct scute_engine_paths *e, const char *ref, int *exit_code,
			 struct scute_err *err)
{
	struct scute_store s;
	struct scute_container c, after;
	int rc;

	if (scute_store_open(e->root, SCUTE_STORE_READ, &s, err) < 0)
		return -1;
	rc = scute_container_find(s.db, ref, &c, err);
	scute_store_close(&s);
	if (rc < 0)
		return -1;
	/* a created container has not run: docker waits for it to run and
	 * stop; here it is reported as it is */
	rc = wait_stopped(e, c.id, -1, &after, err);
	scute_container_clear(&c);
	if (rc == 0) {
		*exit_code = after.exit_code;
		scute_container_clear(&after);
	}
	return rc;
}
