// libmigrate and drizzle take turns on one database: same reading, same rows, same schema.
#include <migrate/migrate.hpp>

#include "checks.hpp"
#include "fixtures.hpp"
#include "process.hpp"
#include "temp_dir.hpp"
#include "test_server.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace testing;
namespace fs = std::filesystem;

namespace {

const std::vector<std::string> all_folders = {"oi_global", "oi_policies", "oi_submissions",
                                              "oi_claims", "oi_billing",  "monolith"};

void drizzle_migrate(const std::string& url, const fs::path& dir) {
    require_ok(run_node("drizzle-migrate.mjs", {"--url", url, "--dir", dir.string()}), "drizzle-orm migrate()");
}

void libmigrate_up(const std::string& url, const fs::path& dir) {
    require_ok(run_cli({"up", "--no-baseline", "--url", url, "--dir", dir.string()}), "migrate up");
}

Snapshot state_of(const ScratchDatabase& db) { return db.connect().snapshot(); }

void check_same(const Snapshot& ours, const Snapshot& theirs) {
    CHECK(ours.tracking.size() == theirs.tracking.size());
    CHECK(ours.tracking == theirs.tracking);
    for (const auto& [table, create] : theirs.schema) {
        INFO("table " << table);
        REQUIRE(ours.schema.count(table) == 1);
        CHECK(ours.schema.at(table) == create);
    }
    CHECK(ours.schema.size() == theirs.schema.size());
    CHECK(ours.data == theirs.data);
}

// (a) each applies everything alone (libmigrate replaying: baseline_corpus_test covers the baseline); (b) drizzle first
// half, libmigrate the rest, then drizzle-kit has nothing to do; (c) libmigrate first half, drizzle the rest.
void take_turns(const std::string& name) {
    const fs::path folder = corpus_folder(name);
    const std::size_t total = journal_size(folder), half = total / 2;
    TempDir tmp;
    const fs::path first_half = tmp.path() / "first-half";
    copy_folder_prefix(folder, first_half, half);

    ScratchDatabase by_drizzle("drz"), by_us("lib");
    drizzle_migrate(by_drizzle.url(), folder);
    libmigrate_up(by_us.url(), folder);
    const auto reference = state_of(by_drizzle);
    REQUIRE(reference.tracking.size() == total);
    SECTION("(a) libmigrate alone ends exactly where drizzle alone ends") { check_same(state_of(by_us), reference); }

    SECTION("(b) drizzle first half, libmigrate the rest, then drizzle-kit migrate changes nothing") {
        ScratchDatabase db("b");
        drizzle_migrate(db.url(), first_half);
        REQUIRE(db.connect().tracking_rows().size() == half);
        libmigrate_up(db.url(), folder);
        const auto after_us = state_of(db);
        check_same(after_us, reference);
        auto kit = run_process({"node", std::string(MIGRATE_INTEROP_DIR) + "/kit-migrate.mjs", "--url", db.url(),
                                "--dir", folder.string()});
        require_ok(kit, "drizzle-kit migrate");
        CHECK_THAT(kit.out + kit.err, Catch::Contains("migrations applied successfully"));
        check_same(state_of(db), after_us);
    }
    SECTION("(c) libmigrate first half, drizzle the rest") {
        ScratchDatabase db("c");
        libmigrate_up(db.url(), first_half);
        REQUIRE(db.connect().tracking_rows().size() == half);
        drizzle_migrate(db.url(), folder);
        check_same(state_of(db), reference);
    }
}

}  // namespace

TEST_CASE("we read every corpus folder exactly as drizzle's readMigrationFiles does") {
    for (const auto& name : all_folders) {
        INFO("folder " << name);
        const auto folder = corpus_folder(name);
        auto r = run_node("read-folder.mjs", {folder.string()});
        require_ok(r, "read-folder.mjs");
        auto theirs = nlohmann::json::parse(r.out);
        auto ours = migrate::read_drizzle_folder(folder);
        REQUIRE(theirs.size() == ours.migrations.size());
        for (std::size_t i = 0; i < theirs.size(); ++i) {
            const auto& t = theirs[i];
            const auto& m = ours.migrations[i];
            INFO("migration " << m.tag);
            CHECK(t["hash"].get<std::string>() == m.hash);
            CHECK(t["folderMillis"].get<std::int64_t>() == m.when);
            // drizzle sends every chunk; we send the same ones minus whitespace-only chunks.
            std::vector<std::string> sent;
            for (const auto& chunk : t["sql"]) {
                auto s = chunk.get<std::string>();
                if (s.find_first_not_of(" \t\r\n\f\v") != std::string::npos) sent.push_back(s);
            }
            std::vector<std::string> ours_sql;
            for (const auto& s : m.statements) ours_sql.emplace_back(s.sql);
            CHECK(ours_sql == sent);
        }
    }
}

TEST_CASE("our hash of non-UTF-8 files equals the one drizzle records") {
    TempDir tmp;
    const std::vector<std::string> samples = {
        "SELECT 'caf\xE9';",
        "\xFF\xFE",
        "a\xE2\x82"
        "b",
        "\xE0\x80\x80 \xED\xA0\x80",
        "\xF4\x90\x80\x80\xC0\xAF",
        "\xF0\x9F\x98",
        "ok \xF0\x9F\x98\x80 then \x80\x80",
        "\xEF\xBB\xBF\xC3",
    };
    for (std::size_t i = 0; i < samples.size(); ++i) {
        auto file = tmp.path() / ("s" + std::to_string(i) + ".sql");
        write_file(file, samples[i]);
        auto r = run_node("hash-file.mjs", {file.string()});
        require_ok(r, "hash-file.mjs");
        std::string theirs = r.out.substr(0, r.out.find_last_not_of(" \n") + 1);
        INFO("sample " << i);
        CHECK(migrate::drizzle_hash(samples[i]) == theirs);
    }
}

TEST_CASE("interop oi_global") { take_turns("oi_global"); }
TEST_CASE("interop oi_policies") { take_turns("oi_policies"); }
TEST_CASE("interop oi_submissions") { take_turns("oi_submissions"); }
TEST_CASE("interop oi_claims") { take_turns("oi_claims"); }
TEST_CASE("interop oi_billing") { take_turns("oi_billing"); }
TEST_CASE("interop monolith") { take_turns("monolith"); }
