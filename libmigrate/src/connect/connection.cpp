#include "connection.hpp"

#include <exception>
#include <migrate/error.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstring>

namespace migrate::connect {
namespace {

migrate_driver_error fresh_error() {
    migrate_driver_error e;
    std::memset(&e, 0, sizeof e);
    e.struct_size = sizeof e;
    return e;
}

error_context context_of(const migrate_driver_error& e) {
    error_context c;
    c.server_errno = e.server_errno;
    c.sqlstate = std::string(e.sqlstate, strnlen(e.sqlstate, sizeof e.sqlstate));
    c.completion_unknown = e.completion_unknown != 0;
    return c;
}

std::string message_of(const migrate_driver_error& e) {
    return std::string(e.message, strnlen(e.message, sizeof e.message));
}

}  // namespace

bool is_mariadb(std::string_view server_version) {
    std::string v(server_version);
    std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return std::tolower(c); });
    return v.find("mariadb") != std::string::npos;
}

std::string_view conventional_driver(const ConnectionUrl& url) {
    if (!is_builtin_scheme(url.scheme) || !url.transport_settled) return "";
    return url.transport == Transport::http ? "http-planetscale" : "mysql2-like";
}

std::shared_ptr<const plugins::LoadedDriver> driver_for(const ConnectionUrl& url) {
    try {
        return plugins::load_driver_for_scheme({.scheme = url.scheme,
                                                .transport = url.transport_settled ? to_string(url.transport) : "",
                                                .conventional_name = conventional_driver(url)});
    } catch (const plugins::DriverLoadError& e) {
        using R = plugins::DriverLoadError::Reason;
        errc code = e.reason() == R::not_found      ? errc::driver_not_found
                    : e.reason() == R::incompatible ? errc::driver_incompatible
                                                    : errc::driver_broken;
        throw error(code, url.transport_settled ? fmt::format("{} transport: {}", to_string(url.transport), e.what())
                                                : std::string(e.what()));
    }
}

Transport declared_transport(const plugins::LoadedDriver& driver) {
    const std::string_view t = driver.api->transport;
    if (t == "tcp") return Transport::tcp;
    if (t == "http") return Transport::http;
    throw error(errc::driver_incompatible,
                fmt::format("driver '{}' ({}) declares transport '{}'; libmigrate speaks tcp and http",
                            driver.api->name, driver.file.string(), t));
}

ConnectionUrl settled_url(const ConnectionUrl& url) {
    if (url.transport_settled) return url;
    ConnectionUrl out = url;
    settle_transport(out, declared_transport(*driver_for(url)));
    return out;
}

std::unique_ptr<Connection> Connection::open(const ConnectionUrl& given) {
    std::shared_ptr<const plugins::LoadedDriver> driver = driver_for(given);
    ConnectionUrl url = given;
    if (!url.transport_settled) settle_transport(url, declared_transport(*driver));

    auto options = url.driver_options();
    std::vector<migrate_driver_option> c_options;
    c_options.reserve(options.size());
    for (const auto& [k, v] : options) c_options.push_back({k.c_str(), v.c_str()});

    auto err = fresh_error();
    migrate_driver_conn* conn = nullptr;
    int rc = driver->api->open(c_options.data(), c_options.size(), &conn, &err);
    if (rc != MIGRATE_DRIVER_OK || conn == nullptr) {
        auto ctx = context_of(err);
        std::string detail = message_of(err);
        if (ctx.server_errno)
            detail = fmt::format("{} (errno {}{})", detail, ctx.server_errno,
                                 ctx.sqlstate.empty() ? "" : ", sqlstate " + ctx.sqlstate);
        throw error(errc::connect_failed, fmt::format("cannot connect to {}: {}", url.redacted(), detail), ctx);
    }
    return std::unique_ptr<Connection>(new Connection(std::move(driver), conn));
}

Connection::~Connection() { driver_->api->close(conn_); }

std::string Connection::server_version() const {
    const char* v = driver_->api->server_version(conn_);
    return v ? v : "";
}

std::uint64_t Connection::run(std::string_view sql, const std::function<void(const RowView&)>* on_row) {
    struct Sink {
        const std::function<void(const RowView&)>* on_row;
        RowView row;  // reused for every row
        std::exception_ptr failure;
    } state{on_row, {}, nullptr};
    migrate_driver_row_sink sink{};
    sink.user = &state;
    sink.row = [](void* user, uint32_t count, const char* const* values, const size_t* lengths) -> int {
        auto& s = *static_cast<Sink*>(user);
        try {
            s.row.assign(count, std::nullopt);
            for (uint32_t i = 0; i < count; ++i)
                if (values[i]) s.row[i] = std::string_view(values[i], lengths[i]);
            (*s.on_row)(s.row);
            return 0;
        } catch (...) {  // never across the driver's C frames: stop the result, rethrow below
            s.failure = std::current_exception();
            return 1;
        }
    };
    migrate_driver_result result{};
    auto err = fresh_error();
    int rc = driver_->api->execute(conn_, sql.data(), sql.size(), on_row ? &sink : nullptr, &result, &err);
    if (state.failure) std::rethrow_exception(state.failure);
    if (rc == MIGRATE_DRIVER_OK) return result.affected_rows;
    auto ctx = context_of(err);
    errc code = rc == MIGRATE_DRIVER_ERR_SERVER ? errc::server_error
                : rc == MIGRATE_DRIVER_ERR_IO   ? errc::connection_lost
                                                : errc::internal;
    std::string message = message_of(err);
    // vtgate's schema.ErrDirectDDLDisabled, as PlanetScale answers DDL on a safe-migrations branch: 1105/HY000
    // over MySQL, code UNKNOWN over HTTP, maybe with a "target: …" prefix; the text is what identifies it.
    if (code == errc::server_error && message.find("direct DDL is disabled") != std::string::npos)
        code = errc::safe_migrations;
    throw error(code, message, std::move(ctx));
}

std::uint64_t Connection::execute(std::string_view sql) { return run(sql, nullptr); }

std::vector<Row> Connection::query(std::string_view sql) {
    std::vector<Row> rows;
    for_each_row(sql, [&](const RowView& view) {
        Row& row = rows.emplace_back();
        row.reserve(view.size());
        for (const auto& v : view) row.push_back(v ? Value(std::string(*v)) : Value());
    });
    return rows;
}

void Connection::for_each_row(std::string_view sql, const std::function<void(const RowView&)>& on_row) {
    run(sql, &on_row);
}

}  // namespace migrate::connect
