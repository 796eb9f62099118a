// The server's sessions, as SHOW FULL PROCESSLIST lists them (MariaDB and MySQL alike).
//
// Why not information_schema.processlist: it materialises a temporary (Aria) table for every query, and
// polling it while sessions come and go crashed a MariaDB 10.11 server once in our test suite (signal 11 in
// free_tmp_table). A run that waits for another session polls; SHOW lists without a temporary table.
#pragma once

#include "../connect/connection.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace migrate::run {

struct ServerSession {
    std::uint64_t id = 0;
    std::string user, host, db, command;
    std::optional<std::int64_t> seconds;  // in the current command
    std::string state, info;              // info: the statement running, "" when idle
};

// Every session the account may see (all of them with PROCESS, else its own user's). Throws migrate::error
// where the server has no processlist (Vitess).
std::vector<ServerSession> list_sessions(connect::Connection& conn);
std::optional<ServerSession> find_session(connect::Connection& conn, std::uint64_t id);

// A session's statement on one line, at most 120 characters, for messages.
std::string statement_headline(std::string statement);

}  // namespace migrate::run
