#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "db.h"
#include "root.h"

#define STORE_LOCK "store.lock"

static int lock_store(int fd, int how, struct scute_err *err)
{
	while (flock(fd, how) < 0) {
		if (errno == EWOULDBLOCK && (how & LOCK_NB))
			return 0;
		if (errno != EINTR)
			return scute_err_sys(err, "engine root: lock %s", STORE_LOCK);
	}
	return 1;
}

/* Take the lock the mode needs; a writer that finds the store idle
 * cleans up first (then shares: a conversion, so an exclusive opener may
 * slip in between, which is harmless, nothing is written yet). */
static int take_lock(struct scute_store *s, enum scute_store_mode mode, struct scute_err *err)
{
	int got;

	if (mode == SCUTE_STORE_READ)
		return 0;
	got = lock_store(s->lockfd, mode == SCUTE_STORE_WRITE ? LOCK_EX | LOCK_NB : LOCK_EX, err);
	if (got < 0)
		return -1;
	if (got && (scute_store_sweep_tmp(s->rootfd, err) < 0 || scute_store_collect(s, err) < 0))
		return -1;
	if (mode == SCUTE_STORE_WRITE && lock_store(s->lockfd, LOCK_SH, err) < 0)
		return -1;
	return 0;
}

static int open_parts(const char *root, struct scute_store *s, struct scute_err *err)
{
	s->rootfd = scute_store_root_open(root, err);
	if (s->rootfd < 0)
		return -1;
	s->lockfd = openat(s->rootfd, STORE_LOCK,
			   O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0600);
	if (s->lockfd < 0)
		return scute_err_sys(err, "engine root %s: open %s", root, STORE_LOCK);
	s->layersfd = scute_store_subdir(s->rootfd, "layers", err);
	if (s->layersfd < 0)
		return scute_err_prefix(err, "engine root %s", root);
	if (scute_blobs_open(s->rootfd, &s->blobs, err) < 0)
		return scute_err_prefix(err, "engine root %s", root);
	s->db = scute_db_open(root, err);
	return s->db ? 0 : -1;
}

int scute_store_open(const char *root, enum scute_store_mode mode, struct scute_store *s,
		     struct scute_err *err)
{
	s->rootfd = s->layersfd = s->lockfd = -1;
	s->blobs.shafd = s->blobs.tmpfd = -1;
	s->db = NULL;
	s->mode = mode;
	if (open_parts(root, s, err) < 0 || take_lock(s, mode, err) < 0) {
		scute_store_close(s);
		return -1;
	}
	return 0;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

void scute_store_close(struct scute_store *s)
{
	scute_db_close(s->db);
	s->db = NULL;
	scute_blobs_close(&s->blobs);
	close_fd(&s->layersfd);
	close_fd(&s->lockfd);
	close_fd(&s->rootfd);
}

void scute_store_tidy(struct scute_store *s)
{
	struct scute_err ignored;

	/* a writer's shared lock converts, and back; an exclusive one is */
	if (lock_store(s->lockfd, LOCK_EX | LOCK_NB, &ignored) == 1 &&
	    scute_store_sweep_tmp(s->rootfd, &ignored) == 0)
		scute_store_collect(s, &ignored);
	if (s->mode == SCUTE_STORE_WRITE)
		lock_store(s->lockfd, LOCK_SH, &ignored);
}
