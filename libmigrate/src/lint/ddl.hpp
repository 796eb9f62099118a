// The parts of a DDL statement the lint rules reason about: tables, column definitions, indexes and
// foreign keys, each with the token it starts at. Anything else is "other". Internal.
#pragma once

#include "lint_input.hpp"

#include "../run/probe/column_definition.hpp"

#include <optional>
#include <string>
#include <vector>

namespace migrate::lint {

struct ColumnSpec {
    std::string name;
    const sql::Token* at = nullptr;        // the name
    const sql::Token* type_at = nullptr;   // the type's first token
    std::optional<run::probe::Type> type;  // canonical; nullopt for types the probe does not model
    std::string type_word;                 // lower-case first word of the type, e.g. "serial"
    bool not_null = false, has_default = false, auto_increment = false, generated = false;
    bool unique = false, primary = false;
    const sql::Token* references = nullptr;  // inline REFERENCES
};

struct IndexSpec {
    const sql::Token* at = nullptr;
    bool unique = false;
    std::vector<std::string> columns;
};

enum class ClauseKind { add_column, drop_column, modify_column, rename_column, add_index, other };

struct AlterClause {
    ClauseKind kind = ClauseKind::other;
    const sql::Token* at = nullptr;  // the clause's first token
    std::string old_name;            // drop, CHANGE old new, RENAME COLUMN old TO new
    ColumnSpec column;               // add, modify, change (new definition), rename (new name)
    IndexSpec index;                 // add_index
};

struct Ddl {
    enum class Kind {
        other,
        create_table,
        alter_table,
        drop_table,
        truncate,
        create_index,
        rename_table
    } kind = Kind::other;
    std::string table;                                              // lower-case; create/alter/truncate/create_index
    std::vector<std::pair<std::string, const sql::Token*>> tables;  // drop_table: every table named
    std::vector<std::pair<std::string, std::string>> renames;       // rename_table (and ALTER … RENAME TO)
    std::vector<ColumnSpec> columns;                                // create_table
    std::vector<IndexSpec> indexes;                                 // create_table, create_index
    std::vector<AlterClause> clauses;                               // alter_table
    std::vector<const sql::Token*> foreign_keys;                    // where each foreign key is declared
};

Ddl parse_ddl(const Statement& s);

std::string lower_name(std::string_view name);

}  // namespace migrate::lint
