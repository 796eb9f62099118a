// Project configs through the CLI: `up --all` over several databases in parallel, status as one table,
// one failing target stopping only itself, exit code = the worst target's.
#include "fixtures.hpp"
#include "process.hpp"
#include "project_fixture.hpp"
#include "temp_dir.hpp"
#include "test_server.hpp"

#include <migrate/connection_url.hpp>

#include <catch2/catch.hpp>

#include <memory>

using namespace testing;

namespace {

const std::vector<std::string> keyspaces = {"oi_global", "oi_policies", "oi_submissions", "oi_claims", "oi_billing"};

}  // namespace

TEST_CASE("project: up --all on five keyspaces and the monolith, then up to date, status as one table") {
    auto names = keyspaces;
    names.push_back("monolith");
    Project p(names);

    auto up = run_cli({"up", "--all", "--config", p.file.string()}, p.env());
    INFO(up.out << up.err);
    CHECK(up.exit_code == 0);
    // Fresh databases: every target loads its baseline.
    CHECK_THAT(
        up.out,
        Catch::Contains("oi_global      | applying the baseline through 0050_clear_swarm (51 migrations) to mysql://"));
    CHECK_THAT(up.out, Catch::Contains("monolith       | loaded the baseline (220 migrations recorded)"));
    CHECK_THAT(up.out, Catch::Contains("target          result  detail"));
    CHECK_THAT(up.out, Catch::Contains("oi_claims       ok      loaded the baseline (53 migrations recorded)"));
    CHECK_THAT(up.out + up.err, !Catch::Contains("migrate-local-pw"));
    CHECK(p.db["oi_claims"]->connect().tracking_rows().size() == 53);
    CHECK(p.db["monolith"]->connect().tracking_rows().size() == 220);
    for (const auto& ks : keyspaces)
        CHECK(p.db[ks]->connect().tracking_rows().size() == journal_size(corpus_folder(ks)));

    auto again = run_cli({"up", "--all", "--jobs", "2", "--config", p.file.string()}, p.env());
    CHECK(again.exit_code == 0);
    CHECK_THAT(again.out, Catch::Contains("oi_billing      ok      nothing to do: 43 of 43 migrations applied"));
    CHECK_THAT(again.out, Catch::Contains("monolith        ok      nothing to do: 220 of 220"));

    auto status = run_cli({"status", "--all", "--config", p.file.string()}, p.env());
    INFO(status.out << status.err);
    CHECK(status.exit_code == 0);
    CHECK_THAT(status.out,
               Catch::Contains("target          transport  applied  pending  changed  partial  baseline  "));
    CHECK_THAT(
        status.out,
        Catch::Contains("oi_global       tcp        51       0        0        0        through 0050_clear_swarm "));
    CHECK_THAT(status.out, Catch::Contains("monolith        tcp        220      0"));

    // One target: the single-target output, selected by --keyspace; the config found upward from the cwd
    // is covered by the unit tests (the CLI's cwd is the test's).
    auto one = run_cli({"status", "--keyspace", "oi_claims", "--config", p.file.string()}, p.env());
    CHECK(one.exit_code == 0);
    CHECK_THAT(one.out, Catch::Contains("applied 53, pending 0"));

    auto unknown = run_cli({"status", "--keyspace", "oi_nope", "--config", p.file.string()}, p.env());
    CHECK(unknown.exit_code == 2);
    CHECK_THAT(unknown.err, Catch::Contains("no target \"oi_nope\""));
    auto ambiguous = run_cli({"status", "--config", p.file.string()}, p.env());
    CHECK(ambiguous.exit_code == 2);
    CHECK_THAT(ambiguous.err, Catch::Contains("--keyspace NAME or --all"));
    auto with_url = run_cli({"up", "--all", "--url", p.db["oi_claims"]->url(), "--config", p.file.string()}, p.env());
    CHECK(with_url.exit_code == 2);
}

TEST_CASE("project: one keyspace with a broken migration fails, the other four complete and are reported") {
    TempDir broken;
    write_folder(
        broken.path(),
        {{"0000_ok", "CREATE TABLE `a` (`id` int);"},
         {"0001_bad", "CREATE TABLE `b` (`id` int);\n--> statement-breakpoint\nCREATE TABLE `b` (`id` int);"}});
    Project p(keyspaces, {{"oi_claims", broken.path()}});

    auto up = run_cli({"up", "--all", "--jobs", "3", "--config", p.file.string()}, p.env());
    INFO(up.out << up.err);
    CHECK(up.exit_code == 1);
    CHECK_THAT(up.err, Catch::Contains("oi_claims      | migrate: error[server_error]"));
    CHECK_THAT(up.out, Catch::Contains("oi_claims       failed (exit 1)  error[server_error]: "));
    CHECK_THAT(up.out,
               Catch::Contains("oi_global       ok               loaded the baseline (51 migrations recorded)"));
    CHECK_THAT(up.out,
               Catch::Contains("oi_billing      ok               loaded the baseline (43 migrations recorded)"));
    for (const auto& ks : keyspaces)
        if (ks != "oi_claims") CHECK(p.db[ks]->connect().tracking_rows().size() == journal_size(corpus_folder(ks)));
    CHECK(p.db["oi_claims"]->connect().tracking_rows().size() == 1);

    // A missing password variable: config_invalid (exit 3) naming target, key and variable.
    auto env = p.env();
    env["PROJECT_TEST_PW"] = "";
    auto missing = run_cli({"status", "--all", "--config", p.file.string()}, env);
    CHECK(missing.exit_code == 3);
    CHECK_THAT(missing.err, Catch::Contains("error[config_invalid]"));
    CHECK_THAT(missing.err, Catch::Contains("key \"password\": environment variable PROJECT_TEST_PW is not set"));

    // status shows the half-applied migration of the failed target.
    auto status = run_cli({"status", "--all", "--config", p.file.string()}, p.env());
    CHECK(status.exit_code == 0);
    CHECK_THAT(status.out, Catch::Contains("oi_claims       tcp        1        1        0        1"));
}
