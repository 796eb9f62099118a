// Baselines against the real server: create, verify, load into an empty database, refuse what is stale or
// not empty, adopt with mark, resume a killed load. The folder has the hard cases on purpose: foreign keys
// in a cycle, a self-reference whose rows are not in key order, a view, binary/JSON/backslash values, an
// AUTO_INCREMENT counter above the highest id.
#include "checks.hpp"
#include "fixtures.hpp"
#include "process.hpp"
#include "temp_dir.hpp"
#include "test_server.hpp"

#include <migrate/source.hpp>

#include <catch2/catch.hpp>

using namespace testing;
namespace fs = std::filesystem;

namespace {

const std::string m0_schema =
    "CREATE TABLE `parent` (`id` int NOT NULL AUTO_INCREMENT PRIMARY KEY, `name` varchar(32) NOT NULL);\n"
    "--> statement-breakpoint\n"
    "CREATE TABLE `child` (`id` int NOT NULL PRIMARY KEY, `parent_id` int, CONSTRAINT `child_parent_fk` FOREIGN KEY "
    "(`parent_id`) REFERENCES `parent`(`id`));\n"
    "--> statement-breakpoint\n"
    "CREATE TABLE `tree` (`id` int NOT NULL PRIMARY KEY, `up_id` int, CONSTRAINT `tree_up_fk` FOREIGN KEY (`up_id`) "
    "REFERENCES `tree`(`id`));\n"
    "--> statement-breakpoint\n"
    "CREATE TABLE `cyc_a` (`id` int NOT NULL PRIMARY KEY, `b_id` int);\n"
    "--> statement-breakpoint\n"
    "CREATE TABLE `cyc_b` (`id` int NOT NULL PRIMARY KEY, `a_id` int, CONSTRAINT `cyc_b_a_fk` FOREIGN KEY (`a_id`) "
    "REFERENCES `cyc_a`(`id`));\n"
    "--> statement-breakpoint\n"
    "ALTER TABLE `cyc_a` ADD CONSTRAINT `cyc_a_b_fk` FOREIGN KEY (`b_id`) REFERENCES `cyc_b`(`id`);";
const std::string m1_data =
    "-- Custom SQL migration file, put your code below! --\n"
    "INSERT INTO `parent` (`name`) VALUES ('first'), ('it''s'), ('back\\\\slash'), ('last');\n"
    "--> statement-breakpoint\n"
    "DELETE FROM `parent` WHERE `name` IN ('first', 'last');\n"
    "--> statement-breakpoint\n"
    "INSERT INTO `child` VALUES (1, 2), (2, NULL);\n"
    "--> statement-breakpoint\n"
    "INSERT INTO `tree` VALUES (2, NULL);\n"
    "--> statement-breakpoint\n"
    "INSERT INTO `tree` VALUES (3, 2);\n"
    "--> statement-breakpoint\n"
    "INSERT INTO `tree` VALUES (1, 3);\n"
    "--> statement-breakpoint\n"
    "INSERT INTO `cyc_a` VALUES (1, NULL);\n"
    "--> statement-breakpoint\n"
    "INSERT INTO `cyc_b` VALUES (1, 1);\n"
    "--> statement-breakpoint\n"
    "UPDATE `cyc_a` SET `b_id` = 1;";
const std::string m2_kinds =
    "CREATE TABLE `kinds` (`id` int NOT NULL PRIMARY KEY, `doc` json, `bytes` varbinary(8), `flag` bit(1), "
    "`amount` decimal(10,2), `at` datetime, `note` text);\n"
    "--> statement-breakpoint\n"
    "INSERT INTO `kinds` VALUES (1, '{\"path\": \"C:\\\\\\\\x\"}', X'00FF10', b'1', 12.50, '2026-01-02 03:04:05', "
    "NULL), "
    "(2, NULL, X'', b'0', -0.01, NULL, 'ünïcödé ✓');\n"
    "--> statement-breakpoint\n"
    "CREATE VIEW `parent_names` AS SELECT `name` FROM `parent`;";
const std::string m3_later = "ALTER TABLE `parent` ADD `extra` int;";

void write_hard_folder(const fs::path& dir) {
    write_folder(
        dir, {{"0000_schema", m0_schema}, {"0001_data", m1_data}, {"0002_kinds", m2_kinds}, {"0003_later", m3_later}});
}

std::vector<std::string> args_for(const ScratchDatabase& db, const fs::path& dir, std::vector<std::string> head,
                                  std::vector<std::string> extra = {}) {
    head.insert(head.end(), {"--url", db.url(), "--dir", dir.string()});
    head.insert(head.end(), extra.begin(), extra.end());
    return head;
}

ProcessResult cli(const ScratchDatabase& db, const fs::path& dir, std::vector<std::string> head,
                  std::vector<std::string> extra = {}, std::map<std::string, std::string> env = {}) {
    return run_cli(args_for(db, dir, std::move(head), std::move(extra)), env);
}

// Everything observable, with the AUTO_INCREMENT counters and views too.
struct FullState {
    Snapshot snapshot;
    std::map<std::string, std::string> exact_create;
    std::map<std::string, std::string> views;
    bool operator==(const FullState&) const = default;
};

FullState full_state(const ScratchDatabase& db) {
    auto sql = db.connect();
    FullState s;
    s.snapshot = sql.snapshot();
    for (const auto& t : sql.tables())
        if (t.rfind("__drizzle", 0) != 0) s.exact_create[t] = *sql.rows("show create table `" + t + "`")[0][1];
    for (const auto& r : sql.rows("select table_name from information_schema.views where table_schema = database()"))
        s.views[*r[0]] = *sql.rows("show create view `" + *r[0] + "`")[0][1];
    return s;
}

// The state a plain replay reaches (no baseline at all).
FullState replayed(const fs::path& dir, std::vector<std::string> extra = {}) {
    ScratchDatabase db("bl_replay");
    auto r = cli(db, dir, {"up", "--no-baseline"}, extra);
    REQUIRE(r.exit_code == 0);
    return full_state(db);
}

}  // namespace

TEST_CASE("baseline create writes a snapshot that builds exactly what the migrations build") {
    TempDir tmp;
    write_hard_folder(tmp.path());
    ScratchDatabase server("bl_server");  // names the server; the scratch databases are libmigrate's own
    auto created = cli(server, tmp.path(), {"baseline", "create"});
    require_ok(created, "baseline create");
    CHECK_THAT(created.out, Catch::Contains("4 migrations through 0003_later -> 6 tables, 1 views, 11 rows"));
    const std::string snapshot = read_file(tmp.path() / "baseline" / "snapshot.sql");
    // The cycle's forward key and the tree's self-reference come after the rows.
    CHECK(snapshot.find("ALTER TABLE `tree` ADD CONSTRAINT `tree_up_fk`") > snapshot.find("INSERT INTO `tree`"));
    CHECK(snapshot.find("ALTER TABLE `cyc_a` ADD CONSTRAINT `cyc_a_b_fk`") != std::string::npos);
    CHECK(snapshot.find("DEFINER=") == std::string::npos);

    // Made twice, byte for byte the same.
    const std::string meta = read_file(tmp.path() / "baseline" / "baseline.json");
    require_ok(cli(server, tmp.path(), {"baseline", "create"}), "baseline create again");
    CHECK(read_file(tmp.path() / "baseline" / "snapshot.sql") == snapshot);
    CHECK(read_file(tmp.path() / "baseline" / "baseline.json") == meta);

    auto verified = cli(server, tmp.path(), {"baseline", "verify"});
    require_ok(verified, "baseline verify");
    CHECK_THAT(verified.out, Catch::Contains("the snapshot builds what the migrations build (6 tables, 11 rows"));

    ScratchDatabase fresh("bl_fresh");
    auto up = cli(fresh, tmp.path(), {"up"});
    require_ok(up, "up from the baseline");
    CHECK_THAT(up.out, Catch::Contains("[1/1] baseline through 0003_later (4 migrations)"));
    CHECK_THAT(up.out, Catch::Contains("loaded the baseline (4 migrations recorded)"));
    CHECK(full_state(fresh) == replayed(tmp.path()));
    auto again = cli(fresh, tmp.path(), {"up"});
    CHECK_THAT(again.out, Catch::Contains("nothing to do: 4 of 4 migrations applied"));
}

TEST_CASE("a baseline through an earlier migration: up loads it, then applies the rest") {
    TempDir tmp;
    write_hard_folder(tmp.path());
    ScratchDatabase db("bl_through");
    require_ok(cli(db, tmp.path(), {"baseline", "create", "--through", "0001_data"}), "create --through");
    auto status = cli(db, tmp.path(), {"status"});
    CHECK_THAT(status.out,
               Catch::Contains("2 migrations through 0001_data; the database is empty, so `up` loads it first"));
    auto up = cli(db, tmp.path(), {"up"});
    require_ok(up, "up");
    CHECK_THAT(up.out, Catch::Contains("loaded the baseline (2 migrations recorded), then applied 2 migrations"));
    CHECK(full_state(db) == replayed(tmp.path()));

    SECTION("up --to stops at a tag; a baseline covering more than that is not used") {
        ScratchDatabase partial("bl_to");
        require_ok(cli(partial, tmp.path(), {"up", "--to", "0000_schema"}), "up --to");
        CHECK(partial.connect().tracking_rows().size() == 1);
        CHECK(partial.connect().scalar("select count(*) from parent") == "0");
        auto unknown = cli(partial, tmp.path(), {"up", "--to", "0009_nope"});
        CHECK(unknown.exit_code == 3);
        CHECK_THAT(unknown.err, Catch::Contains("error[target_not_found]") && Catch::Contains("0009_nope"));
    }
}

TEST_CASE("a stale baseline is never loaded, and verify names the drift") {
    TempDir tmp;
    write_hard_folder(tmp.path());
    ScratchDatabase db("bl_stale");
    require_ok(cli(db, tmp.path(), {"baseline", "create"}), "create");
    write_file(tmp.path() / "0001_data.sql", m1_data + "\n-- edited");

    auto up = cli(db, tmp.path(), {"up"});
    CHECK(up.exit_code == 5);
    CHECK_THAT(up.err, Catch::Contains("error[baseline_unusable]") && Catch::Contains("0001_data.sql was edited") &&
                           Catch::Contains("--no-baseline"));
    CHECK(db.connect().tables().empty());  // nothing created, not even the tracking table

    auto verify = cli(db, tmp.path(), {"baseline", "verify"});
    CHECK(verify.exit_code == 1);
    CHECK_THAT(verify.err, Catch::Contains("DRIFT") && Catch::Contains("0001_data.sql was edited"));

    auto status = cli(db, tmp.path(), {"status"});
    CHECK_THAT(status.out, Catch::Contains("stale: "));

    require_ok(cli(db, tmp.path(), {"up", "--no-baseline"}), "replay instead");
    CHECK(db.connect().tracking_rows().size() == 4);
}

TEST_CASE("verify finds a snapshot that builds something else") {
    TempDir tmp;
    write_hard_folder(tmp.path());
    ScratchDatabase db("bl_drift");
    require_ok(cli(db, tmp.path(), {"baseline", "create"}), "create");
    // Change what the snapshot builds and keep its recorded hash in step, as a careless hand edit would.
    const fs::path snap = tmp.path() / "baseline" / "snapshot.sql", meta = tmp.path() / "baseline" / "baseline.json";
    std::string sql = read_file(snap), json = read_file(meta);
    const std::string old_hash = plain_sha256(sql);
    sql.replace(sql.find("'it''s'"), 7, "'its'");
    write_file(snap, sql);
    json.replace(json.find(old_hash), old_hash.size(), plain_sha256(sql));
    write_file(meta, json);

    auto verify = cli(db, tmp.path(), {"baseline", "verify"});
    CHECK(verify.exit_code == 1);
    CHECK_THAT(verify.err, Catch::Contains("table parent: 2 rows from the migrations, 2 from the snapshot") &&
                               Catch::Contains("only from the migrations: ('2', 'it's', NULL)") &&
                               Catch::Contains("only from the snapshot:   ('2', 'its', NULL)"));
}

TEST_CASE("a database with tables and no history is refused until baseline mark adopts it") {
    TempDir tmp;
    write_hard_folder(tmp.path());
    ScratchDatabase db("bl_adopt");
    // Built by hand (say, drizzle-kit push): the schema of the first two migrations, no tracking table.
    {
        auto sql = db.connect();
        for (const auto& stmt : migrate::split_statements(m0_schema)) sql.exec(std::string(stmt.sql));
    }
    auto refused = cli(db, tmp.path(), {"up"});
    CHECK(refused.exit_code == 5);
    CHECK_THAT(refused.err, Catch::Contains("error[database_not_empty]") && Catch::Contains("child, cyc_a, cyc_b") &&
                                Catch::Contains("baseline mark --through TAG"));
    CHECK(db.connect().tables() == std::vector<std::string>{"child", "cyc_a", "cyc_b", "parent", "tree"});

    auto no_yes = cli(db, tmp.path(), {"baseline", "mark", "--through", "0000_schema"});
    CHECK(no_yes.exit_code == 2);
    CHECK_THAT(no_yes.err, Catch::Contains("--yes"));

    auto marked = cli(db, tmp.path(), {"baseline", "mark", "--through", "0000_schema", "--yes"});
    require_ok(marked, "mark");
    CHECK_THAT(marked.out, Catch::Contains("recorded 1 migration through 0000_schema"));
    const auto rows = db.connect().tracking_rows();
    REQUIRE(rows.size() == 1);
    CHECK(*rows[0][0] == plain_sha256(m0_schema));
    CHECK(*rows[0][1] == "1000");  // the journal `when`, as drizzle records it

    auto again = cli(db, tmp.path(), {"baseline", "mark", "--through", "0001_data", "--yes"});
    CHECK(again.exit_code == 5);
    CHECK_THAT(again.err, Catch::Contains("error[history_exists]"));

    require_ok(cli(db, tmp.path(), {"up"}), "up after mark");
    CHECK(db.connect().tracking_rows().size() == 4);
    CHECK(db.connect().scalar("select count(*) from tree") == "3");

    SECTION("--allow-dirty applies every migration to a database with unrelated tables") {
        ScratchDatabase dirty("bl_dirty");
        dirty.connect().exec("CREATE TABLE `unrelated` (`id` int)");
        require_ok(cli(dirty, tmp.path(), {"up", "--allow-dirty", "--no-baseline"}), "allow-dirty");
        CHECK(dirty.connect().tracking_rows().size() == 4);
    }
}

TEST_CASE("a baseline load killed midway resumes where it stopped") {
    TempDir tmp;
    write_hard_folder(tmp.path());
    ScratchDatabase maker("bl_kill_maker");
    require_ok(cli(maker, tmp.path(), {"baseline", "create"}), "create");
    const auto expected = replayed(tmp.path());
    for (std::string point : {"after-statement:3", "after-statement:8", "before-statement:10", "before-record:1"}) {
        DYNAMIC_SECTION("killed at " << point) {
            ScratchDatabase db("bl_kill");
            auto killed = cli(db, tmp.path(), {"up"}, {}, {{"MIGRATE_TEST_KILL_AT", point}});
            CHECK(killed.exit_code == 128 + 9);
            CHECK(db.connect().tracking_rows().empty());
            auto status = cli(db, tmp.path(), {"status"});
            CHECK_THAT(status.out, Catch::Contains("partially applied 1") || Catch::Contains("partial baseline"));
            auto resumed = cli(db, tmp.path(), {"up"});
            require_ok(resumed, "resume");
            CHECK_THAT(resumed.out, Catch::Contains("resuming baseline"));
            CHECK(full_state(db) == expected);
        }
    }
}

TEST_CASE("baseline create refuses what a snapshot cannot carry, and bad input") {
    TempDir tmp;
    ScratchDatabase db("bl_refuse");
    write_folder(tmp.path(), {{"0000_t", "CREATE TABLE `t` (`id` int);"},
                              {"0001_trigger",
                               "CREATE TRIGGER `t_bi` BEFORE INSERT ON `t` FOR EACH ROW SET NEW.id = NEW.id + 1;"}});
    auto trig = cli(db, tmp.path(), {"baseline", "create"});
    CHECK(trig.exit_code == 5);
    CHECK_THAT(trig.err, Catch::Contains("error[baseline_unusable]") && Catch::Contains("trigger t_bi"));
    CHECK_FALSE(fs::exists(tmp.path() / "baseline"));

    auto through = cli(db, tmp.path(), {"baseline", "create", "--through", "0000_x"});
    CHECK(through.exit_code == 3);
    CHECK_THAT(through.err, Catch::Contains("error[target_not_found]"));

    auto verify_none = cli(db, tmp.path(), {"baseline", "verify"});
    CHECK(verify_none.exit_code == 3);
    CHECK_THAT(verify_none.err, Catch::Contains("error[baseline_invalid]") && Catch::Contains("baseline create"));

    write_file(tmp.path() / "baseline" / "baseline.json", "{\"format\": 1, \"oops\": true}");
    write_file(tmp.path() / "baseline" / "snapshot.sql", "CREATE TABLE `t` (`id` int);");
    auto bad = cli(db, tmp.path(), {"status"});
    CHECK(bad.exit_code == 3);
    CHECK_THAT(bad.err, Catch::Contains("baseline.json: key \"oops\": unknown key"));
    CHECK(db.connect().tables().empty());

    auto mark_needs_through = cli(db, tmp.path(), {"baseline", "mark", "--yes"});
    CHECK(mark_needs_through.exit_code == 2);
}
