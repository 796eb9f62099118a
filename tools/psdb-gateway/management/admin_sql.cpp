#include "admin_sql.hpp"

namespace gateway::management {

namespace {
constexpr std::size_t max_rows = 10'000'000;  // copies go through INSERT … SELECT, never through here
}

AdminSql::AdminSql(const Config& config) {
    try {
        backend_ = Backend::connect(config, "");
    } catch (const BackendConnectError& e) {
        throw SqlFailure("cannot connect to the database server: " + e.error.text);
    } catch (const BackendCapReached& e) {
        throw SqlFailure("psdb-gateway: " + std::to_string(e.cap) +
                         " backend connections are open, the limit "
                         "--max-backend-connections sets: close SQL sessions, or raise --max-backend-connections");
    }
    // A replay must not wait forever behind a client's open transaction on the same table.
    exec("SET SESSION lock_wait_timeout = 20");
}

void AdminSql::exec(const std::string& sql) { rows(sql); }

SqlRows AdminSql::rows(const std::string& sql) {
    Outcome o = backend_->execute(sql, max_rows);
    if (o.error) throw SqlFailure(o.error->text);
    return o.result ? std::move(o.result->rows) : SqlRows{};
}

std::string AdminSql::scalar(const std::string& sql) {
    const auto r = rows(sql);
    return r.empty() || r[0].empty() || !r[0][0] ? std::string() : *r[0][0];
}

std::string ident(const std::string& name) {
    std::string out = "`";
    for (char c : name) {
        if (c == '`') out.push_back('`');
        out.push_back(c);
    }
    return out + "`";
}

std::string literal(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'' || c == '\\') out.push_back(c == '\'' ? '\'' : '\\');
        out.push_back(c);
    }
    return out + "'";
}

}  // namespace gateway::management
