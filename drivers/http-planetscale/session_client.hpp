// One logical connection to the PlanetScale HTTP API: base URL + credentials + the opaque session JSON
// + one keep-alive HTTP client. Internal to the http-planetscale driver.
#pragma once

#include "driver_error.hpp"
#include "error_mapping.hpp"
#include "options.hpp"

#include <migrate/driver.h>

#include <psdb_wire.hpp>

#include <httplib.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace migrate::drivers::http_planetscale {

class SessionClient {
  public:
    // Builds the HTTP client; no network traffic. On failure returns nullptr and fills `err`
    // (ERR_OPTION for unusable certificate files).
    static std::unique_ptr<SessionClient> create(const HttpConfig& config, DriverError& err);
    ~SessionClient();
    SessionClient(const SessionClient&) = delete;
    SessionClient& operator=(const SessionClient&) = delete;

    // Runs one statement: POST …/Execute with {"query", "session"}. Rows go to `sink` (may be NULL),
    // counts to `result` (may be NULL). Returns true on success; otherwise fills `err`. `sent` becomes
    // true once the request may have left (for the caller's exception handling). Calls are serialised.
    bool execute(std::string_view sql, const migrate_driver_row_sink* sink, migrate_driver_result* result, Phase phase,
                 DriverError& err, bool& sent);

    // `select @@version`, fetched at the first call and cached; "" if it cannot be fetched.
    const char* server_version() noexcept;

    const Redactor& redactor() const noexcept { return redactor_; }

  private:
    explicit SessionClient(const HttpConfig& config);

    bool execute_locked(std::string_view sql, const migrate_driver_row_sink* sink, migrate_driver_result* result,
                        Phase phase, DriverError& err, bool& sent);
    bool fail(DriverError e, DriverError& err);
    void remember_session_from_error_body(const std::string& body);
    void close_if_idle();
    // On destruction after a completion_unknown failure: CloseSession, so the server rolls back what the
    // session may still hold. Best effort.
    void close_abandoned_session();

    HttpConfig config_;
    Redactor redactor_;
    std::string origin_;  // "https://host:port", for messages
    std::unique_ptr<httplib::ClientImpl> http_;
    unsigned int connect_timeout_ = 0, read_timeout_ = 0, write_timeout_ = 0;  // effective, seconds

    std::mutex mutex_;
    psdb::json session_;   // the last non-null session the server sent; null at first
    bool broken_ = false;  // a request's outcome is unknown: the session may have diverged
    std::string broken_reason_;
    bool used_ = false;
    std::chrono::steady_clock::time_point last_used_{};
    bool have_version_ = false;
    std::string version_;
};

}  // namespace migrate::drivers::http_planetscale
