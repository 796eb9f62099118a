// The shared driver suite: what the core needs from any driver, checked against the real server —
// directly over TCP (mysql2-like) and over HTTP through tools/psdb-gateway (http-planetscale).
#include "connect/connection.hpp"

#include "gateway.hpp"
#include "test_server.hpp"

#include <migrate/connection_url.hpp>
#include <migrate/error.hpp>

#include <catch2/catch.hpp>

using namespace testing;
using migrate::connect::Connection;

namespace {

migrate::error error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const migrate::error& e) {
        return e;
    }
    FAIL("expected migrate::error");
    throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("driver suite") {
    ScratchDatabase db("drivers");
    Gateway gateway({"--mysql-database", db.name()});
    for (const auto& url_text : {database_url(db.name()), gateway.url(db.name())}) {
        auto url = migrate::parse_connection_url(url_text);
        DYNAMIC_SECTION("transport " << migrate::to_string(url.transport)) {
            auto conn = Connection::open(url);
            CHECK_FALSE(conn->server_version().empty());

            SECTION("rows come back with NULLs and exact bytes") {
                conn->execute("create table t (id int primary key, s varchar(20), b varbinary(8))");
                CHECK(conn->execute("insert into t values (1, 'é', x'00ff10'), (2, null, null)") == 2);
                auto rows = conn->query("select id, s, b from t order by id");
                REQUIRE(rows.size() == 2);
                CHECK(rows[0][0] == "1");
                CHECK(rows[0][1] == "\xC3\xA9");
                CHECK(rows[0][2] == std::string("\x00\xFF\x10", 3));
                CHECK_FALSE(rows[1][1].has_value());
                CHECK(conn->query("select 1 from t where id = 99").empty());
            }
            SECTION("server errors carry errno and SQLSTATE") {
                auto e = error_of([&] { conn->execute("select * from no_such_table"); });
                CHECK(e.code() == migrate::errc::server_error);
                CHECK(e.server_errno() == 1146);
                CHECK(e.sqlstate() == "42S02");
                CHECK_FALSE(e.completion_unknown());
                CHECK(conn->query("select 2")[0][0] == "2");  // the connection is still usable
            }
            SECTION("one statement per call: multi-statements are refused") {
                auto e = error_of([&] { conn->execute("select 1; select 2"); });
                CHECK(e.server_errno() == 1064);
            }
            SECTION("session state persists across calls (transactions, variables, locks)") {
                conn->execute("set @x = 41");
                CHECK(conn->query("select @x + 1")[0][0] == "42");
                CHECK(conn->query("select get_lock('libmigrate-suite', 5)")[0][0] == "1");
                CHECK(conn->query("select is_used_lock('libmigrate-suite') = connection_id()")[0][0] == "1");
                conn->execute("create table tx (id int)");
                conn->execute("begin");
                conn->execute("insert into tx values (1)");
                conn->execute("rollback");
                CHECK(conn->query("select count(*) from tx")[0][0] == "0");
            }
            SECTION("a connection killed by the server reports completion unknown") {
                auto id = conn->query("select connection_id()")[0][0].value();
                Sql().exec("kill " + id);
                auto e = error_of([&] { conn->execute("create table after_kill (id int)"); });
                CHECK(e.code() == migrate::errc::connection_lost);
                CHECK(e.completion_unknown());
            }
        }
    }
}
