// Baselines without a server: snapshot text (order, literals, constraints), baseline files, first-run plans.
#include "baseline/baseline_files.hpp"
#include "baseline/snapshot_sql.hpp"
#include "temp_dir.hpp"

#include "plan/make_plan.hpp"

#include <migrate/baseline.hpp>
#include <migrate/error.hpp>
#include <migrate/plan.hpp>

#include <catch2/catch.hpp>

#include <fstream>

using namespace migrate::baseline;
using migrate::errc;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> statements_of(const std::string& sql) {
    std::vector<std::string> out;
    for (const auto& s : migrate::split_statements(sql)) out.emplace_back(s.sql);
    return out;
}

// Position of the first statement containing `needle`.
std::size_t index_of(const std::vector<std::string>& statements, std::string_view needle) {
    for (std::size_t i = 0; i < statements.size(); ++i)
        if (statements[i].find(needle) != std::string::npos) return i;
    FAIL("no statement contains " << needle);
    return 0;
}

std::string create_with_fk(const std::string& table, const std::string& fk, const std::string& parent) {
    return "CREATE TABLE `" + table +
           "` (\n  `id` int(11) NOT NULL,\n  `ref` int(11) DEFAULT NULL,\n  PRIMARY KEY (`id`),\n"
           "  KEY `" +
           fk + "` (`ref`),\n  CONSTRAINT `" + fk + "` FOREIGN KEY (`ref`) REFERENCES `" + parent +
           "` (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";
}

void write(const fs::path& p, const std::string& text) {
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
}

migrate::Source two_migrations(const fs::path& dir) {
    migrate::Source s;
    s.dir = dir;
    for (int i = 0; i < 2; ++i) {
        migrate::Migration m;
        m.position = i;
        m.tag = "000" + std::to_string(i) + "_m";
        m.when = 1000 + i;
        m.hash = std::string(64, static_cast<char>('a' + i));
        s.migrations.push_back(m);
    }
    return s;
}

}  // namespace

TEST_CASE("value literals mean the same under every sql_mode") {
    const std::string plain = "It's \"here\"", slash = "a\\b", digits = "-12.50", hex = "00FF";
    CHECK(value_literal(ValueKind::text, nullptr) == "NULL");
    CHECK(value_literal(ValueKind::text, &plain) == "'It''s \"here\"'");
    CHECK(value_literal(ValueKind::text, &slash) == "_utf8mb4 X'615C62'");  // no backslash inside quotes
    CHECK(value_literal(ValueKind::number, &digits) == "-12.50");
    CHECK(value_literal(ValueKind::binary, &hex) == "X'00FF'");
    CHECK(value_kind("BIGINT") == ValueKind::number);
    CHECK(value_kind("varbinary") == ValueKind::binary);
    CHECK(value_kind("bit") == ValueKind::bit);
    CHECK(select_expression(ValueKind::bit, "flag") == "`flag` + 0");
    CHECK(select_expression(ValueKind::binary, "b") == "hex(`b`)");
    CHECK(value_kind("json") == ValueKind::text);
    CHECK(value_kind("datetime") == ValueKind::text);
    CHECK(quote_identifier("we`ird") == "`we``ird`");
}

TEST_CASE("rows become multi-row INSERTs, split by size") {
    std::vector<std::vector<std::string>> rows;
    for (int i = 0; i < 10; ++i) rows.push_back({std::to_string(i), "'" + std::string(30, 'x') + "'"});
    auto one = insert_statements("t", {"id", "label"}, rows);
    REQUIRE(one.size() == 1);
    CHECK(one[0].rfind("INSERT INTO `t` (`id`, `label`) VALUES\n(0, 'xxx", 0) == 0);
    CHECK(one[0].back() == ';');
    auto many = insert_statements("t", {"id", "label"}, rows, 120);
    CHECK(many.size() > 3);
    std::size_t tuples = 0;
    for (const auto& s : many) {
        CHECK(s.rfind("INSERT INTO `t`", 0) == 0);
        tuples += static_cast<std::size_t>(std::count(s.begin(), s.end(), '(')) - 1;  // minus the column list
    }
    CHECK(tuples == 10);
    CHECK(insert_statements("t", {"id"}, {}).empty());
}

TEST_CASE("a foreign key is taken out of SHOW CREATE TABLE text, commas kept valid") {
    const std::string last = create_with_fk("child", "child_fk", "parent");
    auto [without, clause] = take_foreign_key(last, "child_fk");
    CHECK(clause == "CONSTRAINT `child_fk` FOREIGN KEY (`ref`) REFERENCES `parent` (`id`)");
    CHECK(without.find("CONSTRAINT") == std::string::npos);
    CHECK(without.find("KEY `child_fk` (`ref`)\n) ENGINE") != std::string::npos);  // no dangling comma

    const std::string middle =
        "CREATE TABLE `c` (\n  `a` int,\n  CONSTRAINT `fk_a` FOREIGN KEY (`a`) REFERENCES `p` (`id`),\n"
        "  CONSTRAINT `fk_b` FOREIGN KEY (`a`) REFERENCES `q` (`id`)\n) ENGINE=InnoDB";
    auto [rest, first] = take_foreign_key(middle, "fk_a");
    CHECK(first == "CONSTRAINT `fk_a` FOREIGN KEY (`a`) REFERENCES `p` (`id`)");
    CHECK(
        rest ==
        "CREATE TABLE `c` (\n  `a` int,\n  CONSTRAINT `fk_b` FOREIGN KEY (`a`) REFERENCES `q` (`id`)\n) ENGINE=InnoDB");
    CHECK(take_foreign_key(middle, "nope").second.empty());
}

TEST_CASE("views lose their definer") {
    CHECK(
        strip_definer("CREATE ALGORITHM=UNDEFINED DEFINER=`mi``grate`@`%` SQL SECURITY DEFINER VIEW `v` AS select 1") ==
        "CREATE ALGORITHM=UNDEFINED SQL SECURITY DEFINER VIEW `v` AS select 1");
    CHECK(strip_definer("CREATE VIEW `v` AS select 1") == "CREATE VIEW `v` AS select 1");
}

TEST_CASE("snapshot order: parents first, cycles and self-references with rows deferred, views last") {
    std::vector<TableDump> tables;
    tables.push_back({"a_child",
                      create_with_fk("a_child", "a_child_fk", "z_parent"),
                      {{"a_child_fk", "z_parent"}},
                      {"INSERT INTO `a_child` (`id`) VALUES\n(1);"},
                      1});
    tables.push_back({"z_parent",
                      "CREATE TABLE `z_parent` (\n  `id` int(11) NOT NULL,\n  PRIMARY KEY (`id`)\n)",
                      {},
                      {"INSERT INTO `z_parent` (`id`) VALUES\n(1);"},
                      1});
    tables.push_back({"cyc_a", create_with_fk("cyc_a", "cyc_a_fk", "cyc_b"), {{"cyc_a_fk", "cyc_b"}}, {}, 0});
    tables.push_back({"cyc_b", create_with_fk("cyc_b", "cyc_b_fk", "cyc_a"), {{"cyc_b_fk", "cyc_a"}}, {}, 0});
    tables.push_back({"tree",
                      create_with_fk("tree", "tree_parent_fk", "tree"),
                      {{"tree_parent_fk", "tree"}},
                      {"INSERT INTO `tree` (`id`, `ref`) VALUES\n(1, 2),\n(2, NULL);"},
                      2});
    tables.push_back({"empty_tree",
                      create_with_fk("empty_tree", "empty_tree_fk", "empty_tree"),
                      {{"empty_tree_fk", "empty_tree"}},
                      {},
                      0});
    std::vector<ViewDump> views = {
        {"v_outer",
         "CREATE ALGORITHM=UNDEFINED DEFINER=`x`@`%` SQL SECURITY DEFINER VIEW `v_outer` AS select * from `v_inner`"},
        {"v_inner", "CREATE VIEW `v_inner` AS select 1 AS `one`"}};
    auto snap = render_snapshot("-- header\n", tables, views);
    REQUIRE(snap.sql.rfind("-- header\nCREATE TABLE", 0) == 0);
    auto s = statements_of(snap.sql);
    CHECK(s.size() == snap.statements);
    CHECK(index_of(s, "CREATE TABLE `z_parent`") < index_of(s, "CREATE TABLE `a_child`"));
    CHECK(index_of(s, "INSERT INTO `z_parent`") < index_of(s, "INSERT INTO `a_child`"));
    CHECK(index_of(s, "CREATE TABLE `a_child`") < index_of(s, "INSERT INTO `z_parent`"));  // every table before any row
    // The parent-child key stays inline; the cycle's forward key and the tree's self-reference are deferred.
    CHECK(s[index_of(s, "CREATE TABLE `a_child`")].find("CONSTRAINT `a_child_fk`") != std::string::npos);
    CHECK(s[index_of(s, "CREATE TABLE `cyc_a`")].find("CONSTRAINT") == std::string::npos);
    CHECK(s[index_of(s, "CREATE TABLE `cyc_b`")].find("CONSTRAINT `cyc_b_fk`") != std::string::npos);
    CHECK(s[index_of(s, "CREATE TABLE `tree`")].find("CONSTRAINT") == std::string::npos);
    CHECK(s[index_of(s, "CREATE TABLE `empty_tree`")].find("CONSTRAINT `empty_tree_fk`") != std::string::npos);
    const auto alter_cycle = index_of(s, "ALTER TABLE `cyc_a` ADD CONSTRAINT `cyc_a_fk` FOREIGN KEY");
    const auto alter_tree = index_of(s, "ALTER TABLE `tree` ADD CONSTRAINT `tree_parent_fk` FOREIGN KEY");
    CHECK(alter_tree > index_of(s, "INSERT INTO `tree`"));
    CHECK(alter_cycle > index_of(s, "INSERT INTO `a_child`"));
    CHECK(index_of(s, "VIEW `v_inner`") < index_of(s, "VIEW `v_outer`"));
    CHECK(index_of(s, "VIEW `v_inner`") > alter_cycle);
    CHECK(snap.sql.find("DEFINER=`x`") == std::string::npos);
    CHECK(s[index_of(s, "VIEW `v_outer`")].find("CREATE OR REPLACE ALGORITHM=UNDEFINED SQL SECURITY DEFINER VIEW") !=
          std::string::npos);
    for (const auto& st : s) CHECK(st.substr(0, st.find_last_not_of(" \n") + 1).back() == ';');
    // The same input gives the same text, whatever order it came in.
    std::reverse(tables.begin(), tables.end());
    CHECK(render_snapshot("-- header\n", tables, views).sql == snap.sql);
}

TEST_CASE("read_baseline: absent, written, stale, malformed") {
    testing::TempDir tmp;
    const fs::path dir = tmp.path() / "drizzle" / "baseline";
    auto source = two_migrations(tmp.path() / "drizzle");
    CHECK_FALSE(migrate::read_baseline(dir, source).has_value());

    const std::string sql =
        "-- h\nCREATE TABLE `t` (`id` int);\n--> statement-breakpoint\nINSERT INTO `t` VALUES\n(1);\n";
    write_baseline(dir, source, 2, "10.11.19-MariaDB", {.tables = 1, .rows = 1, .statements = 2}, sql);
    auto b = migrate::read_baseline(dir, source);
    REQUIRE(b);
    CHECK(b->usable());
    CHECK(b->through == "0001_m");
    CHECK(b->covered.size() == 2);
    CHECK(b->covered[1].hash == source.migrations[1].hash);
    CHECK(b->snapshot.tag == "baseline");
    CHECK(b->snapshot.when == migrate::baseline_progress_key);
    CHECK(b->snapshot.statements.size() == 2);
    CHECK(b->tables == 1);

    SECTION("a covered migration edited since") {
        source.migrations[0].hash = std::string(64, 'f');
        auto stale = migrate::read_baseline(dir, source);
        REQUIRE(stale);
        REQUIRE(stale->problems.size() == 1);
        CHECK(stale->problems[0].find("edited after the snapshot was made") != std::string::npos);
    }
    SECTION("a migration inserted before its end") {
        source.migrations[1].tag = "0001_other";
        auto stale = migrate::read_baseline(dir, source);
        REQUIRE(stale->problems.size() == 1);
        CHECK(stale->problems[0].find("0001_other") != std::string::npos);
    }
    SECTION("the snapshot edited by hand") {
        write(dir / "snapshot.sql", sql + "--> statement-breakpoint\nDROP TABLE `t`;\n");
        auto stale = migrate::read_baseline(dir, source);
        REQUIRE(stale->problems.size() == 1);
        CHECK(stale->problems[0].find("snapshot.sql was edited") != std::string::npos);
    }
    SECTION("a covered migration removed from the folder") {
        source.migrations.pop_back();
        CHECK_FALSE(migrate::read_baseline(dir, source)->usable());
    }
    SECTION("written again: the old pair is replaced whole") {
        write_baseline(dir, source, 1, "10.11.19-MariaDB", {.tables = 1, .statements = 1},
                       "CREATE TABLE `u` (`id` int);\n");
        auto again = migrate::read_baseline(dir, source);
        CHECK(again->through == "0000_m");
        CHECK(again->usable());
        CHECK(std::distance(fs::directory_iterator(dir.parent_path()), fs::directory_iterator()) == 1);
    }
    auto fails_with = [&](const std::string& json, const std::string& words) {
        write(dir / "baseline.json", json);
        try {
            migrate::read_baseline(dir, source);
            FAIL("accepted: " << json);
        } catch (const migrate::error& e) {
            CHECK(e.code() == errc::baseline_invalid);
            CHECK_THAT(e.what(), Catch::Contains("baseline.json") && Catch::Contains(words));
        }
    };
    SECTION("metadata not as written but valid reads the same as written") {
        // A repeated key (the last one counts, as for JSON.parse) and another layout of the text: the
        // fast reader hands these to the full one, whose answer must not differ from the usual case.
        std::ifstream in(dir / "baseline.json");
        std::string good((std::istreambuf_iterator<char>(in)), {});
        write(dir / "baseline.json", "{\"server\": \"an earlier value\", " + good.substr(good.find('{') + 1));
        auto again = migrate::read_baseline(dir, source);
        REQUIRE(again);
        CHECK(again->usable());
        CHECK(again->server == "10.11.19-MariaDB");
        CHECK(again->through == "0001_m");
        CHECK(again->covered.size() == 2);
        CHECK(again->covered[1].hash == source.migrations[1].hash);
        CHECK(again->tables == 1);
    }
    SECTION("malformed metadata names the file and the key") {
        std::ifstream in(dir / "baseline.json");
        std::string good((std::istreambuf_iterator<char>(in)), {});
        fails_with("{\"format\": 1,", "not valid JSON at line 1");
        fails_with("{\"format\": 2}", "key \"format\"");
        fails_with("[]", "expected a JSON object");
        fails_with(good.substr(0, good.rfind('}')) + ", \"extra\": 1}", "key \"extra\": unknown key");
        std::string no_through = good;
        no_through.replace(no_through.find("\"through\""), 9, "\"thru\"");
        fails_with(no_through, "key \"thru\": unknown key");
        // "format" given twice: the last one counts, and it is not a format this library reads.
        fails_with(good.substr(0, good.rfind('}')) + ", \"format\": 3}", "key \"format\"");
    }
}

TEST_CASE("first runs: an empty database starts from the baseline, a non-empty one is refused") {
    testing::TempDir tmp;
    auto source = two_migrations(tmp.path());
    migrate::Baseline b;
    b.through = "0000_m";
    b.covered = {{"0000_m", 1000, source.migrations[0].hash}};

    auto empty = migrate::make_plan(source, {}, false, {}, {.other_tables = {}, .baseline = &b});
    CHECK(empty.from_baseline);
    CHECK(empty.baseline_covers == 1);
    CHECK(empty.entries[0].by_baseline);
    REQUIRE(empty.to_apply(false).size() == 1);
    CHECK(empty.to_apply(false)[0]->migration->tag == "0001_m");
    CHECK_NOTHROW(migrate::validate_plan(empty, {}));

    auto no_baseline = migrate::make_plan(source, {}, false, {}, {});
    CHECK_FALSE(no_baseline.from_baseline);
    CHECK(no_baseline.to_apply(false).size() == 2);

    auto dirty = migrate::make_plan(source, {}, true, {}, {.other_tables = {"customers", "orders"}, .baseline = &b});
    CHECK_FALSE(dirty.from_baseline);
    CHECK(dirty.unrecorded_tables == std::vector<std::string>{"customers", "orders"});
    try {
        migrate::validate_plan(dirty, {});
        FAIL("a database with tables and no history was accepted");
    } catch (const migrate::error& e) {
        CHECK(e.code() == errc::database_not_empty);
        CHECK_THAT(e.what(), Catch::Contains("customers, orders") && Catch::Contains("baseline mark"));
        CHECK(e.context().fix == migrate::remedy::adopt_database);
    }
    CHECK_NOTHROW(migrate::validate_plan(dirty, {.allow_dirty = true}));

    std::vector<migrate::AppliedRow> one_row = {{1, source.migrations[0].hash, 1000, std::nullopt}};
    auto recorded = migrate::make_plan(source, one_row, true, {}, {.other_tables = {}, .baseline = &b});
    CHECK_FALSE(recorded.from_baseline);
    CHECK(recorded.unrecorded_tables.empty());

    migrate::PartialRun half;
    half.statements_done = 3;
    auto resume = migrate::make_plan(source, {}, true, {{migrate::baseline_progress_key, half}},
                                     {.other_tables = {"t"}, .baseline = &b});
    CHECK(resume.from_baseline);
    CHECK(resume.unrecorded_tables.empty());
    REQUIRE(resume.baseline_progress);
    CHECK(resume.baseline_progress->statements_done == 3);

    b.problems = {"0000_m was edited"};
    auto stale = migrate::make_plan(source, {}, false, {}, {.other_tables = {}, .baseline = &b});
    try {
        migrate::validate_plan(stale, {});
        FAIL("a stale baseline was accepted");
    } catch (const migrate::error& e) {
        CHECK(e.code() == errc::baseline_unusable);
        CHECK_THAT(e.what(), Catch::Contains("0000_m was edited") && Catch::Contains("turn baselines off"));
        CHECK(e.context().fix == migrate::remedy::recreate_or_skip_baseline);
    }
}
