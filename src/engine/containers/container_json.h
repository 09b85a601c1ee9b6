/* Containers as the Engine API shows them (docker's JSON shapes), from
 * their records: GET /containers/{id}/json for `inspect`, and one entry
 * of GET /containers/json for `ps`, so the CLI and the later API server
 * print the same documents. */
#ifndef SCUTE_ENGINE_CONTAINER_JSON_H
#define SCUTE_ENGINE_CONTAINER_JSON_H

#include <jansson.h>
#include <stdint.h>

#include "container_store.h"

/* A time in nanoseconds since the epoch as RFC 3339 with nanoseconds, in
 * UTC, Go's RFC3339Nano ("2024-01-02T03:04:05.123456789Z", trailing zeros
 * dropped); 0 is Go's zero time, "0001-01-01T00:00:00Z", as docker shows
 * a container that never started. */
void scute_time_rfc3339_nano(int64_t ns, char *out, size_t size);

/* Where a container's files are, for inspect's GraphDriver and paths
 * (NULL members: not known, shown empty). */
struct scute_container_paths {
	const char *lower;  /* the layers, ":"-joined */
	const char *upper;  /* the container's own writes */
	const char *work;   /* overlayfs's */
	const char *merged; /* where the root is mounted */
};

/* inspect: Id, Created, Path, Args, State, Image, Name ("/NAME"),
 * RestartCount, Driver, Platform, HostConfig, GraphDriver, Mounts,
 * Config, NetworkSettings (and the paths docker shows). NULL on ENOMEM. */
json_t *scute_container_inspect_json(const struct scute_container *c,
				     const struct scute_container_paths *paths);

/* A ps entry: Id, Names, Image, ImageID, Command, Created (seconds),
 * State, Labels, Mounts, HostConfig.NetworkMode, and scute's StartedAt
 * and FinishedAt (ns) and ExitCode, from which a front end words
 * docker's Status ("Up 5 minutes"). NULL on ENOMEM. */
json_t *scute_container_list_entry(const struct scute_container *c);

#endif
