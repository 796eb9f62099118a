// PlanetScale's production path: a production branch with safe migrations takes DDL only through deploy
// requests. `migrate up` against psdb-gateway (the project's local PlanetScale: SQL API, branches,
// passwords, deploy requests with their states, the deploy queue, faults) must end exactly where a direct
// apply on MariaDB ends, open one deploy request per batch of DDL whatever happens to the run, report
// every refusal and human action with a documented exit code, and never show the service token.
#include "fixtures.hpp"
#include "planetscale_fixture.hpp"
#include "process.hpp"
#include "temp_dir.hpp"
#include "test_server.hpp"

#include <migrate.h>
#include <migrate/startup.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <memory>
#include <thread>

using namespace testing;
using nlohmann::json;

namespace {

ProcessResult up(const PlanetScale& ps, const std::filesystem::path& dir, std::vector<std::string> extra = {}) {
    auto r = run_cli(ps.up(dir, std::move(extra)), planetscale_token_env);
    CHECK_THAT(r.out + r.err, !Catch::Contains(token));
    return r;
}

// The same folder applied directly over TCP (no safe migrations): what the deploy requests must end at.
Snapshot direct_apply(const std::filesystem::path& dir) {
    ScratchDatabase db("ps_direct");
    auto r = run_cli({"up", "--url", db.url(), "--dir", dir.string()}, {{"DATABASE_URL", ""}});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    return db.connect().snapshot();
}

// DDL, then DML that needs it (reference rows and a backfill), then DDL again: two deploy requests with the
// DML run directly between them.
void write_mixed_folder(const std::filesystem::path& dir) {
    write_folder(
        dir, {{"0000_tables",
               "CREATE TABLE `policy` (`id` int PRIMARY KEY, `holder` varchar(64) NOT NULL, `premium` int NOT NULL);\n"
               "--> statement-breakpoint\n"
               "CREATE TABLE `status` (`code` varchar(16) PRIMARY KEY, `label` varchar(64) NOT NULL);"},
              {"0001_reference_rows",
               "INSERT INTO `status` VALUES ('open', 'Open'), ('closed', 'Closed');\n"
               "--> statement-breakpoint\n"
               "INSERT INTO `policy` VALUES (1, 'ada', 100), (2, 'bob', 250);"},
              {"0002_add_status",
               "ALTER TABLE `policy` ADD `status` varchar(16) DEFAULT 'open' NOT NULL;\n"
               "--> statement-breakpoint\n"
               "CREATE INDEX `policy_status_idx` ON `policy` (`status`);\n"
               "--> statement-breakpoint\n"
               "UPDATE `policy` SET `status` = 'closed' WHERE `premium` > 200;"}});
}

}  // namespace

TEST_CASE("deploy requests: a mixed folder ends like a direct apply") {
    TempDir dir;
    write_mixed_folder(dir.path() / "drizzle");
    const auto expected = direct_apply(dir.path() / "drizzle");
    PlanetScale ps("ps_mixed");
    auto r = up(ps, dir.path() / "drizzle");
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(ps.production.connect().snapshot() == expected);
    // Batches: [0000 both, 0002 ALTER + INDEX]; the INSERTs and the UPDATE run directly.
    const auto drs = ps.deploy_requests();
    CHECK(drs.size() == 2);
    for (const auto& d : drs) CHECK(d["deployment_state"] == "complete");
    CHECK_THAT(r.out, Catch::Contains("deploy request #1") && Catch::Contains("deploy request #2"));
    // Nothing left behind: the development branches went with their deploy requests.
    const json branches = ps.api("GET", "/branches");
    for (const auto& b : branches["data"]) CHECK(b["production"] == true);
    // A second run has nothing to do and opens nothing.
    auto again = up(ps, dir.path() / "drizzle");
    CHECK(again.exit_code == 0);
    CHECK_THAT(again.out, Catch::Contains("nothing to do"));
    CHECK(ps.deploy_requests().size() == 2);
}

TEST_CASE("deploy requests: OpenInsure keyspaces end like a direct apply") {
    for (const std::string name : {"oi_claims", "oi_billing"}) {
        const auto expected = direct_apply(corpus_folder(name));
        PlanetScale ps("ps_" + name);
        auto r = up(ps, corpus_folder(name));
        INFO(name << "\n" << r.out << r.err);
        REQUIRE(r.exit_code == 0);
        CHECK(ps.production.connect().snapshot() == expected);
        for (const auto& d : ps.deploy_requests()) CHECK(d["deployment_state"] == "complete");
    }
}

TEST_CASE("deploy requests: SIGKILL at every phase, the rerun opens no second deploy request") {
    TempDir dir;
    write_mixed_folder(dir.path() / "drizzle");
    const auto expected = direct_apply(dir.path() / "drizzle");
    // Lines the run prints as it goes; the kill lands right after each.
    const std::vector<std::string> phases = {"creating development branch",
                                             "creating a password",
                                             "applying 2 statements",
                                             "opening a deploy request",
                                             ": ready",
                                             ": in_progress",
                                             "is complete"};
    for (const auto& phase : phases) {
        // PlanetScale reaps an abandoned session (and the lock it holds) after some 20 s; the gateway here
        // after 8 s, so that each rerun's wait for the killed run's lock stays short.
        PlanetScale ps("ps_kill", {"--deploy-step-ms", "200", "--idle-timeout", "8"});
        {
            RunningProcess run(cli_argv(ps.up(dir.path() / "drizzle")), planetscale_token_env);
            const bool seen = run.wait_for_output(phase);
            run.kill(SIGKILL);
            auto killed = run.wait();
            INFO(phase << "\n" << killed.out << killed.err);
            REQUIRE(seen);
        }
        auto r = up(ps, dir.path() / "drizzle");
        INFO(phase << "\n" << r.out << r.err);
        CHECK(r.exit_code == 0);
        CHECK(ps.production.connect().snapshot() == expected);
        CHECK(ps.deploy_requests().size() == 2);
    }
}

TEST_CASE("deploy requests: 8 replicas at once open one deploy request per batch") {
    TempDir dir;
    write_mixed_folder(dir.path() / "drizzle");
    const auto expected = direct_apply(dir.path() / "drizzle");
    PlanetScale ps("ps_replicas");
    std::vector<std::unique_ptr<RunningProcess>> replicas;
    for (int i = 0; i < 8; ++i)
        replicas.push_back(
            std::make_unique<RunningProcess>(cli_argv(ps.up(dir.path() / "drizzle")), planetscale_token_env));
    for (auto& p : replicas) {
        auto r = p->wait();
        INFO(r.out << r.err);
        CHECK(r.exit_code == 0);
        CHECK_THAT(r.out + r.err, !Catch::Contains(token));
    }
    CHECK(ps.production.connect().snapshot() == expected);
    CHECK(ps.deploy_requests().size() == 2);
}

TEST_CASE("deploy requests: lint errors are reported verbatim, nothing reaches production") {
    TempDir dir;
    write_folder(dir.path() / "drizzle", {{"0000_keyless", "CREATE TABLE `events` (`at` int NOT NULL, `what` text);"}});
    PlanetScale ps("ps_lint");
    auto r = up(ps, dir.path() / "drizzle");
    INFO(r.out << r.err);
    CHECK(r.exit_code == 7);
    CHECK_THAT(r.err, Catch::Contains("deploy_request_failed") && Catch::Contains("NO_UNIQUE_KEY") &&
                          Catch::Contains("has no unique key"));
    CHECK(ps.production.connect().tables().empty());
    // The rerun reports the same deploy request; it does not open another.
    auto again = up(ps, dir.path() / "drizzle");
    CHECK(again.exit_code == 7);
    CHECK(ps.deploy_requests().size() == 1);
}

TEST_CASE("deploy requests: a gated cut-over waits for a person, a cancel is reported, a deleted branch starts over") {
    TempDir dir;
    write_mixed_folder(dir.path() / "drizzle");
    const auto expected = direct_apply(dir.path() / "drizzle");
    PlanetScale ps("ps_gated");
    // Nobody applies the cut-over: the run stops at its timeout (exit 6) and says so.
    auto waiting = up(ps, dir.path() / "drizzle", {"--cutover", "wait", "--deploy-timeout", "3"});
    INFO(waiting.out << waiting.err);
    CHECK(waiting.exit_code == 6);
    CHECK_THAT(waiting.out, Catch::Contains("waiting for a person to apply the cut-over"));
    CHECK_THAT(waiting.err, Catch::Contains("deploy_request_waiting") && Catch::Contains("pending_cutover"));
    // A person cancels it instead: reported, not fought.
    ps.api("POST", "/deploy-requests/1/cancel");
    auto cancelled = up(ps, dir.path() / "drizzle");
    CHECK(cancelled.exit_code == 7);
    CHECK_THAT(cancelled.err, Catch::Contains("deploy request #1") && Catch::Contains("ended without deploying"));
    CHECK(ps.deploy_requests().size() == 1);
    // Deleting the branch is how a person says "start over".
    const std::string branch = ps.deploy_requests()[0]["branch"];
    ps.api("DELETE", "/branches/" + branch);
    auto again = up(ps, dir.path() / "drizzle");
    INFO(again.out << again.err);
    CHECK(again.exit_code == 0);
    CHECK(ps.production.connect().snapshot() == expected);
}

TEST_CASE("deploy requests: a failed deployment and API outages are reported, the rerun completes") {
    TempDir dir;
    write_mixed_folder(dir.path() / "drizzle");
    const auto expected = direct_apply(dir.path() / "drizzle");
    PlanetScale ps("ps_faults");
    // Transient answers are retried: reads through 503 "retry".
    ps.api("POST", "/_gateway/faults",
           {{"kind", "http"},
            {"path_contains", "/deploy-requests"},
            {"method", "GET"},
            {"status", 503},
            {"code", "retry"},
            {"message", "try again"},
            {"times", 2}});
    // A proxy's HTML page where JSON was expected is reported, not parsed.
    ps.api("POST", "/_gateway/faults",
           {{"kind", "http"},
            {"path_contains", "/branches"},
            {"method", "POST"},
            {"status", 502},
            {"raw_body", "<html><body>Bad Gateway</body></html>"},
            {"times", 1}});
    auto outage = up(ps, dir.path() / "drizzle");
    INFO(outage.out << outage.err);
    CHECK(outage.exit_code == 4);
    CHECK_THAT(outage.err,
               Catch::Contains("platform_api") && Catch::Contains("HTTP 502") && Catch::Contains("Bad Gateway"));
    // The first deployment fails on PlanetScale's side.
    ps.api("POST", "/_gateway/faults",
           {{"kind", "deployment"}, {"number", 1}, {"at", "in_progress"}, {"state", "error"}});
    auto failed = up(ps, dir.path() / "drizzle");
    INFO(failed.out << failed.err);
    CHECK(failed.exit_code == 7);
    CHECK_THAT(failed.err, Catch::Contains("its deployment failed"));
    ps.api("DELETE", "/_gateway/faults");
    const std::string branch = ps.deploy_requests()[0]["branch"];
    ps.api("DELETE", "/branches/" + branch);
    auto r = up(ps, dir.path() / "drizzle");
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK(ps.production.connect().snapshot() == expected);
}

TEST_CASE("deploy requests: a service that may not wait is refused before anything runs, the C API deploys") {
    TempDir dir;
    write_mixed_folder(dir.path() / "drizzle");
    const auto expected = direct_apply(dir.path() / "drizzle");
    PlanetScale ps("ps_embedded", {"--revert-window-seconds", "600"});
    migrate::DeployRequestOptions deploy;
    deploy.api = {.url = ps.gateway.base_url() + "/v1",
                  .organization = "acme",
                  .database = "app",
                  .production_branch = "main",
                  .service_token_id = token_id,
                  .service_token = token};
    deploy.poll_every = std::chrono::milliseconds(50);
    {
        migrate::StartupOptions options;
        options.target = {.url = ps.gateway.url(ps.production.name()),
                          .migrations_dir = dir.path() / "drizzle",
                          .deploy_requests = deploy};
        options.up.wait_for_deploy_requests = false;
        const auto report = migrate::run_at_startup(options);
        CHECK_FALSE(report.ok);
        REQUIRE(report.error_code);
        CHECK(*report.error_code == migrate::errc::deploy_request_waiting);
        CHECK(ps.production.connect().tables().empty());
        CHECK(ps.deploy_requests().empty());
    }
    // The C API, options as JSON (what FFI callers use), with every deploy-request event delivered.
    const std::string options = json{
        {"url", ps.gateway.url(ps.production.name())},
        {"migrations_dir", (dir.path() / "drizzle").string()},
        {"planetscale",
         {{"organization", "acme"},
          {"database", "app"},
          {"api_url", ps.gateway.base_url() + "/v1"},
          {"service_token_id", token_id},
          {"service_token", token},
          {"revert_window",
           "leave-open"}}}}.dump();
    migrate_error* err = nullptr;
    migrate_target* target = migrate_target_open_json(options.c_str(), &err);
    INFO((err ? migrate_error_message(err) : ""));
    REQUIRE(target);
    int deploy_events = 0;
    auto on_event = [](const migrate_event* ev, void* user) {
        if (ev->kind == MIGRATE_EVENT_DEPLOY_REQUEST) ++*static_cast<int*>(user);
    };
    const int rc = migrate_target_up_json(target, "{}", on_event, &deploy_events, nullptr, &err);
    INFO((err ? migrate_error_message(err) : ""));
    CHECK(rc == 0);
    migrate_error_free(err);
    migrate_target_free(target);
    CHECK(deploy_events > 10);
    CHECK(ps.production.connect().snapshot() == expected);
    // Recorded with their revert windows left open, as asked.
    const auto drs = ps.deploy_requests();
    CHECK(drs.size() == 2);
    for (const auto& d : drs) CHECK(d["deployment_state"] == "complete_pending_revert");
}
