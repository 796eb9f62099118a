// drizzle 1.0's upgrade of a 0.x tracking table: the matching (scenarios S1–S4b of
// examples/openinsure-v1/NOTES.md §5 and the real rows of §4), the statements, and finishing an upgrade
// that stopped half-way.
#include "tracking/v0_table_upgrade.hpp"

#include <migrate/source.hpp>

#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <sstream>

using migrate::AppliedRow;
using migrate::tracking::match_v0_rows;
using migrate::tracking::plan_v0_upgrade;
using migrate::tracking::TableShape;
using migrate::tracking::TrackingTable;
using migrate::tracking::V0Matching;
namespace fs = std::filesystem;

namespace {

constexpr std::int64_t T0 = 1767225600000;  // 2026-01-01T00:00:00Z, the scenarios' epoch

fs::path upgrade_corpus(std::string_view path) {
    return fs::path(MIGRATE_SOURCE_DIR) / "examples" / "openinsure-v1" / "upgrade" / path;
}

// A 1.0 source in drizzle's folder order; `when` from the 14-digit prefix is given, hash = "sha-<suffix>"
// unless set.
struct Folder {
    std::string tag;
    std::int64_t when;
    std::string hash = "";
};
migrate::Source v1_source(std::vector<Folder> folders) {
    std::sort(folders.begin(), folders.end(),
              [](const Folder& a, const Folder& b) { return migrate::drizzle_locale_less(a.tag, b.tag); });
    migrate::Source s;
    s.layout = migrate::FolderLayout::drizzle_v1_folders;
    for (std::size_t i = 0; i < folders.size(); ++i) {
        migrate::Migration m;
        m.position = i;
        m.tag = folders[i].tag;
        m.when = folders[i].when;
        m.hash = folders[i].hash.empty() ? "sha-" + m.tag.substr(15) : folders[i].hash;
        s.migrations.push_back(m);
    }
    return s;
}

AppliedRow v0_row(std::uint64_t id, std::string hash, std::optional<std::int64_t> created_at) {
    return {id, std::move(hash), created_at, std::nullopt};
}

// row id → matched folder name, "" for unmatched.
std::map<std::uint64_t, std::string> names_of(const V0Matching& m) {
    std::map<std::uint64_t, std::string> out;
    for (const auto& x : m.matched) out[x.row_id] = x.migration->tag;
    for (auto id : m.unmatched) out[id] = "";
    return out;
}

const TableShape v0_table{.exists = true};
const TableShape v1_table{.exists = true, .has_name = true, .has_applied_at = true};

// The S1/S2/S3 folders: a at T0, b at T0 + 1 s.
// (The matches point into the source: keep it alive.)
const migrate::Source& a_b() {
    static const auto source = v1_source({{"20260101000000_a", T0}, {"20260101000001_b", T0 + 1000}});
    return source;
}

}  // namespace

TEST_CASE("S1: a row is matched by its second alone, whatever its hash") {
    auto m = match_v0_rows(a_b(), {v0_row(1, "sha-a", T0 + 123), v0_row(2, "deadbeef", T0 + 1999)});
    CHECK(names_of(m) == std::map<std::uint64_t, std::string>{{1, "20260101000000_a"}, {2, "20260101000001_b"}});
    CHECK(m.unmatched.empty());
}

TEST_CASE("S2: a row with no folder in its second is matched by hash") {
    auto m = match_v0_rows(a_b(), {v0_row(1, "sha-a", T0 + 500), v0_row(2, "sha-b", T0 + 9000)});
    CHECK(names_of(m) == std::map<std::uint64_t, std::string>{{1, "20260101000000_a"}, {2, "20260101000001_b"}});
}

TEST_CASE("S3: a row matching neither by second nor by hash is unmatched, and the upgrade is refused") {
    const std::vector<AppliedRow> rows = {v0_row(1, "sha-a", T0 + 500), v0_row(2, "ffff", T0 + 100000)};
    auto m = match_v0_rows(a_b(), rows);
    CHECK(m.unmatched == std::vector<std::uint64_t>{2});
    REQUIRE(m.matched.size() == 1);
    CHECK(m.matched[0].migration->tag == "20260101000000_a");

    auto up = plan_v0_upgrade(a_b(), v0_table, rows);
    CHECK(up.refused());
    CHECK(up.statements(TrackingTable("__drizzle_migrations")).empty());  // nothing altered
    CHECK_THAT(up.describe(TrackingTable("__drizzle_migrations")),
               Catch::Contains("refuses") && Catch::Contains("row id 2 matches no migration folder"));
}

TEST_CASE("S4: two folders in one second: rows are matched by hash") {
    auto src = v1_source({{"20260101000005_x", T0 + 5000}, {"20260101000005_y", T0 + 5000}});
    auto m = match_v0_rows(src, {v0_row(1, "sha-y", T0 + 5100), v0_row(2, "sha-x", T0 + 5200)});
    CHECK(names_of(m) == std::map<std::uint64_t, std::string>{{1, "20260101000005_y"}, {2, "20260101000005_x"}});
}

TEST_CASE("S4b: in a shared second an unknown hash is unmatched (no fall-back to other seconds)") {
    auto src = v1_source({{"20260101000005_x", T0 + 5000}, {"20260101000005_y", T0 + 5000}});
    auto m = match_v0_rows(src, {v0_row(1, "sha-x", T0 + 5100), v0_row(2, "0123", T0 + 5200)});
    CHECK(names_of(m) == std::map<std::uint64_t, std::string>{{1, "20260101000005_x"}, {2, ""}});
    // Even when the hash is another second's folder: byHash is only asked when the second has no folder.
    auto other =
        v1_source({{"20260101000005_x", T0 + 5000}, {"20260101000005_y", T0 + 5000}, {"20260101000009_z", T0 + 9000}});
    CHECK(match_v0_rows(other, {v0_row(1, "sha-z", T0 + 5100)}).unmatched == std::vector<std::uint64_t>{1});
}

TEST_CASE("NULL created_at falls through to the hash") {
    auto m = match_v0_rows(a_b(), {v0_row(1, "sha-b", std::nullopt), v0_row(2, "nope", std::nullopt)});
    CHECK(names_of(m) == std::map<std::uint64_t, std::string>{{1, "20260101000001_b"}, {2, ""}});
}

TEST_CASE("two rows may match one folder") {
    auto m = match_v0_rows(a_b(), {v0_row(1, "sha-a", T0), v0_row(2, "sha-a", T0 + 999)});
    CHECK(names_of(m) == std::map<std::uint64_t, std::string>{{1, "20260101000000_a"}, {2, "20260101000000_a"}});
}

TEST_CASE("ties follow drizzle's (when, localeCompare) order, not byte order") {
    // Same hash in both folders of one second: the first in locale order wins there (_a before _B; bytes put
    // _B first). By hash from another second: the last in that order wins (Map.set overwrites).
    auto src = v1_source({{"20260101000005_B", T0 + 5000, "same"}, {"20260101000005_a", T0 + 5000, "same"}});
    CHECK(names_of(match_v0_rows(src, {v0_row(1, "same", T0 + 5500)}))[1] == "20260101000005_a");
    CHECK(names_of(match_v0_rows(src, {v0_row(1, "same", T0 + 7000)}))[1] == "20260101000005_B");
    // Across seconds, `when` decides before the name.
    auto across = v1_source({{"20260101000009_a", T0 + 9000, "same"}, {"20260101000005_z", T0 + 5000, "same"}});
    CHECK(names_of(match_v0_rows(across, {v0_row(1, "same", std::nullopt)}))[1] == "20260101000009_a");
}

TEST_CASE("created_at is truncated toward zero like drizzle's string slicing") {
    // String(created_at) minus its last 3 characters, + "000": "999" → 0, "-5" → 0, "-1234" → -1000.
    auto epoch = v1_source({{"19700101000000_e", 0}, {"19700101000001_f", 1000}});
    auto m =
        match_v0_rows(epoch, {v0_row(1, "?", 999), v0_row(2, "?", -5), v0_row(3, "?", 1999), v0_row(4, "?", -1234)});
    CHECK(names_of(m) == std::map<std::uint64_t, std::string>{
                             {1, "19700101000000_e"}, {2, "19700101000000_e"}, {3, "19700101000001_f"}, {4, ""}});
}

TEST_CASE(
    "the real upgrade (NOTES §4): every 0.45 row matches its drizzle-kit up folder, with drizzle 1.0's statements") {
    const auto source = migrate::read_drizzle_v1_folder(upgrade_corpus("after-up/oi_claims"));
    REQUIRE(source.migrations.size() == 10);
    // dumps/before.rows.tsv: id, hash, created_at as drizzle-orm 0.45 wrote them; after.rows.tsv adds name.
    auto tsv = [](const fs::path& file) {
        std::vector<std::vector<std::string>> rows;
        std::istringstream in(testing::read_file(file));
        std::string line;
        std::getline(in, line);  // header
        while (std::getline(in, line)) {
            std::vector<std::string> cells;
            std::istringstream fields(line);
            for (std::string cell; std::getline(fields, cell, '\t');) cells.push_back(cell);
            rows.push_back(cells);
        }
        return rows;
    };
    std::vector<AppliedRow> rows;
    for (const auto& r : tsv(upgrade_corpus("dumps/before.rows.tsv")))
        rows.push_back(v0_row(std::stoull(r[0]), r[1], std::stoll(r[2])));
    REQUIRE(rows.size() == 10);

    auto up = plan_v0_upgrade(source, v0_table, rows);
    CHECK_FALSE(up.refused());
    CHECK(up.add_name);
    CHECK(up.add_applied_at);
    std::map<std::uint64_t, std::string> expected;
    for (const auto& r : tsv(upgrade_corpus("dumps/after.rows.tsv"))) expected[std::stoull(r[0])] = r[3];
    CHECK(names_of(up.matching) == expected);
    for (const auto& r : up.rows_after(rows)) CHECK(r.name == expected.at(r.id));

    // dumps/upgrade.queries.sql: 2 information_schema reads, the v0 SELECT, then the ALTERs and UPDATEs.
    const std::vector<std::string> sent = testing::read_query_dump(upgrade_corpus("dumps/upgrade.queries.sql"));
    REQUIRE(sent.size() == 18);
    CHECK(up.statements(TrackingTable("__drizzle_migrations")) ==
          std::vector<std::string>(sent.begin() + 3, sent.begin() + 15));
    CHECK(up.describe(TrackingTable("__drizzle_migrations")) ==
          "__drizzle_migrations is a drizzle 0.x table (no `name` column): `up` first upgrades it as drizzle 1.0 does: "
          "adds `name` and `applied_at`, names 10 rows after their folders");
}

TEST_CASE("the statements use the table's quoted name and drizzle's literal") {
    auto up = plan_v0_upgrade(a_b(), v0_table, {v0_row(7, "sha-b", T0 + 1000)});
    CHECK(up.statements(TrackingTable("schema_history")) ==
          std::vector<std::string>{
              "ALTER TABLE `schema_history` ADD `name` text",
              "ALTER TABLE `schema_history` ADD `applied_at` TIMESTAMP DEFAULT CURRENT_TIMESTAMP",
              "UPDATE `schema_history` SET `name` = '20260101000001_b', `applied_at` = NULL WHERE `id` = 7"});
}

TEST_CASE("an empty 0.x table is upgraded too: the two ALTERs only") {
    auto up = plan_v0_upgrade(a_b(), v0_table, {});
    CHECK(up.needed());
    CHECK(up.statements(TrackingTable("t")).size() == 2);
}

TEST_CASE("nothing to upgrade: a 0.x folder, no table, or a complete 1.0 table") {
    migrate::Source v0 = a_b();  // a copy, relabelled
    v0.layout = migrate::FolderLayout::drizzle_v0_journal;
    CHECK_FALSE(plan_v0_upgrade(v0, v0_table, {v0_row(1, "sha-a", T0)}).needed());
    CHECK_FALSE(plan_v0_upgrade(a_b(), {}, {}).needed());
    AppliedRow named = v0_row(1, "sha-a", T0);
    named.name = "20260101000000_a";
    auto none = plan_v0_upgrade(a_b(), v1_table, {named});
    CHECK_FALSE(none.needed());
    CHECK(none.describe(TrackingTable("t")).empty());
}

TEST_CASE("an upgrade that stopped half-way is finished on the next run, as it would have ended") {
    const std::vector<AppliedRow> v0_rows = {v0_row(1, "sha-a", T0 + 123), v0_row(2, "deadbeef", T0 + 1999)};
    const auto whole = plan_v0_upgrade(a_b(), v0_table, v0_rows).statements(TrackingTable("t"));
    REQUIRE(whole.size() == 4);

    SECTION("died after ALTER … ADD name: the second ALTER and every UPDATE") {
        auto up = plan_v0_upgrade(a_b(), {.exists = true, .has_name = true}, v0_rows);
        CHECK_FALSE(up.add_name);
        CHECK(up.statements(TrackingTable("t")) == std::vector<std::string>(whole.begin() + 1, whole.end()));
        CHECK_THAT(up.describe(TrackingTable("t")),
                   Catch::Contains("completes the upgrade") && Catch::Contains("no `applied_at` column"));
    }
    SECTION("died after both ALTERs and the first UPDATE: the remaining UPDATE") {
        auto rows = v0_rows;
        rows[0].name = "20260101000000_a";
        auto up = plan_v0_upgrade(a_b(), v1_table, rows);
        CHECK(up.statements(TrackingTable("t")) == std::vector<std::string>{whole.back()});
        CHECK(up.rows_after(rows)[1].name == "20260101000001_b");
    }
    SECTION("died between the ALTERs of an empty table: the missing column") {
        auto up = plan_v0_upgrade(a_b(), {.exists = true, .has_name = true}, {});
        CHECK(up.statements(TrackingTable("t")) == std::vector<std::string>{whole[1]});
    }
    SECTION("a nameless row that matches nothing: nothing is done (drizzle 1.0's view: a row without file)") {
        auto rows = v0_rows;
        rows.push_back(v0_row(3, "ffff", T0 + 100000));
        auto up = plan_v0_upgrade(a_b(), v1_table, rows);
        CHECK_FALSE(up.needed());
        CHECK_FALSE(up.refused());
        CHECK(up.rows_after(rows)[0].name == std::nullopt);
    }
}
