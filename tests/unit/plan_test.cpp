#include "plan/make_plan.hpp"

#include <migrate/plan.hpp>

#include <catch2/catch.hpp>

using migrate::AppliedRow;
using migrate::MigrationState;

namespace {

migrate::Source source_with(std::vector<std::pair<std::string, std::int64_t>> entries) {
    migrate::Source s;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        migrate::Migration m;
        m.position = i;
        m.tag = entries[i].first;
        m.when = entries[i].second;
        m.hash = "hash-" + m.tag;
        s.migrations.push_back(m);
    }
    return s;
}

AppliedRow row(std::uint64_t id, std::string hash, std::optional<std::int64_t> created_at) {
    return {id, std::move(hash), created_at, std::nullopt};
}

std::vector<MigrationState> states(const migrate::Plan& p) {
    std::vector<MigrationState> out;
    for (const auto& e : p.entries) out.push_back(e.state);
    return out;
}

}  // namespace

TEST_CASE("no rows: everything is pending, in journal order") {
    auto src = source_with({{"0000_a", 1000}, {"0001_b", 3000}, {"0002_c", 2000}});
    auto plan = migrate::make_plan(src, {}, false);
    CHECK(states(plan) == std::vector{MigrationState::pending, MigrationState::pending, MigrationState::pending});
    auto pending = plan.pending();
    REQUIRE(pending.size() == 3);
    CHECK(pending[2]->migration->tag == "0002_c");  // array order, not `when` order (drizzle)
    CHECK_FALSE(plan.newest_created_at);
}

TEST_CASE("drizzle's high-water mark: only when > newest created_at runs, older unapplied ones are out of order") {
    // The drizzle-format reference's observed case: journal [1000, 3000, 2000], database max 2500.
    auto src = source_with({{"0000_a", 1000}, {"0001_b", 3000}, {"0002_c", 2000}});
    auto plan = migrate::make_plan(src, {row(1, "hash-0000_a", 1000), row(2, "x", 2500)}, true);
    CHECK(states(plan) == std::vector{MigrationState::applied, MigrationState::pending, MigrationState::out_of_order});
    CHECK(*plan.newest_created_at == 2500);
    REQUIRE(plan.rows_without_file.size() == 1);
    CHECK(plan.rows_without_file[0].id == 2);
    CHECK(plan.count(MigrationState::pending) == 1);
}

TEST_CASE("an applied row whose hash differs is flagged, not re-run") {
    auto src = source_with({{"0000_a", 1000}, {"0001_b", 2000}});
    auto plan = migrate::make_plan(src, {row(1, "hash-0000_a", 1000), row(2, "old-hash", 2000)}, true);
    CHECK(states(plan) == std::vector{MigrationState::applied, MigrationState::applied});
    CHECK_FALSE(plan.entries[0].hash_differs);
    CHECK(plan.entries[1].hash_differs);
    CHECK(plan.pending().empty());
}

TEST_CASE("NULL created_at rows never raise the high-water mark") {
    auto src = source_with({{"0000_a", 1000}});
    auto plan = migrate::make_plan(src, {row(1, "h", std::nullopt)}, true);
    CHECK(states(plan) == std::vector{MigrationState::pending});
    CHECK(plan.rows_without_file.size() == 1);
}

TEST_CASE("two entries sharing a `when` match rows by hash") {
    auto src = source_with({{"0000_a", 1000}, {"0001_b", 1000}});
    auto plan = migrate::make_plan(src, {row(1, "hash-0001_b", 1000), row(2, "hash-0000_a", 1000)}, true);
    CHECK(plan.entries[0].row->id == 2);
    CHECK(plan.entries[1].row->id == 1);
    CHECK_FALSE(plan.entries[0].hash_differs);
    CHECK_FALSE(plan.entries[1].hash_differs);
}

TEST_CASE("a second row for an applied migration is a duplicate, not a row without file, and is not refused") {
    auto src = source_with({{"0000_a", 1000}, {"0001_b", 2000}});
    // Two drizzle migrators started at once: both recorded 0001_b.
    const std::vector<AppliedRow> rows{row(1, "hash-0000_a", 1000), row(2, "hash-0001_b", 2000),
                                       row(3, "hash-0001_b", 2000), row(4, "other", 2000)};
    auto plan = migrate::make_plan(src, rows, true);
    CHECK(states(plan) == std::vector{MigrationState::applied, MigrationState::applied});
    CHECK(plan.entries[1].row->id == 2);
    REQUIRE(plan.duplicate_rows.size() == 1);
    CHECK(plan.duplicate_rows[0].row.id == 3);
    CHECK(plan.duplicate_rows[0].original_id == 2);
    CHECK(plan.duplicate_rows[0].migration == &src.migrations[1]);
    // Same created_at, another hash: not the same migration recorded twice.
    REQUIRE(plan.rows_without_file.size() == 1);
    CHECK(plan.rows_without_file[0].id == 4);
    CHECK_NOTHROW(migrate::validate_plan(plan, {.allow_missing = true}));
    const auto text = migrate::describe_duplicate(plan.duplicate_rows[0], "__drizzle_migrations");
    CHECK_THAT(text, Catch::Contains("row id 3 duplicates row id 2 of 0001_b") &&
                         Catch::Contains("delete from `__drizzle_migrations` where id = 3") &&
                         Catch::Contains("drizzle only reads the newest created_at"));

    auto only_duplicate = migrate::make_plan(src, {rows[0], rows[1], rows[2]}, true);
    CHECK(only_duplicate.rows_without_file.empty());
    CHECK_NOTHROW(migrate::validate_plan(only_duplicate, {}));
}
