-- Migration 4: containers (issue 14). Docker's record is the source of
-- truth: config and host_config hold the Config and HostConfig objects
-- of the create request as the engine checked them (inspect prints them
-- back), the other columns the container's state. Runtime state (the
-- libscute state root, pid files) lives under /run/scute and is
-- reconciled with these rows by the commands that read them. config and
-- host_config are JSON objects the engine wrote (json_valid() is not
-- allowed in a CHECK while the schema is not trusted).

-- id: 64 lowercase hex digits, random. name: unique, docker's rule
-- ([a-zA-Z0-9][a-zA-Z0-9_.-]+, stored without docker's leading "/").
-- image: the image's ID (NULL once that image is removed by force; the
-- container keeps its layers through its rootfs row). image_ref: the name
-- the container was created from, as given (Config.Image). created and
-- the other times: nanoseconds since the epoch (0: never). status:
-- docker's State.Status. pid and pid_start: the init's pid and its start
-- time (field 22 of /proc/PID/stat), so a reused pid is never taken for
-- the container's. exit_code, oom_killed, error: of the last run.
CREATE TABLE containers (
	id TEXT PRIMARY KEY CHECK (length(id) = 64 AND id NOT GLOB '*[^0-9a-f]*'),
	name TEXT NOT NULL UNIQUE CHECK (length(name) >= 2 AND length(name) <= 255
		AND substr(name, 1, 1) GLOB '[a-zA-Z0-9]' AND name NOT GLOB '*[^a-zA-Z0-9_.-]*'),
	image TEXT REFERENCES images(id) ON DELETE SET NULL,
	image_ref TEXT NOT NULL,
	created INTEGER NOT NULL CHECK (created > 0),
	config TEXT NOT NULL CHECK (substr(config, 1, 1) = '{'),
	host_config TEXT NOT NULL CHECK (substr(host_config, 1, 1) = '{'),
	status TEXT NOT NULL CHECK (status IN ('created', 'running', 'paused', 'restarting',
		'removing', 'exited', 'dead')),
	pid INTEGER NOT NULL DEFAULT 0 CHECK (pid >= 0),
	pid_start INTEGER NOT NULL DEFAULT 0,
	exit_code INTEGER NOT NULL DEFAULT 0,
	oom_killed INTEGER NOT NULL DEFAULT 0 CHECK (oom_killed IN (0, 1)),
	error TEXT NOT NULL DEFAULT '',
	started_at INTEGER NOT NULL DEFAULT 0,
	finished_at INTEGER NOT NULL DEFAULT 0,
	restart_count INTEGER NOT NULL DEFAULT 0 CHECK (restart_count >= 0)
) STRICT;
CREATE INDEX containers_image ON containers(image);
CREATE INDEX containers_created ON containers(created);
