// Snapshot against server, object by object, after normalise_snapshot / normalise_live.
#pragma once

#include "schema_model.hpp"

#include <migrate/verify.hpp>

#include <map>
#include <string>
#include <vector>

namespace migrate::verify {

// Every difference, by table (sorted) then columns, primary key, indexes, foreign keys, checks; then views.
// A table only the server has is a notice when `created_by_migrations` (tables_created_by) names it, drift
// otherwise. Tolerated without a word: the index the server adds for a foreign key (named after it or
// its first column, on its columns), and the UNIQUE key of a `serial` column.
std::vector<SchemaDrift> compare_schemas(const Schema& snapshot, const Schema& live,
                                         const std::map<std::string, std::string>& created_by_migrations);

}  // namespace migrate::verify
