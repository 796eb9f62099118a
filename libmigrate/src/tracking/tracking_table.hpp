// __drizzle_migrations (or a custom name): drizzle's exact DDL, reading rows, recording a migration.
#pragma once

#include "../connect/connection.hpp"

#include <migrate/plan.hpp>
#include <migrate/source.hpp>

#include <string>

namespace migrate::tracking {

struct TableShape {
    bool exists = false;
    bool has_name = false;  // drizzle 1.0 columns
    bool has_applied_at = false;
};

class TrackingTable {
  public:
    // Throws migrate::error(errc::table_invalid) unless `name` is a plain identifier.
    explicit TrackingTable(std::string name);

    const std::string& name() const { return name_; }
    std::string quoted() const;
    // Our side tables are named after the tracking table: <name>_progress, <name>_lock.
    std::string side_table(std::string_view suffix) const;
    // Byte for byte the statement drizzle-orm's MySQL migrator sends: 0.45's `create table if not exists`
    // (id, hash, created_at) for a 0.x journal folder, 1.0's `CREATE TABLE IF NOT EXISTS` (id, hash,
    // created_at, name, applied_at) for a 1.0 folder.
    std::string create_statement(FolderLayout layout = FolderLayout::drizzle_v0_journal) const;
    // drizzle's row: (hash, created_at = when), plus `name` = tag when the table has the 1.0 column (drizzle
    // 1.0 writes exactly `(hash, created_at, name)`; applied_at is left to its CURRENT_TIMESTAMP default).
    std::string insert_statement(const Migration& m, const TableShape& shape) const;
    // The rows of several migrations in one statement (a baseline load, `baseline mark`), ids in order.
    std::string insert_statement(const std::vector<const Migration*>& ms, const TableShape& shape) const;
    // The row of m unless one with its created_at and hash is there already (rows a deploy may have copied).
    std::string insert_missing_statement(const Migration& m, const TableShape& shape) const;

    // Removes m's rows (a reverted deploy request took its schema back).
    std::string delete_statement(const Migration& m) const;

    TableShape inspect(connect::Connection& conn) const;
    // The shape create_statement(layout) gives, without asking the server.
    static TableShape created_shape(FolderLayout layout) {
        const bool v1 = layout == FolderLayout::drizzle_v1_folders;
        return {.exists = true, .has_name = v1, .has_applied_at = v1};
    }
    std::vector<AppliedRow> read(connect::Connection& conn, const TableShape& shape) const;

  private:
    std::string name_;
};

// `text` as an SQL string literal that means the same under every sql_mode: '…' with '' for ', or a hex
// literal when the text holds a backslash or NUL.
std::string sql_string_literal(std::string_view text);

}  // namespace migrate::tracking
