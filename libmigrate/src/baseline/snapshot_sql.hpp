// Turning a dumped database into snapshot.sql: foreign-key-safe order, row literals that mean the same
// under every sql_mode, views without their definer. Pure text work, no server (unit-tested alone).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace migrate::baseline {

struct ForeignKey {
    std::string name;  // constraint name
    std::string referenced_table;
};

struct TableDump {
    std::string name;
    std::string create_sql;  // SHOW CREATE TABLE
    std::vector<ForeignKey> foreign_keys;
    std::vector<std::string> inserts;  // the table's rows as INSERT statements (see insert_statements)
    std::size_t rows = 0;
};

struct ViewDump {
    std::string name;
    std::string create_sql;  // SHOW CREATE VIEW
};

struct SnapshotText {
    std::string sql;  // statements joined by drizzle's breakpoint marker
    std::size_t statements = 0;
};

// The snapshot: `header` (comment lines), every CREATE TABLE with parents before children (ties by name),
// every table's rows in that order, then the foreign keys that could not be created with their table
// (cycles, and self-references of tables that have rows) as ALTER TABLE … ADD, then the views, each after
// the views it reads.
SnapshotText render_snapshot(std::string_view header, std::vector<TableDump> tables, std::vector<ViewDump> views);

// Removes constraint `name` from a SHOW CREATE TABLE text; returns (the statement without it, the
// `CONSTRAINT … FOREIGN KEY …` clause). The clause is empty when the statement has no such constraint.
std::pair<std::string, std::string> take_foreign_key(std::string_view create_sql, std::string_view name);

// SHOW CREATE VIEW without `DEFINER=…`: the view is created by whoever loads the snapshot.
std::string strip_definer(std::string_view create_view);

// How a column's values are written back.
enum class ValueKind {
    number,  // integers, decimals, floats, year: the server's text, unquoted
    binary,  // binary, varbinary, blobs, spatial: selected as HEX(col), written X'…'
    bit,     // bit(n): selected as col + 0 (HEX would print the number, in odd lengths), written as a number
    text,    // everything else (strings, temporal, enum, set, json): a string literal
};
ValueKind value_kind(std::string_view data_type);  // information_schema.columns.data_type, any case

// What to select for a column of `kind`, so that value_literal can write it back.
std::string select_expression(ValueKind kind, std::string_view column);
// A literal for one value (nullptr: NULL). For binary kinds `value` is the HEX() text.
std::string value_literal(ValueKind kind, const std::string* value);

// `identifier` in backticks, backticks doubled.
std::string quote_identifier(std::string_view identifier);

// Rows as multi-row INSERT statements of at most about `max_bytes` each. Each row holds one literal per
// column, already formatted by value_literal.
std::vector<std::string> insert_statements(std::string_view table, const std::vector<std::string>& columns,
                                           const std::vector<std::vector<std::string>>& rows,
                                           std::size_t max_bytes = std::size_t{256} * 1024);

}  // namespace migrate::baseline
