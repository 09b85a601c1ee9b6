#include "handoff.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

/* Buffers are used in turn: slot i % nbufs. `published` counts the
 * buffers the producer has passed on, `taken` those the consumer has
 * been given, `freed` those it is done with (taken, or one behind while
 * it reads the last). The producer may fill while published - freed <
 * nbufs. */
struct scute_handoff {
	pthread_mutex_t lock;
	pthread_cond_t changed;
	size_t nbufs, size;
	size_t published, taken, freed;
	size_t *lens;
	char *mem;
	bool closed, stopped;
};

struct scute_handoff *scute_handoff_new(size_t nbufs, size_t size)
{
	struct scute_handoff *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	h->nbufs = nbufs;
	h->size = size;
	h->lens = calloc(nbufs, sizeof(*h->lens));
	h->mem = malloc(nbufs * size);
	if (!h->lens || !h->mem || pthread_mutex_init(&h->lock, NULL) != 0) {
		free(h->lens);
		free(h->mem);
		free(h);
		return NULL;
	}
	if (pthread_cond_init(&h->changed, NULL) != 0) {
		pthread_mutex_destroy(&h->lock);
		free(h->lens);
		free(h->mem);
		free(h);
		return NULL;
	}
	return h;
}

void scute_handoff_free(struct scute_handoff *h)
{
	if (!h)
		return;
	pthread_cond_destroy(&h->changed);
	pthread_mutex_destroy(&h->lock);
	free(h->lens);
	free(h->mem);
	free(h);
}

char *scute_handoff_fill(struct scute_handoff *h, size_t *cap)
{
	char *buf = NULL;

	pthread_mutex_lock(&h->lock);
	while (!h->stopped && h->published - h->freed == h->nbufs)
		pthread_cond_wait(&h->changed, &h->lock);
	if (!h->stopped)
		buf = h->mem + (h->published % h->nbufs) * h->size;
	pthread_mutex_unlock(&h->lock);
	*cap = h->size;
	return buf;
}

void scute_handoff_publish(struct scute_handoff *h, size_t len)
{
	pthread_mutex_lock(&h->lock);
	h->lens[h->published % h->nbufs] = len;
	h->published++;
	pthread_cond_broadcast(&h->changed);
	pthread_mutex_unlock(&h->lock);
}

void scute_handoff_close(struct scute_handoff *h)
{
	pthread_mutex_lock(&h->lock);
	h->closed = true;
	pthread_cond_broadcast(&h->changed);
	pthread_mutex_unlock(&h->lock);
}

bool scute_handoff_stopped(struct scute_handoff *h)
{
	bool stopped;

	pthread_mutex_lock(&h->lock);
	stopped = h->stopped;
	pthread_mutex_unlock(&h->lock);
	return stopped;
}

const char *scute_handoff_take(struct scute_handoff *h, size_t *len)
{
	const char *buf = NULL;

	pthread_mutex_lock(&h->lock);
	if (h->freed < h->taken) {
		h->freed = h->taken;
		pthread_cond_broadcast(&h->changed);
	}
	while (h->taken == h->published && !h->closed)
		pthread_cond_wait(&h->changed, &h->lock);
	if (h->taken < h->published) {
		size_t slot = h->taken % h->nbufs;

		buf = h->mem + slot * h->size;
		*len = h->lens[slot];
		h->taken++;
	} else {
		*len = 0;
	}
	pthread_mutex_unlock(&h->lock);
	return buf;
}

void scute_handoff_stop(struct scute_handoff *h)
{
	pthread_mutex_lock(&h->lock);
	h->stopped = true;
	pthread_cond_broadcast(&h->changed);
	pthread_mutex_unlock(&h->lock);
}
