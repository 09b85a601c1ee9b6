#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <dirent.h>
#include <stdio.h>
#include <sys/random.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "db.h"
#include "root.h"

#define STORE_LOCK "store.lock"
/* ROOT/writers/: one empty file per writer while it has the store open
 * (writer_mark). A file whose writer is gone says it ended without
 * closing the store, so its leftovers may be there. */
#define WRITERS_DIR "writers"

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

/* Whether a writer ended without closing the store: called with the lock
 * held exclusively, so every writer's file left is a dead writer's; they
 * go (the collection that follows takes care of what they left). */
static bool writer_died(int rootfd)
{
	auto_fd int fd = scute_store_subdir(rootfd, WRITERS_DIR, &(struct scute_err){ 0 });
	auto_closedir DIR *d = NULL;
	struct dirent *e;
	bool died = false;

	if (fd < 0)
		return true;
	d = fdopendir(fd);
	if (!d)
		return true;
	scute_take_fd(&fd); /* the stream has it now */
	while ((e = readdir(d)))
		if (e->d_name[0] != '.') {
			unlinkat(dirfd(d), e->d_name, 0);
			died = true;
		}
	return died;
}

/* This writer's file in ROOT/writers/, removed when it closes the store.
 * Without one (a disk out of inodes or space) the writer goes on: should
 * it then die, its leftovers wait for the next exclusive opener or the
 * next dead writer's collection; refusing would stop every command, ps
 * included, on a full disk. */
static void writer_mark(struct scute_store *s)
{
	auto_fd int dfd = scute_store_subdir(s->rootfd, WRITERS_DIR, &(struct scute_err){ 0 });
	auto_fd int fd = -1;
	uint64_t r = 0;

	s->writer[0] = '\0';
	if (dfd < 0 || getrandom(&r, sizeof(r), 0) != sizeof(r))
		return;
	snprintf(s->writer, sizeof(s->writer), "%d-%016llx", (int)getpid(), (unsigned long long)r);
	fd = openat(dfd, s->writer, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		s->writer[0] = '\0';
}

static void writer_unmark(struct scute_store *s)
{
	auto_fd int dfd = -1;

	if (!s->writer[0] || s->rootfd < 0)
		return;
	dfd = openat(s->rootfd, WRITERS_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd >= 0)
		unlinkat(dfd, s->writer, 0);
	s->writer[0] = '\0';
}

/* Take the lock the mode needs; a writer that finds the store idle
 * cleans up first: what a crash left in tmp/ every time, and unreferenced
 * layers, blobs and dead rows when a writer died since the last time, or
 * for an exclusive opener (then shares: a conversion, so an exclusive
 * opener may slip in between, which is harmless, nothing is written
 * yet). Collecting at every open would make each command pay for a walk
 * of every layer and blob. */
static int take_lock(struct scute_store *s, enum scute_store_mode mode, struct scute_err *err)
{
	int got;

	if (mode == SCUTE_STORE_READ)
		return 0;
	got = lock_store(s->lockfd, mode == SCUTE_STORE_WRITE ? LOCK_EX | LOCK_NB : LOCK_EX, err);
	if (got < 0)
		return -1;
	if (got && (scute_store_sweep_tmp(s->rootfd, err) < 0 ||
		    ((writer_died(s->rootfd) || mode == SCUTE_STORE_EXCLUSIVE) &&
		     scute_store_collect(s, err) < 0)))
		return -1;
	if (mode == SCUTE_STORE_WRITE && lock_store(s->lockfd, LOCK_SH, err) < 0)
		return -1;
	writer_mark(s);
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
	s->writer[0] = '\0';
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
	writer_unmark(s);
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
