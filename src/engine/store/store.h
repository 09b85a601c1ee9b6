/* The engine's store as one handle: the root, the database, the blobs and
 * the layers, and the lock that keeps collection away from writers.
 *
 * Writers (load, pull, import, and later create) hold ROOT/store.lock
 * shared for as long as they run: between a file's rename into place and
 * the commit of the row that names it, the file has no row, and only a
 * writer can be in that state. Garbage collection (files with no row,
 * rows nothing uses) and image removal hold the lock exclusively, so they
 * never see a writer's file in that window. A writer that finds the lock
 * free when it opens the store sweeps ROOT/tmp, and collects when a
 * writer died since (each writer has a file in ROOT/writers/ while it has
 * the store open: one that is left is a crash's, whose leftovers go at the
 * next command), then shares the lock. Readers take no lock. */
#ifndef SCUTE_ENGINE_STORE_H
#define SCUTE_ENGINE_STORE_H

#include <sqlite3.h>

#include "blobs.h"
#include "scute.h"

#define SCUTE_ROOT_DEFAULT "/var/lib/scute"

enum scute_store_mode {
	SCUTE_STORE_READ,      /* list, inspect */
	SCUTE_STORE_WRITE,     /* add images, layers, blobs */
	SCUTE_STORE_EXCLUSIVE, /* remove them */
};

struct scute_store {
	int rootfd;
	int layersfd; /* ROOT/layers: one directory per chain ID */
	int lockfd;   /* ROOT/store.lock, held as the mode says */
	sqlite3 *db;
	struct scute_blobs blobs;
	enum scute_store_mode mode;
	char writer[40]; /* a writer's file in ROOT/writers/ while it is open */
};

/* Open the store under `root` (made if missing, 0700) in `mode`: a writer
 * or an exclusive opener sweeps ROOT/tmp and collects garbage when no other
 * writer is running. On failure everything is closed. */
int scute_store_open(const char *root, enum scute_store_mode mode, struct scute_store *s,
		     struct scute_err *err);
void scute_store_close(struct scute_store *s);

/* After a failed change: if no other writer is running, sweep and collect
 * now, so that the failure leaves nothing behind; otherwise the next idle
 * writer does. The store stays open in its mode. */
void scute_store_tidy(struct scute_store *s);

/* Garbage collection (store/gc.c), under the exclusive lock: layers no
 * image stands on and blobs no image uses lose their rows, then their
 * files go, and files with no row (a crash between rename and commit, or
 * between a removal's commit and its unlink) go too. */
int scute_store_collect(struct scute_store *s, struct scute_err *err);

#endif
