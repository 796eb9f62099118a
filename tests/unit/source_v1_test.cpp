// drizzle-kit 1.0 folders: reading (examples/openinsure-v1, real drizzle-kit 1.0.0-rc.5 output), layout
// detection, validation; the 1.0 tracking DDL and rows; the 1.0 pending rule.
#include "checks.hpp"
#include "tracking/tracking_table.hpp"

#include "plan/make_plan.hpp"

#include <migrate/error.hpp>
#include <migrate/plan.hpp>
#include <migrate/source.hpp>

#include "fixtures.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using migrate::errc;
using migrate::FolderLayout;
using migrate::MigrationState;
using testing::error_of;
using testing::plain_sha256;
using testing::TempDir;
using testing::write_file;
namespace fs = std::filesystem;

namespace {

fs::path v1_corpus(std::string_view name) { return fs::path(MIGRATE_SOURCE_DIR) / "examples" / "openinsure-v1" / name; }

void write_v1(const fs::path& dir, const std::string& folder, const std::string& sql) {
    write_file(dir / folder / "migration.sql", sql);
    write_file(dir / folder / "snapshot.json", "{}");
}

}  // namespace

TEST_CASE("both drizzle 1.0 corpus folders read as drizzle 1.0 reads them") {
    for (const char* name : {"oi_global", "oi_claims"}) {
        INFO("folder " << name);
        const fs::path dir = v1_corpus(name);
        auto source = migrate::read_migrations_folder(dir);
        CHECK(source.layout == FolderLayout::drizzle_v1_folders);
        REQUIRE(source.migrations.size() == 20);

        std::vector<std::string> folders;
        for (const auto& e : fs::directory_iterator(dir)) folders.push_back(e.path().filename().string());
        std::sort(folders.begin(), folders.end());  // every corpus folder has its own second: bytes = locale order
        for (std::size_t i = 0; i < 20; ++i) {
            const auto& m = source.migrations[i];
            INFO("migration " << m.tag);
            CHECK(m.position == i);
            CHECK(m.tag == folders[i]);
            CHECK(m.file == dir / folders[i] / "migration.sql");
            CHECK(m.hash == plain_sha256(testing::read_file(m.file)));
            CHECK(m.when % 1000 == 0);
            CHECK_FALSE(m.statements.empty());
            if (i) CHECK(source.migrations[i - 1].when < m.when);
        }
        CHECK(migrate::read_drizzle_v1_folder(dir).migrations.size() == 20);
    }
    // Values from the corpus dumps (rows drizzle-orm 1.0 recorded).
    auto global = migrate::read_drizzle_v1_folder(v1_corpus("oi_global"));
    CHECK(global.migrations[0].tag == "20261128054450_secret_jack_murdock");
    CHECK(global.migrations[0].when == 1795844690000);
    CHECK(global.migrations[0].hash == "0caab76d767a97b8163843ceadd58ca433de3a4c351a287b685ec8f41eddfd3d");
    CHECK(global.migrations[1].hash == "ffb239920984499c9b3c335254f47e345f09ab03ceacdcdad35a254f2b061adf");
    CHECK(global.migrations[0].statements.size() == 2);
    auto claims = migrate::read_drizzle_v1_folder(v1_corpus("oi_claims"));
    CHECK(claims.migrations[0].tag == "20261128054451_empty_azazel");
    CHECK(claims.migrations[0].when == 1795844691000);
    CHECK(claims.migrations[0].hash == "06eac6bd6d5e6714355bedc94dc73e3fe4806965a8a3e89a9435ba6b0755bd84");
    CHECK(claims.migrations[2].hash == "d7e5236d7ac0eb5e730fa0cadd3a2f3584431ab6ea5f2dc651646147e88362c7");
}

TEST_CASE("a 0.x journal folder is still read by the 0.x reader") {
    auto source =
        migrate::read_migrations_folder(fs::path(MIGRATE_SOURCE_DIR) / "examples" / "openinsure" / "oi_global");
    CHECK(source.layout == FolderLayout::drizzle_v0_journal);
    CHECK_FALSE(source.migrations.empty());
    CHECK(source.migrations[0].tag.rfind("0000_", 0) == 0);
}

TEST_CASE("folders are ordered as drizzle's localeCompare orders them, when at second resolution") {
    TempDir tmp;
    // Same second: ICU order (_a < _X < _x_b < _x1), not byte order (_X < _a < _x1 < _x_b).
    for (const char* f : {"20260101000000_x1", "20260101000000_x_b", "20260101000000_X", "20260101000000_a",
                          "20251231235959_last_of_2025", "20260101000000_x-b"})
        write_v1(tmp.path(), f, "SELECT 1;");
    auto source = migrate::read_drizzle_v1_folder(tmp.path());
    std::vector<std::string> tags;
    for (const auto& m : source.migrations) tags.push_back(m.tag);
    CHECK(tags == std::vector<std::string>{"20251231235959_last_of_2025", "20260101000000_a", "20260101000000_X",
                                           "20260101000000_x_b", "20260101000000_x-b", "20260101000000_x1"});
    CHECK(source.migrations[0].when == 1767225599000);  // Date.UTC(2025, 11, 31, 23, 59, 59)
    CHECK(source.migrations[1].when == 1767225600000);  // T0 of the corpus scenarios
    CHECK(source.migrations[5].when == 1767225600000);

    // Checked against Node's localeCompare (20000 random pairs over _-0159aAbBzZxX agreed).
    using migrate::drizzle_locale_less;
    CHECK(drizzle_locale_less("x_a", "X_a"));
    CHECK_FALSE(drizzle_locale_less("X_a", "x_a"));
    CHECK(drizzle_locale_less("X_a", "x_B"));
    CHECK(drizzle_locale_less("x_B", "x_b_c"));
    CHECK(drizzle_locale_less("x_b_c", "x_b1"));
    CHECK(drizzle_locale_less("x_b1", "x-a"));
    CHECK(drizzle_locale_less("x-a", "x0"));
    CHECK(drizzle_locale_less("ab", "abc"));
    CHECK_FALSE(drizzle_locale_less("same", "same"));
}

TEST_CASE("leap days and the 1.0 folder's other contents") {
    TempDir tmp;
    write_v1(tmp.path(), "20240229120000_leap", "SELECT 1;");
    write_file(tmp.path() / "README.md", "stray file, ignored as drizzle ignores it");
    fs::create_directories(tmp.path() / "notes");  // no migration.sql, not a migration name: ignored
    auto source = migrate::read_drizzle_v1_folder(tmp.path());
    REQUIRE(source.migrations.size() == 1);
    CHECK(source.migrations[0].when == 1709208000000);
}

TEST_CASE("a folder with both layouts is refused, like drizzle 1.0 refuses it") {
    TempDir tmp;
    write_file(tmp.path() / "meta" / "_journal.json", R"({"version":"7","dialect":"mysql","entries":[]})");
    write_v1(tmp.path(), "20260101000000_a", "SELECT 1;");
    auto e = error_of([&] { migrate::read_migrations_folder(tmp.path()); });
    CHECK(e.code() == errc::journal_invalid);
    CHECK_THAT(std::string(e.what()), Catch::Contains("drizzle-kit up") && Catch::Contains("_journal.json") &&
                                          Catch::Contains("20260101000000_a"));
    auto e2 = error_of([&] { migrate::read_drizzle_v1_folder(tmp.path()); });
    CHECK_THAT(std::string(e2.what()), Catch::Contains("drizzle-kit up"));

    TempDir old;
    write_file(old.path() / "meta" / "_journal.json", R"({"version":"7","dialect":"mysql","entries":[]})");
    auto e3 = error_of([&] { migrate::read_drizzle_v1_folder(old.path()); });
    CHECK(e3.code() == errc::journal_invalid);
    CHECK_THAT(std::string(e3.what()), Catch::Contains("drizzle-kit up"));
}

TEST_CASE("bad 1.0 folders: every problem at once, each naming its path") {
    TempDir tmp;
    const fs::path d = tmp.path();
    write_v1(d, "20260101000000_good", "SELECT 1;");
    write_v1(d, "2026010100000_short", "SELECT 1;");      // 13 digits
    write_v1(d, "20261301000000_month13", "SELECT 1;");   // no month 13
    write_v1(d, "20250229000000_not_leap", "SELECT 1;");  // 2025 is no leap year
    write_v1(d, "20260101000000_caf\xC3\xA9", "SELECT 1;");
    write_v1(d, "random", "SELECT 1;");  // has migration.sql: drizzle would run it at NaN
    write_file(d / "20260101000001_no_sql" / "snapshot.json", "{}");
    write_v1(d, "20260101000002_latin1", "SELECT 'caf\xE9';");
    auto e = error_of([&] { migrate::read_migrations_folder(d); });
    const std::string what = e.what();
    INFO(what);
    CHECK(e.code() == errc::tag_invalid);
    CHECK_THAT(what, Catch::Contains("7 problems"));
    CHECK_THAT(what, Catch::Contains((d / "2026010100000_short").string()));
    CHECK_THAT(what, Catch::Contains("20261301000000") && Catch::Contains("not a valid UTC date"));
    CHECK_THAT(what, Catch::Contains("20250229000000_not_leap"));
    CHECK_THAT(what, Catch::Contains("ASCII letters"));
    CHECK_THAT(what, Catch::Contains((d / "random").string()));
    CHECK_THAT(what, Catch::Contains("no file " + (d / "20260101000001_no_sql" / "migration.sql").string()));
    CHECK_THAT(what, Catch::Contains((d / "20260101000002_latin1" / "migration.sql").string() + ":1:12") &&
                         Catch::Contains("not valid UTF-8"));
    CHECK_THAT(what, !Catch::Contains("20260101000000_good"));
}

TEST_CASE("an empty folder is neither layout") {
    TempDir tmp;
    CHECK(error_of([&] { migrate::read_migrations_folder(tmp.path()); }).code() == errc::journal_missing);
    CHECK(error_of([&] { migrate::read_drizzle_v1_folder(tmp.path()); }).code() == errc::journal_missing);
    CHECK(error_of([&] { migrate::read_migrations_folder(tmp.path() / "nope"); }).code() == errc::journal_missing);
}

TEST_CASE("1.0 tracking table: drizzle 1.0's DDL byte for byte, rows with name") {
    using migrate::tracking::TrackingTable;
    CHECK(TrackingTable("__drizzle_migrations").create_statement(FolderLayout::drizzle_v1_folders) ==
          "\n\t\t\tCREATE TABLE IF NOT EXISTS `__drizzle_migrations` (\n\t\t\t\tid SERIAL PRIMARY KEY,\n"
          "\t\t\t\thash TEXT NOT NULL,\n\t\t\t\tcreated_at BIGINT,\n\t\t\t\tname TEXT,\n"
          "\t\t\t\tapplied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP\n\t\t\t)\n\t\t");
    CHECK(TrackingTable("t").create_statement() ==
          TrackingTable("t").create_statement(FolderLayout::drizzle_v0_journal));
    CHECK_THAT(TrackingTable("t").create_statement(), Catch::Contains("create table if not exists `t`"));

    auto source = migrate::read_drizzle_v1_folder(v1_corpus("oi_global"));
    migrate::tracking::TableShape shape{.exists = true, .has_name = true, .has_applied_at = true};
    // Exactly the first insert in examples' dumps/oi_global.queries.sql.
    CHECK(TrackingTable("__drizzle_migrations").insert_statement(source.migrations[0], shape) ==
          "insert into `__drizzle_migrations` (`hash`, `created_at`, `name`) "
          "values('0caab76d767a97b8163843ceadd58ca433de3a4c351a287b685ec8f41eddfd3d', 1795844690000, "
          "'20261128054450_secret_jack_murdock')");
}

namespace {

migrate::Source v1_source(std::vector<std::string> tags) {
    migrate::Source s;
    s.layout = FolderLayout::drizzle_v1_folders;
    for (std::size_t i = 0; i < tags.size(); ++i) {
        migrate::Migration m;
        m.position = i;
        m.tag = tags[i];
        m.when = 1767225600000 + static_cast<std::int64_t>(i) * 1000;
        m.hash = "hash-" + m.tag;
        s.migrations.push_back(m);
    }
    return s;
}

migrate::AppliedRow named(std::uint64_t id, std::string hash, std::int64_t created_at,
                          std::optional<std::string> name) {
    return {id, std::move(hash), created_at, std::move(name)};
}

}  // namespace

TEST_CASE("1.0 plan: pending = no row with the folder's name, never out of order") {
    auto source = v1_source({"a", "b", "c", "d"});
    SECTION("S5: a missing older folder is pending, not out of order") {
        auto plan = migrate::make_plan(source, {named(1, "hash-a", 1, "a"), named(2, "hash-c", 3, "c")}, true);
        CHECK(plan.entries[0].state == MigrationState::applied);
        CHECK(plan.entries[1].state == MigrationState::pending);
        CHECK(plan.entries[2].state == MigrationState::applied);
        CHECK(plan.entries[3].state == MigrationState::pending);
        CHECK(plan.count(MigrationState::out_of_order) == 0);
        REQUIRE(plan.to_apply(false).size() == 2);
        CHECK(plan.to_apply(false)[0]->migration->tag == "b");
        CHECK(plan.rows_without_file.empty());
        CHECK_NOTHROW(migrate::validate_plan(plan, {}));
    }
    SECTION("created_at plays no part; an edited file is hash_differs") {
        auto plan = migrate::make_plan(source, {named(1, "other", 999, "a")}, true);
        CHECK(plan.entries[0].state == MigrationState::applied);
        CHECK(plan.entries[0].hash_differs);
        CHECK(plan.entries[0].row->id == 1);
        CHECK(error_of([&] { migrate::validate_plan(plan, {}); }).code() == errc::migration_changed);
    }
    SECTION("S11 / S8: rows naming no folder, and rows with NULL name, are rows without file") {
        auto plan = migrate::make_plan(
            source,
            {named(1, "hash-a", 1, "a"), named(2, "x", 2, "gone"), named(3, "hash-b", 1767225601000, std::nullopt)},
            true);
        CHECK(plan.entries[1].state == MigrationState::pending);  // drizzle 1.0 would re-run b
        REQUIRE(plan.rows_without_file.size() == 2);
        CHECK(plan.rows_without_file[0].id == 2);
        CHECK(plan.rows_without_file[1].id == 3);
        CHECK(error_of([&] { migrate::validate_plan(plan, {}); }).code() == errc::row_without_file);
        CHECK_NOTHROW(migrate::validate_plan(plan, {.allow_missing = true}));
    }
    SECTION("two rows naming one folder: the one with the file's hash is its row, neither is without file") {
        auto plan = migrate::make_plan(source, {named(1, "old", 1, "a"), named(2, "hash-a", 1, "a")}, true);
        CHECK(plan.entries[0].row->id == 2);
        CHECK_FALSE(plan.entries[0].hash_differs);
        CHECK(plan.rows_without_file.empty());
    }
    SECTION("progress is attached to pending entries by when") {
        migrate::PartialRun p;
        p.statements_total = 2;
        p.statements_done = 1;
        auto plan = migrate::make_plan(source, {named(1, "hash-a", 1, "a")}, true, {{1767225601000, p}});
        REQUIRE(plan.entries[1].progress);
        CHECK(plan.partial().size() == 1);
    }
    SECTION("0.x folders keep the high-water mark") {
        auto v0 = source;
        v0.layout = FolderLayout::drizzle_v0_journal;
        auto plan = migrate::make_plan(v0, {named(1, "hash-c", 1767225602000, std::nullopt)}, true);
        CHECK(plan.entries[0].state == MigrationState::out_of_order);
        CHECK(plan.entries[2].state == MigrationState::applied);
    }
}
