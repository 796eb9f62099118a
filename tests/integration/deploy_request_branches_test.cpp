// The rest of the branch lifecycle around deploy requests, against psdb-gateway with safe migrations on:
// a deploy request opened from an existing branch where the migrations were applied by hand (a shared
// `ci-test`, a per-PR branch) after checking that it holds exactly the pending migrations, and the revert
// of a deployed request inside its window, after which the tracking table agrees with the schema again and
// the next `up` deploys what was reverted; and the TUI's view of a keyspace's deploy requests.
#include "fixtures.hpp"
#include "planetscale_fixture.hpp"
#include "process.hpp"
#include "temp_dir.hpp"
#include "test_server.hpp"
#include "tmux.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <thread>

using namespace testing;
using nlohmann::json;

namespace {

ProcessResult cli(const std::vector<std::string>& args) {
    auto r = run_cli(args, planetscale_token_env);
    CHECK_THAT(r.out + r.err, !Catch::Contains(token));
    return r;
}

std::vector<std::string> with(std::vector<std::string> a, const std::vector<std::string>& more) {
    a.insert(a.end(), more.begin(), more.end());
    return a;
}

// `migrate revert` for the target, polling fast.
std::vector<std::string> revert(const PlanetScale& ps, const std::filesystem::path& dir,
                                std::vector<std::string> extra) {
    return with(with({"revert", "--yes", "--deploy-poll-ms", "50", "--deploy-timeout", "120"}, ps.target(dir)), extra);
}

// The same folder applied directly over TCP (no safe migrations): what the deploy requests must end at.
Snapshot direct_apply(const std::filesystem::path& dir, bool exact_tracking = true) {
    ScratchDatabase db("psb_direct");
    auto r = run_cli({"up", "--url", db.url(), "--dir", dir.string()}, {{"DATABASE_URL", ""}});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    return db.connect().snapshot(exact_tracking);
}

// A development branch made as a person makes it (through the API), with a password: its SQL API's URL.
std::string make_branch(const PlanetScale& ps, const std::string& name) {
    ps.api("POST", "/branches", {{"name", name}, {"parent_branch", "main"}});
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!ps.api("GET", "/branches/" + name)["ready"].get<bool>()) {
        REQUIRE(std::chrono::steady_clock::now() < deadline);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));  // polling the branch's state, bounded
    }
    const json pw = ps.api("POST", "/branches/" + name + "/passwords", {{"name", "dev"}, {"role", "admin"}});
    return "http://" + pw["username"].get<std::string>() + ":" + pw["plain_text"].get<std::string>() + "@" +
           pw["access_host_url"].get<std::string>() + "/" + ps.production.name();
}

// Applies the folder on a development branch directly (safe migrations are off there), as a developer does.
void apply_on_branch(const std::string& url, const std::filesystem::path& dir, std::vector<std::string> extra = {}) {
    auto r = run_cli(with({"up", "--url", url, "--dir", dir.string()}, extra), {{"DATABASE_URL", ""}});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
}

const std::pair<std::string, std::string> tables = {
    "0000_tables",
    "CREATE TABLE `policy` (`id` int PRIMARY KEY, `holder` varchar(64) NOT NULL, `premium` int NOT NULL);\n"
    "--> statement-breakpoint\n"
    "CREATE TABLE `status` (`code` varchar(16) PRIMARY KEY, `label` varchar(64) NOT NULL);"};
const std::pair<std::string, std::string> reference_rows = {
    "0001_reference_rows",
    "INSERT INTO `status` VALUES ('open', 'Open'), ('closed', 'Closed');\n"
    "--> statement-breakpoint\n"
    "INSERT INTO `policy` VALUES (1, 'ada', 100), (2, 'bob', 250);"};
const std::pair<std::string, std::string> add_status = {
    "0002_add_status",
    "ALTER TABLE `policy` ADD `status` varchar(16) DEFAULT 'open' NOT NULL;\n"
    "--> statement-breakpoint\n"
    "CREATE INDEX `policy_status_idx` ON `policy` (`status`);"};
// DML, then DDL, then DML in one migration: its deploy request carries statements 2 and 3 only.
const std::pair<std::string, std::string> add_status_with_backfills = {
    "0002_add_status",
    "UPDATE `policy` SET `premium` = `premium` + 1 WHERE `id` = 1;\n"
    "--> statement-breakpoint\n"
    "ALTER TABLE `policy` ADD `status` varchar(16) DEFAULT 'open' NOT NULL;\n"
    "--> statement-breakpoint\n"
    "CREATE INDEX `policy_status_idx` ON `policy` (`status`);\n"
    "--> statement-breakpoint\n"
    "UPDATE `policy` SET `status` = 'closed' WHERE `premium` > 200;"};

std::size_t count_from(const std::vector<json>& drs, const std::string& branch) {
    return static_cast<std::size_t>(
        std::count_if(drs.begin(), drs.end(), [&](const json& d) { return d["branch"] == branch; }));
}

}  // namespace

TEST_CASE("deploy requests from an existing branch: checked, opened, the branch kept and reused") {
    TempDir dir;
    const auto folder = dir.path() / "drizzle";
    write_folder(folder, {tables, reference_rows});
    PlanetScale ps("psb_existing");
    const std::string ci_test = make_branch(ps, "ci-test");

    SECTION("a branch holding exactly the pending migrations deploys, twice over its life") {
        apply_on_branch(ci_test, folder);
        const auto expected = direct_apply(folder);
        auto r = cli(with(ps.up(folder), {"--from-branch", "ci-test"}));
        INFO(r.out << r.err);
        REQUIRE(r.exit_code == 0);
        CHECK_THAT(r.out,
                   Catch::Contains("checking that branch ci-test holds main plus exactly the pending migrations"));
        CHECK(ps.production.connect().snapshot() == expected);
        CHECK(count_from(ps.deploy_requests(), "ci-test") == 1);
        CHECK(ps.api("GET", "/branches/ci-test")["name"] == "ci-test");  // kept: it is not the run's to delete

        // The next change, authored on the same branch: a second deploy request carries only it.
        write_folder(folder, {tables, reference_rows, add_status});
        apply_on_branch(ci_test, folder);
        const auto expected2 = direct_apply(folder);
        auto again = cli(with(ps.up(folder), {"--from-branch", "ci-test"}));
        INFO(again.out << again.err);
        REQUIRE(again.exit_code == 0);
        CHECK(ps.production.connect().snapshot() == expected2);
        const auto drs = ps.deploy_requests();
        CHECK(count_from(drs, "ci-test") == 2);
        for (const auto& d : drs) CHECK(d["deployment_state"] == "complete");
        // A rerun has nothing to do; a complete deploy request of the branch is not taken for new work.
        auto nothing = cli(with(ps.up(folder), {"--from-branch", "ci-test"}));
        CHECK(nothing.exit_code == 0);
        CHECK_THAT(nothing.out, Catch::Contains("nothing to do"));
        CHECK(ps.deploy_requests().size() == 2);
    }

    SECTION("a branch that differs otherwise is refused, naming the difference; nothing is opened or run") {
        // A hand-made table, through the branch's SQL API (a one-statement folder with a table of its own).
        auto branch_sql = [&](const std::string& sql) {
            TempDir hand;
            write_folder(hand.path() / "d", {{"0000_by_hand", sql}}, 5000000);
            auto h = run_cli({"up", "--url", ci_test, "--dir", (hand.path() / "d").string(), "--table", "hand_made",
                              "--allow-dirty"},
                             {{"DATABASE_URL", ""}});
            INFO(h.out << h.err);
            REQUIRE(h.exit_code == 0);
        };
        apply_on_branch(ci_test, folder);
        branch_sql("CREATE TABLE `scratch_notes` (`id` int PRIMARY KEY)");
        auto r = cli(with(ps.up(folder), {"--from-branch", "ci-test"}));
        INFO(r.out << r.err);
        CHECK(r.exit_code == 7);
        CHECK_THAT(r.err, Catch::Contains("branch ci-test does not hold exactly main plus the pending migrations") &&
                              Catch::Contains("scratch_notes (only on the branch)"));
        CHECK(ps.deploy_requests().empty());
        CHECK(ps.production.connect().tables().empty());
    }

    SECTION("a branch lacking a pending migration is refused, naming it") {
        apply_on_branch(ci_test, folder, {"--to", "0000_tables"});  // 0001 authored, not applied there
        auto r = cli(with(ps.up(folder), {"--from-branch", "ci-test"}));
        INFO(r.out << r.err);
        CHECK(r.exit_code == 7);
        CHECK_THAT(r.err, Catch::Contains("does not record the pending migrations 0001_reference_rows"));
        CHECK(ps.deploy_requests().empty());
        CHECK(ps.production.connect().tables().empty());
    }

    SECTION("a branch where nothing was applied is refused, naming the statements") {
        auto r = cli(with(ps.up(folder), {"--from-branch", "ci-test"}));
        INFO(r.out << r.err);
        CHECK(r.exit_code == 7);
        CHECK_THAT(r.err, Catch::Contains("it has no __drizzle_migrations table") &&
                              Catch::Contains("0000_tables.sql:1 (statement 1 of 0000_tables) is not in effect there"));
        CHECK(ps.deploy_requests().empty());
    }

    SECTION("work that needs two deploy requests cannot come from one branch") {
        write_folder(folder, {tables, reference_rows, add_status});
        apply_on_branch(ci_test, folder);
        auto plan = cli(with(with({"plan"}, ps.target(folder)), {"--from-branch", "ci-test"}));
        CHECK_THAT(plan.out, Catch::Contains("can carry only one"));
        auto r = cli(with(ps.up(folder), {"--from-branch", "ci-test"}));
        INFO(r.out << r.err);
        CHECK(r.exit_code == 7);
        CHECK_THAT(r.err,
                   Catch::Contains("need 2 deploy requests") && Catch::Contains("0000_tables.sql:3 comes DML, then"));
        CHECK(ps.deploy_requests().empty());
        CHECK(ps.production.connect().tables().empty());
    }

    SECTION("a missing branch is named") {
        auto r = cli(with(ps.up(folder), {"--from-branch", "feature-nope"}));
        CHECK(r.exit_code == 7);
        CHECK_THAT(r.err, Catch::Contains("branch feature-nope does not exist"));
    }
}

TEST_CASE("revert: the newest deploy request goes back, the tracking table agrees, up deploys it again") {
    TempDir dir;
    const auto folder = dir.path() / "drizzle";
    write_folder(folder, {tables, reference_rows, add_status_with_backfills});
    const auto expected = direct_apply(folder);
    const auto expected_rows = direct_apply(folder, false);
    PlanetScale ps("psb_revert", {"--revert-window-seconds", "600", "--idle-timeout", "8"});
    auto r = cli(ps.up(folder, {"--revert-window", "leave-open"}));
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(ps.production.connect().snapshot() == expected);
    CHECK_THAT(r.out, Catch::Contains("is deployed; its revert window stays open"));
    for (const auto& d : ps.deploy_requests()) CHECK(d["deployment_state"] == "complete_pending_revert");

    // The older request cannot go back from under the newer.
    auto older = cli(revert(ps, folder, {"1"}));
    INFO(older.out << older.err);
    CHECK(older.exit_code == 7);
    CHECK_THAT(older.err, Catch::Contains("deployed after #1"));

    // Killed while PlanetScale reverts: the rerun finishes the bookkeeping.
    {
        RunningProcess run(cli_argv(revert(ps, folder, {})), planetscale_token_env);
        const bool seen = run.wait_for_output("reverting deploy request #2");
        run.kill(SIGKILL);
        run.wait();
        REQUIRE(seen);
    }
    auto rv = cli(with(revert(ps, folder, {}), {"--json"}));
    INFO(rv.out << rv.err);
    REQUIRE(rv.exit_code == 0);
    const json doc = json::parse(rv.out);
    const json& t = doc["targets"][0];
    CHECK(t["deploy_request"] == 2);
    CHECK(t["unrecorded"] == json::array({"0002_add_status"}));
    CHECK(t["resumable"] == json::array({"0002_add_status"}));
    REQUIRE(t["run_again"].size() == 1);
    CHECK_THAT(t["run_again"][0].get<std::string>(), Catch::EndsWith("0002_add_status.sql:7"));
    CHECK(ps.api("GET", "/deploy-requests/2")["deployment_state"] == "complete_revert");
    // The schema is back, the row is gone; the first UPDATE (before the deploy request) stays done.
    auto prod = ps.production.connect();
    CHECK_THAT(prod.schema()["policy"], !Catch::Contains("status"));
    CHECK(prod.tracking_rows().size() == 2);
    CHECK(prod.scalar("SELECT premium FROM policy WHERE id = 1") == "101");
    auto status = cli(with({"status"}, ps.target(folder)));
    CHECK_THAT(status.out, Catch::Contains("0002_add_status"));

    // Done is done; and #1 cannot go back from under the recorded 0001.
    auto twice = cli(revert(ps, folder, {}));
    CHECK(twice.exit_code == 5);
    CHECK_THAT(twice.err, Catch::Contains("nothing left to do"));
    auto first = cli(revert(ps, folder, {"1"}));
    CHECK(first.exit_code == 7);
    CHECK_THAT(first.err, Catch::Contains("migration 0001_reference_rows was applied after deploy request #1"));

    // The next up deploys 0002 again (a new deploy request), without running its first UPDATE twice.
    auto again = cli(ps.up(folder, {"--revert-window", "skip"}));
    INFO(again.out << again.err);
    REQUIRE(again.exit_code == 0);
    // As a clean run ends, but for the tracking row's id (the revert deleted 0002's row; ids are not reused).
    CHECK(ps.production.connect().snapshot(false) == expected_rows);
    CHECK(ps.deploy_requests().size() == 3);

    // Once the window closed there is nothing PlanetScale can take back.
    auto closed = cli(revert(ps, folder, {}));
    CHECK(closed.exit_code == 5);
    CHECK_THAT(closed.err, Catch::Contains("its revert window has closed"));
}

TEST_CASE("tui: a keyspace's deploy requests with their per-table progress, live and after the run") {
    TempDir dir;
    const auto folder = dir.path() / "drizzle";
    write_folder(folder, {tables});
    PlanetScale ps("psb_tui", {"--deploy-step-ms", "300", "--revert-window-seconds", "600"});
    auto env = planetscale_token_env;
    Tmux tui(
        cli_argv(with(with({"tui"}, ps.target(folder)), {"--revert-window", "leave-open", "--deploy-poll-ms", "50"})),
        env, 100, 30);
    REQUIRE(tui.wait_for("pending"));
    tui.keys({"a"});
    REQUIRE(tui.wait_for("Apply pending migrations?"));
    tui.keys({"y"});
    // While it deploys: the request, its state and a line per table.
    REQUIRE(tui.wait_for("DR #1 "));
    REQUIRE(tui.wait_for("CREATE policy in_progress"));
    // After the run, the keyspace's open request (its revert window) from the status refresh.
    REQUIRE(tui.wait_for("applied 1 migration"));
    const bool shown = tui.wait_for("complete_pending_revert (revert window open)");
    INFO(tui.screen());
    REQUIRE(shown);
    tui.keys({"q"});
    CHECK(tui.wait_for_exit());
    CHECK(ps.production.connect().tracking_rows().size() == 1);
}
