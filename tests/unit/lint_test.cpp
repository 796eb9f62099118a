// migrate lint: every rule with an offending and a clean example (traps from the corpus and the reference
// notes), flavours, suppression, journal problems on a broken folder, the whole corpus, config keys.
#include <migrate/error.hpp>
#include <migrate/lint.hpp>
#include <migrate/project.hpp>

#include "fixtures.hpp"
#include "lint/lint_input.hpp"
#include "temp_dir.hpp"

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <set>

using migrate::Flavor;
using migrate::LintFinding;
using migrate::LintOptions;
using migrate::LintSeverity;
namespace fs = std::filesystem;

namespace {

// Lints in-memory migration files, in order (file i is migration i).
std::vector<LintFinding> lint_sql(const std::vector<std::string>& texts, LintOptions options = {}) {
    std::vector<migrate::lint::File> files;
    for (std::size_t i = 0; i < texts.size(); ++i)
        files.push_back({.path = fmt::format("{:04}_m.sql", i), .migration = i, .text = texts[i]});
    return migrate::lint::lint_files(files, options);
}

std::vector<LintFinding> with_rule(const std::vector<LintFinding>& all, std::string_view rule) {
    std::vector<LintFinding> out;
    std::copy_if(all.begin(), all.end(), std::back_inserter(out), [&](const LintFinding& f) { return f.rule == rule; });
    return out;
}

std::string rules_of(const std::vector<LintFinding>& all) {
    std::string out;
    for (const auto& f : all) out += (out.empty() ? "" : " ") + f.rule;
    return out;
}

const LintOptions mysql{.flavor = Flavor::mysql, .sharded = false, .foreign_keys = true};
const LintOptions mariadb{.flavor = Flavor::mariadb, .sharded = false, .foreign_keys = true};

}  // namespace

TEST_CASE("lint registry: every rule is complete, unique and documented in docs/lint.md", "[lint]") {
    const auto docs = testing::read_file(fs::path(MIGRATE_SOURCE_DIR) / "docs" / "lint.md");
    std::set<std::string_view> ids;
    for (const auto& r : migrate::lint_rules()) {
        INFO(r.id);
        CHECK(ids.insert(r.id).second);
        CHECK(!r.summary.empty());
        CHECK(!r.description.empty());
        CHECK(!r.fix.empty());
        CHECK((r.mysql || r.mariadb || r.vitess || r.planetscale));
        CHECK(docs.find(fmt::format("`{}`", r.id)) != std::string::npos);
        CHECK(migrate::find_lint_rule(r.id) == &r);
    }
    CHECK(migrate::find_lint_rule("no-such-rule") == nullptr);
    CHECK(migrate::parse_flavor("mariadb") == Flavor::mariadb);
    CHECK_FALSE(migrate::parse_flavor("postgres"));
}

TEST_CASE("lint alter-if-exists: an error on MySQL, Vitess and PlanetScale, fine on MariaDB", "[lint]") {
    const std::string bad =
        "ALTER TABLE `claims` ADD COLUMN IF NOT EXISTS `vin` varchar(17);--> statement-breakpoint\n"
        "ALTER TABLE `claims` DROP INDEX IF EXISTS `claims_org_idx`;--> statement-breakpoint\n"
        "CREATE INDEX IF NOT EXISTS `claims_vin_idx` ON `claims` (`vin`);";
    for (auto f : {Flavor::mysql, Flavor::vitess, Flavor::planetscale}) {
        auto found =
            with_rule(lint_sql({bad}, {.flavor = f, .sharded = false, .foreign_keys = true}), "alter-if-exists");
        REQUIRE(found.size() == 3);
        CHECK(found[0].severity == LintSeverity::error);
        CHECK(found[0].line == 1);
        CHECK(found[0].column == 33);
        CHECK(found[1].line == 2);
        CHECK(found[2].line == 3);
    }
    CHECK(with_rule(lint_sql({bad}, mariadb), "alter-if-exists").empty());
    // Clean: plain ALTER, IF EXISTS where MySQL has it (CREATE/DROP TABLE), IF() in an expression.
    const std::string clean =
        "ALTER TABLE `claims` ADD `vin` varchar(17);--> statement-breakpoint\n"
        "CREATE TABLE IF NOT EXISTS `x` (`id` int);--> statement-breakpoint\n"
        "DROP TABLE IF EXISTS `y`;--> statement-breakpoint\n"
        "ALTER TABLE `claims` ADD `flag` int DEFAULT (IF(1, 2, 3));";
    CHECK(with_rule(lint_sql({clean}, mysql), "alter-if-exists").empty());
}

TEST_CASE("lint identifier-too-long: a drizzle-kit foreign key name over 64 characters", "[lint]") {
    // drizzle-kit names a foreign key <table>_<column>_<referenced table>_<referenced column>_fk.
    const std::string name = "reinsurance_treaties_history_treaty_id_reinsurance_treaties_id_fk";
    REQUIRE(name.size() > 64);
    auto found = with_rule(lint_sql({"ALTER TABLE `reinsurance_treaties_history` ADD CONSTRAINT `" + name +
                                     "` FOREIGN KEY (`treaty_id`) REFERENCES `reinsurance_treaties`(`id`) ON DELETE "
                                     "no action ON UPDATE no action;"}),
                           "identifier-too-long");
    REQUIRE(found.size() == 1);
    CHECK(found[0].severity == LintSeverity::error);
    CHECK(found[0].column == 59);
    CHECK(found[0].message.find(fmt::format("{} characters", name.size())) != std::string::npos);
    const std::string ok(64, 'x');
    CHECK(with_rule(lint_sql({"CREATE TABLE `" + ok + "` (`id` int);"}), "identifier-too-long").empty());
    // Characters, not bytes: 64 two-byte characters are fine.
    std::string wide;
    for (int i = 0; i < 64; ++i) wide += "\xC3\xA9";
    CHECK(with_rule(lint_sql({"CREATE TABLE `" + wide + "` (`id` int);"}), "identifier-too-long").empty());
}

TEST_CASE("lint serial-auto-increment: an error for MariaDB only", "[lint]") {
    const std::string bad = "CREATE TABLE `users` (\n\t`id` serial AUTO_INCREMENT NOT NULL,\n\t`name` text\n);";
    auto found = with_rule(lint_sql({bad}, mariadb), "serial-auto-increment");
    REQUIRE(found.size() == 1);
    CHECK(found[0].severity == LintSeverity::error);
    CHECK(found[0].line == 2);
    CHECK(found[0].column == 7);
    CHECK(with_rule(lint_sql({bad}, mysql), "serial-auto-increment").empty());
    CHECK(with_rule(lint_sql({"ALTER TABLE `users` ADD `n` serial AUTO_INCREMENT;"}, mariadb), "serial-auto-increment")
              .size() == 1);
    CHECK(with_rule(lint_sql({"CREATE TABLE `users` (\n\t`id` serial NOT NULL\n);"}, mariadb), "serial-auto-increment")
              .empty());
    CHECK(with_rule(lint_sql({"CREATE TABLE `users` (`id` bigint unsigned AUTO_INCREMENT NOT NULL);"}, mariadb),
                    "serial-auto-increment")
              .empty());
}

TEST_CASE("lint multi-statement-chunk: two statements without a breakpoint", "[lint]") {
    auto found =
        with_rule(lint_sql({"CREATE TABLE `a` (`id` int);\nCREATE TABLE `b` (`id` int);"}), "multi-statement-chunk");
    REQUIRE(found.size() == 1);
    CHECK(found[0].severity == LintSeverity::error);
    CHECK(found[0].line == 2);
    CHECK(found[0].column == 1);
    // Clean: the corpus's custom migration, with ';' inside a string and a comment, split by breakpoints.
    const auto backfill = testing::read_file(testing::corpus_folder("oi_claims") / "0001_backfill_claims.sql");
    CHECK(with_rule(lint_sql({backfill}), "multi-statement-chunk").empty());
    CHECK(with_rule(lint_sql({"CREATE TABLE `a` (`id` int);--> statement-breakpoint\nCREATE TABLE `b` (`id` int);"}),
                    "multi-statement-chunk")
              .empty());
    // A trigger's body is one statement.
    CHECK(with_rule(lint_sql({"CREATE TRIGGER `t` BEFORE INSERT ON `a` FOR EACH ROW BEGIN\n  IF NEW.id < 0 THEN SET "
                              "NEW.id = 0; END IF;\n  SET NEW.id = NEW.id + 1;\nEND;"}),
                    "multi-statement-chunk")
              .empty());
}

TEST_CASE("lint empty-chunk: a trailing breakpoint and a comment-only chunk", "[lint]") {
    auto found = with_rule(lint_sql({"CREATE TABLE `a` (`id` int);--> statement-breakpoint\n"}), "empty-chunk");
    REQUIRE(found.size() == 1);
    CHECK(found[0].severity == LintSeverity::warning);
    CHECK(found[0].line == 1);
    CHECK(found[0].message.find("1065") != std::string::npos);
    auto comments =
        with_rule(lint_sql({"-- just a note\n--> statement-breakpoint\nCREATE TABLE `a` (`id` int);"}), "empty-chunk");
    REQUIRE(comments.size() == 1);
    CHECK(comments[0].message.find("only comments") != std::string::npos);
    CHECK(with_rule(lint_sql({"-- Custom SQL migration file, put your code below! --\nCREATE TABLE `a` (`id` int);"}),
                    "empty-chunk")
              .empty());
}

TEST_CASE("lint destructive rules: DROP TABLE, DROP COLUMN, TRUNCATE are warnings", "[lint]") {
    auto found =
        lint_sql({"DROP TABLE `claims_archive`;--> statement-breakpoint\n"
                  "ALTER TABLE `claims` DROP COLUMN `label`;--> statement-breakpoint\n"
                  "TRUNCATE TABLE `sessions`;"});
    CHECK(rules_of(found) == "destructive-drop-table destructive-drop-column destructive-truncate");
    for (const auto& f : found) CHECK(f.severity == LintSeverity::warning);
    CHECK(found[1].line == 2);
    CHECK(found[1].column == 22);
    // Clean: dropping an index, a foreign key or a constraint loses no data (DROP PRIMARY KEY alone copies
    // the table: table-copy says so, not a destructive rule).
    CHECK(rules_of(lint_sql({"ALTER TABLE `claims` DROP INDEX `claims_org_idx`;--> statement-breakpoint\n"
                             "ALTER TABLE `claims` DROP FOREIGN KEY `claims_org_fk`;--> statement-breakpoint\n"
                             "ALTER TABLE `claims` DROP CONSTRAINT `claims_code_uq`;--> statement-breakpoint\n"
                             "ALTER TABLE `claims` DROP PRIMARY KEY;--> statement-breakpoint\n"
                             "DELETE FROM `claims` WHERE `org_id` = 'obsolete';"})) == "table-copy");
}

TEST_CASE("lint narrowing-type: compared with the type the folder created", "[lint]") {
    const std::string create =
        "CREATE TABLE `claims` (\n\t`id` varchar(36) NOT NULL,\n\t`rate` varchar(510),\n\t`n` int,\n"
        "\t`amount` decimal(12,2),\n\t`at` datetime,\n\t`note` text\n);";
    auto warn = [&](const std::string& modify) {
        return with_rule(lint_sql({create, "ALTER TABLE `claims` MODIFY COLUMN " + modify + ";"}), "narrowing-type");
    };
    auto found = warn("`rate` varchar(256)");
    REQUIRE(found.size() == 1);
    CHECK(found[0].severity == LintSeverity::warning);
    CHECK(found[0].message.find("varchar(510) to varchar(256)") != std::string::npos);
    CHECK(warn("`n` tinyint").size() == 1);
    CHECK(warn("`n` int unsigned").size() == 1);
    CHECK(warn("`amount` decimal(10,2)").size() == 1);
    CHECK(warn("`at` date").size() == 1);
    CHECK(warn("`note` varchar(255)").size() == 1);
    CHECK(warn("`rate` int").size() == 1);
    // Clean: wider, same, or a column the folder never created.
    CHECK(warn("`rate` varchar(1024)").empty());
    CHECK(warn("`n` bigint").empty());
    CHECK(warn("`n` bigint unsigned").size() == 1);  // negative values
    CHECK(warn("`amount` decimal(14,2)").empty());
    CHECK(warn("`n` varchar(11)").empty());
    CHECK(warn("`note` mediumtext").empty());
    CHECK(warn("`unknown` tinyint").empty());
    // CHANGE old new type, and the type after an earlier MODIFY counts.
    CHECK(with_rule(lint_sql({create, "ALTER TABLE `claims` CHANGE `rate` `rate2` varchar(10);"}), "narrowing-type")
              .size() == 1);
    CHECK(with_rule(lint_sql({create, "ALTER TABLE `claims` MODIFY COLUMN `rate` varchar(100);",
                              "ALTER TABLE `claims` MODIFY COLUMN `rate` varchar(200);"}),
                    "narrowing-type")
              .size() == 1);
}

TEST_CASE("lint nullable-to-not-null: the corpus's MODIFY ... NOT NULL of a nullable column", "[lint]") {
    const std::string create = "CREATE TABLE `loss_runs_history` (`id` varchar(36) NOT NULL, `premium` varchar(510));";
    auto found =
        with_rule(lint_sql({create, "ALTER TABLE `loss_runs_history` MODIFY COLUMN `premium` varchar(510) NOT NULL;"}),
                  "nullable-to-not-null");
    REQUIRE(found.size() == 1);
    CHECK(found[0].severity == LintSeverity::warning);
    CHECK(with_rule(lint_sql({create + "\n--> statement-breakpoint\nALTER TABLE `loss_runs_history` MODIFY COLUMN "
                                       "`premium` varchar(510) NOT NULL;"}),
                    "nullable-to-not-null")
              .empty());  // created in the same migration: no rows yet
    CHECK(with_rule(lint_sql({create, "ALTER TABLE `loss_runs_history` MODIFY COLUMN `id` varchar(36) NOT NULL;"}),
                    "nullable-to-not-null")
              .empty());
}

TEST_CASE("lint not-null-without-default: ADD COLUMN NOT NULL on a table of an earlier migration", "[lint]") {
    const std::string create = "CREATE TABLE `claims` (`id` varchar(36) NOT NULL);";
    auto found = with_rule(lint_sql({create, "ALTER TABLE `claims` ADD `vin` varchar(17) NOT NULL;"}),
                           "not-null-without-default");
    REQUIRE(found.size() == 1);
    CHECK(found[0].severity == LintSeverity::warning);
    CHECK(found[0].column == 22);
    // A table the folder never created existed before: also flagged.
    CHECK(with_rule(lint_sql({"ALTER TABLE `legacy` ADD `vin` varchar(17) NOT NULL;"}), "not-null-without-default")
              .size() == 1);
    // Clean: a DEFAULT, nullable, auto-increment, generated, or the table is new in this migration.
    for (auto add : {"`vin` varchar(17) NOT NULL DEFAULT ''", "`vin` varchar(17)", "`n` bigint AUTO_INCREMENT NOT NULL",
                     "`v` int AS (1) NOT NULL", "`at` timestamp NOT NULL DEFAULT (now())"})
        CHECK(
            with_rule(lint_sql({create, fmt::format("ALTER TABLE `claims` ADD {};", add)}), "not-null-without-default")
                .empty());
    CHECK(
        with_rule(lint_sql({create + "--> statement-breakpoint\nALTER TABLE `claims` ADD `vin` varchar(17) NOT NULL;"}),
                  "not-null-without-default")
            .empty());
}

TEST_CASE("lint unique-on-existing-column: the corpus's ADD CONSTRAINT ... UNIQUE on old columns", "[lint]") {
    const std::string create =
        "CREATE TABLE `coverages` (`id` varchar(36) NOT NULL, `org_id` varchar(36) NOT NULL, "
        "`amount` decimal(12,2));";
    auto found = with_rule(
        lint_sql({create, "ALTER TABLE `coverages` ADD CONSTRAINT `coverages_amount_uq` UNIQUE(`org_id`,`amount`);"}),
        "unique-on-existing-column");
    REQUIRE(found.size() == 1);
    CHECK(found[0].severity == LintSeverity::warning);
    CHECK(
        with_rule(lint_sql({create, "CREATE UNIQUE INDEX `u` ON `coverages` (`org_id`);"}), "unique-on-existing-column")
            .size() == 1);
    CHECK(with_rule(lint_sql({create, "ALTER TABLE `coverages` ADD UNIQUE KEY `u` (`amount`);"}),
                    "unique-on-existing-column")
              .size() == 1);
    // Clean: a plain index; the table created in the same migration; a new nullable column in the key.
    CHECK(with_rule(lint_sql({create, "CREATE INDEX `i` ON `coverages` (`org_id`);"}), "unique-on-existing-column")
              .empty());
    CHECK(with_rule(
              lint_sql(
                  {create + "--> statement-breakpoint\nALTER TABLE `coverages` ADD CONSTRAINT `u` UNIQUE(`org_id`);"}),
              "unique-on-existing-column")
              .empty());
    CHECK(with_rule(lint_sql({create,
                              "ALTER TABLE `coverages` ADD `code` varchar(8);--> statement-breakpoint\n"
                              "ALTER TABLE `coverages` ADD CONSTRAINT `u` UNIQUE(`org_id`,`code`);"}),
                    "unique-on-existing-column")
              .empty());
    // ... but a new column with a DEFAULT holds that value in every row.
    CHECK(with_rule(lint_sql({create,
                              "ALTER TABLE `coverages` ADD `code` varchar(8) DEFAULT 'x', ADD CONSTRAINT `u` "
                              "UNIQUE(`org_id`,`code`);"}),
                    "unique-on-existing-column")
              .size() == 1);
}

TEST_CASE("lint foreign-key-unsupported: sharded keyspaces and targets without foreign keys", "[lint]") {
    const std::string fk =
        "ALTER TABLE `claims` ADD CONSTRAINT `claims_policy_id_policies_id_fk` FOREIGN KEY (`policy_id`) "
        "REFERENCES `policies`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint\n"
        "CREATE TABLE `notes` (`id` int, `claim_id` int REFERENCES `claims`(`id`));";
    auto sharded = with_rule(lint_sql({fk}, {.flavor = Flavor::vitess, .sharded = true, .foreign_keys = true}),
                             "foreign-key-unsupported");
    REQUIRE(sharded.size() == 2);
    CHECK(sharded[0].severity == LintSeverity::error);
    CHECK(sharded[0].message.find("sharded") != std::string::npos);
    auto disabled = with_rule(lint_sql({fk}, {.flavor = Flavor::planetscale, .sharded = false, .foreign_keys = false}),
                              "foreign-key-unsupported");
    REQUIRE(disabled.size() == 2);
    CHECK(disabled[0].message.find("foreignKeys") != std::string::npos);
    CHECK(with_rule(lint_sql({fk}, {.flavor = Flavor::planetscale, .sharded = false, .foreign_keys = true}),
                    "foreign-key-unsupported")
              .empty());
}

TEST_CASE("lint suppression: with a reason it suppresses, without one it is a finding", "[lint]") {
    auto ok = lint_sql(
        {"-- migrate:lint-ignore destructive-drop-table archived to S3 in 0041\nDROP TABLE `claims_archive`;"});
    REQUIRE(ok.size() == 1);
    CHECK(ok[0].rule == "destructive-drop-table");
    CHECK(ok[0].suppressed);
    CHECK(ok[0].suppression_reason == "archived to S3 in 0041");
    CHECK(migrate::lint_error_count(ok) == 0);
    // A trailing comment on the statement's line, several rules, other comment forms.
    auto trailing =
        lint_sql({"ALTER TABLE `a` DROP COLUMN `b`, DROP COLUMN `c`; # migrate:lint-ignore "
                  "destructive-drop-column,narrowing-type unused since v2"});
    REQUIRE(trailing.size() == 2);
    CHECK((trailing[0].suppressed && trailing[1].suppressed));
    auto block = lint_sql({"/* migrate:lint-ignore destructive-truncate a cache table */ TRUNCATE `cache`;"});
    REQUIRE(block.size() == 1);
    CHECK(block[0].suppressed);
    // No reason: nothing suppressed, and the comment itself is reported.
    auto bare = lint_sql(
        {"-- migrate:lint-ignore multi-statement-chunk\nCREATE TABLE `a` (`id` int); CREATE TABLE `b` (`id` int);"});
    CHECK(rules_of(bare) == "suppression-without-reason multi-statement-chunk");
    CHECK_FALSE(with_rule(bare, "multi-statement-chunk")[0].suppressed);
    CHECK(migrate::lint_error_count(bare) == 1);
    // A rule that does not exist.
    auto unknown = lint_sql({"-- migrate:lint-ignore destructive-drop-tables typo\nDROP TABLE `x`;"});
    CHECK(rules_of(unknown) == "suppression-unknown-rule destructive-drop-table");
    CHECK_FALSE(unknown[1].suppressed);
    // Only the statement it is on: the next chunk's DROP stays reported.
    auto scoped =
        lint_sql({"-- migrate:lint-ignore destructive-drop-table gone\nDROP TABLE `x`;--> statement-breakpoint\n"
                  "DROP TABLE `y`;"});
    REQUIRE(scoped.size() == 2);
    CHECK(scoped[0].suppressed);
    CHECK_FALSE(scoped[1].suppressed);
}

TEST_CASE("lint journal rules: a broken folder lists every problem instead of failing", "[lint]") {
    testing::TempDir dir;
    testing::write_file(dir.path() / "0000_init.sql", "CREATE TABLE `a` (`id` int);");
    testing::write_file(dir.path() / "0001_next.sql", "DROP TABLE `a`;");
    testing::write_file(dir.path() / "0002_lost.sql", "CREATE TABLE `b` (`id` int);");
    testing::write_file(dir.path() / "meta" / "_journal.json", R"({"version":"7","dialect":"mysql","entries":[
  {"idx":0,"version":"5","when":2000,"tag":"0000_init","breakpoints":true},
  {"idx":0,"version":"5","when":1000,"tag":"0001_next","breakpoints":true},
  {"idx":2,"version":"5","when":3000,"tag":"0001_next","breakpoints":true},
  {"idx":3,"version":"5","when":4000,"tag":"0003_gone","breakpoints":true}
]})");
    auto found = migrate::lint_folder(dir.path(), mysql);
    // The journal's findings, then the readable files' in journal order, then files the journal lacks.
    CHECK(rules_of(found) ==
          "journal-duplicate-idx journal-when-not-increasing journal-duplicate-tag journal-missing-file "
          "destructive-drop-table journal-unlisted-file");
    const auto journal = dir.path() / "meta" / "_journal.json";
    CHECK(found[0].file == journal);
    CHECK(found[0].line == 3);
    CHECK(found[1].severity == LintSeverity::error);
    CHECK(found[1].message.find("0001_next (when 1000) follows 0000_init (when 2000)") != std::string::npos);
    CHECK(found[2].line == 4);
    CHECK(found[3].line == 5);
    CHECK(found[4].file == dir.path() / "0001_next.sql");
    CHECK(found[5].file == dir.path() / "0002_lost.sql");
    CHECK(found[5].line == 0);
}

TEST_CASE("lint journal rules: clean folders, bad JSON, missing and unreadable folders", "[lint]") {
    testing::TempDir dir;
    testing::write_folder(dir.path(),
                          {{"0000_a", "CREATE TABLE `a` (`id` int);"}, {"0001_b", "CREATE TABLE `b` (`id` int);"}});
    CHECK(migrate::lint_folder(dir.path(), mysql).empty());
    CHECK(migrate::lint_journal(dir.path()).empty());
    testing::write_file(dir.path() / "meta" / "_journal.json", "{\"entries\": [\n  {\"idx\": 0,}\n]}");
    auto bad = migrate::lint_folder(dir.path(), mysql);
    REQUIRE(bad.size() == 1);
    CHECK(bad[0].rule == "journal-invalid");
    CHECK(bad[0].line == 2);
    auto missing = migrate::lint_folder(dir.path() / "nope", mysql);
    REQUIRE(missing.size() == 1);
    CHECK(missing[0].rule == "folder-unreadable");
    testing::TempDir latin1;
    testing::write_folder(latin1.path(), {{"0000_a", "INSERT INTO `a` VALUES ('caf\xE9');"}});
    auto bytes = migrate::lint_folder(latin1.path(), mysql);
    REQUIRE(bytes.size() == 1);
    CHECK(bytes[0].rule == "folder-unreadable");
    CHECK(bytes[0].message.find("UTF-8") != std::string::npos);
}

TEST_CASE("lint applied-migration-edited: from the plan's hash_differs", "[lint]") {
    migrate::Migration m;
    m.tag = "0003_cloudy_rhino";
    m.file = "drizzle/0003_cloudy_rhino.sql";
    m.hash = "bbbbbbbbbbbbbbbb";
    migrate::Plan plan;
    migrate::PlanEntry edited{
        .migration = &m,
        .state = migrate::MigrationState::applied,
        .row = migrate::AppliedRow{.id = 1, .hash = "aaaaaaaaaaaaaaaa", .created_at = 1, .name = {}},
        .hash_differs = true,
        .progress = {},
        .by_baseline = false};
    plan.entries.push_back(edited);
    auto found = migrate::lint_applied(plan, mysql);
    REQUIRE(found.size() == 1);
    CHECK(found[0].rule == "applied-migration-edited");
    CHECK(found[0].severity == LintSeverity::error);
    CHECK(found[0].file == m.file);
    plan.entries[0].hash_differs = false;
    CHECK(migrate::lint_applied(plan, mysql).empty());
}

TEST_CASE("lint the openinsure corpus: no errors on mysql or mariadb, every warning a real change", "[lint]") {
    for (auto options : {mysql, mariadb}) {
        for (auto name : {"oi_global", "oi_policies", "oi_submissions", "oi_claims", "oi_billing", "monolith"}) {
            INFO(name << " " << migrate::to_string(options.flavor));
            auto found = migrate::lint_folder(testing::corpus_folder(name), options);
            CHECK(migrate::lint_error_count(found) == 0);
            std::map<std::string, int> counts;
            for (const auto& f : found) {
                ++counts[f.rule];
                CHECK(f.severity == LintSeverity::warning);
                CHECK(f.line > 0);
            }
            // Only what the corpus really does: drops columns, narrows varchars, adds NOT NULL and unique keys,
            // and on MySQL widens varchar(32) to varchar(64), which copies (utf8mb4: 128 to 256 bytes, so the
            // length prefix grows to 2 bytes); on MariaDB that is instant.
            for (const auto& [rule, n] : counts) {
                INFO(rule << " x" << n);
                CHECK((rule == "destructive-drop-column" || rule == "narrowing-type" ||
                       rule == "nullable-to-not-null" || rule == "unique-on-existing-column" ||
                       (rule == "table-copy" && options.flavor == Flavor::mysql)));
            }
        }
    }
    for (auto name : {"oi_claims", "oi_global"}) {
        INFO(name);
        auto v1 = migrate::lint_folder(fs::path(MIGRATE_SOURCE_DIR) / "examples" / "openinsure-v1" / name, mysql);
        CHECK(migrate::lint_error_count(v1) == 0);
    }
}

TEST_CASE("lint corpus: foreign keys are errors when the config says sharded", "[lint]") {
    auto found = migrate::lint_folder(testing::corpus_folder("oi_claims"),
                                      {.flavor = Flavor::vitess, .sharded = true, .foreign_keys = true});
    CHECK(with_rule(found, "foreign-key-unsupported").size() > 0);
    CHECK(migrate::lint_error_count(found) == with_rule(found, "foreign-key-unsupported").size());
}

TEST_CASE("project config: flavor, sharded and foreignKeys keys", "[lint][config]") {
    auto config = migrate::parse_project_config(
        R"({"targets": {"a": {"url": "mysql://u@h/a", "flavor": "planetscale", "sharded": true, "foreignKeys": false},
                        "b": {"url": "mysql://u@h/b"}}})",
        "migrate.json");
    CHECK(config.targets[0].flavor == Flavor::planetscale);
    CHECK(config.targets[0].sharded);
    CHECK_FALSE(config.targets[0].foreign_keys);
    CHECK_FALSE(config.targets[1].flavor);
    CHECK_FALSE(config.targets[1].sharded);
    CHECK(config.targets[1].foreign_keys);
    auto error_of = [](const std::string& text) {
        try {
            migrate::parse_project_config(text, "migrate.json");
        } catch (const migrate::error& e) {
            CHECK(e.code() == migrate::errc::config_invalid);
            return std::string(e.what());
        }
        return std::string("no error");
    };
    CHECK(error_of(R"({"targets": {"a": {"url": "mysql://u@h/a", "flavor": "postgres"}}})") ==
          "migrate.json: target \"a\": key \"flavor\": expected \"mysql\", \"mariadb\", \"vitess\" or \"planetscale\", "
          "got \"postgres\"");
    CHECK(error_of(R"({"targets": {"a": {"url": "mysql://u@h/a", "sharded": "yes"}}})") ==
          "migrate.json: target \"a\": key \"sharded\": expected true or false, got string");
    CHECK(error_of(R"({"targets": {"a": {"url": "mysql://u@h/a", "foreignKeys": 1}}})") ==
          "migrate.json: target \"a\": key \"foreignKeys\": expected true or false, got number");
}

TEST_CASE("project config for folders only: env: values are not read", "[lint][config]") {
    const std::string text = R"({"targets": {"a": {"host": "h", "port": "env:LINT_TEST_UNSET_PORT", "user": "u",
        "password": "env:LINT_TEST_UNSET_PASSWORD", "migrations": "a"}, "b": {"url": "env:LINT_TEST_UNSET_URL"}}})";
    CHECK_THROWS_AS(migrate::parse_project_config(text, "dir/migrate.json"), migrate::error);
    auto config = migrate::parse_project_folders(text, "dir/migrate.json");
    REQUIRE(config.targets.size() == 2);
    CHECK(config.targets[0].url.empty());
    CHECK(config.targets[0].migrations_dir == fs::path("dir/a"));
    CHECK(config.targets[1].migrations_dir == fs::path("dir/b"));
}

TEST_CASE("lint table-copy: statements that copy or rebuild an existing table, per flavour", "[lint]") {
    const std::string created =
        "CREATE TABLE `claims` (`id` int NOT NULL, `vin` varchar(32), `amount` int, `note` text);";
    // A later migration changes the existing table.
    auto later = [&](const std::string& sql, LintOptions options) { return lint_sql({created, sql}, options); };
    // A type change copies on both flavours.
    for (auto options : {mysql, mariadb}) {
        auto found = with_rule(later("ALTER TABLE `claims` MODIFY COLUMN `amount` bigint;", options), "table-copy");
        REQUIRE(found.size() == 1);
        CHECK(found[0].severity == LintSeverity::warning);
        CHECK(found[0].line == 1);
        CHECK(found[0].message.find("`claims` is copied") != std::string::npos);
        CHECK(found[0].message.find(std::string(migrate::to_string(options.flavor))) != std::string::npos);
        CHECK(found[0].message.find("the plan shows the table's size") != std::string::npos);
    }
    // varchar(32) → varchar(64) in utf8mb4: the length prefix grows on MySQL (copy), instant on MariaDB.
    CHECK(with_rule(later("ALTER TABLE `claims` MODIFY COLUMN `vin` varchar(64);", mysql), "table-copy").size() == 1);
    CHECK(with_rule(later("ALTER TABLE `claims` MODIFY COLUMN `vin` varchar(64);", mariadb), "table-copy").empty());
    // NOT NULL rebuilds; a foreign key copies; a vitess flavour says how online DDL copies.
    CHECK(with_rule(later("ALTER TABLE `claims` MODIFY COLUMN `amount` int NOT NULL;", mariadb), "table-copy").size() ==
          1);
    auto fk = with_rule(later("ALTER TABLE `claims` ADD CONSTRAINT `f` FOREIGN KEY (`id`) REFERENCES `p`(`id`);",
                              {.flavor = Flavor::vitess, .sharded = false, .foreign_keys = true}),
                        "table-copy");
    REQUIRE(fk.size() == 1);
    CHECK(fk[0].message.find("vreplication") != std::string::npos);
    // Clean: instant and in-place changes; a table created by the same migration (no rows yet).
    for (auto options : {mysql, mariadb}) {
        CHECK(with_rule(later("ALTER TABLE `claims` ADD `x` int;--> statement-breakpoint\n"
                              "CREATE INDEX `i` ON `claims` (`vin`);--> statement-breakpoint\n"
                              "ALTER TABLE `claims` RENAME COLUMN `note` TO `remark`;",
                              options),
                        "table-copy")
                  .empty());
        CHECK(with_rule(lint_sql({created + "--> statement-breakpoint\nALTER TABLE `claims` MODIFY `amount` bigint;"},
                                 options),
                        "table-copy")
                  .empty());
    }
    // A table the folder never created: the current column decides, so nothing is claimed…
    CHECK(with_rule(lint_sql({"ALTER TABLE `legacy` MODIFY COLUMN `amount` bigint;"}, mysql), "table-copy").empty());
    // …but what copies whatever the columns is flagged.
    CHECK(with_rule(lint_sql({"ALTER TABLE `legacy` ADD CONSTRAINT `c` CHECK (`amount` > 0);"}, mysql), "table-copy")
              .size() == 1);
    // Suppressed with a reason.
    auto suppressed = later(
        "-- migrate:lint-ignore table-copy claims holds 200 rows\n"
        "ALTER TABLE `claims` MODIFY COLUMN `amount` bigint;",
        mysql);
    REQUIRE(with_rule(suppressed, "table-copy").size() == 1);
    CHECK(with_rule(suppressed, "table-copy")[0].suppressed);
}
