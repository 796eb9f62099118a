// Target with a drizzle 1.0 folder on a drizzle 0.x tracking table (no `name` column): status previews
// drizzle 1.0's upgrade without changing anything, up performs it, refuses unmatched rows, and finishes an
// upgrade that stopped half-way. Hand-made folders; the real corpus and drizzle itself are in
// tests/interop/drizzle_v1_upgrade_test.cpp.
#include <migrate/migrate.hpp>

#include "fixtures.hpp"
#include "temp_dir.hpp"
#include "test_server.hpp"

#include <catch2/catch.hpp>

using namespace testing;
using migrate::MigrationState;
namespace fs = std::filesystem;

namespace {

constexpr long long T0 = 1767225600000;  // 2026-01-01T00:00:00Z: folders 20260101000000_a, …01_b, …02_c

const std::vector<std::pair<std::string, std::string>> abc = {
    {"20260101000000_a", "CREATE TABLE `ta` (`id` int);"},
    {"20260101000001_b", "CREATE TABLE `tb` (`id` int);"},
    {"20260101000002_c", "CREATE TABLE `tc` (`id` int);"},
};

std::string sha_of(const std::string& tag) {
    for (const auto& [t, sql] : abc)
        if (t == tag) return migrate::drizzle_hash(sql);  // tested against Node elsewhere
    throw std::logic_error(tag);
}

void write_v1(const fs::path& dir) {
    for (const auto& [tag, sql] : abc) write_file(dir / tag / "migration.sql", sql);
}

// drizzle-orm 0.45's table, its rows (hash, created_at), and the tables those migrations made.
void make_v0_table(Sql& sql, const std::vector<std::pair<std::string, long long>>& rows) {
    sql.exec("create table `__drizzle_migrations` (id serial primary key, hash text not null, created_at bigint)");
    for (const auto& [hash, created_at] : rows)
        sql.exec("insert into `__drizzle_migrations` (hash, created_at) values ('" + hash + "', " +
                 std::to_string(created_at) + ")");
}

std::vector<std::string> columns(Sql& sql) {
    std::vector<std::string> out;
    for (const auto& r : sql.rows("select column_name from information_schema.columns where table_schema = database() "
                                  "and table_name = '__drizzle_migrations' order by ordinal_position"))
        out.push_back(*r[0]);
    return out;
}

// id, name, applied_at IS NULL
Rows named_rows(Sql& sql) {
    return sql.rows("select id, name, applied_at is null from `__drizzle_migrations` order by id");
}

migrate::error up_error(migrate::Target& t, const migrate::UpOptions& options = {}) {
    try {
        t.up({}, options);
    } catch (const migrate::error& e) {
        return e;
    }
    FAIL("up() succeeded");
    throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE(
    "target: status previews drizzle 1.0's upgrade of a 0.x table without changing anything, and up performs it") {
    ScratchDatabase db("upg_status");
    TempDir tmp;
    write_v1(tmp.path());
    auto sql = db.connect();
    sql.exec("create table ta (id int)");
    sql.exec("create table tb (id int)");
    // a: a 0.x journal `when` in a's second; b: a second without a folder, matched by hash.
    make_v0_table(sql, {{sha_of("20260101000000_a"), T0 + 123}, {sha_of("20260101000001_b"), T0 + 9000}});
    const auto before = sql.snapshot();
    auto target = migrate::Target::open({.url = db.url(), .migrations_dir = tmp.path()});

    auto status = target.status();
    CHECK(status.plan.count(MigrationState::applied) == 2);
    CHECK(status.plan.count(MigrationState::pending) == 1);
    CHECK(status.plan.rows_without_file.empty());
    CHECK(status.plan.entries[1].row->id == 2);
    CHECK(status.table_upgrade ==
          "__drizzle_migrations is a drizzle 0.x table (no `name` column): `up` first upgrades it as drizzle 1.0 "
          "does: adds `name` and `applied_at`, names 2 rows after their folders");
    CHECK(sql.snapshot() == before);
    CHECK(sql.tables() == std::vector<std::string>{"__drizzle_migrations", "ta", "tb"});

    auto report = target.up();
    CHECK(report.migrations_applied == 1);
    CHECK(columns(sql) == std::vector<std::string>{"id", "hash", "created_at", "name", "applied_at"});
    CHECK(named_rows(sql) == Rows{{Value("1"), Value("20260101000000_a"), Value("1")},
                                  {Value("2"), Value("20260101000001_b"), Value("1")},
                                  {Value("3"), Value("20260101000002_c"), Value("0")}});
    CHECK(sql.rows("select hash, created_at from `__drizzle_migrations` where id = 3") ==
          Rows{{Value(sha_of("20260101000002_c")), Value(std::to_string(T0 + 2000))}});
    auto after = target.status();
    CHECK(after.table_upgrade.empty());
    CHECK(after.plan.count(MigrationState::applied) == 3);
}

TEST_CASE("target: up with nothing pending still upgrades a 0.x table (no lock-free shortcut past it)") {
    ScratchDatabase db("upg_nothing");
    TempDir tmp;
    write_v1(tmp.path());
    auto sql = db.connect();
    make_v0_table(sql, {{sha_of("20260101000000_a"), T0},
                        {sha_of("20260101000001_b"), T0 + 1000},
                        {sha_of("20260101000002_c"), T0 + 2000}});
    auto target = migrate::Target::open({.url = db.url(), .migrations_dir = tmp.path()});
    const auto report = target.up();
    CHECK(report.migrations_applied == 0);
    // Said, not hidden behind "nothing to do".
    CHECK(report.table_upgrade ==
          "upgraded __drizzle_migrations as drizzle 1.0 does (added `name` and `applied_at`, "
          "named 3 rows after their folders)");
    CHECK(named_rows(sql) == Rows{{Value("1"), Value("20260101000000_a"), Value("1")},
                                  {Value("2"), Value("20260101000001_b"), Value("1")},
                                  {Value("3"), Value("20260101000002_c"), Value("1")}});
}

TEST_CASE("target: a 0.x row no folder matches: up refuses, even with allow_missing, altering nothing") {
    ScratchDatabase db("upg_refuse");
    TempDir tmp;
    write_v1(tmp.path());
    auto sql = db.connect();
    make_v0_table(sql, {{sha_of("20260101000000_a"), T0 + 500}, {"ffff", T0 + 100000}});
    const auto before = sql.snapshot();
    auto target = migrate::Target::open({.url = db.url(), .migrations_dir = tmp.path()});

    auto status = target.status();  // reports, does not throw
    CHECK_THAT(status.table_upgrade, Catch::Contains("refuses") && Catch::Contains("row id 2 matches no"));
    REQUIRE(status.plan.rows_without_file.size() == 1);
    CHECK(status.plan.rows_without_file[0].id == 2);

    for (bool allow_missing : {false, true}) {
        INFO("allow_missing " << allow_missing);
        auto e = up_error(target, {.allow_missing = allow_missing});
        CHECK(e.code() == migrate::errc::row_without_file);
        const std::string text = e.what();
        CHECK_THAT(text, Catch::Contains("__drizzle_migrations is a drizzle 0.x tracking table"));
        CHECK_THAT(text, Catch::Contains("1 of its 2 rows matches no folder of " + tmp.path().string()));
        CHECK_THAT(text, Catch::Contains("row id 2: created_at 1767225700000, hash ffff"));
        CHECK_THAT(text,
                   Catch::Contains("restore them") && Catch::Contains("Allowing missing migrations does not help"));
        CHECK_THAT(text, Catch::Contains("(ids: 2)"));
    }
    CHECK(columns(sql) == std::vector<std::string>{"id", "hash", "created_at"});
    CHECK(sql.snapshot() == before);
}

TEST_CASE("target: up finishes a drizzle 1.0 upgrade that stopped half-way, as it would have ended") {
    ScratchDatabase db("upg_resume");
    TempDir tmp;
    write_v1(tmp.path());
    auto sql = db.connect();
    sql.exec("create table ta (id int)");
    sql.exec("create table tb (id int)");
    // Rows at T0+123 and T0+1999: each in its folder's second, as 0.x journal `when`s are.
    make_v0_table(sql, {{sha_of("20260101000000_a"), T0 + 123}, {sha_of("20260101000001_b"), T0 + 1999}});

    SECTION("after ALTER … ADD name") { sql.exec("ALTER TABLE `__drizzle_migrations` ADD `name` text"); }
    SECTION("after both ALTERs and the first UPDATE") {
        sql.exec("ALTER TABLE `__drizzle_migrations` ADD `name` text");
        sql.exec("ALTER TABLE `__drizzle_migrations` ADD `applied_at` TIMESTAMP DEFAULT CURRENT_TIMESTAMP");
        sql.exec("UPDATE `__drizzle_migrations` SET `name` = '20260101000000_a', `applied_at` = NULL WHERE `id` = 1");
    }
    auto target = migrate::Target::open({.url = db.url(), .migrations_dir = tmp.path()});
    CHECK_THAT(target.status().table_upgrade, Catch::Contains("`up` completes the upgrade"));
    CHECK(target.up().migrations_applied == 1);  // c only
    CHECK(columns(sql) == std::vector<std::string>{"id", "hash", "created_at", "name", "applied_at"});
    CHECK(named_rows(sql) == Rows{{Value("1"), Value("20260101000000_a"), Value("1")},
                                  {Value("2"), Value("20260101000001_b"), Value("1")},
                                  {Value("3"), Value("20260101000002_c"), Value("0")}});
    CHECK(
        sql.rows("select column_type, is_nullable, column_default from information_schema.columns where "
                 "table_schema = database() and table_name = '__drizzle_migrations' and column_name = 'applied_at'") ==
        Rows{{Value("timestamp"), Value("YES"), Value("current_timestamp()")}});
}

TEST_CASE("target: a nameless row in a 1.0 table that no folder matches is left alone, as drizzle 1.0 leaves it") {
    ScratchDatabase db("upg_nameless");
    TempDir tmp;
    write_v1(tmp.path());
    auto sql = db.connect();
    sql.exec(
        "CREATE TABLE `__drizzle_migrations` (id SERIAL PRIMARY KEY, hash TEXT NOT NULL, created_at BIGINT, "
        "name TEXT, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP)");
    sql.exec("INSERT INTO `__drizzle_migrations` (hash, created_at) VALUES ('ffff', 1767225700000)");
    auto target = migrate::Target::open({.url = db.url(), .migrations_dir = tmp.path()});
    CHECK(target.status().table_upgrade.empty());
    CHECK(up_error(target).code() == migrate::errc::row_without_file);  // validation, as before
    CHECK(target.up({}, {.allow_missing = true}).migrations_applied == 3);
    CHECK(named_rows(sql).front() == std::vector<Value>{Value("1"), std::nullopt, Value("0")});
}
