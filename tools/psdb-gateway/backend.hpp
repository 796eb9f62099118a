// One MySQL/MariaDB connection pinned to one gateway session, and the conversion of what the server
// returns (MYSQL_FIELD metadata, rows as exact bytes) into psdb::QueryResult.
#pragma once

#include "config.hpp"

#include <psdb_wire.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace gateway {

// A MySQL error: client-side (2xxx) or from the server.
struct SqlError {
    std::uint32_t mysql_errno = 0;
    std::string sqlstate;
    std::string text;
};

struct Outcome {
    std::optional<psdb::QueryResult> result;  // set on success
    std::optional<SqlError> error;            // set on failure
    std::string error_code = "UNKNOWN";       // vtrpc code name for `error`
    bool in_transaction = false;              // SERVER_STATUS_IN_TRANS after the statement
    bool connection_lost = false;             // the connection is unusable: drop the session
};

class Backend {
  public:
    // Connects as configured (utf8mb4, no reconnect, no multi-statements, CLIENT_FOUND_ROWS), using the
    // configured database. Throws BackendConnectError, or BackendCapReached when
    // config.max_backend_connections are open already.
    static std::unique_ptr<Backend> connect(const Config& config);
    // The same, using `database` instead ("" for none): a branch's sessions and the management API.
    static std::unique_ptr<Backend> connect(const Config& config, const std::string& database);
    ~Backend();
    Backend(const Backend&) = delete;
    Backend& operator=(const Backend&) = delete;

    // Runs one statement. More than `max_rows` rows is an error (vitess's "Row count exceeded").
    Outcome execute(std::string_view sql, std::size_t max_rows);

  private:
    explicit Backend(void* mysql) : mysql_(mysql) {}
    void* mysql_;  // MYSQL*
};

struct BackendConnectError {
    SqlError error;
};

// Backend::connect found --max-backend-connections connections open (nothing was connected).
struct BackendCapReached {
    int cap;
};

// Client error numbers (errmsg.h) that mean the connection is gone.
bool is_connection_lost(std::uint32_t mysql_errno);

}  // namespace gateway
