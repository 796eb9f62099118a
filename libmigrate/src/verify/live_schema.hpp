// The live schema of the connection's database, from information_schema (one query per kind of object,
// so a schema of hundreds of tables costs five round trips, over HTTP too).
#pragma once

#include "schema_model.hpp"

#include "connect/connection.hpp"

#include <set>
#include <string>

namespace migrate::verify {

// Tables in `skip` (the tracking table and its side tables) are left out. Values are the server's text;
// on MySQL 8 a literal string default (which it shows unquoted) is quoted, as MariaDB shows it.
Schema read_live_schema(connect::Connection& conn, const std::set<std::string>& skip);

}  // namespace migrate::verify
