/* A container's life around its record: the directories and the root
 * made at create, the record reconciled with the kernel whenever it is
 * read, signals, and removal. Where things are:
 *
 *   ROOT/containers/ID/            the bundle (config.json, written at start)
 *   ROOT/containers/ID/fs/         its own layer (upper/, work/; rootfs.h)
 *   ROOT/containers/ID/rootfs/     where its root is mounted while it runs
 *   EXEC_ROOT/runtime/             libscute's state root (ID is the runtime's ID)
 *   EXEC_ROOT/containers/ID/       its run directory (the waiter's lock)
 *
 * EXEC_ROOT is the engine config's exec-root, /run/scute by default: it
 * is gone after a reboot, and so is every container's runtime state,
 * which the reconciliation reads as "not running". */
#ifndef SCUTE_ENGINE_LIFECYCLE_H
#define SCUTE_ENGINE_LIFECYCLE_H

#include <limits.h>

#include "container_store.h"
#include "store.h"

#define SCUTE_EXEC_ROOT_DEFAULT "/run/scute"

struct scute_engine_paths {
	const char *root;      /* the store's root, absolute */
	const char *exec_root; /* runtime state, absolute */
};

struct scute_container_place {
	char dir[PATH_MAX];
	char fs[PATH_MAX];
	char rootfs[PATH_MAX];
	char run[PATH_MAX];
	char runtime[PATH_MAX];
};

int scute_container_place(const struct scute_engine_paths *e, const char *id,
			  struct scute_container_place *p, struct scute_err *err);

/* Create the record and the container's directories and root (not
 * mounted) from the image `image_ref`, with a checked Config and
 * HostConfig (host_config.h), named `name` (NULL: generated). *out gets
 * the record. On failure nothing is left: no row, no directory. The store
 * is open for writing. */
int scute_container_make(struct scute_store *s, const struct scute_engine_paths *e,
			 const char *name, const char *image_ref, json_t *config,
			 json_t *host_config, struct scute_container *out, struct scute_err *err);

/* Bring the record c (read from the store) in line with the kernel: a
 * container recorded as running whose init is gone, and whose waiter is
 * gone too (so it will never record the exit), is recorded as exited
 * with code 255 and an error saying its status is unknown, and its root
 * unmounted. The store is open for writing. */
int scute_container_reconcile(struct scute_store *s, const struct scute_engine_paths *e,
			      struct scute_container *c, struct scute_err *err);

/* Remove the container `ref`: a running one only with force (killed
 * first). Its status goes to "removing" first (committed), then its
 * runtime state, root, directories and, last, its row; a crash on the
 * way leaves a "removing" container that rm finishes. */
int scute_container_remove(struct scute_store *s, const struct scute_engine_paths *e,
			   const char *ref, bool force, struct scute_err *err);

/* ---- start ----------------------------------------------------------------
 * In two steps, so the caller can build the OCI config from the record
 * while the root is mounted (users and groups come from its /etc):
 * scute_container_prepare mounts the root, then scute_container_launch
 * starts the container from that config and waits for it.
 *
 * The process that waits (the caller with `foreground`, else a child of
 * it in a session of its own, its stdio on /dev/null) is the parent of
 * the container's init: it holds RUN/waiter.lock while the container runs,
 * records the exit (code, time, OOM kill) when it ends, unmounts the root,
 * drops the runtime state, and removes the container if its HostConfig
 * says AutoRemove. It opens the store only to write, so it never holds
 * the store's lock while the container runs: close the store before
 * launching, or hand it over (scute_launch.store). */
int scute_container_prepare(struct scute_store *s, const struct scute_engine_paths *e,
			    const struct scute_container *c, struct scute_err *err);

struct scute_launch {
	const struct scute_engine_paths *e;
	const char *id;
	json_t *oci_config;
	bool foreground;
	/* foreground: signals the caller gets while it waits (SIGINT, SIGTERM,
	 * SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2) go to the container's init, as
	 * docker's --sig-proxy does */
	bool proxy_signals;
	bool auto_remove; /* the record's HostConfig.AutoRemove (--rm) */
	/* Config.OpenStdin (-i): in the foreground the container reads the
	 * caller's stdin; else /dev/null, as docker's */
	bool stdin_open;
	/* or NULL; else the caller's open store, which launch closes: in the
	 * foreground after it records the start (one open less), detached at
	 * once (it must not cross the waiter's fork) */
	struct scute_store *store;
};

/* Start it. Foreground: returns once it exited, its status in *status
 * (the exit code, 128 + signal if killed). Detached: returns once it
 * runs (*status 0). A failure to start is recorded in the container's
 * State.Error and returned; the root is unmounted again. */
int scute_container_launch(const struct scute_launch *l, int *status, struct scute_err *err);

/* Before a restart's stop: the waiter then keeps a --rm container for
 * the start that follows, as docker's restart does. Nothing to do for a
 * container that does not run (no run directory). */
int scute_container_restart_mark(const struct scute_engine_paths *e, const char *id,
				 struct scute_err *err);

/* ---- signals, stop, wait ---------------------------------------------------- */

/* Send sig to the init of the running container `ref`; EINVAL naming it
 * if it is not running. */
int scute_container_signal(struct scute_store *s, const struct scute_engine_paths *e,
			   const char *ref, int sig, struct scute_err *err);

/* Stop it as docker does: its StopSignal (default SIGTERM) to the init,
 * then after timeout_s seconds (-1: Config.StopTimeout, default 10)
 * SIGKILL to every process of it; returns once its exit is recorded. A
 * container that is not running is stopped already (0). */
int scute_container_stop(struct scute_store *s, const struct scute_engine_paths *e, const char *ref,
			 int timeout_s, struct scute_err *err);

/* Block until the container `ref` is not running, then its exit code in
 * *exit_code. Opens the store only to look. */
int scute_container_wait(const struct scute_engine_paths *e, const char *ref, int *exit_code,
			 struct scute_err *err);

#endif
