// How the server executes one DDL statement as drizzle-kit writes it: instant, in place, rebuild or copy,
// per flavour (the rules and their sources: ddl_cost.cpp, docs/online-ddl.md). Pure: what the table holds
// now comes from the caller (LiveTable, read from information_schema by table_facts), or is unknown and
// the answer "depends". Internal.
#pragma once

#include <migrate/flavor.hpp>
#include <migrate/online_ddl.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace migrate::plan {

// A column as information_schema.columns shows it.
struct LiveColumn {
    std::string column_type;  // COLUMN_TYPE, e.g. "varchar(20)", "int(11) unsigned"
    bool nullable = true;
    std::uint32_t bytes_per_char = 0;  // CHARACTER_OCTET_LENGTH / CHARACTER_MAXIMUM_LENGTH; 0: not text
};

// Only what the cost rules ask of a table, so table_facts reads it for every table a plan touches in a few
// queries, and lint fills it from its replayed folder (indexes_known = false); verify's Schema
// (verify/schema_model.hpp) holds a table's every attribute, to compare.
struct LiveTable {
    std::map<std::string, LiveColumn> columns;  // by lower-case name
    std::set<std::string> indexed_columns;      // lower-case names of columns in any index
    bool has_fulltext = false;
    bool has_primary_key = false;
    bool indexes_known = true;  // false: only the columns are known (lint's model of the folder)
};

// The table a statement's name refers to, lower-cased as given (no schema); nullptr: unknown (no connection,
// or no such table now).
using LiveLookup = std::function<const LiveTable*(const std::string& table)>;

struct DdlCost {
    DdlAlgorithm algorithm = DdlAlgorithm::not_applicable;
    std::string table;           // the table it acts on, as written (unquoted); "" for none
    bool creates_table = false;  // CREATE TABLE: later statements on it change a table created in this run
    std::string reason;          // the rule, for people
};

// What a server's version changes in the rules: instant ADD COLUMN at any position and instant DROP COLUMN
// came with MySQL 8.0.29 and MariaDB 10.4 (before: ADD COLUMN instant only as the last column, DROP COLUMN
// rebuilds). The defaults describe the versions the rules are written for (and lint's, which has no server).
struct ServerTraits {
    bool instant_column_anywhere = true;
};
// From `SELECT version()`, e.g. "8.0.28", "10.3.39-MariaDB".
ServerTraits server_traits(std::string_view version);

// `sql`: one statement (MySQL's default sql_mode). `live` may be empty (lint: no server).
DdlCost ddl_cost(std::string_view sql, Flavor flavor, const LiveLookup& live = {}, ServerTraits traits = {});

}  // namespace migrate::plan
