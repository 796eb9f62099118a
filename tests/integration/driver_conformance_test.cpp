// tools/migrate-driver-check against the built-in drivers: mysql2-like straight to the test server,
// http-planetscale through psdb-gateway. The out-of-tree example driver gets the same check in
// tests/packaging/out_of_tree_driver_test.cpp.
#include "gateway.hpp"
#include "process.hpp"
#include "test_server.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace testing;

namespace {

void check_driver(const std::string& file, const std::string& url) {
    auto r = run_process({MIGRATE_DRIVER_CHECK, file, url});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("all checks passed") && !Catch::Contains("FAIL"));
    // Every check ran: a skip would hide a gap the checker is meant to find.
    CHECK_THAT(r.out, !Catch::Contains("skip "));
}

}  // namespace

TEST_CASE("driver conformance: mysql2-like over tcp") {
    ScratchDatabase db("conform_tcp");
    check_driver(MIGRATE_DRIVER_MYSQL2_LIKE, db.url());
}

TEST_CASE("driver conformance: http-planetscale through psdb-gateway") {
    ScratchDatabase db("conform_http");
    Gateway gateway({"--mysql-database", db.name()});
    check_driver(MIGRATE_DRIVER_HTTP_PLANETSCALE, gateway.url(db.name()));
}

TEST_CASE("driver conformance: the checker fails a driver that breaks the contract") {
    // newscheme declares new-scheme:// and fails every open: the declaration passes, the rest must not.
    ScratchDatabase db("conform_bad");
    const std::string url = "new-scheme" + db.url().substr(db.url().find("://"));
    auto r = run_process({MIGRATE_DRIVER_CHECK, MIGRATE_BAD_DRIVER_DIR "/libmigrate-driver-newscheme.so", url});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Catch::Contains("ok   declares abi") && Catch::Contains("FAIL open, server_version, close"));
    // The driver was never given the URL's password in a way it could echo; the check of messages passes.
    CHECK_THAT(r.out, !Catch::Contains("migrate-local-pw"));
}
