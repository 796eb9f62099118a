// `migrate tui` under tmux against real databases: the overview's counts, drilling into a target and a
// migration's statements, applying with confirmation (screen and database change), an error in place,
// help, resizing, NO_COLOR, quitting.
#include "fixtures.hpp"
#include "process.hpp"
#include "project_fixture.hpp"
#include "temp_dir.hpp"
#include "test_server.hpp"
#include "tmux.hpp"

#include <catch2/catch.hpp>

using namespace testing;

namespace {

const std::vector<std::string> keyspaces = {"oi_global", "oi_policies", "oi_submissions", "oi_claims", "oi_billing"};

// The TUI over a project, in an 80x24 tmux window.
std::unique_ptr<Tmux> start_tui(const Project& p, std::map<std::string, std::string> extra_env = {}) {
    auto env = p.env();
    env.insert(extra_env.begin(), extra_env.end());
    return std::make_unique<Tmux>(std::vector<std::string>{MIGRATE_CLI_PATH, "tui", "--config", p.file.string()}, env);
}

// The overview row of a target, e.g. "oi_claims       tcp        20      33      0       0    7 free".
std::string row_of(const std::string& screen, const std::string& name) {
    auto at = screen.find("\n" + name + " ");
    if (at == std::string::npos) return "";
    return screen.substr(at + 1, screen.find('\n', at + 1) - at - 1);
}

}  // namespace

TEST_CASE(
    "tui: the overview shows the five keyspaces with their counts, and applying one updates screen and database") {
    Project p(keyspaces);
    // oi_claims half applied (by replay), the others fresh.
    REQUIRE(run_cli({"up", "--no-baseline", "--to", "0019_backfill_disbursements_history", "--keyspace", "oi_claims",
                     "--config", p.file.string()},
                    p.env())
                .exit_code == 0);
    auto tui = start_tui(p);
    REQUIRE(tui->wait_for("oi_billing      tcp         0      43"));
    const auto screen = tui->screen();
    CHECK_THAT(screen, Catch::Contains("migrate tui: 5 targets"));
    // 9 lint warnings: table-copy flags 0050's varchar(32) → varchar(64), a copy on MySQL (the default flavour).
    CHECK(row_of(screen, "oi_global") == "oi_global       tcp         0      51      0       0    9 free");
    CHECK(row_of(screen, "oi_policies") == "oi_policies     tcp         0      34      0       0    6 free");
    CHECK(row_of(screen, "oi_submissions") == "oi_submissions  tcp         0      39      0       0    8 free");
    CHECK(row_of(screen, "oi_claims") == "oi_claims       tcp        20      33      0       0    7 free");
    CHECK_THAT(screen, Catch::Contains("? help  q quit"));

    // Drill in: oi_claims (4th row) opens at its first pending migration; Enter shows its statements.
    tui->keys({"Down", "Down", "Down", "Enter"});
    REQUIRE(tui->wait_for("applied 20, pending 33"));
    CHECK_THAT(tui->screen(), Catch::Contains("0020_"));
    tui->keys({"Enter"});
    REQUIRE(tui->wait_for("statement 1/"));
    CHECK_THAT(tui->screen(), Catch::Contains("    1 | "));
    tui->keys({"Escape"});
    REQUIRE(tui->wait_for("migration                                 state"));

    // Apply this target: the confirmation shows the plan; y runs it; the screen and the database follow.
    tui->keys({"a"});
    REQUIRE(tui->wait_for("Apply pending migrations?"));
    CHECK_THAT(tui->screen(), Catch::Contains("oi_claims: 33 migrations"));
    tui->keys({"y"});
    REQUIRE(tui->wait_for("applied 53, pending 0"));
    REQUIRE(tui->wait_for("applied 33 migrations"));
    CHECK(p.db.at("oi_claims")->connect().tracking_rows().size() == 53);
    CHECK(p.db.at("oi_global")->connect().tables().empty());  // only the one asked for

    // Back to the overview: all of them, from their baselines.
    tui->keys({"Escape", "A"});
    REQUIRE(tui->wait_for("Apply pending migrations?"));
    CHECK_THAT(tui->screen(), Catch::Contains("oi_global: baseline through 0050_clear_swarm + 0 migrations"));
    tui->keys({"y"});
    REQUIRE(tui->wait_for("oi_global       tcp        51       0"));
    REQUIRE(tui->wait_for("oi_billing      tcp        43       0"));
    for (const auto& ks : keyspaces)
        CHECK(p.db.at(ks)->connect().tracking_rows().size() == journal_size(corpus_folder(ks)));

    tui->keys({"q"});
    CHECK(tui->wait_for_exit());
}

TEST_CASE("tui: a failing statement is shown in place, with the statement and the server's message") {
    TempDir broken;
    write_folder(
        broken.path(),
        {{"0000_ok", "CREATE TABLE `a` (`id` int);"},
         {"0001_bad", "CREATE TABLE `b` (`id` int);\n--> statement-breakpoint\nCREATE TABLE `b` (`id` int);"}});
    Project p({"broken"}, {{"broken", broken.path()}});
    auto tui = start_tui(p);
    REQUIRE(tui->wait_for("broken          tcp         0       2"));
    tui->keys({"a"});
    REQUIRE(tui->wait_for("Apply pending migrations?"));
    tui->keys({"y"});
    REQUIRE(tui->wait_for("FAILED error[server_error]"));
    tui->keys({"Enter"});
    REQUIRE(tui->wait_for("error[server_error] at "));
    const auto screen = tui->screen();
    CHECK_THAT(screen, Catch::Contains("0001_bad.sql:3"));
    CHECK_THAT(screen, Catch::Contains("statement: CREATE TABLE `b` (`id` int);"));
    CHECK_THAT(screen, Catch::Contains("already exists"));
    CHECK(p.db.at("broken")->connect().tracking_rows().size() == 1);
}

TEST_CASE("tui: help, resizing, Ctrl-C, NO_COLOR") {
    Project p({"oi_policies"});
    SECTION("help and resize") {
        auto tui = start_tui(p);
        REQUIRE(tui->wait_for("oi_policies     tcp         0      34"));
        tui->keys({"?"});
        REQUIRE(tui->wait_for("apply pending of all targets"));
        tui->keys({"x"});
        REQUIRE(tui->wait_for("? help  q quit"));
        CHECK_THAT(tui->screen(), !Catch::Contains("apply pending of all targets"));
        tui->resize(120, 40);
        REQUIRE(tui->wait_for("migrate tui: 1 target"));
        tui->resize(80, 24);
        REQUIRE(tui->wait_for("oi_policies     tcp         0      34"));
        tui->keys({"q"});
        CHECK(tui->wait_for_exit());
    }
    SECTION("Ctrl-C quits like q") {
        auto tui = start_tui(p);
        REQUIRE(tui->wait_for("oi_policies     tcp         0      34"));
        tui->keys({"C-c"});
        CHECK(tui->wait_for_exit());
    }
    SECTION("colour on a terminal, none with NO_COLOR") {
        auto coloured = start_tui(p);
        REQUIRE(coloured->wait_for("oi_policies     tcp         0      34"));
        CHECK_THAT(coloured->screen(true), Catch::Contains("\x1b[33m"));  // pending rows in yellow
        auto plain = start_tui(p, {{"NO_COLOR", "1"}});
        REQUIRE(plain->wait_for("oi_policies     tcp         0      34"));
        for (const char* colour : {"\x1b[31m", "\x1b[32m", "\x1b[33m", "\x1b[36m"})
            CHECK_THAT(plain->screen(true), !Catch::Contains(colour));
    }
}

TEST_CASE("tui: without a terminal it says so and exits 2") {
    Project p({"oi_policies"});
    auto r = run_cli({"tui", "--config", p.file.string()}, p.env());
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("needs a terminal"));
}

TEST_CASE("tui: a pending statement shows its algorithm and the table's size") {
    TempDir folder;
    write_folder(
        folder.path(),
        {{"0000_claims", "CREATE TABLE `claims` (`id` int NOT NULL PRIMARY KEY, `vin` varchar(20), `amount` int);"},
         {"0001_sizes",
          "CREATE INDEX `claims_vin_idx` ON `claims` (`vin`);\n--> statement-breakpoint\n"
          "ALTER TABLE `claims` MODIFY COLUMN `amount` bigint;"}});
    Project p({"sizes"}, {{"sizes", folder.path()}});
    REQUIRE(run_cli({"up", "--to", "0000_claims", "--config", p.file.string()}, p.env()).exit_code == 0);
    p.db.at("sizes")->connect().exec("insert into `claims` values (1, 'a', 1), (2, 'b', 2), (3, 'c', 3)");
    auto tui = start_tui(p);
    REQUIRE(tui->wait_for("sizes           tcp         1       1"));
    tui->keys({"Enter"});
    REQUIRE(tui->wait_for("applied 1, pending 1"));
    tui->keys({"Enter"});
    REQUIRE(tui->wait_for("statement 2/2"));
    const auto screen = tui->screen();
    CHECK_THAT(screen, Catch::Contains("in_place `claims` ~"));
    CHECK_THAT(screen, Catch::Contains("copy `claims` ~") && Catch::Contains("KiB: MODIFY `amount`: int"));
    tui->keys({"Escape", "a"});
    REQUIRE(tui->wait_for("Apply pending migrations?"));
    CHECK_THAT(tui->screen(), Catch::Contains("1 rewrite a table (largest"));
    tui->keys({"n"});
}
