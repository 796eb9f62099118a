// Tables the folder's own statements leave behind, read with the SQL statement model: custom migrations
// (`drizzle-kit generate --custom`) may CREATE TABLE, and drizzle-kit's snapshots never learn of it.
#pragma once

#include <migrate/source.hpp>

#include <map>
#include <string>

namespace migrate::verify {

// Table → tag of the migration that created it, replaying CREATE TABLE, DROP TABLE, RENAME TABLE and ALTER
// TABLE … RENAME TO of every statement in folder order (so a table created and later dropped is not listed).
// Temporary tables are ignored; a schema-qualified name counts by its table part.
std::map<std::string, std::string> tables_created_by(const Source& source);

}  // namespace migrate::verify
