// `migrate lint`: exit codes, human/JSON/SARIF output, suppression, the project config, --url.
#include "fixtures.hpp"
#include "process.hpp"
#include "temp_dir.hpp"
#include "test_server.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace testing;
using json = nlohmann::json;

namespace {

// A 0.x folder in a temp dir whose single migration is `sql`.
struct LintFolder {
    TempDir dir;
    explicit LintFolder(const std::string& sql) { write_folder(dir.path(), {{"0000_first", sql}}); }
    std::string path() const { return dir.path().string(); }
};

const std::string if_not_exists =
    "CREATE TABLE `claims` (`id` int);--> statement-breakpoint\n"
    "ALTER TABLE `claims` ADD COLUMN IF NOT EXISTS `vin` varchar(17);";

}  // namespace

TEST_CASE("lint cli: exit 0 when clean or only warnings, with file:line:col lines and a summary") {
    LintFolder clean("CREATE TABLE `a` (`id` int);");
    auto r = run_cli({"lint", clean.path()});
    CHECK(r.exit_code == 0);
    CHECK(r.out == "lint: 1 folder (mysql): 0 errors, 0 warnings, 0 suppressed\n");

    auto corpus = run_cli({"lint", corpus_folder("oi_claims").string()});
    CHECK(corpus.exit_code == 0);
    CHECK_THAT(corpus.out,
               Catch::Contains("0015_peaceful_boomer.sql:1:31: warning[destructive-drop-column]: DROP COLUMN "
                               "`salvage_history`.`code` deletes the column's data\n  fix: "));
    CHECK_THAT(corpus.out, Catch::EndsWith("lint: 1 folder (mysql): 0 errors, 7 warnings, 0 suppressed\n"));
}

TEST_CASE("lint cli: exit 1 on an error for the flavour, 0 where the flavour accepts it") {
    LintFolder f(if_not_exists);
    auto mysql = run_cli({"lint", f.path()});
    CHECK(mysql.exit_code == 1);
    CHECK_THAT(mysql.out, Catch::Contains("0000_first.sql:2:33: error[alter-if-exists]: IF NOT EXISTS in ALTER TABLE"));
    CHECK_THAT(mysql.out, Catch::Contains("1 error, 0 warnings"));
    for (auto flavor : {"vitess", "planetscale"}) CHECK(run_cli({"lint", "--flavor", flavor, f.path()}).exit_code == 1);
    auto mariadb = run_cli({"lint", "--flavor", "mariadb", "--dir", f.path()});
    CHECK(mariadb.exit_code == 0);
    CHECK_THAT(mariadb.out, Catch::Contains("lint: 1 folder (mariadb): 0 errors"));
}

TEST_CASE("lint cli: exit 2 on usage errors") {
    LintFolder f("CREATE TABLE `a` (`id` int);");
    CHECK(run_cli({"lint", "--format", "xml", f.path()}).exit_code == 2);
    CHECK(run_cli({"lint", "--flavor", "postgres", f.path()}).exit_code == 2);
    CHECK(run_cli({"lint", "--no-such-option", f.path()}).exit_code == 2);
    auto both = run_cli({"lint", f.path(), "--config", (corpus_folder("") / "migrate.json").string()});
    CHECK(both.exit_code == 2);
    CHECK_THAT(both.err, Catch::Contains("not both"));
    auto url = run_cli({"lint", f.path(), f.path(), "--url", database_url("x")});
    CHECK(url.exit_code == 2);
    CHECK_THAT(url.err, Catch::Contains("--url checks one folder"));
}

TEST_CASE("lint cli: --format json has the documented fields") {
    LintFolder f(
        "-- migrate:lint-ignore destructive-drop-table replaced by claims_v2 in 0040\nDROP TABLE `claims`;"
        "--> statement-breakpoint\nALTER TABLE `claims_v2` ADD COLUMN IF NOT EXISTS `vin` varchar(17);");
    write_file(f.dir.path() / "0001_stray.sql", "SELECT 1;");
    auto r = run_cli({"lint", "--format", "json", f.path()});
    CHECK(r.exit_code == 1);
    auto doc = json::parse(r.out);
    CHECK(doc["schemaVersion"] == 1);
    CHECK(doc["tool"]["name"] == "migrate lint");
    REQUIRE(doc["folders"].size() == 1);
    const auto& folder = doc["folders"][0];
    CHECK(folder["name"] == f.path());
    CHECK(folder["flavor"] == "mysql");
    CHECK(folder["sharded"] == false);
    CHECK(folder["foreignKeys"] == true);
    CHECK(folder["errors"] == 2);
    CHECK(folder["warnings"] == 0);
    CHECK(folder["suppressed"] == 1);
    CHECK(doc["summary"] == json{{"errors", 2}, {"warnings", 0}, {"suppressed", 1}});
    REQUIRE(doc["findings"].size() == 3);
    const auto& drop = doc["findings"][0];
    CHECK(drop["folder"] == f.path());
    CHECK(drop["rule"] == "destructive-drop-table");
    CHECK(drop["severity"] == "warning");
    CHECK(drop["line"] == 2);
    CHECK(drop["column"] == 12);
    CHECK(drop["suppressed"] == true);
    CHECK(drop["suppressionReason"] == "replaced by claims_v2 in 0040");
    CHECK(!drop["message"].get<std::string>().empty());
    CHECK(!drop["fix"].get<std::string>().empty());
    CHECK(drop["file"].get<std::string>().front() != '/');  // relative to the working directory
    CHECK_THAT(drop["file"].get<std::string>(), Catch::EndsWith("/0000_first.sql"));
    CHECK(doc["findings"][1]["rule"] == "alter-if-exists");
    CHECK(doc["findings"][1]["suppressionReason"].is_null());
    const auto& stray = doc["findings"][2];
    CHECK(stray["rule"] == "journal-unlisted-file");
    CHECK(stray["line"].is_null());
    CHECK(stray["column"].is_null());
}

TEST_CASE("lint cli: suppression in human output, and a suppression without a reason") {
    LintFolder ok("DROP TABLE `x`; -- migrate:lint-ignore destructive-drop-table nothing reads it since v3");
    auto r = run_cli({"lint", ok.path()});
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("0000_first.sql:1:12: suppressed warning[destructive-drop-table]: DROP TABLE `x` "
                                      "deletes the table and its rows\n  reason: nothing reads it since v3\n"));
    CHECK_THAT(r.out, Catch::Contains("0 errors, 0 warnings, 1 suppressed"));
    LintFolder bare("-- migrate:lint-ignore alter-if-exists\nALTER TABLE `a` ADD COLUMN IF NOT EXISTS `b` int;");
    auto b = run_cli({"lint", bare.path()});
    CHECK(b.exit_code == 1);
    CHECK_THAT(b.out, Catch::Contains("0000_first.sql:1:1: warning[suppression-without-reason]"));
    CHECK_THAT(b.out, Catch::Contains("error[alter-if-exists]"));
}

TEST_CASE("lint cli: the project config gives folders, flavour and sharding, and needs no secrets") {
    TempDir project;
    write_folder(project.path() / "ks_sharded",
                 {{"0000_a",
                   "CREATE TABLE `a` (`id` int, `b_id` int);--> statement-breakpoint\n"
                   "ALTER TABLE `a` ADD CONSTRAINT `a_b_fk` FOREIGN KEY (`b_id`) REFERENCES `b`(`id`);"}});
    write_folder(project.path() / "ks_maria", {{"0000_a",
                                                "CREATE TABLE `a` (`id` int);--> statement-breakpoint\n"
                                                "ALTER TABLE `a` ADD COLUMN IF NOT EXISTS `c` int;"}});
    write_file(project.path() / "migrate.json", R"({"targets": {
      "ks_sharded": {"host": "db", "user": "u", "password": "env:LINT_CLI_TEST_NEVER_SET", "flavor": "vitess", "sharded": true},
      "ks_maria": {"url": "env:LINT_CLI_TEST_NEVER_SET_URL", "flavor": "mariadb"}}})");
    const auto config = (project.path() / "migrate.json").string();
    auto all = run_cli({"lint", "--config", config, "--format", "json"});
    CHECK(all.exit_code == 1);
    auto doc = json::parse(all.out);
    REQUIRE(doc["folders"].size() == 2);
    CHECK(doc["folders"][0]["name"] == "ks_sharded");
    CHECK(doc["folders"][0]["flavor"] == "vitess");
    CHECK(doc["folders"][0]["sharded"] == true);
    CHECK(doc["folders"][1]["flavor"] == "mariadb");
    REQUIRE(doc["findings"].size() == 1);
    CHECK(doc["findings"][0]["rule"] == "foreign-key-unsupported");
    auto maria = run_cli({"lint", "--config", config, "--keyspace", "ks_maria"});
    CHECK(maria.exit_code == 0);
    CHECK_THAT(maria.out, Catch::Contains("lint: 1 folder (mariadb): 0 errors"));
    auto forced = run_cli({"lint", "--config", config, "--keyspace", "ks_maria", "--flavor", "mysql"});
    CHECK(forced.exit_code == 1);
    CHECK(run_cli({"lint", "--config", config, "--keyspace", "nope"}).exit_code == 2);
    write_file(project.path() / "migrate.json", R"({"targets": {"a": {"url": "mysql://h/a", "flavor": "oracle"}}})");
    auto bad = run_cli({"lint", "--config", config});
    CHECK(bad.exit_code == 3);
    CHECK_THAT(bad.err, Catch::Contains("key \"flavor\""));
}

TEST_CASE("lint cli: a broken folder lists its problems instead of failing on the first") {
    TempDir dir;
    write_file(dir.path() / "0000_a.sql", "CREATE TABLE `a` (`id` int);");
    write_file(dir.path() / "meta" / "_journal.json", R"({"version":"7","dialect":"mysql","entries":[
      {"idx":0,"version":"5","when":2000,"tag":"0000_a","breakpoints":true},
      {"idx":0,"version":"5","when":1000,"tag":"0001_gone","breakpoints":true}]})");
    auto r = run_cli({"lint", dir.path().string()});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Catch::Contains("meta/_journal.json:3:7: warning[journal-duplicate-idx]"));
    CHECK_THAT(r.out, Catch::Contains("meta/_journal.json:3:7: error[journal-when-not-increasing]"));
    CHECK_THAT(r.out, Catch::Contains("meta/_journal.json:3:7: error[journal-missing-file]"));
}

TEST_CASE("lint cli: --format sarif has SARIF 2.1.0's required structure") {
    LintFolder f(
        "-- migrate:lint-ignore destructive-drop-table replaced\nDROP TABLE `claims`;--> statement-breakpoint\n"
        "ALTER TABLE `claims_v2` ADD COLUMN IF NOT EXISTS `vin` varchar(17);");
    auto r = run_cli({"lint", "--format", "sarif", f.path()});
    CHECK(r.exit_code == 1);
    auto doc = json::parse(r.out);
    CHECK(doc["version"] == "2.1.0");
    CHECK(doc["$schema"].is_string());
    REQUIRE(doc["runs"].size() == 1);
    const auto& run = doc["runs"][0];
    const auto& driver = run["tool"]["driver"];
    CHECK(driver["name"] == "migrate lint");
    REQUIRE(driver["rules"].is_array());
    bool saw_alter = false;
    for (const auto& rule : driver["rules"]) {
        CHECK(rule["id"].is_string());
        CHECK(rule["shortDescription"]["text"].is_string());
        CHECK(rule["fullDescription"]["text"].is_string());
        CHECK(rule["help"]["text"].is_string());
        const auto level = rule["defaultConfiguration"]["level"].get<std::string>();
        CHECK((level == "error" || level == "warning" || level == "note" || level == "none"));
        if (rule["id"] == "alter-if-exists") {
            saw_alter = true;
            CHECK(level == "error");
        }
        if (rule["id"] == "serial-auto-increment") CHECK(level == "none");  // mysql does not check it
    }
    CHECK(saw_alter);
    const auto& results = run["results"];
    REQUIRE(results.size() == 2);
    for (const auto& res : results) {
        const auto index = res["ruleIndex"].get<std::size_t>();
        CHECK(driver["rules"][index]["id"] == res["ruleId"]);
        CHECK(res["message"]["text"].is_string());
        const auto& loc = res["locations"][0]["physicalLocation"];
        const auto uri = loc["artifactLocation"]["uri"].get<std::string>();
        CHECK(uri.front() != '/');
        CHECK(uri.find("file:") == std::string::npos);
        CHECK_THAT(uri, Catch::EndsWith("/0000_first.sql"));
        CHECK(loc["region"]["startLine"].get<int>() >= 1);
        CHECK(loc["region"]["startColumn"].get<int>() >= 1);
    }
    CHECK(results[0]["ruleId"] == "destructive-drop-table");
    CHECK(results[0]["level"] == "warning");
    CHECK(results[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 2);
    CHECK(results[0]["suppressions"] == json::parse(R"([{"kind": "inSource", "justification": "replaced"}])"));
    CHECK(results[1]["ruleId"] == "alter-if-exists");
    CHECK(results[1]["level"] == "error");
    CHECK_FALSE(results[1].contains("suppressions"));
}

TEST_CASE("lint cli: --url flags an applied migration edited since") {
    ScratchDatabase db("lint_url");
    TempDir dir;
    write_folder(dir.path(), {{"0000_a", "CREATE TABLE `a` (`id` int);"}, {"0001_b", "CREATE TABLE `b` (`id` int);"}});
    REQUIRE(run_cli({"up", "--url", db.url(), "--dir", dir.path().string()}).exit_code == 0);
    auto clean = run_cli({"lint", "--url", db.url(), dir.path().string()});
    CHECK(clean.exit_code == 0);
    write_file(dir.path() / "0001_b.sql", "CREATE TABLE `b` (`id` bigint);");
    auto edited = run_cli({"lint", "--url", db.url(), dir.path().string()});
    CHECK(edited.exit_code == 1);
    CHECK_THAT(edited.out,
               Catch::Contains("0001_b.sql: error[applied-migration-edited]: 0001_b was applied with hash"));
    CHECK_THAT(edited.out, !Catch::Contains("0000_a.sql: error"));
    // Like every command, --url defaults to $DATABASE_URL; --table names the tracking table it reads.
    auto from_env = run_cli({"lint", dir.path().string()}, {{"DATABASE_URL", db.url()}});
    CHECK(from_env.exit_code == 1);
    CHECK_THAT(from_env.out, Catch::Contains("error[applied-migration-edited]"));
    auto other_table = run_cli({"lint", "--url", db.url(), "--table", "no_such_table", dir.path().string()});
    CHECK(other_table.exit_code == 0);  // nothing recorded there: nothing applied was edited
    auto quiet = run_cli({"lint", "-q", "--no-color", "--url", db.url(), dir.path().string()});
    CHECK(quiet.exit_code == 1);
    auto down = run_cli({"lint", "--url", "mysql://migrate:x@127.0.0.1:1/nope", dir.path().string()});
    CHECK(down.exit_code == 4);
}
