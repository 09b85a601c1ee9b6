-- Migration 1: images (issue 13): blobs, layers, images and the names
-- they go by. Files that rows point to (blobs/sha256/<hex>, layers/<hex>)
-- are in place before the row that publishes them commits, and removed
-- after the row that retires them commits; a file with no row is an
-- orphan. A digest column holds nothing but "sha256:" and 64 lowercase
-- hex digits (digest.c parses the same form before anything reaches SQL;
-- the CHECKs keep the rule for a caller that forgets); other digest
-- columns are foreign keys to a checked one.

-- blobs: the files under blobs/sha256 that the store keeps (image configs
-- and manifests, layers as they came), by digest, with their size in
-- bytes.
CREATE TABLE blobs (
	digest TEXT PRIMARY KEY CHECK (length(digest) = 71 AND substr(digest, 1, 7) = 'sha256:'
		AND substr(digest, 8) NOT GLOB '*[^0-9a-f]*'),
	size INTEGER NOT NULL CHECK (size >= 0)
) STRICT;

-- layers: each layer unpacked once, under layers/<hex of chain_id>, shared
-- read-only by every image and container above it. chain_id is OCI's
-- ChainID: a base layer's is its diff_id, any other's is
-- sha256(parent's chain_id + " " + diff_id), so one chain_id is one whole
-- stack. diff_id: the digest of the uncompressed tar. size: bytes
-- unpacked. parent: the layer below (NULL for a base layer); a layer with
-- a layer or an image above it cannot be removed.
CREATE TABLE layers (
	chain_id TEXT PRIMARY KEY CHECK (length(chain_id) = 71
		AND substr(chain_id, 1, 7) = 'sha256:' AND substr(chain_id, 8) NOT GLOB '*[^0-9a-f]*'),
	diff_id TEXT NOT NULL CHECK (length(diff_id) = 71 AND substr(diff_id, 1, 7) = 'sha256:'
		AND substr(diff_id, 8) NOT GLOB '*[^0-9a-f]*'),
	parent TEXT REFERENCES layers(chain_id) ON DELETE RESTRICT,
	size INTEGER NOT NULL CHECK (size >= 0),
	CHECK (parent IS NOT NULL OR chain_id = diff_id)
) STRICT;
CREATE INDEX layers_parent ON layers(parent);

-- images: by ID, the digest of the image's config blob (docker's Id).
-- manifest: the manifest blob it came with (NULL for an image made here,
-- by import, until it is pushed). top_layer: the chain_id of its topmost
-- layer, the rest follow by parent (NULL: no layers). created: the
-- config's creation time in seconds since the epoch, for listing and
-- sorting (the config blob keeps the exact value).
CREATE TABLE images (
	id TEXT PRIMARY KEY REFERENCES blobs(digest) ON DELETE RESTRICT,
	manifest TEXT REFERENCES blobs(digest) ON DELETE RESTRICT,
	top_layer TEXT REFERENCES layers(chain_id) ON DELETE RESTRICT,
	created INTEGER NOT NULL
) STRICT;
CREATE INDEX images_manifest ON images(manifest);
CREATE INDEX images_top_layer ON images(top_layer);

-- tags: the names images go by, fully qualified as docker resolves them
-- (docker.io/library/busybox:latest). A name points to one image; tagging
-- it again moves it. Tags go with their image (CASCADE).
CREATE TABLE tags (
	name TEXT PRIMARY KEY,
	image TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE
) STRICT;
CREATE INDEX tags_image ON tags(image);

-- repo_digests: REPOSITORY@DIGEST, the manifest an image has in a
-- registry it was pulled from or pushed to (inspect's RepoDigests); they
-- go with their image too.
CREATE TABLE repo_digests (
	name TEXT PRIMARY KEY,
	image TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE
) STRICT;
CREATE INDEX repo_digests_image ON repo_digests(image);
