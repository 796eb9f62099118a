// libmigrate driver "mysql2-like": MySQL / MariaDB over TCP (or a Unix socket) through the
// libmysqlclient C API, as provided by MariaDB Connector/C (pkg-config `mysqlclient`).
//
// Behaves like the Node mysql2 driver's defaults that matter for migrations: one statement per call
// (no CLIENT_MULTI_STATEMENTS), utf8mb4, no LOCAL INFILE, no automatic reconnect.
//
// Only migrate_driver_entry is exported; everything else has hidden visibility or internal linkage.
// No C++ exception leaves any function reachable through the driver table.
#include <migrate/driver.h>

#include <errmsg.h>
#include <mysql.h>
#include <mysqld_error.h>

#include <cstdint>
#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include <migrate/driver_kit.hpp>

#include "connect_options.hpp"

// The opaque handle of the C interface.
struct migrate_driver_conn {
    MYSQL* mysql = nullptr;
    // Set after an I/O-level failure: the protocol state is unknown, so the connection is not reused.
    bool broken = false;
};

namespace migrate::drivers::mysql2_like {
namespace {

namespace kit = migrate::driver_kit;

constexpr const char* driver_name = "mysql2-like";
constexpr const char* driver_version = "0.1.0";

// ---------------------------------------------------------------------------------------------
// Library initialisation, once per process. Connector/C 3.x needs no per-thread initialisation
// (mysql_thread_init is a no-op there). Note: mysql_library_init sets SIGPIPE to SIG_IGN for the
// whole process, which is what keeps writes to a dropped TLS connection from killing the host.

bool ensure_library_initialised() noexcept {
    static std::once_flag once;
    static bool ok = false;
    try {
        std::call_once(once, [] { ok = mysql_library_init(0, nullptr, nullptr) == 0; });
    } catch (...) {
        return false;
    }
    return ok;
}

// ---------------------------------------------------------------------------------------------
// Error reporting.

// Through the driver kit: fields are written only into a struct at least as large as ours, and the
// message is cut at a UTF-8 character boundary.
int report(migrate_driver_error* err, int status, std::string_view message, unsigned int server_errno = 0,
           const char* sqlstate = nullptr, bool completion_unknown = false) noexcept {
    return kit::report_error(err, status, message, server_errno, sqlstate != nullptr ? sqlstate : "",
                             completion_unknown);
}

int report_internal(migrate_driver_error* err, std::string_view what, bool completion_unknown = false) noexcept {
    return report(err, MIGRATE_DRIVER_ERR_INTERNAL, what, 0, nullptr, completion_unknown);
}

// Reports the connector's current error with the given status.
int report_mysql(migrate_driver_error* err, MYSQL* m, int status, bool completion_unknown) noexcept {
    const unsigned int code = mysql_errno(m);
    const char* message = mysql_error(m);
    return report(err, status, (message != nullptr && *message != '\0') ? message : "unknown MySQL client error", code,
                  code != 0 ? mysql_sqlstate(m) : nullptr, completion_unknown);
}

// Server errors after which the server closes the session (the statement may have been cut off).
bool is_connection_terminating_server_error(unsigned int code) noexcept {
    return code == ER_CONNECTION_KILLED || code == ER_SERVER_SHUTDOWN;
}

// Maps a failure that happened after the statement was handed to the connector.
int report_execute_failure(migrate_driver_conn* conn, migrate_driver_error* err) noexcept {
    MYSQL* m = conn->mysql;
    const unsigned int code = mysql_errno(m);
    if (code == 0) {
        conn->broken = true;
        return report_internal(err, "the MySQL client library reported a failure without an error code", true);
    }
    if (code == CR_COMMANDS_OUT_OF_SYNC) {
        // Refused before anything was sent: a driver bug, not a network problem.
        conn->broken = true;
        return report_mysql(err, m, MIGRATE_DRIVER_ERR_INTERNAL, false);
    }
    if ((code >= CR_MIN_ERROR && code <= CR_MAX_ERROR) || is_connection_terminating_server_error(code)) {
        conn->broken = true;
        return report_mysql(err, m, MIGRATE_DRIVER_ERR_IO, true);
    }
    return report_mysql(err, m, MIGRATE_DRIVER_ERR_SERVER, false);
}

// ---------------------------------------------------------------------------------------------
// RAII helpers.

struct MysqlCloser {
    void operator()(MYSQL* m) const noexcept { mysql_close(m); }
};
using MysqlPtr = std::unique_ptr<MYSQL, MysqlCloser>;

struct ResultFreer {
    // For mysql_use_result this also reads and discards the unread rows.
    void operator()(MYSQL_RES* r) const noexcept { mysql_free_result(r); }
};
using ResultPtr = std::unique_ptr<MYSQL_RES, ResultFreer>;

// ---------------------------------------------------------------------------------------------
// open

bool set_option(MYSQL* m, enum mysql_option option, const void* value, const char* option_name,
                migrate_driver_error* err, int& status) {
    if (mysql_options(m, option, value) == 0) return true;
    status = report_internal(err, std::string("the MySQL client library rejected option ") + option_name);
    return false;
}

int open_impl(const migrate_driver_option* options, size_t option_count, migrate_driver_conn** out,
              migrate_driver_error* err) {
    if (out == nullptr) return report_internal(err, "open: out is NULL");
    *out = nullptr;
    if (!ensure_library_initialised()) return report_internal(err, "mysql_library_init failed");

    ConnectConfig cfg;
    std::string option_error;
    if (!parse_connect_options(options, option_count, cfg, option_error))
        return report(err, MIGRATE_DRIVER_ERR_OPTION, option_error);

    MysqlPtr mysql(mysql_init(nullptr));
    if (!mysql) return report_internal(err, "mysql_init failed (out of memory)");
    MYSQL* m = mysql.get();
    int status = MIGRATE_DRIVER_OK;

    // Transport: always explicit, so "localhost" means TCP unless a socket was asked for.
    const unsigned int protocol = cfg.socket ? MYSQL_PROTOCOL_SOCKET : MYSQL_PROTOCOL_TCP;
    if (!set_option(m, MYSQL_OPT_PROTOCOL, &protocol, "MYSQL_OPT_PROTOCOL", err, status)) return status;

    if (cfg.connect_timeout > 0 &&
        !set_option(m, MYSQL_OPT_CONNECT_TIMEOUT, &cfg.connect_timeout, "MYSQL_OPT_CONNECT_TIMEOUT", err, status))
        return status;
    if (cfg.read_timeout > 0 &&
        !set_option(m, MYSQL_OPT_READ_TIMEOUT, &cfg.read_timeout, "MYSQL_OPT_READ_TIMEOUT", err, status))
        return status;
    if (cfg.write_timeout > 0 &&
        !set_option(m, MYSQL_OPT_WRITE_TIMEOUT, &cfg.write_timeout, "MYSQL_OPT_WRITE_TIMEOUT", err, status))
        return status;

    if (!set_option(m, MYSQL_SET_CHARSET_NAME, "utf8mb4", "MYSQL_SET_CHARSET_NAME", err, status)) return status;
    const unsigned int local_infile = 0;
    if (!set_option(m, MYSQL_OPT_LOCAL_INFILE, &local_infile, "MYSQL_OPT_LOCAL_INFILE", err, status)) return status;
    const my_bool reconnect = 0;
    if (!set_option(m, MYSQL_OPT_RECONNECT, &reconnect, "MYSQL_OPT_RECONNECT", err, status)) return status;

    // TLS. Both switches are always set explicitly so no connector default can change the outcome.
    // Connector/C turns TLS on by itself when any certificate/key option is set, so under DISABLED
    // the file options are not passed at all.
    const bool tls = cfg.ssl_mode != SslMode::disabled;
    const my_bool enforce = tls ? 1 : 0;
    const my_bool verify = (cfg.ssl_mode == SslMode::verify_ca || cfg.ssl_mode == SslMode::verify_identity) ? 1 : 0;
    if (!set_option(m, MYSQL_OPT_SSL_ENFORCE, &enforce, "MYSQL_OPT_SSL_ENFORCE", err, status)) return status;
    if (!set_option(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify, "MYSQL_OPT_SSL_VERIFY_SERVER_CERT", err, status))
        return status;
    if (tls) {
        if (cfg.ssl_ca && !set_option(m, MYSQL_OPT_SSL_CA, cfg.ssl_ca->c_str(), "MYSQL_OPT_SSL_CA", err, status))
            return status;
        if (cfg.ssl_capath &&
            !set_option(m, MYSQL_OPT_SSL_CAPATH, cfg.ssl_capath->c_str(), "MYSQL_OPT_SSL_CAPATH", err, status))
            return status;
        if (cfg.ssl_cert &&
            !set_option(m, MYSQL_OPT_SSL_CERT, cfg.ssl_cert->c_str(), "MYSQL_OPT_SSL_CERT", err, status))
            return status;
        if (cfg.ssl_key && !set_option(m, MYSQL_OPT_SSL_KEY, cfg.ssl_key->c_str(), "MYSQL_OPT_SSL_KEY", err, status))
            return status;
    }

    // With a socket, Connector/C only uses it for host NULL/"localhost"; host and port are ignored.
    const char* host = cfg.socket ? "localhost" : cfg.host->c_str();
    const unsigned int port = cfg.socket ? 0 : cfg.port;
    const char* socket_path = cfg.socket ? cfg.socket->c_str() : nullptr;
    // "" rather than NULL: with NULL the connector would fall back to $MYSQL_PWD.
    const char* password = cfg.password ? cfg.password->c_str() : "";
    const char* database = cfg.database ? cfg.database->c_str() : nullptr;

    // client_flag 0: in particular no CLIENT_MULTI_STATEMENTS.
    if (mysql_real_connect(m, host, cfg.user.c_str(), password, database, port, socket_path, 0) == nullptr)
        return report_mysql(err, m, MIGRATE_DRIVER_ERR_CONNECT, false);

    if (tls && mysql_get_ssl_cipher(m) == nullptr) {
        // Defence in depth: never continue in plain text when TLS was asked for.
        return report(err, MIGRATE_DRIVER_ERR_CONNECT,
                      std::string("TLS is required (ssl-mode=") + ssl_mode_name(cfg.ssl_mode) +
                          ") but the connection is not encrypted",
                      CR_SSL_CONNECTION_ERROR, "HY000");
    }

    auto conn = std::make_unique<migrate_driver_conn>();
    conn->mysql = mysql.release();
    *out = conn.release();
    return MIGRATE_DRIVER_OK;
}

// ---------------------------------------------------------------------------------------------
// execute

// Reads the current result set (streamed with mysql_use_result); rows go to the sink (may be NULL)
// until it asks to stop, the rest is read and discarded.
// Returns MIGRATE_DRIVER_OK or a reported error status.
int read_result_set(migrate_driver_conn* conn, const migrate_driver_row_sink* sink, migrate_driver_error* err) {
    MYSQL* m = conn->mysql;
    ResultPtr res(mysql_use_result(m));
    if (!res) return report_execute_failure(conn, err);

    const unsigned int count = mysql_num_fields(res.get());
    const bool want_columns = sink != nullptr && sink->columns != nullptr;
    bool want_rows = sink != nullptr && sink->row != nullptr;

    std::vector<const char*> values;
    std::vector<size_t> lengths;
    if (want_columns) {
        const MYSQL_FIELD* fields = mysql_fetch_fields(res.get());
        values.resize(count);
        for (unsigned int i = 0; i < count; ++i) values[i] = fields[i].name;
        sink->columns(sink->user, count, values.data());
    }
    if (want_rows) {
        values.resize(count);
        lengths.resize(count);
    }

    // Keep fetching after the sink stops so that errors in the remaining stream are still seen.
    while (MYSQL_ROW row = mysql_fetch_row(res.get())) {
        if (!want_rows) continue;
        const unsigned long* lens = mysql_fetch_lengths(res.get());
        for (unsigned int i = 0; i < count; ++i) {
            values[i] = row[i];
            lengths[i] = lens != nullptr ? static_cast<size_t>(lens[i]) : (row[i] != nullptr ? std::strlen(row[i]) : 0);
        }
        if (sink->row(sink->user, count, values.data(), lengths.data()) != 0) want_rows = false;
    }
    if (mysql_errno(m) != 0) return report_execute_failure(conn, err);
    return MIGRATE_DRIVER_OK;
}

int execute_impl(migrate_driver_conn* conn, const char* sql, size_t sql_length, const migrate_driver_row_sink* sink,
                 migrate_driver_result* result, migrate_driver_error* err, bool& sent) {
    if (conn == nullptr || conn->mysql == nullptr) return report_internal(err, "execute: connection is NULL");
    if (sql == nullptr && sql_length != 0) return report_internal(err, "execute: sql is NULL");
    MYSQL* m = conn->mysql;

    if (conn->broken || mysql_get_socket(m) == static_cast<my_socket>(MARIADB_INVALID_SOCKET)) {
        // Nothing is sent, so the statement certainly did not run.
        conn->broken = true;
        return report(err, MIGRATE_DRIVER_ERR_IO,
                      "the connection is unusable after an earlier connection failure; the statement was not sent",
                      CR_SERVER_GONE_ERROR, "HY000", false);
    }

    sent = true;
    if (mysql_real_query(m, sql != nullptr ? sql : "", static_cast<unsigned long>(sql_length)) != 0)
        return report_execute_failure(conn, err);

    migrate_driver_result local{};
    if (mysql_field_count(m) > 0) {
        if (const int rc = read_result_set(conn, sink, err); rc != MIGRATE_DRIVER_OK) return rc;
        local.affected_rows = 0;
    } else {
        local.affected_rows = static_cast<uint64_t>(mysql_affected_rows(m));
    }
    local.insert_id = static_cast<uint64_t>(mysql_insert_id(m));
    local.warnings = mysql_warning_count(m);

    // Without CLIENT_MULTI_STATEMENTS only CALL can produce further results (the procedure's final
    // status, or more result sets). Drain them; an error in any of them fails the call.
    while (mysql_more_results(m)) {
        const int next = mysql_next_result(m);
        if (next > 0) return report_execute_failure(conn, err);
        if (next < 0) break;
        if (mysql_field_count(m) > 0) {
            if (const int rc = read_result_set(conn, nullptr, err); rc != MIGRATE_DRIVER_OK) return rc;
        }
        local.warnings = mysql_warning_count(m);
    }

    if (result != nullptr) *result = local;
    return MIGRATE_DRIVER_OK;
}

// ---------------------------------------------------------------------------------------------
// The C entry points.

// Turns the exception currently being handled into an ERR_INTERNAL report. Must be called from
// inside a catch block; never throws.
int report_current_exception(migrate_driver_error* err, bool completion_unknown) noexcept {
    try {
        throw;
    } catch (const std::bad_alloc&) {
        return report_internal(err, "out of memory", completion_unknown);
    } catch (const std::exception& e) {
        if (kit::error_writable(err)) {
            constexpr std::string_view prefix = "internal error: ";
            char buffer[sizeof err->message];
            std::memcpy(buffer, prefix.data(), prefix.size());
            kit::copy_utf8_truncated(buffer + prefix.size(), sizeof buffer - prefix.size(),
                                     e.what() != nullptr ? e.what() : "");
            return report_internal(err, buffer, completion_unknown);
        }
        return MIGRATE_DRIVER_ERR_INTERNAL;
    } catch (...) {
        return report_internal(err, "internal error: unknown exception", completion_unknown);
    }
}

int drv_open(const migrate_driver_option* options, size_t option_count, migrate_driver_conn** out,
             migrate_driver_error* err) noexcept {
    try {
        return open_impl(options, option_count, out, err);
    } catch (...) {
        return report_current_exception(err, false);
    }
}

int drv_execute(migrate_driver_conn* conn, const char* sql, size_t sql_length, const migrate_driver_row_sink* sink,
                migrate_driver_result* result, migrate_driver_error* err) noexcept {
    bool sent = false;
    try {
        return execute_impl(conn, sql, sql_length, sink, result, err, sent);
    } catch (...) {
        // An exception after sending (out of memory, or one thrown by the sink) leaves the protocol
        // state unknown: stop using this connection.
        if (sent && conn != nullptr) conn->broken = true;
        return report_current_exception(err, sent);
    }
}

const char* drv_server_version(migrate_driver_conn* conn) noexcept {
    if (conn == nullptr || conn->mysql == nullptr) return "";
    const char* v = mysql_get_server_info(conn->mysql);
    return v != nullptr ? v : "";
}

void drv_close(migrate_driver_conn* conn) noexcept {
    if (conn == nullptr) return;
    if (conn->mysql != nullptr) MysqlCloser{}(conn->mysql);
    delete conn;
}

const char* const schemes[] = {"mysql", "mariadb", nullptr};

const migrate_driver_v1 driver_table = {
    MIGRATE_DRIVER_ABI_VERSION,
    sizeof(migrate_driver_v1),
    driver_name,
    driver_version,
    "tcp",
    schemes,
    &drv_open,
    &drv_execute,
    &drv_server_version,
    &drv_close,
};

}  // namespace
}  // namespace migrate::drivers::mysql2_like

extern "C" MIGRATE_DRIVER_EXPORT const migrate_driver_v1* migrate_driver_entry(void) {
    return &migrate::drivers::mysql2_like::driver_table;
}
