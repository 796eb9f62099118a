// The statement rule families, each given a statement, what it does, and the schema before it. Internal.
#pragma once

#include "lint_input.hpp"
#include "schema_model.hpp"

namespace migrate::lint {

// alter-if-exists, identifier-too-long, serial-auto-increment, foreign-key-unsupported
void check_compat(const Statement& s, const Ddl& d, Sink& sink);
// destructive-drop-table, destructive-drop-column, destructive-truncate, narrowing-type, nullable-to-not-null
void check_destructive(const Statement& s, const Ddl& d, const SchemaModel& before, Sink& sink);
// not-null-without-default, unique-on-existing-column
void check_data_dependent(const Statement& s, const Ddl& d, const SchemaModel& before, Sink& sink);
// table-copy
void check_table_copy(const Statement& s, const Ddl& d, const SchemaModel& before, Sink& sink);

}  // namespace migrate::lint
