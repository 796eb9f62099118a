// drizzle 1.0's upgrade of a 0.x tracking table, against the real drizzle (examples/openinsure-v1/upgrade,
// NOTES.md §3–§4): drizzle-orm 0.45 applies the 0.x journal folder, then drizzle-orm 1.0 (npm alias
// drizzle-orm-v1) on one database and libmigrate on another read the `drizzle-kit up` folder. Both must
// leave the same tracking table, run nothing, then apply the next migration alike.
#include <migrate/migrate.hpp>

#include "checks.hpp"
#include "process.hpp"
#include "temp_dir.hpp"
#include "test_server.hpp"

#include <catch2/catch.hpp>

using namespace testing;
namespace fs = std::filesystem;

namespace {

fs::path upgrade_corpus() { return fs::path(MIGRATE_SOURCE_DIR) / "examples" / "openinsure-v1" / "upgrade"; }
fs::path upgrade_stage(std::string_view stage) { return upgrade_corpus() / stage / "oi_claims"; }

void drizzle_0x_migrate(const ScratchDatabase& db) {
    require_ok(run_node("drizzle-migrate.mjs", {"--url", db.url(), "--dir", upgrade_stage("before-0x").string()}),
               "drizzle-orm 0.45 migrate()");
}

ProcessResult drizzle_v1(const ScratchDatabase& db, const fs::path& dir) {
    return run_node("drizzle-migrate.mjs", {"--v1", "--url", db.url(), "--dir", dir.string()});
}

ProcessResult libmigrate(const std::string& command, const ScratchDatabase& db, const fs::path& dir) {
    return run_cli({command, "--url", db.url(), "--dir", dir.string()});
}

// The tracking table as drizzle 1.0 reads it: SHOW CREATE TABLE (AUTO_INCREMENT kept) and every row
// (applied_at as IS NULL: where set, its value is the clock's).
struct Tracking {
    std::string create;
    Rows rows;
    bool operator==(const Tracking&) const = default;
};

std::string show_create(const ScratchDatabase& db) {
    return *db.connect().rows("show create table `__drizzle_migrations`")[0][1];
}

Tracking tracking_of(const ScratchDatabase& db) {
    return {show_create(db), db.connect().rows("select id, hash, created_at, name, applied_at is null from "
                                               "`__drizzle_migrations` order by id")};
}

// Everything else a user sees: other tables' definitions and rows.
Snapshot others_of(const ScratchDatabase& db) {
    Snapshot s = db.connect().snapshot();
    s.tracking.clear();
    s.schema.erase("__drizzle_migrations");
    return s;
}

// drizzle 1.0's upgraded rows (NOTES §4): 0.45's ids, hashes and created_at; name = the `up` folder;
// applied_at NULL.
void check_upgraded_rows(const Tracking& t, const Rows& v0_rows) {
    const auto folder = migrate::read_drizzle_v1_folder(upgrade_stage("after-up"));
    REQUIRE(t.rows.size() == 10);
    REQUIRE(v0_rows.size() == 10);
    for (std::size_t i = 0; i < 10; ++i) {
        INFO("row " << i + 1);
        CHECK(t.rows[i] == std::vector<Value>{v0_rows[i][0], v0_rows[i][1], v0_rows[i][2],
                                              Value(folder.migrations[i].tag), Value("1")});
    }
    CHECK_THAT(t.create,
               Catch::Contains("`name` text DEFAULT NULL,\n  `applied_at` timestamp NULL DEFAULT "
                               "current_timestamp(),\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB AUTO_INCREMENT=11"));
}

// The next migration adds a column to claims: every other table's rows are as before.
void only_claims_changed(const Snapshot& before, const Snapshot& after) {
    REQUIRE(after.data.size() == before.data.size());
    for (const auto& [table, rows] : before.data) {
        INFO("table " << table);
        if (table == "claims")
            CHECK(after.data.at(table).size() == rows.size());
        else
            CHECK(after.data.at(table) == rows);
    }
}

Rows v0_rows_of(const ScratchDatabase& db) {
    return db.connect().rows("select id, hash, created_at from `__drizzle_migrations` order by id");
}

}  // namespace

TEST_CASE(
    "drizzle 1.0 upgrade of a 0.x table: libmigrate upgrades it as drizzle 1.0 does, runs nothing, then "
    "applies the next migration alike") {
    ScratchDatabase theirs("upg_drz"), ours("upg_lib");
    drizzle_0x_migrate(theirs);
    drizzle_0x_migrate(ours);
    const auto v0_rows = v0_rows_of(ours);
    REQUIRE(v0_rows == v0_rows_of(theirs));  // ids, hashes, journal `when`s: the same on both
    const std::string v0_create = show_create(ours);
    CHECK_THAT(v0_create, !Catch::Contains("`name`"));
    const auto ours_before = others_of(ours), theirs_before = others_of(theirs);

    // status previews the upgrade and the plan after it, changing nothing.
    auto status = libmigrate("status", ours, upgrade_stage("after-up"));
    require_ok(status, "migrate status");
    CHECK_THAT(status.out, Catch::Contains("upgrade    __drizzle_migrations is a drizzle 0.x table (no `name` "
                                           "column): `up` first upgrades it as drizzle 1.0 does: adds `name` and "
                                           "`applied_at`, names 10 rows after their folders"));
    CHECK_THAT(status.out, Catch::Contains("applied 10, pending 0\n"));
    CHECK(show_create(ours) == v0_create);
    CHECK(v0_rows_of(ours) == v0_rows);

    require_ok(drizzle_v1(theirs, upgrade_stage("after-up")), "drizzle-orm 1.0 migrate() on the up folder");
    require_ok(libmigrate("up", ours, upgrade_stage("after-up")), "migrate up on the up folder");
    const Tracking upgraded = tracking_of(theirs);
    check_upgraded_rows(upgraded, v0_rows);
    CHECK(tracking_of(ours) == upgraded);
    CHECK(others_of(theirs) == theirs_before);  // no migration ran
    CHECK(others_of(ours) == ours_before);

    // The next migration generated after `up`: only it runs, with both, recorded alike.
    require_ok(drizzle_v1(theirs, upgrade_stage("after-up-next")), "drizzle-orm 1.0 migrate() on the next folder");
    require_ok(libmigrate("up", ours, upgrade_stage("after-up-next")), "migrate up on the next folder");
    const Tracking next = tracking_of(theirs);
    REQUIRE(next.rows.size() == 11);
    CHECK(std::vector<std::vector<Value>>(next.rows.begin(), next.rows.begin() + 10) == upgraded.rows);
    CHECK(next.rows[10] ==
          std::vector<Value>{Value("11"), Value("7633109a2f160d6bf5fd767bfcca07cc1b4ab914bad3f4336ce4b21ffe036876"),
                             Value("1795844684000"), Value("20261128054444_claims_reopened_at"), Value("0")});
    CHECK(tracking_of(ours) == next);
    const auto ours_after = others_of(ours), theirs_after = others_of(theirs);
    CHECK(ours_after.schema == theirs_after.schema);
    CHECK_THAT(ours_after.schema.at("claims"), Catch::Contains("`reopened_at` timestamp NULL DEFAULT NULL"));
    only_claims_changed(ours_before, ours_after);
    only_claims_changed(theirs_before, theirs_after);

    // And again: nothing to do, nothing changes.
    auto again = libmigrate("up", ours, upgrade_stage("after-up-next"));
    require_ok(again, "migrate up again");
    CHECK_THAT(again.out, Catch::Contains("nothing to do"));
    CHECK(tracking_of(ours) == next);
}

TEST_CASE("drizzle 1.0 upgrade of a 0.x table with a row no folder matches: both refuse, nothing altered") {
    // The `up` folder without 20261128054435_mighty_gateway: row 5 has no folder in its second nor its hash.
    TempDir tmp;
    for (const auto& entry : fs::directory_iterator(upgrade_stage("after-up")))
        if (entry.path().filename() != "20261128054435_mighty_gateway")
            fs::copy(entry.path(), tmp.path() / entry.path().filename(), fs::copy_options::recursive);
    ScratchDatabase theirs("upg_rdrz"), ours("upg_rlib");
    drizzle_0x_migrate(theirs);
    drizzle_0x_migrate(ours);
    const auto theirs_before = theirs.connect().snapshot(), ours_before = ours.connect().snapshot();

    auto drizzle = drizzle_v1(theirs, tmp.path());
    CHECK(drizzle.exit_code != 0);
    CHECK_THAT(drizzle.err, Catch::Contains("we found 1 migrations (ids: 5) in the database that do not match any "
                                            "local migration"));
    CHECK(theirs.connect().snapshot() == theirs_before);

    auto status = libmigrate("status", ours, tmp.path());
    require_ok(status, "migrate status");
    CHECK_THAT(status.out, Catch::Contains("refuses to upgrade it, as drizzle 1.0 does: row id 5 matches no"));
    for (std::string allow : {"", "--allow-missing"}) {
        INFO("flags: " << allow);
        std::vector<std::string> args = {"up", "--url", ours.url(), "--dir", tmp.path().string()};
        if (!allow.empty()) args.push_back(allow);
        auto up = run_cli(args);
        CHECK(up.exit_code != 0);
        CHECK_THAT(up.err,
                   Catch::Contains("row_without_file") && Catch::Contains("1 of its 10 rows matches no folder") &&
                       Catch::Contains("row id 5: created_at 1795844675405") && Catch::Contains("nothing was changed"));
    }
    CHECK(ours.connect().snapshot() == ours_before);
    CHECK_THAT(show_create(ours), !Catch::Contains("`name`"));
}

TEST_CASE("drizzle 1.0 upgrade stopped half-way: drizzle 1.0 re-runs everything, libmigrate finishes the upgrade") {
    // What drizzle 1.0 leaves when its process dies after some of its upgrade statements (NOTES §3), taken
    // from the statements it sent (dumps/upgrade.queries.sql: 3 reads, then 2 ALTERs and 10 UPDATEs).
    const std::vector<std::string> sent = read_query_dump(upgrade_corpus() / "dumps" / "upgrade.queries.sql");
    REQUIRE(sent.size() == 18);
    std::size_t done = GENERATE(1, 2, 6);  // after the first ALTER, after both, after both and 4 UPDATEs
    INFO("upgrade statements that ran: " << done);
    auto crash = [&](const ScratchDatabase& db) {
        drizzle_0x_migrate(db);
        auto sql = db.connect();
        for (std::size_t i = 0; i < done; ++i) sql.exec(sent[3 + i]);
    };

    ScratchDatabase reference("upg_cref"), theirs("upg_cdrz"), ours("upg_clib");
    drizzle_0x_migrate(reference);
    require_ok(drizzle_v1(reference, upgrade_stage("after-up")), "drizzle-orm 1.0 uninterrupted upgrade");
    crash(theirs);
    crash(ours);
    const auto ours_before = others_of(ours);

    // drizzle 1.0 sees a `name` column, counts the table as upgraded, and re-runs the first migration.
    auto drizzle = drizzle_v1(theirs, upgrade_stage("after-up"));
    CHECK(drizzle.exit_code != 0);
    CHECK_THAT(drizzle.err, Catch::Contains("already exists"));

    require_ok(libmigrate("up", ours, upgrade_stage("after-up")), "migrate up after the interrupted upgrade");
    const Tracking finished = tracking_of(ours);
    CHECK(finished.rows == tracking_of(reference).rows);
    CHECK(finished.create == tracking_of(reference).create);
    CHECK(others_of(ours) == ours_before);  // no migration ran
}
