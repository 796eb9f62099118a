// __drizzle_migrations (or a custom name): drizzle's exact DDL, reading rows, recording a migration.
#pragma once

#include "../connect/connection.hpp"

#include <migrate/plan.hpp>
#include <migrate/source.hpp>

#include <string>

namespace migrate::tracking {

struct TableShape {
    bool exists = false;
    bool has_name = false;        // drizzle 1.0 columns
    bool has_applied_at = false;
};

class TrackingTable {
public:
    // Throws migrate::error(errc::table_invalid) unless `name` is a plain identifier.
    explicit TrackingTable(std::string name);

    const std::string& name() const { return name_; }
    std::string quoted() const;
    // Byte for byte the statement drizzle-orm's MySQL migrator sends.
    std::string create_statement() const;
    std::string insert_statement(const Migration& m, const TableShape& shape) const;

    TableShape inspect(connect::Connection& conn) const;
    std::vector<AppliedRow> read(connect::Connection& conn, const TableShape& shape) const;

private:
    std::string name_;
};

// `text` as a single-quoted SQL literal ('' for ', \\ for \), valid with and without NO_BACKSLASH_ESCAPES
// as long as the text has no backslash; callers only pass validated identifiers, hashes and tags.
std::string sql_string_literal(std::string_view text);

}  // namespace migrate::tracking
