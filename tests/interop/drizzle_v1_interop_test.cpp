// libmigrate and drizzle-orm 1.0.0-rc.5 (npm alias drizzle-orm-v1) take turns on one database, with
// drizzle-kit 1.0's folder-per-migration layout (examples/openinsure-v1): same rows (name included), same
// tracking table, same schema, same data.
#include <migrate/migrate.hpp>

#include "checks.hpp"
#include "process.hpp"
#include "temp_dir.hpp"
#include "test_server.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <regex>

using namespace testing;
namespace fs = std::filesystem;

namespace {

fs::path v1_corpus(std::string_view name) { return fs::path(MIGRATE_SOURCE_DIR) / "examples" / "openinsure-v1" / name; }

void drizzle_v1_migrate(const std::string& url, const fs::path& dir) {
    require_ok(run_node("drizzle-migrate.mjs", {"--v1", "--url", url, "--dir", dir.string()}),
               "drizzle-orm 1.0 migrate()");
}

void libmigrate_up(const std::string& url, const fs::path& dir) {
    require_ok(run_cli({"up", "--no-baseline", "--url", url, "--dir", dir.string()}), "migrate up");
}

// A 1.0 folder's first `count` migrations in drizzle's order: just those subfolders.
void copy_v1_prefix(const fs::path& from, const fs::path& to, std::size_t count) {
    auto source = migrate::read_drizzle_v1_folder(from);
    REQUIRE(count <= source.migrations.size());
    fs::create_directories(to);
    for (std::size_t i = 0; i < count; ++i)
        fs::copy(from / source.migrations[i].tag, to / source.migrations[i].tag, fs::copy_options::recursive);
}

struct V1State {
    Snapshot snapshot;  // tracking (id, hash, created_at), SHOW CREATE TABLE of every table, every row
    Rows names;         // id, name, whether applied_at is set (its value is the clock's)
};

V1State state_of(const ScratchDatabase& db) {
    auto sql = db.connect();
    return {sql.snapshot(), sql.rows("select id, name, applied_at is not null from __drizzle_migrations order by id")};
}

// The corpus' backfills insert uuid() ids and its tables default created_at to now(): such values differ
// between any two runs, drizzle's included. They are masked (generated uuids: the fixed literals
// 0000…/1111… stay; date-times), and the rows re-sorted.
std::map<std::string, Rows> comparable(std::map<std::string, Rows> data) {
    static const std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    static const std::regex fixed("([0-9a-f])\\1{7}-\\1{4}-\\1{4}-\\1{4}-\\1{12}");
    static const std::regex datetime("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}(\\.\\d+)?");
    for (auto& [table, rows] : data) {
        for (auto& row : rows)
            for (auto& cell : row)
                if (cell && ((std::regex_match(*cell, uuid) && !std::regex_match(*cell, fixed)) ||
                             std::regex_match(*cell, datetime)))
                    cell = "<varies>";
        std::sort(rows.begin(), rows.end());
    }
    return data;
}

void check_same(const V1State& ours, const V1State& theirs) {
    CHECK(ours.snapshot.tracking == theirs.snapshot.tracking);
    CHECK(ours.names == theirs.names);
    for (const auto& [table, create] : theirs.snapshot.schema) {
        INFO("table " << table);
        REQUIRE(ours.snapshot.schema.count(table) == 1);
        CHECK(ours.snapshot.schema.at(table) == create);
    }
    CHECK(ours.snapshot.schema.size() == theirs.snapshot.schema.size());
    const auto ours_data = comparable(ours.snapshot.data), theirs_data = comparable(theirs.snapshot.data);
    for (const auto& [table, rows] : theirs_data) {
        INFO("data of table " << table);
        REQUIRE(ours_data.count(table) == 1);
        CHECK(ours_data.at(table) == rows);
    }
    CHECK(ours_data.size() == theirs_data.size());
}

void take_turns_v1(const std::string& name) {
    const fs::path folder = v1_corpus(name);
    const auto source = migrate::read_drizzle_v1_folder(folder);
    const std::size_t total = source.migrations.size(), half = total / 2;
    REQUIRE(total == 20);
    TempDir tmp;
    const fs::path first_half = tmp.path() / "first-half";
    copy_v1_prefix(folder, first_half, half);

    ScratchDatabase by_drizzle("drz1"), by_us("lib1");
    drizzle_v1_migrate(by_drizzle.url(), folder);
    libmigrate_up(by_us.url(), folder);
    const auto reference = state_of(by_drizzle);
    REQUIRE(reference.snapshot.tracking.size() == total);
    // drizzle 1.0's rows: created_at = the folder's second, name = the folder, applied_at = the server's clock.
    for (std::size_t i = 0; i < total; ++i) {
        CHECK(reference.snapshot.tracking[i][1] == source.migrations[i].hash);
        CHECK(reference.snapshot.tracking[i][2] == std::to_string(source.migrations[i].when));
        CHECK(reference.names[i][1] == source.migrations[i].tag);
        CHECK(reference.names[i][2] == "1");
    }
    CHECK_THAT(reference.snapshot.schema.at("__drizzle_migrations"),
               Catch::Contains("`name` text DEFAULT NULL") &&
                   Catch::Contains("`applied_at` timestamp NULL DEFAULT current_timestamp()"));

    SECTION("(a) libmigrate alone ends exactly where drizzle 1.0 alone ends") {
        check_same(state_of(by_us), reference);
    }

    SECTION("(b) drizzle 1.0 first half, libmigrate the rest, then drizzle 1.0 changes nothing") {
        ScratchDatabase db("b1");
        drizzle_v1_migrate(db.url(), first_half);
        REQUIRE(db.connect().tracking_rows().size() == half);
        libmigrate_up(db.url(), folder);
        const auto after_us = state_of(db);
        check_same(after_us, reference);
        drizzle_v1_migrate(db.url(), folder);
        check_same(state_of(db), after_us);
    }
    SECTION("(c) libmigrate first half, drizzle 1.0 the rest; then libmigrate has nothing to do") {
        ScratchDatabase db("c1");
        libmigrate_up(db.url(), first_half);
        REQUIRE(db.connect().tracking_rows().size() == half);
        drizzle_v1_migrate(db.url(), folder);
        const auto after_drizzle = state_of(db);
        check_same(after_drizzle, reference);
        auto status = run_cli({"status", "--url", db.url(), "--dir", folder.string()});
        require_ok(status, "migrate status");
        libmigrate_up(db.url(), folder);
        check_same(state_of(db), after_drizzle);
    }
}

}  // namespace

TEST_CASE("interop drizzle 1.0 oi_global") { take_turns_v1("oi_global"); }
TEST_CASE("interop drizzle 1.0 oi_claims") { take_turns_v1("oi_claims"); }

TEST_CASE("drizzle 1.0 refuses a folder with both layouts, and so do we, before connecting") {
    TempDir tmp;
    copy_v1_prefix(v1_corpus("oi_claims"), tmp.path(), 1);
    write_file(tmp.path() / "meta" / "_journal.json", R"({"version":"7","dialect":"mysql","entries":[]})");
    ScratchDatabase db("both1");
    auto theirs = run_node("drizzle-migrate.mjs", {"--v1", "--url", db.url(), "--dir", tmp.path().string()});
    CHECK(theirs.exit_code != 0);
    CHECK_THAT(theirs.err, Catch::Contains("drizzle-kit up"));
    auto ours = run_cli({"up", "--url", db.url(), "--dir", tmp.path().string()});
    CHECK(ours.exit_code != 0);
    CHECK_THAT(ours.out + ours.err, Catch::Contains("drizzle-kit up"));
    CHECK(db.connect().tables().empty());
}
