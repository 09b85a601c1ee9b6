#include "pull_layers.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "blobs.h"
#include "layer_store.h"
#include "unpack.h"

/* A pipe's buffer while a layer streams: big enough that the download
 * rarely waits for the unpacker; the default is used if this is refused. */
#define PULL_PIPE_SIZE (1 << 20)
/* Progress is reported at most once per this many bytes of a layer. */
#define PULL_PROGRESS_STEP (256 << 10)

/* What the workers share. */
struct fetch {
	struct pull_layers *pl;
	pthread_mutex_t mu; /* next, failed, err, and the progress calls */
	size_t next;
	bool failed;
	struct scute_err err;
};

static void report(struct fetch *f, size_t i, enum scute_xfer_state state, int64_t done)
{
	struct pull_layers *pl = f->pl;
	struct scute_xfer_event ev = {
		.layer = i,
		.n_layers = pl->n,
		.id = pl->layers[i].id,
		.state = state,
		.done = done,
		.total = pl->layers[i].desc->size,
	};

	if (!pl->progress)
		return;
	pthread_mutex_lock(&f->mu);
	pl->progress(pl->progress_arg, &ev);
	pthread_mutex_unlock(&f->mu);
}

/* ---- one layer: a download thread writing a pipe, the unpacker reading it ---- */

struct download {
	struct fetch *f;
	size_t i;
	int wfd;
	int64_t done, reported;
	int rc;
	struct scute_err err;
};

/* Another layer failed: the pull has, and this download stops. */
static bool pull_failed(struct fetch *f)
{
	bool failed;

	pthread_mutex_lock(&f->mu);
	failed = f->failed;
	pthread_mutex_unlock(&f->mu);
	return failed;
}

static int to_pipe(void *arg, const void *buf, size_t len, struct scute_err *err)
{
	struct download *d = arg;
	const char *p = buf;

	if (pull_failed(d->f))
		return scute_err_set(err, ECANCELED, "layer %s: stopped, another layer failed",
				     d->f->pl->layers[d->i].desc->digest.str);
	while (len) {
		ssize_t n = write(d->wfd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			/* EPIPE: the unpacker stopped (and says why) */
			return scute_err_sys(err, "layer %s",
					     d->f->pl->layers[d->i].desc->digest.str);
		p += n;
		len -= (size_t)n;
		d->done += n;
	}
	if (d->done - d->reported >= PULL_PROGRESS_STEP) {
		d->reported = d->done;
		report(d->f, d->i, SCUTE_XFER_MOVING, d->done);
	}
	return 0;
}

static void *download_main(void *arg)
{
	struct download *d = arg;
	struct pull_layers *pl = d->f->pl;
	sigset_t pipe_sig;

	/* a write to a pipe the unpacker closed fails with EPIPE instead of
	 * killing the process: SIGPIPE goes to the writing thread */
	sigemptyset(&pipe_sig);
	sigaddset(&pipe_sig, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_sig, NULL);
	d->rc = scute_registry_get_blob(pl->r, pl->repo, &pl->layers[d->i].desc->digest,
					pl->layers[d->i].desc->size, to_pipe, d, &d->err);
	close(d->wfd);
	return NULL;
}

static ssize_t from_pipe(void *arg, void *buf, size_t len, struct scute_err *err)
{
	const int *fd = arg;
	ssize_t n;

	do
		n = read(*fd, buf, len);
	while (n < 0 && errno == EINTR);
	return n < 0 ? scute_err_sys(err, "read") : n;
}

/* Unpack from the pipe while the download thread fills it. The download's
 * error wins, unless it is only the EPIPE of the unpacker giving up. */
static int stream_layer(struct fetch *f, size_t i, int dirfd, struct scute_blob_writer *w,
			struct scute_unpack_result *res, struct scute_err *err)
{
	struct pull_layer *l = &f->pl->layers[i];
	struct download d = { .f = f, .i = i, .wfd = -1 };
	struct scute_unpack_opts uo = { .max_size = f->pl->max_size, .blob = w };
	struct scute_layer_source src = { from_pipe, NULL };
	char what[SCUTE_DIGEST_LEN + 16];
	auto_fd int rfd = -1;
	pthread_t t;
	int p[2], rc;

	snprintf(what, sizeof(what), "layer %s", l->desc->digest.str);
	uo.what = what;
	if (scute_compression_of_media_type(l->desc->media_type, &uo.compression, err) < 0)
		return scute_err_prefix(err, "%s", what);
	if (pipe2(p, O_CLOEXEC) < 0)
		return scute_err_sys(err, "%s: pipe", what);
	rfd = p[0];
	d.wfd = p[1];
	(void)fcntl(d.wfd, F_SETPIPE_SZ, PULL_PIPE_SIZE);
	rc = pthread_create(&t, NULL, download_main, &d);
	if (rc != 0) {
		close(d.wfd);
		errno = rc;
		return scute_err_sys(err, "%s: thread", what);
	}
	src.arg = &rfd;
	rc = scute_layer_unpack(dirfd, &src, &uo, res, err);
	close(rfd);
	rfd = -1;
	pthread_join(t, NULL);
	if (d.rc < 0 && (rc == 0 || d.err.code != EPIPE)) {
		*err = d.err;
		rc = -1;
	}
	return rc;
}

static int fetch_one(struct fetch *f, size_t i, struct scute_err *err)
{
	struct pull_layer *l = &f->pl->layers[i];
	struct scute_unpack_result res = { 0 };
	struct scute_blob_writer *w;
	auto_fd int dirfd = -1;

	scute_log(SCUTE_LOG_DEBUG, "layer %s: fetching", l->desc->digest.str);
	report(f, i, SCUTE_XFER_MOVING, 0);
	dirfd = scute_layer_tmp(f->pl->s, l->tmp, err);
	if (dirfd < 0)
		return -1;
	w = scute_blob_create(&f->pl->s->blobs, err);
	if (!w)
		return -1;
	if (stream_layer(f, i, dirfd, w, &res, err) < 0) {
		scute_blob_abort(w);
		return -1;
	}
	if (scute_blob_commit(w, &l->desc->digest, l->desc->size, NULL, err) < 0)
		return scute_err_prefix(err, "layer %s", l->desc->digest.str);
	if (strcmp(res.diff_id.str, l->diff_id.str) != 0)
		return scute_err_set(err, EBADMSG,
				     "layer %s: unpacks to diff_id %s, but the config's "
				     "rootfs.diff_ids[%zu] is %s",
				     l->desc->digest.str, res.diff_id.str, i, l->diff_id.str);
	l->size = res.size;
	report(f, i, SCUTE_XFER_DONE, l->desc->size);
	return 0;
}

static void *worker_main(void *arg)
{
	struct fetch *f = arg;

	for (;;) {
		struct scute_err err = { 0 };
		size_t i;

		pthread_mutex_lock(&f->mu);
		while (f->next < f->pl->n && f->pl->layers[f->next].exists)
			f->next++;
		if (f->failed || f->next >= f->pl->n) {
			pthread_mutex_unlock(&f->mu);
			return NULL;
		}
		i = f->next++;
		pthread_mutex_unlock(&f->mu);
		if (fetch_one(f, i, &err) < 0) {
			report(f, i, SCUTE_XFER_FAILED, 0);
			pthread_mutex_lock(&f->mu);
			if (!f->failed)
				f->err = err;
			f->failed = true;
			pthread_mutex_unlock(&f->mu);
		}
	}
}

int scute_pull_layers(struct pull_layers *pl, struct scute_err *err)
{
	struct fetch f = { .pl = pl, .mu = PTHREAD_MUTEX_INITIALIZER };
	pthread_t workers[SCUTE_PULL_PARALLEL];
	size_t started = 0, todo = 0;

	for (size_t i = 0; i < pl->n; i++) {
		snprintf(pl->layers[i].id, sizeof(pl->layers[i].id), "%.12s",
			 scute_digest_hex(&pl->layers[i].desc->digest));
		pl->layers[i].tmp[0] = '\0';
		todo += !pl->layers[i].exists;
		if (pl->layers[i].exists)
			scute_log(SCUTE_LOG_DEBUG, "layer %s: in the store already",
				  pl->layers[i].desc->digest.str);
		report(&f, i, pl->layers[i].exists ? SCUTE_XFER_EXISTS : SCUTE_XFER_WAITING, 0);
	}
	for (; started < SCUTE_PULL_PARALLEL && started < todo; started++) {
		int rc = pthread_create(&workers[started], NULL, worker_main, &f);

		if (rc != 0) {
			pthread_mutex_lock(&f.mu);
			if (!f.failed) {
				errno = rc;
				scute_err_sys(&f.err, "pull: thread");
			}
			f.failed = true;
			pthread_mutex_unlock(&f.mu);
			break;
		}
	}
	for (size_t i = 0; i < started; i++)
		pthread_join(workers[i], NULL);
	if (f.failed) {
		*err = f.err;
		return -1;
	}
	return 0;
}
