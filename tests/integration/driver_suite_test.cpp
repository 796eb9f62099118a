// The core's side of the driver contract, through its internal Connection: which driver a URL gets, and how
// driver outcomes become migrate::error. What every driver must do itself is checked by
// tools/migrate-driver-check, run against both drivers in driver_conformance_test.cpp.
#include "checks.hpp"
#include "connect/connection.hpp"

#include "gateway.hpp"
#include "test_server.hpp"

#include <migrate/connection_url.hpp>
#include <migrate/error.hpp>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>

using namespace testing;
using migrate::connect::Connection;

namespace {

// MIGRATE_DRIVER_PATH for one test; the built drivers stay after `dirs`.
struct DriverPath {
    explicit DriverPath(const std::string& dirs) {
        const char* old = std::getenv("MIGRATE_DRIVER_PATH");
        saved = old ? old : "";
        ::setenv("MIGRATE_DRIVER_PATH", (dirs + ":" + saved).c_str(), 1);
    }
    ~DriverPath() { ::setenv("MIGRATE_DRIVER_PATH", saved.c_str(), 1); }
    std::string saved;
};

}  // namespace

TEST_CASE("driver outcomes become errors") {
    ScratchDatabase db("drivers");
    Gateway gateway({"--mysql-database", db.name()});
    for (const auto& url_text : {database_url(db.name()), gateway.url(db.name())}) {
        auto url = migrate::parse_connection_url(url_text);
        DYNAMIC_SECTION("transport " << migrate::to_string(url.transport)) {
            auto conn = Connection::open(url);
            CHECK(std::string(conn->driver().api->name) ==
                  (url.transport == migrate::Transport::http ? "http-planetscale" : "mysql2-like"));

            SECTION("a server error carries errno and SQLSTATE") {
                auto e = error_of([&] { conn->execute("select * from no_such_table"); });
                CHECK(e.code() == migrate::errc::server_error);
                CHECK(e.server_errno() == 1146);
                CHECK(e.sqlstate() == "42S02");
                CHECK_FALSE(e.completion_unknown());
            }
            SECTION("a connection killed by the server is lost with completion unknown") {
                auto id = conn->query("select connection_id()")[0][0].value();
                Sql().exec("kill " + id);
                auto e = error_of([&] { conn->execute("create table after_kill (id int)"); });
                CHECK(e.code() == migrate::errc::connection_lost);
                CHECK(e.completion_unknown());
            }
        }
    }
}

TEST_CASE("a scheme only a driver plugin declares gets that driver and its transport") {
    DriverPath env(MIGRATE_BAD_DRIVER_DIR);  // holds newscheme, declaring new-scheme:// over tcp
    auto url = migrate::parse_connection_url("new-scheme://u:pw@db.example/d");
    CHECK_FALSE(url.transport_settled);
    auto settled = migrate::connect::settled_url(url);
    CHECK(settled.transport == migrate::Transport::tcp);
    CHECK(settled.tls == migrate::TlsMode::verify_identity);  // tcp's default for a host that is not loopback
    // The driver was picked: its open (which always fails) is what answers.
    auto e = error_of([&] { Connection::open(url); });
    CHECK(e.code() == migrate::errc::connect_failed);
    CHECK_THAT(std::string(e.what()), !Catch::Contains("pw@"));
}

TEST_CASE("a scheme no driver declares is driver_not_found, naming the scheme and the search path") {
    auto url = migrate::parse_connection_url("nosuch://u:pw@db.example/d");
    auto e = error_of([&] { Connection::open(url); });
    CHECK(e.code() == migrate::errc::driver_not_found);
    CHECK_THAT(std::string(e.what()), Catch::Contains("'nosuch'") && Catch::Contains("MIGRATE_DRIVER_PATH") &&
                                          Catch::Contains(MIGRATE_DRIVER_DIR));
}
