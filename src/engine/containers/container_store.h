/* Container records in the store (schema/004-containers.sql): Docker's
 * Config and HostConfig as the engine checked them, and the container's
 * state. Identity follows docker: a 64-hex random ID, a unique name
 * (generated when none is given), and lookup of a reference by full ID,
 * then name, then unique ID prefix. Each call that changes rows runs in
 * one transaction of its own, or inside the caller's (the _tx forms take
 * the db of a scute_db_tx function). */
#ifndef SCUTE_ENGINE_CONTAINER_STORE_H
#define SCUTE_ENGINE_CONTAINER_STORE_H

#include <jansson.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "scute.h"

#define SCUTE_CONTAINER_ID_LEN 64
#define SCUTE_CONTAINER_NAME_MAX 255

/* docker's State.Status values */
enum scute_container_status {
	SCUTE_CONTAINER_CREATED,
	SCUTE_CONTAINER_RUNNING,
	SCUTE_CONTAINER_PAUSED,
	SCUTE_CONTAINER_RESTARTING,
	SCUTE_CONTAINER_REMOVING,
	SCUTE_CONTAINER_EXITED,
	SCUTE_CONTAINER_DEAD,
};

const char *scute_container_status_name(enum scute_container_status s);

struct scute_container {
	char id[SCUTE_CONTAINER_ID_LEN + 1];
	char *name;
	char *image;	 /* the image's ID, or NULL once it was removed */
	char *image_ref; /* Config.Image as given */
	int64_t created; /* ns since the epoch */
	json_t *config, *host_config;
	enum scute_container_status status;
	pid_t pid;
	uint64_t pid_start; /* /proc/PID/stat starttime of pid */
	int exit_code;
	bool oom_killed;
	char *error;
	int64_t started_at, finished_at; /* ns; 0: never */
	int restart_count;
};

void scute_container_clear(struct scute_container *c);

/* A new random ID into id (65 bytes). Never one whose 12-digit short form
 * is all digits: tools read those as numbers. */
int scute_container_new_id(char *id, struct scute_err *err);

/* Whether `name` (without a leading "/") follows docker's rule; EINVAL
 * naming it if not. */
int scute_container_name_check(const char *name, struct scute_err *err);

/* A name no container has, docker-style ("ADJECTIVE_NOUN", a number
 * added after collisions), in *name (the caller's to free). */
int scute_container_name_generate(sqlite3 *db, char **name, struct scute_err *err);

/* Add the record (c->id, c->name, created, config, host_config, image,
 * image_ref, status; the rest as they are). A name in use is EEXIST:
 * "the container name "/N" is already in use by container ID", as docker
 * says it. */
int scute_container_insert_tx(sqlite3 *db, const struct scute_container *c, struct scute_err *err);

/* The container `ref` names: its full ID, its name (with or without "/"),
 * or a prefix of one ID only. ENOENT "no such container: REF"; EINVAL
 * when a prefix fits several. */
int scute_container_find(sqlite3 *db, const char *ref, struct scute_container *out,
			 struct scute_err *err);

/* Every container, newest first; fn gets each (to read; it is cleared
 * after) and a negative return stops the walk and is returned. */
int scute_container_each(sqlite3 *db, int (*fn)(const struct scute_container *c, void *arg),
			 void *arg, struct scute_err *err);
/* The same with Config holding only Cmd, Entrypoint, Labels and Image, and
 * HostConfig only NetworkMode and Privileged: for listings (container_json.h's list
 * entry reads no more). */
int scute_container_each_brief(sqlite3 *db, int (*fn)(const struct scute_container *c, void *arg),
			       void *arg, struct scute_err *err);

/* Write the state columns of c (status, pid, pid_start, exit_code,
 * oom_killed, error, started_at, finished_at, restart_count). ENOENT if
 * the container is gone. */
int scute_container_save_state_tx(sqlite3 *db, const struct scute_container *c,
				  struct scute_err *err);

/* Replace the HostConfig of container `id` (update's limits and restart
 * policy). ENOENT if the container is gone. */
int scute_container_set_host_config_tx(sqlite3 *db, const char *id, json_t *host_config,
				       struct scute_err *err);

int scute_container_rename_tx(sqlite3 *db, const char *id, const char *name, struct scute_err *err);

/* Drop the row. ENOENT if it is gone already. */
int scute_container_delete_tx(sqlite3 *db, const char *id, struct scute_err *err);

/* The wall clock in ns since the epoch, as the records keep times. */
int64_t scute_now_ns(void);

#endif
