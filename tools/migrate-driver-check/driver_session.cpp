#include "driver_session.hpp"

#include <cstring>

namespace migrate::driver_check {

migrate_driver_error fresh_error() {
    migrate_driver_error e;
    std::memset(&e, 0, sizeof e);
    e.struct_size = sizeof e;
    return e;
}

std::string Outcome::message() const {
    return std::string(error.message, strnlen(error.message, sizeof error.message));
}

std::string Outcome::sqlstate() const {
    return std::string(error.sqlstate, strnlen(error.sqlstate, sizeof error.sqlstate));
}

std::string Outcome::describe() const {
    if (ok()) return "succeeded";
    return "status " + std::to_string(status) + ", errno " + std::to_string(error.server_errno) + ", sqlstate '" +
           sqlstate() + "', completion_unknown " + std::to_string(error.completion_unknown) + ": " + message();
}

namespace {

std::vector<migrate_driver_option> c_options(const Options& options) {
    std::vector<migrate_driver_option> out;
    out.reserve(options.size());
    for (const auto& [k, v] : options) out.push_back({k.c_str(), v.c_str()});
    return out;
}

struct SinkState {
    Outcome* outcome;
    std::size_t stop_after;
};

void on_columns(void* user, uint32_t count, const char* const* names) {
    auto& s = *static_cast<SinkState*>(user);
    s.outcome->columns_called = true;
    for (uint32_t i = 0; i < count; ++i) s.outcome->columns.emplace_back(names[i] ? names[i] : "");
}

int on_row(void* user, uint32_t count, const char* const* values, const size_t* lengths) {
    auto& s = *static_cast<SinkState*>(user);
    auto& row = s.outcome->rows.emplace_back();
    for (uint32_t i = 0; i < count; ++i) row.push_back(values[i] ? Value(std::string(values[i], lengths[i])) : Value());
    return s.stop_after > 0 && s.outcome->rows.size() >= s.stop_after ? 1 : 0;
}

}  // namespace

Session::Session(const migrate_driver_v1& api, const Options& options) : api_(api) {
    auto list = c_options(options);
    open_.error = fresh_error();
    open_.status = api_.open(list.data(), list.size(), &conn_, &open_.error);
    if (open_.status != MIGRATE_DRIVER_OK && conn_ != nullptr) {
        // A driver that failed yet handed out a connection: do not use (or leak) it.
        api_.close(conn_);
        conn_ = nullptr;
    }
    if (open_.status == MIGRATE_DRIVER_OK && conn_ == nullptr) open_.status = -1;
}

Session::~Session() { api_.close(conn_); }

std::string Session::server_version() const {
    const char* v = api_.server_version(conn_);
    return v ? v : "";
}

Outcome Session::execute(std::string_view sql, std::size_t stop_after) {
    Outcome out;
    out.error = fresh_error();
    SinkState state{&out, stop_after};
    migrate_driver_row_sink sink{};
    sink.user = &state;
    sink.columns = &on_columns;
    sink.row = &on_row;
    out.status = api_.execute(conn_, sql.data(), sql.size(), &sink, &out.result, &out.error);
    return out;
}

Outcome open_once(const migrate_driver_v1& api, const Options& options) {
    auto list = c_options(options);
    Outcome out;
    out.error = fresh_error();
    migrate_driver_conn* conn = nullptr;
    out.status = api.open(list.data(), list.size(), &conn, &out.error);
    api.close(conn);
    return out;
}

}  // namespace migrate::driver_check
