// Structured logs: `migrate up --log-format json` writes one JSON object per event on stderr (and nothing else
// there), with the fields docs/embedding.md lists; run_at_startup's events drive a ReadinessTracker. Real
// server, real waits (a held migration lock, a held table), bounded by short timeouts.
#include "fixtures.hpp"
#include "process.hpp"
#include "temp_dir.hpp"
#include "test_server.hpp"

#include <migrate/migrate.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <regex>
#include <sstream>

using namespace testing;
using json = nlohmann::json;

namespace {

// Every line of stderr must be one JSON object: a collector reading it never meets a stray text line.
std::vector<json> log_lines(const ProcessResult& r) {
    std::vector<json> lines;
    std::istringstream in(r.err);
    for (std::string line; std::getline(in, line);) {
        INFO("stderr line: " << line);
        REQUIRE_NOTHROW(lines.push_back(json::parse(line)));
        REQUIRE(lines.back().is_object());
    }
    return lines;
}

std::vector<json> of_event(const std::vector<json>& lines, const std::string& event) {
    std::vector<json> found;
    for (const auto& l : lines)
        if (l["event"] == event) found.push_back(l);
    return found;
}

ProcessResult up(const ScratchDatabase& db, const std::filesystem::path& dir, std::vector<std::string> extra) {
    std::vector<std::string> args{"up", "--url", db.url(), "--dir", dir.string(), "--log-format", "json"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto r = run_cli(args, {{"DATABASE_URL", ""}});
    INFO("stdout: " << r.out << "\nstderr: " << r.err);
    return r;
}

const std::string create_a = "CREATE TABLE `a` (`id` int);";
const std::string create_b = "CREATE TABLE `b` (`id` int);";

}  // namespace

TEST_CASE("log lines: a run as JSON events with levels and fields") {
    ScratchDatabase db("log_run");
    TempDir tmp;
    write_folder(tmp.path(), {{"0000_a", create_a + "\n--> statement-breakpoint\n" + create_b}, {"0001_c", create_a}});

    SECTION("info: the run and each migration; the failure with errno and SQLSTATE") {
        auto r = up(db, tmp.path(), {});
        CHECK(r.exit_code == 1);  // 0001_c creates `a` again
        const auto lines = log_lines(r);
        REQUIRE(lines.size() >= 5);
        const std::regex rfc3339(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)");
        for (const auto& l : lines) {
            CHECK(std::regex_match(l["time"].get<std::string>(), rfc3339));
            CHECK(l["target"] == db.name());
            CHECK(l["level"] != "debug");  // --log-level defaults to info
        }
        CHECK(lines.front()["event"] == "lock_acquired");
        CHECK(lines.front()["readiness"] == "migrating");
        const auto started = of_event(lines, "run_started");
        REQUIRE(started.size() == 1);
        CHECK(started[0]["migrations_total"] == 2);
        const auto finished = of_event(lines, "migration_finished");
        REQUIRE(finished.size() == 1);
        CHECK(finished[0]["migration"] == "0000_a");
        CHECK(finished[0]["statements_total"] == 2);
        CHECK(finished[0]["migration_number"] == 1);
        CHECK(finished[0]["duration_ms"].is_number_integer());
        const auto& failed = lines.back();
        CHECK(failed["event"] == "run_failed");
        CHECK(failed["level"] == "error");
        CHECK(failed["readiness"] == "failed");
        CHECK(failed["error"]["code"] == "server_error");
        CHECK(failed["error"]["errno"] == 1050);
        CHECK(failed["error"]["sqlstate"] == "42S01");
        CHECK(failed["error"]["tag"] == "0001_c");
        CHECK(failed["error"]["line"] == 1);
        CHECK(of_event(lines, "run_failed").size() == 1);
        CHECK(r.out.find('{') == std::string::npos);  // results stay on stdout, as text
    }
    SECTION("debug adds each statement with its file and line; a later no-op is done") {
        TempDir one;
        write_folder(one.path(), {{"0000_a", create_a + "\n--> statement-breakpoint\n" + create_b}});
        auto r = up(db, one.path(), {"--log-level", "debug"});
        REQUIRE(r.exit_code == 0);
        const auto lines = log_lines(r);
        const auto statements = of_event(lines, "statement_finished");
        REQUIRE(statements.size() == 2);
        CHECK(statements[1]["statement"] == 1);  // 0-based, as the error object's
        CHECK(statements[1]["statements_total"] == 2);
        CHECK(statements[1]["line"] == 3);
        CHECK(statements[1]["level"] == "debug");
        CHECK(statements[1]["file"].get<std::string>().find("0000_a.sql") != std::string::npos);
        CHECK(lines.back()["event"] == "run_finished");
        CHECK(lines.back()["readiness"] == "done");
        CHECK_THAT(r.out, Catch::Contains("applied 1 migration"));

        auto noop = up(db, one.path(), {});
        REQUIRE(noop.exit_code == 0);
        const auto quiet = log_lines(noop);
        REQUIRE(quiet.size() == 1);  // nothing pending: no lock taken, the run simply ends
        CHECK(quiet[0]["event"] == "run_finished");
        CHECK(quiet[0]["readiness"] == "done");
    }
    SECTION("a failure before the run (no such folder) is a run_failed line too") {
        auto r = up(db, tmp.path() / "missing", {});
        CHECK(r.exit_code != 0);
        const auto lines = log_lines(r);
        REQUIRE(lines.size() == 1);
        CHECK(lines[0]["event"] == "run_failed");
        CHECK(lines[0]["error"]["code"] == "journal_missing");
    }
}

TEST_CASE("log lines: waits name the holder and how long") {
    ScratchDatabase db("log_wait");
    TempDir tmp;
    write_folder(tmp.path(), {{"0000_a", create_a}});
    Sql holder;
    const std::string id = holder.scalar("select connection_id()");
    SECTION("the migration lock") {
        REQUIRE(holder.scalar("select get_lock('libmigrate:" + db.name() + ".__drizzle_migrations', 0)") == "1");
        auto r = up(db, tmp.path(), {"--lock-timeout", "3"});
        CHECK(r.exit_code == 6);
        const auto lines = log_lines(r);
        const auto waits = of_event(lines, "lock_waiting");
        REQUIRE_FALSE(waits.empty());
        CHECK(waits[0]["level"] == "warning");
        CHECK(waits[0]["readiness"] == "waiting_for_lock");
        CHECK_THAT(waits[0]["holder"].get<std::string>(), Catch::Contains("connection " + id));
        CHECK(waits[0]["waited_ms"].get<long long>() >= 1000);
        CHECK(lines.back()["event"] == "run_failed");
        CHECK(lines.back()["error"]["code"] == "lock_timeout");
    }
    SECTION("a table another session holds") {
        write_folder(tmp.path(), {{"0000_a", create_a}, {"0001_note", "ALTER TABLE `a` ADD `note` int;"}});
        REQUIRE(up(db, tmp.path(), {"--to", "0000_a"}).exit_code == 0);
        Sql table_holder(db.name());
        const std::string holder_id = table_holder.scalar("select connection_id()");
        table_holder.exec("begin");
        table_holder.exec("select * from a");
        auto r = up(db, tmp.path(), {"--statement-lock-wait", "1", "--statement-lock-budget", "3"});
        CHECK(r.exit_code == 6);
        const auto lines = log_lines(r);
        const auto waits = of_event(lines, "statement_lock_waiting");
        REQUIRE_FALSE(waits.empty());
        CHECK(waits[0]["migration"] == "0001_note");
        CHECK(waits[0]["statement"] == 0);
        CHECK_THAT(waits[0]["holder"].get<std::string>(), Catch::Contains("connection " + holder_id));
        CHECK(lines.back()["error"]["code"] == "statement_blocked");
        CHECK(lines.back()["error"]["errno"] == 1205);
        table_holder.exec("rollback");
    }
}

TEST_CASE("readiness: run_at_startup's events drive a ReadinessTracker") {
    ScratchDatabase db("log_ready");
    TempDir tmp;
    write_folder(tmp.path(), {{"0000_a", create_a}});
    migrate::StartupOptions options;
    options.target.url = db.url();
    options.target.migrations_dir = tmp.path();
    migrate::ReadinessTracker readiness;
    std::vector<migrate::Readiness> seen;
    std::vector<std::string> json_lines;
    options.on_event = migrate::log_events([&](const migrate::LogRecord& r) { json_lines.push_back(to_json_line(r)); },
                                           "app", migrate::LogLevel::debug,
                                           [&](const migrate::Event& e) {
                                               readiness.observe(e);
                                               seen.push_back(readiness.state());
                                           });
    CHECK(readiness.state() == migrate::Readiness::starting);
    auto report = migrate::run_at_startup(options);
    REQUIRE(report.ok);
    CHECK(readiness.ready());
    REQUIRE_FALSE(seen.empty());
    CHECK(seen.front() == migrate::Readiness::migrating);
    CHECK(seen.back() == migrate::Readiness::done);
    CHECK(json_lines.size() == seen.size());  // debug: every event
    CHECK(json::parse(json_lines.back())["target"] == "app");

    // A folder that cannot be read fails before Target::up: the tracker still learns it.
    migrate::ReadinessTracker broken;
    options.target.migrations_dir = tmp.path() / "missing";
    options.on_event = [&](const migrate::Event& e) { broken.observe(e); };
    CHECK_FALSE(migrate::run_at_startup(options).ok);
    CHECK(broken.state() == migrate::Readiness::failed);
}
