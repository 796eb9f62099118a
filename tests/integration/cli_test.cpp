// The `migrate` CLI: output, exit codes, arguments.
#include "fixtures.hpp"
#include "process.hpp"
#include "temp_dir.hpp"
#include "test_server.hpp"

#include <catch2/catch.hpp>

using namespace testing;

TEST_CASE("cli: status, up, up again, on a keyspace folder") {
    ScratchDatabase db("cli_up");
    const auto dir = corpus_folder("oi_claims").string();

    auto status = run_cli({"status", "--url", db.url(), "--dir", dir});
    CHECK(status.exit_code == 0);
    CHECK_THAT(status.out, Catch::Contains("applied 0, pending 53"));
    CHECK_THAT(status.out, Catch::Contains("transport  tcp, driver mysql2-like"));
    CHECK_THAT(status.out, Catch::Contains("mysql://migrate:***@"));
    CHECK_THAT(status.out, !Catch::Contains("migrate-local-pw"));
    CHECK_THAT(
        status.out,
        Catch::Contains("53 migrations through 0052_spicy_nicolaos; the database is empty, so `up` loads it first"));

    SECTION("an empty database starts from the folder's baseline") {
        auto up = run_cli({"up", "--dir", dir}, {{"DATABASE_URL", db.url()}});
        CHECK(up.exit_code == 0);
        CHECK_THAT(up.out, Catch::Contains("[1/1] baseline through 0052_spicy_nicolaos (53 migrations)"));
        CHECK_THAT(up.out, Catch::Contains("loaded the baseline (53 migrations recorded)"));
    }
    SECTION("--no-baseline replays every migration") {
        auto up = run_cli({"up", "--no-baseline", "--dir", dir}, {{"DATABASE_URL", db.url()}});
        CHECK(up.exit_code == 0);
        CHECK_THAT(up.out, Catch::Contains("applying 53 migrations"));
        CHECK_THAT(up.out, Catch::Contains("[53/53]"));
        CHECK_THAT(up.out, Catch::Contains("applied 53 migrations"));
    }
    CHECK(db.connect().tracking_rows().size() == 53);

    auto again = run_cli({"up", "--url", db.url(), "--dir", dir});
    CHECK(again.exit_code == 0);
    CHECK_THAT(again.out, Catch::Contains("nothing to do: 53 of 53 migrations applied"));

    auto after = run_cli({"status", "--url", db.url(), "--dir", dir});
    CHECK_THAT(after.out, Catch::Contains("applied 53, pending 0"));
    CHECK_THAT(after.out, Catch::Contains("__drizzle_migrations, 53 rows"));
}

TEST_CASE("cli: a failed statement exits 1 and names file, line, statement and the server's error") {
    ScratchDatabase db("cli_fail");
    TempDir tmp;
    write_folder(tmp.path(),
                 {{"0000_a", "CREATE TABLE `a` (`id` int);\n--> statement-breakpoint\nCREATE TABLE `a` (`id` int);"}});
    auto r = run_cli({"up", "--url", db.url(), "--dir", tmp.path().string()});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("error[server_error]"));
    CHECK_THAT(r.err, Catch::Contains("0000_a.sql:3: statement 2 of 2 of migration 0000_a failed"));
    CHECK_THAT(r.err, Catch::Contains("errno 1050, sqlstate 42S01"));
    CHECK_THAT(r.err, !Catch::Contains("migrate-local-pw"));
}

TEST_CASE("cli: usage errors exit 2") {
    auto no_url = run_cli({"status", "--dir", corpus_folder("oi_global").string()});
    CHECK(no_url.exit_code == 2);
    CHECK_THAT(no_url.err, Catch::Contains("DATABASE_URL"));
    CHECK(run_cli({}).exit_code == 2);
    CHECK(run_cli({"frobnicate"}).exit_code == 2);
    CHECK(run_cli({"up", "--no-such-flag"}).exit_code == 2);
}

TEST_CASE("cli: --version and --help") {
    auto v = run_cli({"--version"});
    CHECK(v.exit_code == 0);
    CHECK_THAT(v.out, Catch::Contains("libmigrate 0.1.0") && Catch::Contains("driver ABI 1"));
    auto h = run_cli({"up", "--help"});
    CHECK(h.exit_code == 0);
    CHECK_THAT(h.out, Catch::Contains("--dir"));
}

TEST_CASE("cli: an https URL goes to the http driver, which fails at connect without leaking the secret") {
    // Nothing listens on this port: the http-planetscale driver is loaded, tries TLS, and is refused.
    ScratchDatabase db("cli_http");
    auto r = run_cli({"status", "--url", "https://user:S3cr3t-pw@127.0.0.1:1/" + db.name(), "--dir",
                      corpus_folder("oi_global").string()});
    CHECK(r.exit_code == 4);
    CHECK_THAT(r.err, Catch::Contains("error[connect_failed]: cannot connect to https://user:***@127.0.0.1:1/"));
    CHECK_THAT(r.err + r.out, !Catch::Contains("S3cr3t-pw"));
}
