// What `baseline verify` compares between a replay and a snapshot load: table and view definitions,
// every row, the tracking rows.
#pragma once

#include "connect/connection.hpp"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace migrate::baseline {

struct TableImage {
    std::string create_sql;  // SHOW CREATE TABLE without the AUTO_INCREMENT=n counter
    std::vector<std::string> columns;
    std::vector<connect::Row> rows;       // every column, ordered by every column
    std::set<std::string> clock_columns;  // columns whose default reads the clock or a random source
};

struct DatabaseImage {
    std::map<std::string, TableImage> tables;
    std::map<std::string, std::string> views;  // SHOW CREATE VIEW without the definer
    std::vector<connect::Row> tracking;        // hash, created_at (and name) by id
};

// Reads the current database; `tracking_table` is read separately, `skip` (it and its side tables) left out.
DatabaseImage read_image(connect::Connection& conn, const std::string& tracking_table,
                         const std::set<std::string>& skip);

// "table.column" for every column whose values differ between two replays of the same migrations
// (uuid(), now(), rand() in the migrations' own statements).
std::set<std::string> differing_columns(const DatabaseImage& a, const DatabaseImage& b);

// Every difference between a replay and a snapshot load, in words. Columns in `masked` and each table's
// clock_columns are compared for NULL-ness only.
std::vector<std::string> differences(const DatabaseImage& replay, const DatabaseImage& loaded,
                                     const std::set<std::string>& masked);

}  // namespace migrate::baseline
