/* A handoff of byte buffers from one producer thread to one consumer, in
 * order: the unpacker's decompressing thread fills buffers while the tar
 * reader empties the ones before, so decompression and the file system
 * work of a layer run on two cores at once. A fixed ring of buffers
 * bounds the memory (and how far the producer runs ahead).
 *
 * The producer: scute_handoff_fill() gives the next free buffer (NULL
 * once the consumer has stopped), scute_handoff_publish() passes it on,
 * scute_handoff_close() ends the stream. The consumer:
 * scute_handoff_take() gives the next filled buffer, valid until the next
 * take (NULL at the end), scute_handoff_stop() tells the producer nothing
 * more will be taken. The consumer frees the handoff once the producer
 * thread is joined. */
#ifndef SCUTE_ENGINE_HANDOFF_H
#define SCUTE_ENGINE_HANDOFF_H

#include <stdbool.h>
#include <stddef.h>

struct scute_handoff;

/* nbufs buffers of size bytes; NULL with errno on failure. */
struct scute_handoff *scute_handoff_new(size_t nbufs, size_t size);
void scute_handoff_free(struct scute_handoff *h);

/* The next free buffer (its capacity in *cap), waiting for one; NULL
 * once the consumer has stopped. */
char *scute_handoff_fill(struct scute_handoff *h, size_t *cap);
void scute_handoff_publish(struct scute_handoff *h, size_t len);
/* No more buffers come. */
void scute_handoff_close(struct scute_handoff *h);
/* Whether the consumer has stopped: the producer's question before work
 * that only a consumer needs. */
bool scute_handoff_stopped(struct scute_handoff *h);

/* The next filled buffer (its length in *len), waiting for one; the one
 * taken before is free again. NULL once the producer closed and all was
 * taken. */
const char *scute_handoff_take(struct scute_handoff *h, size_t *len);
/* Nothing more is taken: a producer waiting for a buffer, or asking for
 * the next one, gets NULL. */
void scute_handoff_stop(struct scute_handoff *h);

#endif
