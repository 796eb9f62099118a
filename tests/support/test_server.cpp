#include "test_server.hpp"

#include <mysql.h>

#include <fmt/format.h>

#include <unistd.h>
#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <regex>
#include <stdexcept>

namespace testing {
namespace {

struct ServerAddress {
    std::string user, password, host;
    unsigned port = 3306;
};

ServerAddress address(const std::string& url) {
    static const std::regex re(R"(mysql://([^:@]+):([^@]*)@([^:/]+):(\d+)/?)");
    std::smatch m;
    if (!std::regex_match(url, m, re))
        throw std::runtime_error("MIGRATE_TEST_URL must look like mysql://user:password@host:port");
    return {m[1], m[2], m[3], static_cast<unsigned>(std::stoul(m[4]))};
}

MYSQL* handle(void* p) { return static_cast<MYSQL*>(p); }

}  // namespace

std::string server_url() {
    const char* env = std::getenv("MIGRATE_TEST_URL");
    std::string url = env && *env ? env : MIGRATE_TEST_DEFAULT_URL;
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
}

std::string database_url(const std::string& database) { return server_url() + "/" + database; }

Sql::Sql(const std::string& database, const std::string& server) {
    auto a = address(server.empty() ? server_url() : server);
    MYSQL* m = mysql_init(nullptr);
    unsigned protocol = MYSQL_PROTOCOL_TCP;
    mysql_options(m, MYSQL_OPT_PROTOCOL, &protocol);
    mysql_options(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    if (!mysql_real_connect(m, a.host.c_str(), a.user.c_str(), a.password.c_str(),
                            database.empty() ? nullptr : database.c_str(), a.port, nullptr, 0)) {
        std::string why = mysql_error(m);
        mysql_close(m);
        throw std::runtime_error("test server: cannot connect (is `make db-up` done?): " + why);
    }
    mysql_ = m;
}

Sql::~Sql() { mysql_close(handle(mysql_)); }

void Sql::exec(const std::string& sql) { rows(sql); }

Rows Sql::rows(const std::string& sql) {
    MYSQL* m = handle(mysql_);
    if (mysql_real_query(m, sql.data(), sql.size()) != 0)
        throw std::runtime_error(fmt::format("test server: {} failed: {}", sql, mysql_error(m)));
    Rows out;
    MYSQL_RES* res = mysql_store_result(m);
    if (!res) return out;
    unsigned n = mysql_num_fields(res);
    while (MYSQL_ROW row = mysql_fetch_row(res)) {
        unsigned long* len = mysql_fetch_lengths(res);
        std::vector<Value> r;
        for (unsigned i = 0; i < n; ++i) r.push_back(row[i] ? Value(std::string(row[i], len[i])) : Value());
        out.push_back(std::move(r));
    }
    mysql_free_result(res);
    return out;
}

std::string Sql::scalar(const std::string& sql) {
    auto r = rows(sql);
    if (r.empty() || r[0].empty() || !r[0][0]) return "";
    return *r[0][0];
}

std::vector<std::string> Sql::tables() {
    std::vector<std::string> out;
    for (auto& r : rows("select table_name from information_schema.tables where table_schema = database() "
                        "and table_type = 'BASE TABLE' order by table_name"))
        out.push_back(*r[0]);
    std::sort(out.begin(), out.end());  // byte order, whatever the server's collation
    return out;
}

std::map<std::string, std::string> Sql::schema() {
    static const std::regex auto_increment(R"( AUTO_INCREMENT=\d+)");
    std::map<std::string, std::string> out;
    for (const auto& t : tables()) {
        auto r = rows("show create table `" + t + "`");
        out[t] = std::regex_replace(*r[0][1], auto_increment, "");
    }
    return out;
}

Rows Sql::tracking_rows(const std::string& table) {
    return rows("select hash, created_at from `" + table + "` order by id");
}

std::map<std::string, Rows> Sql::data() {
    std::map<std::string, Rows> out;
    for (const auto& t : tables()) {
        if (t.rfind("__drizzle_migrations", 0) == 0) continue;
        // ORDER BY every column: deterministic whatever the keys are.
        auto cols =
            rows("select count(*) from information_schema.columns where table_schema = database() and table_name = '" +
                 t + "'");
        std::string order;
        for (std::size_t i = 1, n = std::stoul(*cols[0][0]); i <= n; ++i)
            order += (i > 1 ? "," : "") + std::to_string(i);
        out[t] = rows("select * from `" + t + "` order by " + order);
    }
    return out;
}

Snapshot Sql::snapshot(bool exact_tracking) {
    Snapshot s;
    s.tracking =
        exact_tracking ? rows("select id, hash, created_at from __drizzle_migrations order by id") : tracking_rows();
    for (const auto& t : tables()) {
        if (t.starts_with("__drizzle_migrations_")) continue;
        if (!exact_tracking && t == "__drizzle_migrations") continue;
        s.schema[t] = *rows("show create table `" + t + "`")[0][1];
    }
    s.data = data();
    return s;
}

bool Sql::database_exists(const std::string& name) {
    return !rows("select schema_name from information_schema.schemata where schema_name = '" + name + "'").empty();
}

ScratchDatabase::ScratchDatabase(const std::string& label) {
    static std::atomic<int> counter{0};
    name_ = fmt::format("t_{}_{}_{}", label, ::getpid(), counter++);
    Sql sql;
    sql.exec("drop database if exists `" + name_ + "`");
    sql.exec("create database `" + name_ + "`");
}

ScratchDatabase::~ScratchDatabase() {
    try {
        Sql sql;
        sql.exec("drop database if exists `" + name_ + "`");
    } catch (...) {}
}

}  // namespace testing
