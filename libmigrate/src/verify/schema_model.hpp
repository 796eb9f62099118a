// A schema as verify compares it, filled from a drizzle-kit snapshot or from information_schema. Values are
// kept as their source wrote them (for messages); normalise.hpp says when two of them mean the same.
// Not lint's SchemaModel (lint/schema_model.hpp), which replays the folder's DDL and keeps only what lint's
// rules ask, with lower-cased names, nor plan's LiveTable (what ddl_cost needs of a live table): this one
// holds every attribute a snapshot and the server can disagree on.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace migrate::verify {

struct Column {
    std::string name{};
    std::string type{};  // "bigint unsigned", "bigint(20) unsigned", "json", ...
    bool not_null = false;
    bool auto_increment = false;
    bool on_update_now = false;                  // ON UPDATE CURRENT_TIMESTAMP
    std::optional<std::string> default_value{};  // SQL text ("'x'", "(now())", "0"); nullopt: no default
};

struct Index {
    std::string name{};
    std::vector<std::string> columns{};  // an expression part is "(expression)"
    bool unique = false;
};

struct ForeignKey {
    std::string name{};
    std::vector<std::string> columns{};
    std::string table_to{};
    std::vector<std::string> columns_to{};
    std::string on_delete{};  // "" when the source does not say
    std::string on_update{};
};

struct Check {
    std::string name{};
    std::string expression{};
};

struct Table {
    std::string name{};
    std::vector<Column> columns{};           // in the source's order
    std::vector<std::string> primary_key{};  // empty: none
    std::vector<Index> indexes{};            // unique constraints included (the server has only indexes)
    std::vector<ForeignKey> foreign_keys{};
    std::vector<Check> checks{};
    std::set<std::string> serial_columns{};  // snapshot: declared `serial` (brings its own UNIQUE key)
};

struct Schema {
    std::map<std::string, Table> tables{};
    std::set<std::string> views{};
    std::vector<std::string> not_compared{};  // what the source holds that verify does not compare
};

}  // namespace migrate::verify
