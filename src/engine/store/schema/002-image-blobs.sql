-- Migration 2: which blobs each image uses (issue 13). An image needs its
-- config, its manifest and its layers' blobs (as they came, for save and
-- push); a blob that no image lists here is garbage (store/gc.c). The
-- rows go with their image (CASCADE); a blob stays while a row names it.
CREATE TABLE image_blobs (
	image TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
	blob TEXT NOT NULL REFERENCES blobs(digest) ON DELETE RESTRICT,
	PRIMARY KEY (image, blob)
) STRICT;
CREATE INDEX image_blobs_blob ON image_blobs(blob);

-- layer_blobs: the blob a layer was unpacked from, by chain ID: save and
-- push send a layer as that blob. A layer may have come in several
-- compressions; any of them will do.
CREATE TABLE layer_blobs (
	chain_id TEXT NOT NULL REFERENCES layers(chain_id) ON DELETE CASCADE,
	blob TEXT NOT NULL REFERENCES blobs(digest) ON DELETE RESTRICT,
	media_type TEXT NOT NULL,
	PRIMARY KEY (chain_id, blob)
) STRICT;
CREATE INDEX layer_blobs_blob ON layer_blobs(blob);
