// libmigrate driver "http-planetscale": MySQL statements over PlanetScale's HTTP API (Connect unary + JSON,
// service psdb.v1alpha1.Database, the protocol of @planetscale/database), through cpp-httplib and OpenSSL.
//
// One connection = one logical PlanetScale session: base URL, credentials, the opaque session JSON echoed
// on every request, and one keep-alive HTTP client (session_client.cpp). Options: options.cpp. How
// failures map onto the driver statuses: error_mapping.cpp and README.md.
//
// Only migrate_driver_entry is exported; everything else has hidden visibility or internal linkage.
// No C++ exception leaves any function reachable through the driver table.
#include <migrate/driver.h>

#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <string>
#include <string_view>

#include "driver_error.hpp"
#include "options.hpp"
#include "session_client.hpp"

// The opaque handle of the C interface.
struct migrate_driver_conn {
    std::unique_ptr<migrate::drivers::http_planetscale::SessionClient> client;
};

namespace migrate::drivers::http_planetscale {
namespace {

constexpr const char* driver_name = "http-planetscale";
constexpr const char* driver_version = "0.1.0";

// Turns the exception currently being handled into an ERR_INTERNAL report. Must be called from inside
// a catch block; never throws. The text of a std::exception is redacted when a redactor is known.
int report_current_exception(migrate_driver_error* err, bool completion_unknown, const Redactor* redactor) noexcept {
    try {
        throw;
    } catch (const std::bad_alloc&) {
        return report(err, MIGRATE_DRIVER_ERR_INTERNAL, "out of memory", completion_unknown);
    } catch (const std::exception& e) {
        try {
            DriverError d =
                make_error(MIGRATE_DRIVER_ERR_INTERNAL,
                           std::string("internal error: ") + (e.what() != nullptr ? e.what() : ""), completion_unknown);
            return report(err, d, redactor);
        } catch (...) {
            return report(err, MIGRATE_DRIVER_ERR_INTERNAL, "internal error", completion_unknown);
        }
    } catch (...) {
        return report(err, MIGRATE_DRIVER_ERR_INTERNAL, "internal error: unknown exception", completion_unknown);
    }
}

int open_impl(const migrate_driver_option* options, size_t option_count, migrate_driver_conn** out,
              migrate_driver_error* err) {
    if (out == nullptr) return report(err, MIGRATE_DRIVER_ERR_INTERNAL, "open: out is NULL");
    *out = nullptr;

    HttpConfig config;
    std::string option_error;
    if (!parse_options(options, option_count, config, option_error))
        return report(err, MIGRATE_DRIVER_ERR_OPTION, option_error);
    const Redactor redactor({config.password, config.user + ":" + config.password});

    DriverError failure;
    std::unique_ptr<SessionClient> client = SessionClient::create(config, failure);
    if (!client) return report(err, failure, &redactor);

    // Check reachability, TLS and credentials now, so that a wrong password fails the open (1045).
    bool sent = false;
    if (!client->execute("select 1", nullptr, nullptr, Phase::open, failure, sent))
        return report(err, failure, &client->redactor());

    auto conn = std::make_unique<migrate_driver_conn>();
    conn->client = std::move(client);
    *out = conn.release();
    return MIGRATE_DRIVER_OK;
}

int drv_open(const migrate_driver_option* options, size_t option_count, migrate_driver_conn** out,
             migrate_driver_error* err) noexcept {
    try {
        return open_impl(options, option_count, out, err);
    } catch (...) {
        // No redactor here: the exception texts this can see (bad_alloc, std library, httplib) never
        // quote option values.
        return report_current_exception(err, false, nullptr);
    }
}

int drv_execute(migrate_driver_conn* conn, const char* sql, size_t sql_length, const migrate_driver_row_sink* sink,
                migrate_driver_result* result, migrate_driver_error* err) noexcept {
    if (conn == nullptr || !conn->client)
        return report(err, MIGRATE_DRIVER_ERR_INTERNAL, "execute: connection is NULL");
    if (sql == nullptr && sql_length != 0) return report(err, MIGRATE_DRIVER_ERR_INTERNAL, "execute: sql is NULL");
    bool sent = false;
    try {
        DriverError failure;
        const std::string_view text(sql != nullptr ? sql : "", sql != nullptr ? sql_length : 0);
        if (conn->client->execute(text, sink, result, Phase::execute, failure, sent)) return MIGRATE_DRIVER_OK;
        return report(err, failure, &conn->client->redactor());
    } catch (...) {
        // Once the request may have left, the caller cannot know whether the statement ran.
        return report_current_exception(err, sent, &conn->client->redactor());
    }
}

const char* drv_server_version(migrate_driver_conn* conn) noexcept {
    if (conn == nullptr || !conn->client) return "";
    return conn->client->server_version();
}

void drv_close(migrate_driver_conn* conn) noexcept {
    // A healthy session simply stops being echoed (database-js never calls CloseSession either); one
    // abandoned after a lost response is closed by the SessionClient's destructor (see there).
    delete conn;
}

const char* const schemes[] = {"http", "https", "mysql", "mariadb", nullptr};

const migrate_driver_v1 driver_table = {
    MIGRATE_DRIVER_ABI_VERSION,
    sizeof(migrate_driver_v1),
    driver_name,
    driver_version,
    "http",
    schemes,
    &drv_open,
    &drv_execute,
    &drv_server_version,
    &drv_close,
};

}  // namespace
}  // namespace migrate::drivers::http_planetscale

extern "C" MIGRATE_DRIVER_EXPORT const migrate_driver_v1* migrate_driver_entry(void) {
    return &migrate::drivers::http_planetscale::driver_table;
}
