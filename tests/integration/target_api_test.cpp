// The C++ API end to end on the real server.
#include <migrate/migrate.hpp>

#include "fixtures.hpp"
#include "temp_dir.hpp"
#include "test_server.hpp"

#include <catch2/catch.hpp>

using namespace testing;
using migrate::Event;
using migrate::MigrationState;

namespace {

migrate::error up_error(migrate::Target& t) {
    try {
        t.up();
    } catch (const migrate::error& e) {
        return e;
    }
    FAIL("up() succeeded");
    throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("up applies a keyspace folder, records drizzle's rows, and is a no-op the second time") {
    ScratchDatabase db("api_up");
    const auto folder = corpus_folder("oi_policies");
    auto target = migrate::Target::open({.url = db.url(), .migrations_dir = folder, .use_baseline = false});

    auto before = target.status();
    CHECK_FALSE(before.plan.table_exists);
    CHECK(before.plan.count(MigrationState::pending) == 34);
    CHECK(before.transport == migrate::Transport::tcp);
    CHECK(db.connect().tables().empty());  // status created nothing

    std::vector<Event::Kind> kinds;
    std::size_t statements_started = 0, statements_finished = 0;
    auto report = target.up([&](const Event& e) {
        if (e.kind == Event::Kind::statement_started)
            ++statements_started;
        else if (e.kind == Event::Kind::statement_finished)
            ++statements_finished;
        else
            kinds.push_back(e.kind);
    });
    CHECK(report.migrations_applied == 34);
    CHECK(report.statements_run == statements_finished);
    CHECK(statements_started == statements_finished);
    REQUIRE(kinds.size() == 3 + 2 * 34);
    CHECK(kinds[0] == Event::Kind::lock_acquired);
    CHECK(kinds[1] == Event::Kind::run_started);
    CHECK(kinds[2] == Event::Kind::migration_started);
    CHECK(kinds[3] == Event::Kind::migration_finished);
    CHECK(kinds.back() == Event::Kind::run_finished);

    auto sql = db.connect();
    auto rows = sql.tracking_rows();
    REQUIRE(rows.size() == 34);
    const auto& source = target.source();
    for (std::size_t i = 0; i < rows.size(); ++i) {
        CHECK(*rows[i][0] == source.migrations[i].hash);
        CHECK(*rows[i][1] == std::to_string(source.migrations[i].when));
    }
    CHECK(sql.tables().size() == 29 + 1 + 2);  // schema + one reference table + tracking and progress tables

    auto again = target.up();
    CHECK(again.migrations_applied == 0);
    CHECK(sql.tracking_rows().size() == 34);
    auto after = target.status();
    CHECK(after.plan.count(MigrationState::applied) == 34);
    CHECK(after.plan.rows_without_file.empty());
}

TEST_CASE("up on an empty database loads the folder's baseline and records every covered migration") {
    ScratchDatabase db("api_base"), replay("api_replay");
    const auto folder = corpus_folder("oi_policies");
    auto target = migrate::Target::open({.url = db.url(), .migrations_dir = folder});
    REQUIRE(target.baseline() != nullptr);
    CHECK(target.baseline()->usable());
    CHECK(target.baseline()->covered.size() == 34);
    auto before = target.status();
    CHECK(before.plan.from_baseline);
    CHECK(before.plan.to_apply(false).empty());  // all 34 come with the baseline

    std::vector<std::string> started;
    auto report = target.up([&](const Event& e) {
        if (e.kind == Event::Kind::migration_started) started.push_back(e.migration->tag + " " + e.detail);
    });
    CHECK(started == std::vector<std::string>{"baseline through 0033_noisy_the_executioner (34 migrations)"});
    CHECK(report.baseline_covered == 34);
    CHECK(report.migrations_applied == 0);
    CHECK(report.statements_run == target.baseline()->snapshot.statements.size());

    REQUIRE(migrate::Target::open({.url = replay.url(), .migrations_dir = folder, .use_baseline = false})
                .up()
                .migrations_applied == 34);
    CHECK(db.connect().snapshot() == replay.connect().snapshot());
    CHECK_FALSE(target.status().plan.from_baseline);
}

TEST_CASE("a failing statement stops the run and says where, leaving earlier migrations recorded") {
    ScratchDatabase db("api_fail");
    TempDir tmp;
    write_folder(tmp.path(),
                 {
                     {"0000_a", "CREATE TABLE `a` (`id` int);"},
                     {"0001_b",
                      "CREATE TABLE `b` (`id` int);\n--> statement-breakpoint\n"
                      "INSERT INTO `missing` VALUES (1);\n--> statement-breakpoint\nCREATE TABLE `c` (`id` int);"},
                     {"0002_c", "CREATE TABLE `d` (`id` int);"},
                 });
    auto target = migrate::Target::open({.url = db.url(), .migrations_dir = tmp.path()});
    auto e = up_error(target);
    CHECK(e.code() == migrate::errc::server_error);
    CHECK(e.server_errno() == 1146);
    CHECK(e.sqlstate() == "42S02");
    CHECK_FALSE(e.completion_unknown());
    const auto& c = e.context();
    CHECK(c.tag == "0001_b");
    CHECK(c.statement == 1u);
    CHECK(c.statements == 3u);
    CHECK(c.line == 3u);
    CHECK_THAT(c.file, Catch::EndsWith("0001_b.sql"));
    CHECK_THAT(std::string(e.what()), Catch::Contains("0001_b.sql:3: statement 2 of 3"));

    auto sql = db.connect();
    CHECK(sql.tables() == std::vector<std::string>{"__drizzle_migrations", "__drizzle_migrations_progress", "a", "b"});
    REQUIRE(sql.tracking_rows().size() == 1);
    CHECK(*sql.tracking_rows()[0][1] == "1000");

    auto status = target.status();
    auto partial = status.plan.partial();
    REQUIRE(partial.size() == 1);
    CHECK(partial[0]->migration->tag == "0001_b");
    CHECK(partial[0]->progress->statements_done == 1);
    CHECK(partial[0]->progress->failed_statement == 1u);
    CHECK(partial[0]->progress->error_errno == 1146);
}

TEST_CASE("a DML statement and its progress commit together: a failure keeps earlier statements, never repeats them") {
    ScratchDatabase db("api_dml");
    TempDir tmp;
    auto folder = [&](const std::string& third) {
        write_folder(tmp.path(),
                     {
                         {"0000_a", "CREATE TABLE `a` (`id` int primary key);"},
                         {"0001_seed",
                          "INSERT INTO `a` VALUES (1);\n--> statement-breakpoint\nINSERT INTO `a` VALUES (2);\n"
                          "--> statement-breakpoint\n" +
                              third},
                     });
    };
    folder("INSERT INTO `a` VALUES (1);");
    auto target = migrate::Target::open({.url = db.url(), .migrations_dir = tmp.path()});
    auto e = up_error(target);
    CHECK(e.server_errno() == 1062);  // duplicate key
    CHECK(e.context().statement == 2u);
    auto sql = db.connect();
    CHECK(sql.scalar("select group_concat(id order by id) from a") == "1,2");
    CHECK(sql.tracking_rows().size() == 1);

    folder("INSERT INTO `a` VALUES (3);");  // fix the failed statement; the two before it stay as they were
    std::vector<std::string> resumed;
    auto report = migrate::Target::open({.url = db.url(), .migrations_dir = tmp.path()}).up([&](const Event& ev) {
        if (ev.kind == Event::Kind::migration_resumed) resumed.push_back(ev.detail);
    });
    CHECK(report.migrations_resumed == 1);
    CHECK(report.statements_run == 1);
    REQUIRE(resumed.size() == 1);
    CHECK_THAT(resumed[0], Catch::Contains("statement 3 had failed"));
    CHECK(sql.scalar("select group_concat(id order by id) from a") == "1,2,3");
    CHECK(sql.tracking_rows().size() == 2);
}

TEST_CASE("cancelling stops between statements with progress recorded, and the next run resumes") {
    ScratchDatabase db("api_cancel");
    TempDir tmp;
    write_folder(tmp.path(),
                 {{"0000_a",
                   "CREATE TABLE `a` (`id` int);\n--> statement-breakpoint\n"
                   "CREATE TABLE `b` (`id` int);\n--> statement-breakpoint\nCREATE TABLE `c` (`id` int);"}});
    auto target = migrate::Target::open({.url = db.url(), .migrations_dir = tmp.path()});
    std::atomic<bool> cancel{false};
    try {
        target.up(
            [&](const Event& ev) {
                if (ev.kind == Event::Kind::statement_finished && ev.statement_index == 0) cancel = true;
            },
            {.cancel = &cancel});
        FAIL("not interrupted");
    } catch (const migrate::error& e) {
        CHECK(e.code() == migrate::errc::interrupted);
    }
    CHECK(db.connect().tables() ==
          std::vector<std::string>{"__drizzle_migrations", "__drizzle_migrations_progress", "a"});
    auto report = target.up();
    CHECK(report.statements_run == 2);
    CHECK(db.connect().tracking_rows().size() == 1);
}

TEST_CASE("a custom tracking table gets drizzle's DDL under its own name") {
    ScratchDatabase db("api_table");
    TempDir tmp;
    write_folder(tmp.path(), {{"0000_a", "CREATE TABLE `a` (`id` int);"}});
    auto target = migrate::Target::open({.url = db.url(), .migrations_dir = tmp.path(), .table = "schema_history"});
    target.up();
    auto sql = db.connect();
    CHECK(sql.tables() == std::vector<std::string>{"a", "schema_history", "schema_history_progress"});
    CHECK(sql.tracking_rows("schema_history").size() == 1);
    auto create = sql.rows("show create table schema_history")[0][1].value();
    CHECK_THAT(create, Catch::Contains("`id` bigint(20) unsigned NOT NULL AUTO_INCREMENT"));
    CHECK_THAT(create, Catch::Contains("`hash` text NOT NULL"));
    CHECK_THAT(create, Catch::Contains("`created_at` bigint(20) DEFAULT NULL"));
}

TEST_CASE("a drizzle 1.0 tracking table gets its name column filled") {
    ScratchDatabase db("api_v1");
    TempDir tmp;
    write_folder(tmp.path(), {{"0000_a", "CREATE TABLE `a` (`id` int);"}});
    db.connect().exec(
        "CREATE TABLE __drizzle_migrations (id SERIAL PRIMARY KEY, hash TEXT NOT NULL, created_at BIGINT, "
        "name TEXT, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP)");
    migrate::Target::open({.url = db.url(), .migrations_dir = tmp.path()}).up();
    auto rows = db.connect().rows("select name, applied_at is not null from __drizzle_migrations");
    REQUIRE(rows.size() == 1);
    CHECK(rows[0][0] == "0000_a");
    CHECK(rows[0][1] == "1");
}

TEST_CASE("validation refuses out-of-order entries and unknown rows together, touching nothing") {
    ScratchDatabase db("api_ooo");
    TempDir tmp;
    write_folder(tmp.path(), {{"0000_a", "CREATE TABLE `a` (`id` int);"}, {"0001_b", "CREATE TABLE `b` (`id` int);"}});
    // Another branch's migration was applied with a newer `when`.
    db.connect().exec(
        "CREATE TABLE __drizzle_migrations (id SERIAL PRIMARY KEY, hash TEXT NOT NULL, created_at BIGINT)");
    db.connect().exec("INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('x', 1500)");
    auto target = migrate::Target::open({.url = db.url(), .migrations_dir = tmp.path()});
    auto e = up_error(target);
    CHECK(e.code() == migrate::errc::row_without_file);
    CHECK_THAT(std::string(e.what()), Catch::Contains("2 problems") && Catch::Contains("0000_a (when 1000)"));
    CHECK(db.connect().tables() == std::vector<std::string>{"__drizzle_migrations"});

    auto report = target.up({}, {.allow_out_of_order = true, .allow_missing = true});
    CHECK(report.migrations_applied == 2);
    CHECK(report.plan_before.count(MigrationState::out_of_order) == 1);
    CHECK(db.connect().rows("select created_at from __drizzle_migrations order by id") ==
          Rows{{Value("1500")}, {Value("1000")}, {Value("2000")}});
}

TEST_CASE("a unix socket URL reaches the same server") {
    std::string socket = std::string(MIGRATE_SOURCE_DIR) + "/.local/mariadb/mysqld.sock";
    ScratchDatabase db("api_socket");
    TempDir tmp;
    write_folder(tmp.path(), {{"0000_a", "CREATE TABLE `a` (`id` int);"}});
    auto target =
        migrate::Target::open({.url = "mysql://migrate:migrate-local-pw@localhost/" + db.name() + "?socket=" + socket,
                               .migrations_dir = tmp.path()});
    CHECK(target.url().socket == socket);
    CHECK(target.up().migrations_applied == 1);
    CHECK(db.connect().tracking_rows().size() == 1);
}
