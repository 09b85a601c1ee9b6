/* The engine store's schema, as the ordered list of migrations that build
 * it (db.h). A change to the schema is a new entry at the end; an entry
 * that has shipped is never edited, since stores out there already ran
 * it. */
#ifndef SCUTE_ENGINE_SCHEMA_H
#define SCUTE_ENGINE_SCHEMA_H

#include <stddef.h>

#include "db.h"

extern const struct scute_db_migration scute_db_migrations[];
extern const size_t scute_db_migrations_count;

#endif
