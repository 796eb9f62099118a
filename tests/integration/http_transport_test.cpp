// The HTTP transport end to end: libmigrate's http-planetscale driver through tools/psdb-gateway.
#include "fixtures.hpp"
#include "gateway.hpp"
#include "process.hpp"
#include "temp_dir.hpp"
#include "test_server.hpp"

#include <catch2/catch.hpp>

using namespace testing;

namespace {
Snapshot applied(const ScratchDatabase& db) { return db.connect().snapshot(); }
}  // namespace

TEST_CASE("http: the monolith over HTTP ends exactly like over TCP") {
    const auto dir = corpus_folder("monolith").string();
    ScratchDatabase over_tcp("http_ref"), over_http("http_mono");
    REQUIRE(run_cli({"up", "--no-baseline", "--url", over_tcp.url(), "--dir", dir}).exit_code == 0);
    Gateway gw({"--mysql-database", over_http.name()});
    auto r = run_cli({"up", "--no-baseline", "--url", gw.url(over_http.name()), "--dir", dir});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("applied 220 migrations"));
    CHECK(applied(over_http) == applied(over_tcp));

    auto status = run_cli({"status", "--url", gw.url(over_http.name()), "--dir", dir});
    CHECK(status.exit_code == 0);
    CHECK_THAT(status.out, Catch::Contains("transport  http, driver http-planetscale"));
    CHECK_THAT(status.out, Catch::Contains("applied 220, pending 0"));
    CHECK_THAT(status.out, !Catch::Contains("migrate-local-pw"));

    SECTION("loading the baseline over HTTP ends the same way") {
        ScratchDatabase via_baseline("http_base");
        Gateway gw2({"--mysql-database", via_baseline.name()});
        auto loaded = run_cli({"up", "--url", gw2.url(via_baseline.name()), "--dir", dir});
        INFO(loaded.err);
        REQUIRE(loaded.exit_code == 0);
        CHECK_THAT(loaded.out, Catch::Contains("loaded the baseline (220 migrations recorded)"));
        CHECK(applied(via_baseline) == applied(over_tcp));
    }
}

TEST_CASE("http: drizzle's planetscale-serverless migrator and libmigrate take turns through the gateway") {
    const auto folder = corpus_folder("oi_claims");
    const std::size_t total = journal_size(folder), half = total / 2;
    TempDir tmp;
    copy_folder_prefix(folder, tmp.path() / "first-half", half);
    ScratchDatabase reference("http_turn_ref");
    REQUIRE(run_cli({"up", "--url", reference.url(), "--dir", folder.string()}).exit_code == 0);
    auto drizzle_http = [](const std::string& url, const std::filesystem::path& dir) {
        auto r = run_node("drizzle-migrate-http.mjs", {"--url", url, "--dir", dir.string()});
        INFO(r.out << r.err);
        REQUIRE(r.exit_code == 0);
    };

    SECTION("drizzle first half, libmigrate the rest, then drizzle has nothing to do") {
        ScratchDatabase db("http_turn_b");
        Gateway gw({"--mysql-database", db.name()});
        drizzle_http(gw.url(""), tmp.path() / "first-half");
        REQUIRE(db.connect().tracking_rows().size() == half);
        REQUIRE(run_cli({"up", "--url", gw.url(db.name()), "--dir", folder.string()}).exit_code == 0);
        const auto after_us = applied(db);
        CHECK(after_us == applied(reference));
        drizzle_http(gw.url(""), folder);
        CHECK(applied(db) == after_us);
    }
    SECTION("libmigrate first half, drizzle the rest") {
        ScratchDatabase db("http_turn_c");
        Gateway gw({"--mysql-database", db.name()});
        REQUIRE(run_cli({"up", "--url", gw.url(db.name()), "--dir", (tmp.path() / "first-half").string()}).exit_code ==
                0);
        drizzle_http(gw.url(""), folder);
        CHECK(applied(db) == applied(reference));
    }
}

TEST_CASE("http: the lock works over HTTP sessions") {
    ScratchDatabase db("http_lock");
    TempDir tmp;
    write_folder(tmp.path(), {{"0000_a", "CREATE TABLE `a` (`id` int);"}});
    Gateway gw({"--mysql-database", db.name()});
    Sql holder;
    REQUIRE(holder.scalar("select get_lock('libmigrate:" + db.name() + ".__drizzle_migrations', 0)") == "1");
    auto r = run_cli({"up", "--url", gw.url(db.name()), "--dir", tmp.path().string(), "--lock-timeout", "1"});
    CHECK(r.exit_code == 6);
    CHECK_THAT(r.err, Catch::Contains("held by connection"));
    holder.exec("do release_all_locks()");
    CHECK(run_cli({"up", "--url", gw.url(db.name()), "--dir", tmp.path().string()}).exit_code == 0);
    // Released over HTTP too.
    CHECK(holder.scalar("select is_free_lock('libmigrate:" + db.name() + ".__drizzle_migrations')") == "1");
}

TEST_CASE("http: 8 simultaneous starts over HTTP apply a keyspace exactly once") {
    const auto dir = corpus_folder("oi_policies").string();
    ScratchDatabase db("http_conc");
    Gateway gw({"--mysql-database", db.name()});
    std::vector<std::unique_ptr<RunningProcess>> running;
    for (int i = 0; i < 8; ++i)
        running.push_back(std::make_unique<RunningProcess>(
            cli_argv({"up", "--no-baseline", "--url", gw.url(db.name()), "--dir", dir}),
            std::map<std::string, std::string>{{"DATABASE_URL", ""}}));
    int applied_all = 0;
    for (auto& p : running) {
        auto r = p->wait();
        INFO(r.err);
        CHECK(r.exit_code == 0);
        if (r.out.find("applied 34 migrations") != std::string::npos) ++applied_all;
    }
    CHECK(applied_all == 1);
    CHECK(db.connect().tracking_rows().size() == 34);
}

TEST_CASE("http: a safe-migrations branch stops up before anything runs, with its own exit code") {
    ScratchDatabase db("http_safe");
    TempDir tmp;
    const std::string a = "CREATE TABLE `a` (`id` int);";
    write_folder(tmp.path(), {{"0000_a", a}});
    REQUIRE(run_cli({"up", "--url", db.url(), "--dir", tmp.path().string()}).exit_code == 0);  // via a deploy, say
    // DML first, then DDL: the DML must not run either, or the branch would be left half-migrated.
    write_folder(tmp.path(), {{"0000_a", a},
                              {"0001_seed",
                               "INSERT INTO `a` VALUES (1);\n--> statement-breakpoint\nCREATE TABLE `b` (`id` int);"}});
    const auto before = db.connect().snapshot();
    Gateway gw({"--mysql-database", db.name(), "--safe-migrations"});
    auto r = run_cli({"up", "--url", gw.url(db.name()), "--dir", tmp.path().string()});
    CHECK(r.exit_code == 7);
    CHECK_THAT(r.err, Catch::Contains("error[safe_migrations]") && Catch::Contains("direct DDL is disabled") &&
                          Catch::Contains("0001_seed.sql:3, statement 2 of 2") && Catch::Contains("nothing was run") &&
                          Catch::Contains("deploy request") && Catch::Contains("Configure deploy requests"));
    CHECK(db.connect().snapshot() == before);  // no row in `a`, no `b`, no tracking row

    SECTION("a DML-only migration still runs on such a branch") {
        write_folder(tmp.path(), {{"0000_a", a}, {"0001_seed", "INSERT INTO `a` VALUES (1);"}});
        auto dml = run_cli({"up", "--url", gw.url(db.name()), "--dir", tmp.path().string()});
        INFO(dml.err);
        CHECK(dml.exit_code == 0);
        CHECK(db.connect().tracking_rows().size() == 2);
        CHECK(db.connect().scalar("select count(*) from a") == "1");
    }
    SECTION("the first statement of a run is DDL on a fresh database: refused the same way") {
        ScratchDatabase fresh("http_safe_fresh");
        Gateway gw2({"--mysql-database", fresh.name(), "--safe-migrations"});
        auto f = run_cli({"up", "--url", gw2.url(fresh.name()), "--dir", tmp.path().string()});
        CHECK(f.exit_code == 7);
        CHECK(fresh.connect().tables().empty());
    }
}

TEST_CASE("http: wrong credentials and an unreachable gateway fail at connect, without secrets") {
    ScratchDatabase db("http_bad");
    TempDir tmp;
    write_folder(tmp.path(), {{"0000_a", "CREATE TABLE `a` (`id` int);"}});
    Gateway gw({"--mysql-database", db.name()});
    std::string url = gw.url(db.name());
    std::string bad = url.replace(url.find("migrate-local-pw"), 16, "Wr0ng-S3cret");
    auto r = run_cli({"up", "--url", bad, "--dir", tmp.path().string()});
    CHECK(r.exit_code == 4);
    CHECK_THAT(r.err + r.out, !Catch::Contains("Wr0ng-S3cret"));
    CHECK(db.connect().tables().empty());
}

TEST_CASE("http: credentials that select no database are named by status and up alike, nothing created") {
    ScratchDatabase db("http_nodb");
    TempDir tmp;
    write_folder(tmp.path(), {{"0000_a", "CREATE TABLE `a` (`id` int PRIMARY KEY);"}});
    Gateway gw;  // no --mysql-database: sessions start with none, whatever the URL's path says
    for (const std::string command : {"status", "up"}) {
        auto r = run_cli({command, "--url", gw.url(db.name()), "--dir", tmp.path().string()});
        INFO(command << "\n" << r.out << r.err);
        CHECK(r.exit_code == 1);
        CHECK_THAT(r.err, Catch::Contains("no database selected") && Catch::Contains("errno 1046"));
        CHECK_THAT(r.out, !Catch::Contains("pending"));
    }
    CHECK(db.connect().tables().empty());
}
