// `migrate verify` against real databases: after `up` (replayed and from the baseline) every corpus folder
// is clean; each kind of drift and each kind of tracking damage is named; JSON output; several targets.
#include "fixtures.hpp"
#include "process.hpp"
#include "temp_dir.hpp"
#include "test_server.hpp"

#include <migrate/connection_url.hpp>
#include <migrate/source.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace testing;
namespace fs = std::filesystem;

namespace {

fs::path v1_folder(const std::string& name) {
    return fs::path(MIGRATE_SOURCE_DIR) / "examples" / "openinsure-v1" / name;
}

ProcessResult verify(const ScratchDatabase& db, const fs::path& dir, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"verify", "--url", db.url(), "--dir", dir.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli(args);
}

void up(const ScratchDatabase& db, const fs::path& dir, bool baseline) {
    std::vector<std::string> args = {"up", "--url", db.url(), "--dir", dir.string()};
    if (!baseline) args.push_back("--no-baseline");
    auto r = run_cli(args);
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
}

// Both ways to build a database from a folder end clean, naming only the tables custom migrations create.
void check_clean(const fs::path& dir, const std::vector<std::string>& custom_tables) {
    for (bool baseline : {false, true}) {
        INFO(dir.string() << (baseline ? " from its baseline" : " replayed"));
        ScratchDatabase db("verify_corpus");
        up(db, dir, baseline);
        auto r = verify(db, dir, {"--schema"});
        INFO(r.out << r.err);
        CHECK(r.exit_code == 0);
        CHECK_THAT(r.out, Catch::Contains("rows: ok, every migration recorded with its file's hash, no unknown rows"));
        CHECK_THAT(r.out, Catch::Contains("ok, no drift"));
        for (const auto& t : custom_tables)
            CHECK_THAT(r.out, Catch::Contains("notice: table " + t + " is not in the snapshot"));
        const auto notices = std::count(r.out.begin(), r.out.end(), '\n') - 2;
        CHECK(notices == static_cast<long>(custom_tables.size()));
    }
}

// oi_claims loaded from its baseline, then `damage` applied by hand.
ProcessResult drifted(const std::string& damage, std::vector<std::string> extra = {"--schema"}) {
    ScratchDatabase db("verify_drift");
    up(db, corpus_folder("oi_claims"), true);
    db.connect().exec(damage);
    return verify(db, corpus_folder("oi_claims"), std::move(extra));
}

}  // namespace

TEST_CASE("verify: --schema is clean on the five 0.x keyspaces after up, replayed and from the baseline") {
    check_clean(corpus_folder("oi_global"), {"ref_documents_codes"});
    check_clean(corpus_folder("oi_policies"), {"ref_policies_history_codes"});
    check_clean(corpus_folder("oi_submissions"), {"ref_inspections_codes", "ref_motor_carriers_codes"});
    check_clean(corpus_folder("oi_claims"), {"ref_litigation_history_codes"});
    check_clean(corpus_folder("oi_billing"), {});
}

TEST_CASE("verify: --schema is clean on the 220-migration monolith after up, replayed and from the baseline") {
    check_clean(corpus_folder("monolith"),
                {"ref_inspections_codes", "ref_installment_plans_history_codes", "ref_litigation_history_codes",
                 "ref_motor_carriers_codes", "ref_policies_history_codes"});
}

TEST_CASE("verify: --schema is clean on the drizzle-kit 1.0 folders and names drift against their snapshot.json") {
    check_clean(v1_folder("oi_claims"), {});
    check_clean(v1_folder("oi_global"), {});
    ScratchDatabase db("verify_v1");
    up(db, v1_folder("oi_global"), true);
    db.connect().exec("ALTER TABLE `api_keys` ADD `by_hand` varchar(8)");
    auto r = verify(db, v1_folder("oi_global"), {"--schema"});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Catch::Contains("20261128054528_flaky_kate_bishop/snapshot.json"));
    CHECK_THAT(r.out,
               Catch::Contains("table api_keys: column by_hand (varchar(8)) is in the database, not in the snapshot"));
}

TEST_CASE("verify: --schema names a column added by hand") {
    auto r = drifted("ALTER TABLE `claims` ADD `hand_added` int");
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Catch::Contains("DRIFT, 1 difference"));
    CHECK_THAT(r.out,
               Catch::Contains("table claims: column hand_added (int(11)) is in the database, not in the snapshot"));
}

TEST_CASE("verify: --schema names a dropped index") {
    auto r = drifted("DROP INDEX `claims_org_idx` ON `claims`");
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Catch::Contains("DRIFT, 1 difference"));
    CHECK_THAT(r.out,
               Catch::Contains("table claims: index claims_org_idx (org_id) is in the snapshot, not in the database"));
}

TEST_CASE("verify: --schema names a changed column type with both types") {
    auto r = drifted("ALTER TABLE `claims` MODIFY `amount` varchar(20)");
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Catch::Contains("DRIFT, 1 difference"));
    CHECK_THAT(r.out, Catch::Contains(
                          "table claims: column amount: type is text in the snapshot, varchar(20) in the database"));
}

TEST_CASE(
    "verify: --schema names a table created outside migrations, and its custom-migration tables only as notices") {
    auto r = drifted("CREATE TABLE `made_by_hand` (`id` int PRIMARY KEY)");
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Catch::Contains("DRIFT, 1 difference"));
    CHECK_THAT(r.out,
               Catch::Contains("table made_by_hand is in the database, not in the snapshot, and no migration of the "
                               "folder creates it: created outside migrations"));
    CHECK_THAT(r.out, Catch::Contains("notice: table ref_litigation_history_codes is not in the snapshot: migration "
                                      "0034_backfill_litigation_history creates it"));
}

TEST_CASE("verify: --schema --json is one versioned document naming each drift") {
    auto r = drifted("ALTER TABLE `claims` ADD `hand_added` int", {"--schema", "--json"});
    CHECK(r.exit_code == 1);
    auto doc = nlohmann::json::parse(r.out);
    CHECK(doc["version"] == 1);
    CHECK(doc["command"] == "verify");
    CHECK(doc["ok"] == false);
    CHECK(doc["exit"] == 1);
    REQUIRE(doc["targets"].size() == 1);
    const auto& t = doc["targets"][0];
    CHECK(t["exit"] == 1);
    CHECK(t["tracking"]["ok"] == true);
    CHECK(t["tracking"]["rows"] == 53);
    CHECK(t["schema"]["ok"] == false);
    std::vector<std::string> drift, notices;
    for (const auto& d : t["schema"]["drift"])
        (d["severity"] == "drift" ? drift : notices)
            .push_back(d["kind"].get<std::string>() + " " + d["table"].get<std::string>() + " " +
                       d["name"].get<std::string>() + " " + d["actual"].get<std::string>());
    CHECK(drift == std::vector<std::string>{"column_extra claims hand_added int(11)"});
    CHECK(notices == std::vector<std::string>{"table_extra ref_litigation_history_codes  table"});
}

TEST_CASE("verify: the tracking table after up is clean, and each kind of damage is named") {
    const auto dir = corpus_folder("oi_claims");
    const auto source = migrate::read_migrations_folder(dir);
    ScratchDatabase db("verify_tracking");
    up(db, dir, true);
    auto clean = verify(db, dir);
    CHECK(clean.exit_code == 0);
    CHECK_THAT(clean.out, Catch::Contains("tracking  __drizzle_migrations: 53 migrations in the folder, 53 rows: ok"));
    CHECK_THAT(clean.out, !Catch::Contains("schema"));
    auto sql = db.connect();

    SECTION("a deleted row") {
        sql.exec("DELETE FROM `__drizzle_migrations` WHERE `id` = 10");
        auto r = verify(db, dir);
        CHECK(r.exit_code == 1);
        CHECK_THAT(r.out, Catch::Contains("52 rows: 1 problem"));
        CHECK_THAT(r.out, Catch::Contains("missing row for " + source.migrations[9].tag + " (when " +
                                          std::to_string(source.migrations[9].when) + ")"));
    }
    SECTION("the newest row deleted: the migration reads as not applied") {
        sql.exec("DELETE FROM `__drizzle_migrations` WHERE `id` = 53");
        auto r = verify(db, dir);
        CHECK(r.exit_code == 1);
        CHECK_THAT(r.out, Catch::Contains("missing row for 0052_spicy_nicolaos"));
        CHECK_THAT(r.out, Catch::Contains("not applied"));
    }
    SECTION("an edited hash, with both hashes") {
        sql.exec("UPDATE `__drizzle_migrations` SET `hash` = 'feedface' WHERE `id` = 3");
        auto r = verify(db, dir);
        CHECK(r.exit_code == 1);
        CHECK_THAT(r.out, Catch::Contains("hash differs for " + source.migrations[2].tag + " (row id 3): file " +
                                          source.migrations[2].hash + ", recorded feedface"));
    }
    SECTION("an extra row no migration matches") {
        sql.exec("INSERT INTO `__drizzle_migrations` (`hash`, `created_at`) VALUES ('c0ffee', 1234)");
        auto r = verify(db, dir);
        CHECK(r.exit_code == 1);
        CHECK_THAT(r.out,
                   Catch::Contains("row id 54 (created_at 1234, hash c0ffee) matches no migration of the folder"));
        auto json = nlohmann::json::parse(run_cli({"verify", "--json", "--url", db.url(), "--dir", dir.string()}).out);
        const auto& p = json["targets"][0]["tracking"]["problems"];
        REQUIRE(p.size() == 1);
        CHECK(p[0]["kind"] == "row_without_file");
        CHECK(p[0]["row_id"] == 54);
        CHECK(json["targets"][0]["schema"].is_null());
    }
    SECTION("no tracking table at all") {
        sql.exec("DROP TABLE `__drizzle_migrations`");
        auto r = verify(db, dir);
        CHECK(r.exit_code == 1);
        CHECK_THAT(r.out, Catch::Contains("no tracking table: none of the 53 migrations is recorded"));
    }
}

TEST_CASE("verify: several targets of a project config, each line prefixed, exit 1 when one drifted") {
    TempDir tmp;
    ScratchDatabase a("verify_proj"), b("verify_proj");
    up(a, corpus_folder("oi_billing"), true);
    up(b, corpus_folder("oi_claims"), true);
    b.connect().exec("ALTER TABLE `claims` DROP COLUMN `amount`");
    const auto file = tmp.path() / "migrate.json";
    write_file(file, "{\"targets\": {\"billing\": {\"url\": \"" + a.url() + "\", \"migrations\": \"" +
                         corpus_folder("oi_billing").string() + "\"}, \"claims\": {\"url\": \"" + b.url() +
                         "\", \"migrations\": \"" + corpus_folder("oi_claims").string() + "\"}}}");
    auto r = run_cli({"verify", "--schema", "--all", "--config", file.string()}, {{"DATABASE_URL", ""}});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Catch::Contains("billing | schema "));
    CHECK_THAT(r.out, Catch::Contains("ok, no drift"));
    CHECK_THAT(r.out, Catch::Contains(
                          "claims  |   - table claims: column amount (text) is in the snapshot, not in the database"));
    auto json = nlohmann::json::parse(
        run_cli({"verify", "--schema", "--json", "--all", "--config", file.string()}, {{"DATABASE_URL", ""}}).out);
    REQUIRE(json["targets"].size() == 2);
    CHECK(json["targets"][0]["name"] == "billing");
    CHECK(json["targets"][0]["ok"] == true);
    CHECK(json["targets"][1]["ok"] == false);
}

TEST_CASE("verify: a folder whose newest snapshot is missing is invalid input (exit 3)") {
    TempDir tmp;
    write_folder(tmp.path(), {{"0000_init", "CREATE TABLE `t` (`id` int PRIMARY KEY);"}});
    ScratchDatabase db("verify_nosnap");
    up(db, tmp.path(), false);
    CHECK(verify(db, tmp.path()).exit_code == 0);  // the tracking check needs no snapshot
    auto r = verify(db, tmp.path(), {"--schema"});
    CHECK(r.exit_code == 3);
    CHECK_THAT(r.err, Catch::Contains("error[snapshot_invalid]"));
    CHECK_THAT(r.err, Catch::Contains("0000_snapshot.json"));
}
