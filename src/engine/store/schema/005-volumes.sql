-- Migration 5: named volumes (issue 14). A volume is a directory of the
-- store, ROOT/volumes/NAME, whose _data is what containers mount. The
-- directory is made under ROOT/tmp and renamed into place inside the
-- transaction that commits its row, and renamed out of the way inside the
-- one that drops the row (volume_store.h), so that while a writer holds
-- the database's write lock every directory there has its row.

-- name: docker's rule for local volume names ([a-zA-Z0-9][a-zA-Z0-9_.-]+),
-- one path component (it cannot be "." or ".."); a random 64-hex name
-- when none was given. driver: only docker's "local" so far. created:
-- nanoseconds since the epoch. labels and options: JSON objects the
-- engine wrote, or NULL for a volume a container's mount made (docker
-- shows null for those). anonymous: made for a container without a name
-- (docker run -v /dst), removed with it by rm -v.
CREATE TABLE volumes (
	name TEXT PRIMARY KEY CHECK (length(name) >= 2 AND length(name) <= 255
		AND substr(name, 1, 1) GLOB '[a-zA-Z0-9]' AND name NOT GLOB '*[^a-zA-Z0-9_.-]*'),
	driver TEXT NOT NULL DEFAULT 'local' CHECK (driver = 'local'),
	created INTEGER NOT NULL CHECK (created > 0),
	labels TEXT CHECK (labels IS NULL OR substr(labels, 1, 1) = '{'),
	options TEXT CHECK (options IS NULL OR substr(options, 1, 1) = '{'),
	anonymous INTEGER NOT NULL DEFAULT 0 CHECK (anonymous IN (0, 1))
) STRICT;

-- Which container mounts which volume where. A removed container releases
-- its volumes (CASCADE); a volume some container uses cannot be removed
-- (RESTRICT). One volume per destination of a container.
CREATE TABLE container_volumes (
	container_id TEXT NOT NULL REFERENCES containers(id) ON DELETE CASCADE,
	volume TEXT NOT NULL REFERENCES volumes(name) ON DELETE RESTRICT,
	destination TEXT NOT NULL CHECK (substr(destination, 1, 1) = '/'),
	PRIMARY KEY (container_id, destination)
) STRICT;
CREATE INDEX container_volumes_volume ON container_volumes(volume);
