// compare_branches and rebase_migrations on small hand-made drizzle-kit 0.x folders (the real drizzle-kit
// runs in tests/interop/merge_interop_test.cpp).
#include "temp_dir.hpp"

#include <migrate/error.hpp>
#include <migrate/merge.hpp>
#include <migrate/source.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <map>
#include <set>

using namespace testing;
namespace fs = std::filesystem;
using Json = nlohmann::json;

namespace {

struct Mig {
    std::string tag;
    std::int64_t when = 0;
    std::string sql;
    std::vector<std::string> tables;  // the schema after it (each table a small stand-in object)
};

Json table(const std::string& name) { return Json{{"name", name}, {"columns", {{"id", {{"name", "id"}}}}}}; }

// A 0.x folder as drizzle-kit writes it: journal, <tag>.sql, meta/NNNN_snapshot.json chained by prevId.
void make_folder(const fs::path& dir, const std::vector<Mig>& migrations) {
    Json entries = Json::array();
    std::string prev = "00000000-0000-0000-0000-000000000000";
    for (std::size_t i = 0; i < migrations.size(); ++i) {
        const auto& m = migrations[i];
        entries.push_back({{"idx", i}, {"version", "5"}, {"when", m.when}, {"tag", m.tag}, {"breakpoints", true}});
        write_file(dir / (m.tag + ".sql"), m.sql);
        Json tables = Json::object();
        for (const auto& t : m.tables) tables[t] = table(t);
        const std::string id = "id-" + m.tag;
        write_file(
            dir / "meta" / (m.tag.substr(0, 4) + "_snapshot.json"),
            Json{{"version", "5"},
                 {"dialect", "mysql"},
                 {"id", id},
                 {"prevId", prev},
                 {"tables", tables},
                 {"views", Json::object()},
                 {"_meta", {{"schemas", Json::object()}, {"tables", Json::object()}, {"columns", Json::object()}}}}
                .dump(2));
        prev = id;
    }
    write_file(dir / "meta" / "_journal.json",
               Json{{"version", "7"}, {"dialect", "mysql"}, {"entries", entries}}.dump(2));
}

std::map<std::string, std::string> tree(const fs::path& dir) {
    std::map<std::string, std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file()) out[fs::relative(e.path(), dir).string()] = read_file(e.path());
    return out;
}

Json json_file(const fs::path& f) { return Json::parse(read_file(f)); }

const Mig init{"0000_init",
               1000,
               "CREATE TABLE `users` (`id` int);\n--> statement-breakpoint\nCREATE TABLE `legacy` (`id` int);",
               {"users", "legacy"}};
const Mig tags{"0001_tags", 2000, "CREATE TABLE `tags` (`id` int);", {"users", "legacy", "tags"}};
const Mig posts{"0001_posts", 1500, "CREATE TABLE `posts` (`id` int);", {"users", "legacy", "posts"}};
const Mig drop_legacy{"0002_drop_legacy", 2500, "DROP TABLE `legacy`;", {"users", "posts"}};

struct Folders {
    TempDir tmp;
    fs::path mb = tmp.path() / "mb", base = tmp.path() / "base", head = tmp.path() / "head";
    Folders(const std::vector<Mig>& base_added, const std::vector<Mig>& head_added) {
        make_folder(mb, {init});
        auto b = std::vector<Mig>{init};
        b.insert(b.end(), base_added.begin(), base_added.end());
        make_folder(base, b);
        auto h = std::vector<Mig>{init};
        h.insert(h.end(), head_added.begin(), head_added.end());
        make_folder(head, h);
    }
};

bool has(const migrate::BranchComparison& c, migrate::MergeFindingKind k) {
    return std::any_of(c.findings.begin(), c.findings.end(), [&](const auto& f) { return f.kind == k; });
}

}  // namespace

TEST_CASE("merge compare finds the when regression and the shared idx", "[merge]") {
    Folders f({tags}, {posts});
    const auto c = migrate::compare_branches(f.base, f.head, f.mb);
    CHECK(c.branch_tags == std::vector<std::string>{"0001_posts"});
    CHECK(c.base_tags == std::vector<std::string>{"0001_tags"});
    CHECK(has(c, migrate::MergeFindingKind::when_regression));
    CHECK(has(c, migrate::MergeFindingKind::duplicate_idx));
    CHECK(has(c, migrate::MergeFindingKind::snapshot_fork));
    CHECK_FALSE(has(c, migrate::MergeFindingKind::same_table));
    for (const auto& finding : c.findings)
        if (finding.kind == migrate::MergeFindingKind::when_regression) {
            CHECK(finding.branch.tag == "0001_posts");
            CHECK(finding.branch.when == 1500);
            CHECK(finding.base.tag == "0001_tags");
            CHECK(finding.base.when == 2000);
            CHECK(finding.rebase_fixes);
        }
    const auto lint = migrate::lint_findings(c, {});
    CHECK(migrate::lint_error_count(lint) == lint.size());
    CHECK(std::any_of(lint.begin(), lint.end(), [](const auto& l) { return l.rule == "merge-when-regression"; }));
    CHECK(lint.front().file.filename() == "0001_posts.sql");
}

TEST_CASE("merge compare finds a table both sides change", "[merge]") {
    const Mig bio{"0001_bio", 3000, "ALTER TABLE `Users` ADD `bio` text;", {"users", "legacy"}};
    const Mig age{"0001_age", 2000, "ALTER TABLE users ADD age int;", {"users", "legacy"}};
    Folders f({age}, {bio});
    const auto c = migrate::compare_branches(f.base, f.head, f.mb);
    CHECK_FALSE(has(c, migrate::MergeFindingKind::when_regression));  // bio is newer
    REQUIRE(has(c, migrate::MergeFindingKind::same_table));
    for (const auto& finding : c.findings)
        if (finding.kind == migrate::MergeFindingKind::same_table) {
            CHECK(finding.table == "users");
            CHECK_FALSE(finding.rebase_fixes);
        }

    const auto before = tree(f.head);
    try {
        migrate::rebase_migrations(f.head, f.base, f.mb);
        FAIL("rebase accepted both sides changing users");
    } catch (const migrate::error& e) {
        CHECK(e.code() == migrate::errc::merge_conflict);
        CHECK(std::string(e.what()).find("users") != std::string::npos);
        CHECK(std::string(e.what()).find("0001_bio") != std::string::npos);
        CHECK(std::string(e.what()).find("0001_age") != std::string::npos);
    }
    CHECK(tree(f.head) == before);
}

TEST_CASE("merge rebase renumbers restamps and merges snapshots", "[merge]") {
    Folders f({tags}, {posts, drop_legacy});
    const auto r = migrate::rebase_migrations(f.head, f.base, f.mb);
    CHECK(r.base_tags == std::vector<std::string>{"0001_tags"});
    REQUIRE(r.rebased.size() == 2);
    CHECK(r.rebased[0].new_tag == "0002_posts");
    CHECK(r.rebased[0].new_when == 2001);  // restamped above the base's newest
    CHECK(r.rebased[1].new_tag == "0003_drop_legacy");
    CHECK(r.rebased[1].new_when == 2500);  // already newer: kept

    const auto source = migrate::read_drizzle_folder(f.head);
    REQUIRE(source.migrations.size() == 4);
    CHECK(source.migrations[1].tag == "0001_tags");
    CHECK(source.migrations[2].tag == "0002_posts");
    CHECK(source.migrations[3].tag == "0003_drop_legacy");
    CHECK(read_file(f.head / "0002_posts.sql") == posts.sql);
    CHECK_FALSE(fs::exists(f.head / "0001_posts.sql"));
    CHECK(json_file(f.head / "meta" / "0001_snapshot.json") == json_file(f.base / "meta" / "0001_snapshot.json"));
    const auto s2 = json_file(f.head / "meta" / "0002_snapshot.json");
    const auto s3 = json_file(f.head / "meta" / "0003_snapshot.json");
    CHECK(s2["id"] == "id-0001_posts");
    CHECK(s2["prevId"] == "id-0001_tags");
    CHECK(s3["prevId"] == "id-0001_posts");
    CHECK(s2["tables"].size() == 4);  // users, legacy, tags, posts
    CHECK(s3["tables"].size() == 3);  // legacy dropped by the branch
    CHECK_FALSE(s3["tables"].contains("legacy"));
    CHECK(s3["tables"].contains("tags"));
    const auto journal = json_file(f.head / "meta" / "_journal.json");
    CHECK(journal["entries"][2]["idx"] == 2);
    CHECK(journal["entries"][3]["idx"] == 3);
    for (const auto& e : fs::directory_iterator(f.head / "meta"))
        CHECK(e.path().filename().string().rfind("_rebase_", 0) != 0);  // no temporaries left

    // Merged: nothing left to find, and a second rebase is a no-op.
    CHECK(migrate::compare_branches(f.base, f.head, f.mb).findings.empty());
    const auto after = tree(f.head);
    migrate::rebase_migrations(f.head, f.base, f.mb);
    CHECK(tree(f.head) == after);
}

TEST_CASE("merge rebase with nothing on the base writes nothing", "[merge]") {
    Folders f({}, {posts});
    const auto before = tree(f.head);
    const auto r = migrate::rebase_migrations(f.head, f.base, f.mb);
    CHECK(r.rebased.empty());
    CHECK(tree(f.head) == before);
    CHECK(migrate::compare_branches(f.base, f.head, f.mb).findings.empty());
}

namespace {

// A drizzle-kit 1.0 folder: <time>_<name>/migration.sql + snapshot.json ({id, prevIds, ddl}).
void make_v1_folder(const fs::path& dir, const std::vector<Mig>& migrations) {
    std::string prev = "00000000-0000-0000-0000-000000000000";
    for (const auto& m : migrations) {
        Json ddl = Json::array();
        for (const auto& t : m.tables) {
            ddl.push_back({{"name", t}, {"entityType", "tables"}});
            ddl.push_back({{"name", "id"}, {"type", "int"}, {"entityType", "columns"}, {"table", t}});
        }
        const std::string id = "id-" + m.tag;
        write_file(dir / m.tag / "migration.sql", m.sql);
        write_file(dir / m.tag / "snapshot.json", Json{{"version", "6"},
                                                       {"dialect", "mysql"},
                                                       {"id", id},
                                                       {"prevIds", {prev}},
                                                       {"ddl", ddl},
                                                       {"renames", Json::array()}}
                                                      .dump(2));
        prev = id;
    }
}

}  // namespace

TEST_CASE("merge rebase renames drizzle 1.0 folders after the base", "[merge]") {
    TempDir tmp;
    const fs::path mb = tmp.path() / "mb", base = tmp.path() / "base", head = tmp.path() / "head";
    const Mig v1_init{"20260101000000_init", 0, "CREATE TABLE `users` (`id` int);", {"users"}};
    const Mig v1_tags{"20260103000000_tags", 0, "CREATE TABLE `tags` (`id` int);", {"users", "tags"}};
    const Mig v1_posts{"20260102000000_posts", 0, "CREATE TABLE `posts` (`id` int);", {"users", "posts"}};
    make_v1_folder(mb, {v1_init});
    make_v1_folder(base, {v1_init, v1_tags});
    make_v1_folder(head, {v1_init, v1_posts});

    const auto c = migrate::compare_branches(base, head, mb);
    CHECK(c.layout == migrate::FolderLayout::drizzle_v1_folders);
    // drizzle 1.0 applies an older folder by name: no incident to report, only rebase's tidying.
    CHECK_FALSE(has(c, migrate::MergeFindingKind::when_regression));
    CHECK_FALSE(has(c, migrate::MergeFindingKind::snapshot_fork));
    CHECK_FALSE(has(c, migrate::MergeFindingKind::same_table));

    // The clock behind the base's newest folder: one second after it.
    const auto r = migrate::rebase_migrations(head, base, mb, {.now_ms = 1767225600000});  // 2026-01-01
    REQUIRE(r.rebased.size() == 1);
    CHECK(r.rebased[0].new_tag == "20260103000001_posts");
    const auto source = migrate::read_drizzle_v1_folder(head);
    REQUIRE(source.migrations.size() == 3);
    CHECK(source.migrations[1].tag == "20260103000000_tags");
    CHECK(source.migrations[2].tag == "20260103000001_posts");
    CHECK_FALSE(fs::exists(head / "20260102000000_posts"));
    const auto snap = json_file(head / "20260103000001_posts" / "snapshot.json");
    CHECK(snap["id"] == "id-20260102000000_posts");
    CHECK(snap["prevIds"] == Json::array({"id-20260103000000_tags"}));
    std::set<std::string> tables;
    for (const auto& e : snap["ddl"])
        if (e["entityType"] == "tables") tables.insert(e["name"].get<std::string>());
    CHECK(tables == std::set<std::string>{"users", "tags", "posts"});
    CHECK(snap["ddl"].size() == 6);
    CHECK(migrate::compare_branches(base, head, mb).findings.empty());
    // Already after the base: a second rebase keeps the folder whatever the clock says.
    const auto again = migrate::rebase_migrations(head, base, mb, {.now_ms = 1893456000000});  // 2030-01-01
    REQUIRE(again.rebased.size() == 1);
    CHECK(again.rebased[0].new_tag == "20260103000001_posts");
    CHECK(fs::exists(head / "20260103000001_posts" / "migration.sql"));
}

TEST_CASE("merge after the fact the journal rules catch the older when", "[merge]") {
    // Git merged both sides and the journal conflict was resolved by keeping both entries: no base to
    // compare with any more, the journal alone shows the migration drizzle would skip.
    TempDir tmp;
    const fs::path dir = tmp.path() / "merged";
    make_folder(dir, {init, tags, posts});
    const auto findings = migrate::lint_journal(dir);
    CHECK(std::any_of(findings.begin(), findings.end(),
                      [](const auto& f) { return f.rule == "journal-when-not-increasing"; }));
    CHECK_FALSE(
        std::any_of(findings.begin(), findings.end(), [](const auto& f) { return f.rule == "journal-unlisted-file"; }));
}
