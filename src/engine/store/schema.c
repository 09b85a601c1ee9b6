#include "schema.h"

/* Each migration's SQL is a file of its own in schema/, commented table by
 * table, embedded at build time (tools/embed.c). */
extern const char scute_db_schema_001[];
extern const char scute_db_schema_002[];
extern const char scute_db_schema_003[];
extern const char scute_db_schema_004[];
extern const char scute_db_schema_005[];

const struct scute_db_migration scute_db_migrations[] = {
	{ "images, layers, blobs and tags", scute_db_schema_001 },
	{ "the blobs of images and layers", scute_db_schema_002 },
	{ "container roots", scute_db_schema_003 },
	{ "containers", scute_db_schema_004 },
	{ "volumes", scute_db_schema_005 },
};

const size_t scute_db_migrations_count =
	sizeof(scute_db_migrations) / sizeof(scute_db_migrations[0]);
