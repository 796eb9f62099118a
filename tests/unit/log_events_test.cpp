// migrate/log.hpp without a server: levels, readiness, and the JSON record of each kind of event.
#include <migrate/log.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <memory>

using json = nlohmann::json;
using migrate::Event;
using migrate::LogLevel;
using migrate::Readiness;

namespace {

migrate::Migration two_statement_migration() {
    migrate::Migration m;
    m.tag = "0007_add_vin";
    m.file = "drizzle/0007_add_vin.sql";
    m.text = std::make_shared<const std::string>("ALTER TABLE a ADD vin int;\n--> statement-breakpoint\nDROP TABLE b;");
    m.statements = {{.sql = std::string_view(*m.text).substr(0, 26), .chunk = 0, .line = 1},
                    {.sql = std::string_view(*m.text).substr(57), .chunk = 1, .line = 3}};
    return m;
}

json record_of(const Event& e, LogLevel level = LogLevel::info) {
    return json::parse(migrate::to_json_line(
        {.time = {}, .level = level, .target = "oi_policies", .readiness = Readiness::migrating, .event = e}));
}

}  // namespace

TEST_CASE("log events: levels") {
    CHECK(migrate::level_of(Event{.kind = Event::Kind::statement_started}) == LogLevel::debug);
    CHECK(migrate::level_of(Event{.kind = Event::Kind::statement_finished}) == LogLevel::debug);
    CHECK(migrate::level_of(Event{.kind = Event::Kind::migration_finished}) == LogLevel::info);
    CHECK(migrate::level_of(Event{.kind = Event::Kind::statement_skipped}) == LogLevel::info);
    CHECK(migrate::level_of(Event{.kind = Event::Kind::lock_waiting}) == LogLevel::warning);
    CHECK(migrate::level_of(Event{.kind = Event::Kind::statement_lock_waiting}) == LogLevel::warning);
    CHECK(migrate::level_of(Event{.kind = Event::Kind::run_failed}) == LogLevel::error);
    CHECK(migrate::to_string(Event::Kind::run_failed) == "run_failed");
    CHECK(migrate::to_string(Event::Kind::lock_waiting) == "lock_waiting");
}

TEST_CASE("log events: readiness follows the run") {
    migrate::ReadinessTracker t;
    CHECK(t.state() == Readiness::starting);
    t.observe({.kind = Event::Kind::lock_waiting});
    CHECK(t.state() == Readiness::waiting_for_lock);
    t.observe({.kind = Event::Kind::lock_acquired});
    CHECK(t.state() == Readiness::migrating);
    t.observe({.kind = Event::Kind::statement_lock_waiting});
    CHECK(t.state() == Readiness::waiting_for_lock);
    t.observe({.kind = Event::Kind::statement_finished});
    CHECK(t.state() == Readiness::migrating);
    CHECK_FALSE(t.ready());
    t.observe({.kind = Event::Kind::run_finished});
    CHECK(t.ready());
    t.observe({.kind = Event::Kind::run_failed});
    CHECK(t.state() == Readiness::failed);
    CHECK(migrate::to_string(Readiness::waiting_for_lock) == "waiting_for_lock");
}

TEST_CASE("log events: the sink gets the chosen levels with the readiness they lead to") {
    std::vector<std::pair<LogLevel, Readiness>> got;
    int all = 0;
    auto cb = migrate::log_events([&](const migrate::LogRecord& r) { got.emplace_back(r.level, r.readiness); }, "t",
                                  LogLevel::warning, [&](const Event&) { ++all; });
    cb({.kind = Event::Kind::lock_acquired});
    cb({.kind = Event::Kind::statement_lock_waiting});
    cb({.kind = Event::Kind::statement_finished});
    cb({.kind = Event::Kind::run_failed});
    CHECK(all == 4);
    REQUIRE(got.size() == 2);
    CHECK(got[0] == std::pair{LogLevel::warning, Readiness::waiting_for_lock});
    CHECK(got[1] == std::pair{LogLevel::error, Readiness::failed});
}

TEST_CASE("log events: JSON records") {
    const auto m = two_statement_migration();
    SECTION("a statement: migration, file, line, statement index, duration") {
        auto j = record_of({.kind = Event::Kind::statement_finished,
                            .migration = &m,
                            .migration_number = 2,
                            .migrations_total = 5,
                            .statement_index = 1,
                            .statements_total = 2,
                            .duration = std::chrono::milliseconds(1500)},
                           LogLevel::debug);
        CHECK(j["time"] == "1970-01-01T00:00:00.000Z");
        CHECK(j["level"] == "debug");
        CHECK(j["event"] == "statement_finished");
        CHECK(j["target"] == "oi_policies");
        CHECK(j["readiness"] == "migrating");
        CHECK(j["migration"] == "0007_add_vin");
        CHECK(j["file"] == "drizzle/0007_add_vin.sql");
        CHECK(j["statement"] == 1);
        CHECK(j["statements_total"] == 2);
        CHECK(j["line"] == 3);
        CHECK(j["migration_number"] == 2);
        CHECK(j["migrations_total"] == 5);
        CHECK(j["duration_ms"] == 1500);
        CHECK_FALSE(j.contains("waited_ms"));
        CHECK_FALSE(j.contains("error"));
    }
    SECTION("a wait: holder and time waited") {
        auto j = record_of({.kind = Event::Kind::lock_waiting,
                            .duration = std::chrono::seconds(4),
                            .detail = "connection 42 (app@10.0.0.7)",
                            .holder = "connection 42 (app@10.0.0.7)"});
        CHECK(j["waited_ms"] == 4000);
        CHECK(j["holder"] == "connection 42 (app@10.0.0.7)");
        CHECK_FALSE(j.contains("duration_ms"));
        CHECK_FALSE(j.contains("migration"));
    }
    SECTION("a deploy request: number, branch, phase, state, operations") {
        migrate::DeployRequestProgress d;
        d.branch = "libmigrate-oi-policies-1";
        d.number = 17;
        d.phase = "deploying";
        d.deployment_state = "in_progress";
        d.html_url = "https://app.planetscale.com/acme/oi/deploy-requests/17";
        d.operations.push_back({.table = "policies",
                                .state = "in_progress",
                                .operation = "ALTER",
                                .progress_percent = 40,
                                .eta_seconds = 90});
        auto j = record_of({.kind = Event::Kind::deploy_request, .detail = "deploying", .deploy_request = &d});
        CHECK(j["deploy_request"]["number"] == 17);
        CHECK(j["deploy_request"]["state"] == "in_progress");
        CHECK(j["deploy_request"]["branch"] == "libmigrate-oi-policies-1");
        CHECK(j["deploy_request"]["operations"][0]["table"] == "policies");
        CHECK(j["deploy_request"]["operations"][0]["progress_percent"] == 40);
    }
    SECTION("a failure: code, errno, SQLSTATE, remedy; the URL's password never") {
        const migrate::error e(migrate::errc::server_error, "mysql://app:hunter2@db:3306/oi: Table 'a' already exists",
                               {.file = "drizzle/0007_add_vin.sql",
                                .line = 3,
                                .statement = 1,
                                .tag = "0007_add_vin",
                                .server_errno = 1050,
                                .sqlstate = "42S01",
                                .fix = migrate::remedy::resolve_applied});
        const std::string line =
            migrate::to_json_line({.time = {},
                                   .level = LogLevel::error,
                                   .target = "oi",
                                   .readiness = Readiness::failed,
                                   .event = Event{.kind = Event::Kind::run_failed, .failure = &e}});
        CHECK(line.find('\n') == std::string::npos);
        CHECK(line.find("hunter2") == std::string::npos);
        auto j = json::parse(line);
        CHECK(j["error"]["code"] == "server_error");
        CHECK(j["error"]["errno"] == 1050);
        CHECK(j["error"]["sqlstate"] == "42S01");
        CHECK(j["error"]["line"] == 3);
        CHECK(j["error"]["statement"] == 1);
        CHECK(j["error"]["remedy"] == "resolve_applied");
    }
}
