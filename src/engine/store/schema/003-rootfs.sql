-- Migration 3: container roots (issue 13, item 5): an overlay mount of an
-- image's layers with a directory of its own (upper/ and work/) above
-- them. The row commits before the directory is made and goes after the
-- directory is removed, so a directory never exists without its row, and
-- a row whose directory is missing is what a crash left (the collector
-- drops it). While the row is there its layers are live: top_layer is a
-- layer the collector keeps, with everything below it (store/gc.c), and
-- RESTRICT stops anything else from deleting it. The containers of the
-- next issue extend this table.

-- dir: the container's directory, an absolute path (later
-- ROOT/containers/ID). image: the image it was made from (NULL once that
-- image is removed by force: the layers stay, by top_layer). target:
-- where the overlay was mounted, an absolute path.
CREATE TABLE rootfs (
	dir TEXT PRIMARY KEY CHECK (substr(dir, 1, 1) = '/'),
	image TEXT REFERENCES images(id) ON DELETE SET NULL,
	top_layer TEXT NOT NULL REFERENCES layers(chain_id) ON DELETE RESTRICT,
	target TEXT NOT NULL CHECK (substr(target, 1, 1) = '/')
) STRICT;
CREATE INDEX rootfs_image ON rootfs(image);
CREATE INDEX rootfs_top_layer ON rootfs(top_layer);
