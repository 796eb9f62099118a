// The schema as the folder's migrations build it, statement by statement in apply order: which tables
// and columns exist, their types, and in which migration each appeared. Rules ask it what existed
// before the statement they look at. Internal.
//
// Not verify's Schema (verify/schema_model.hpp) nor plan's LiveTable: this one knows only what lint's rules
// ask (a column's type, NOT NULL, DEFAULT, and the migration that added it) and holds names lower-cased,
// while verify's keeps every attribute as its source wrote it, to compare and to quote in messages.
#pragma once

#include "../sql/statement.hpp"

#include <cstddef>
#include <map>
#include <optional>
#include <string>

namespace migrate::lint {

using sql::AlterClause;
using sql::ClauseKind;
using sql::ColumnSpec;
using sql::Ddl;
using sql::IndexSpec;

// The statement with every table, column and index column name lower-cased, as the model and the rules
// compare them.
Ddl lower_case_names(Ddl d);

struct ColumnState {
    std::optional<sql::Type> type;
    bool not_null = false;
    bool has_default = false;
    std::size_t added_in = 0;  // migration position
};

struct TableState {
    std::size_t created_in = 0;
    std::map<std::string, ColumnState> columns;  // lower-case names
};

class SchemaModel {
  public:
    // Records what the statement did (after the rules looked at it).
    void apply(const Ddl& d, std::size_t migration);

    const TableState* table(const std::string& name) const;
    const ColumnState* column(const std::string& table, const std::string& name) const;
    // True unless the table was created by `migration` itself (a table the folder never created existed
    // before, and so may hold rows).
    bool table_predates(const std::string& table, std::size_t migration) const;
    // True unless the column was added by `migration` (or its table created by it).
    bool column_predates(const std::string& table, const std::string& column, std::size_t migration) const;

  private:
    std::map<std::string, TableState> tables_;
};

// Why a column of type `from` cannot hold every value after MODIFY to `to`; nullopt when it can.
std::optional<std::string> narrowing(const sql::Type& from, const sql::Type& to);

}  // namespace migrate::lint
