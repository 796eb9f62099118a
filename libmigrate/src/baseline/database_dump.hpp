// Reading everything a snapshot needs from a live database: tables, foreign keys, rows, views.
#pragma once

#include "connect/connection.hpp"
#include "snapshot_sql.hpp"

#include <set>
#include <string>
#include <vector>

namespace migrate::baseline {

struct DatabaseDump {
    std::vector<TableDump> tables;
    std::vector<ViewDump> views;
    std::size_t rows = 0;
};

// Dumps the connection's current database, leaving out `skip` (the tracking table and its side tables).
// Throws migrate::error(errc::baseline_unusable) when the database holds triggers, routines or events:
// a snapshot would silently lose them.
DatabaseDump dump_database(connect::Connection& conn, const std::set<std::string>& skip);

// The base tables and views of the current database, minus `skip`, in byte order.
std::vector<std::string> list_tables(connect::Connection& conn, const std::set<std::string>& skip);

}  // namespace migrate::baseline
