// verify's pure parts: snapshot readers (drizzle-kit 0.x version 5, 1.0 version 6), which snapshot is the
// newest, the normalisations of docs/verify.md, tables custom migrations create, the comparison, and the
// tracking check's reading of a plan.
#include "verify/compare.hpp"
#include "verify/created_tables.hpp"
#include "verify/normalise.hpp"
#include "verify/snapshot.hpp"

#include "plan/make_plan.hpp"

#include <migrate/error.hpp>
#include <migrate/verify.hpp>

#include <catch2/catch.hpp>

#include <algorithm>

using namespace migrate::verify;
using migrate::SchemaDrift;

namespace {

const char* v5_snapshot = R"json({
  "version": "5", "dialect": "mysql", "id": "x", "prevId": "y",
  "tables": {
    "claims": {
      "name": "claims",
      "columns": {
        "id": {"name": "id", "type": "bigint unsigned", "primaryKey": false, "notNull": true, "autoincrement": true},
        "flag": {"name": "flag", "type": "boolean", "primaryKey": false, "notNull": false, "autoincrement": false, "default": false},
        "amount": {"name": "amount", "type": "decimal(12,2)", "primaryKey": false, "notNull": false, "autoincrement": false, "default": "'0.00'"},
        "created_at": {"name": "created_at", "type": "timestamp", "primaryKey": false, "notNull": true, "autoincrement": false, "default": "(now())"},
        "policy_id": {"name": "policy_id", "type": "bigint unsigned", "primaryKey": false, "notNull": false, "autoincrement": false}
      },
      "indexes": {"claims_org_idx": {"name": "claims_org_idx", "columns": ["amount"], "isUnique": false}},
      "foreignKeys": {"claims_fk0": {"name": "claims_fk0", "tableFrom": "claims", "tableTo": "policies",
                                      "columnsFrom": ["policy_id"], "columnsTo": ["id"], "onDelete": "no action", "onUpdate": "no action"}},
      "compositePrimaryKeys": {"claims_id": {"name": "claims_id", "columns": ["id"]}},
      "uniqueConstraints": {"claims_amount_unique": {"name": "claims_amount_unique", "columns": ["amount"]}},
      "checkConstraint": {}
    }
  },
  "views": {}, "_meta": {"schemas": {}, "tables": {}, "columns": {}}
})json";

const char* v6_snapshot = R"json({
  "version": "6", "dialect": "mysql", "id": "x", "prevIds": ["y"], "renames": [],
  "ddl": [
    {"type": "bigint unsigned", "notNull": true, "autoIncrement": true, "default": null, "onUpdateNow": false,
     "generated": null, "name": "id", "entityType": "columns", "table": "api_keys"},
    {"name": "api_keys", "entityType": "tables"},
    {"type": "boolean", "notNull": false, "autoIncrement": false, "default": "false", "onUpdateNow": false,
     "generated": null, "name": "active", "entityType": "columns", "table": "api_keys"},
    {"columns": ["id"], "name": "PRIMARY", "table": "api_keys", "entityType": "pks"},
    {"columns": [{"value": "active", "isExpression": false}], "isUnique": true, "name": "api_keys_active_idx",
     "entityType": "indexes", "table": "api_keys"},
    {"columns": ["id"], "tableTo": "users", "columnsTo": ["id"], "onUpdate": "NO ACTION", "onDelete": "CASCADE",
     "name": "api_keys_fk0", "entityType": "fks", "table": "api_keys"},
    {"name": "mystery", "entityType": "sequences"}
  ]
})json";

std::vector<std::string> messages(const std::vector<SchemaDrift>& drift) {
    std::vector<std::string> out;
    for (const auto& d : drift) out.push_back(d.message);
    return out;
}

}  // namespace

TEST_CASE("verify: a version 5 snapshot reads tables, columns, keys, indexes and unique constraints") {
    Schema s = parse_snapshot(v5_snapshot, "0001_snapshot.json");
    REQUIRE(s.tables.size() == 1);
    const Table& t = s.tables.at("claims");
    REQUIRE(t.columns.size() == 5);
    CHECK(t.columns[0].name == "id");  // the file's order
    CHECK(t.columns[0].auto_increment);
    CHECK(t.columns[1].default_value == "false");
    CHECK(t.columns[2].default_value == "'0.00'");
    CHECK(t.columns[3].default_value == "(now())");
    CHECK_FALSE(t.columns[4].default_value);
    CHECK(t.primary_key == std::vector<std::string>{"id"});
    REQUIRE(t.indexes.size() == 2);
    CHECK(t.indexes[1].name == "claims_amount_unique");
    CHECK(t.indexes[1].unique);
    REQUIRE(t.foreign_keys.size() == 1);
    CHECK(t.foreign_keys[0].table_to == "policies");
    CHECK(t.foreign_keys[0].on_delete == "no action");
}

TEST_CASE("verify: a version 6 snapshot reads its flat ddl list, in any order") {
    Schema s = parse_snapshot(v6_snapshot, "snapshot.json");
    const Table& t = s.tables.at("api_keys");
    REQUIRE(t.columns.size() == 2);
    CHECK(t.columns[1].default_value == "false");
    CHECK(t.primary_key == std::vector<std::string>{"id"});
    REQUIRE(t.indexes.size() == 1);
    CHECK(t.indexes[0].columns == std::vector<std::string>{"active"});
    CHECK(t.indexes[0].unique);
    CHECK(t.foreign_keys.at(0).on_delete == "CASCADE");
    CHECK(s.not_compared == std::vector<std::string>{"snapshot entities of type sequences"});
}

TEST_CASE("verify: snapshots that are not drizzle-kit's are refused as snapshot_invalid") {
    for (const char* text : {"{", "[]", R"({"version": "7", "dialect": "mysql"})",
                             R"({"version": "5", "dialect": "postgresql", "tables": {}})",
                             R"({"version": "5", "dialect": "mysql", "tables": {"t": {"columns": {}}}})"}) {
        INFO(text);
        try {
            parse_snapshot(text, "x.json");
            FAIL("accepted");
        } catch (const migrate::error& e) {
            CHECK(e.code() == migrate::errc::snapshot_invalid);
            CHECK_THAT(e.what(), Catch::Contains("x.json"));
        }
    }
    // Not JSON: where, as for the journal and migrate.json.
    try {
        parse_snapshot("{\n  \"version\": \"5\",\n  \"tables\": {,}\n}", "x.json");
        FAIL("accepted");
    } catch (const migrate::error& e) {
        CHECK(e.code() == migrate::errc::snapshot_invalid);
        CHECK_THAT(e.what(), Catch::StartsWith("x.json:3:14: not valid JSON (parse error at line 3, column 14"));
        CHECK(e.context().line == 3);
    }
}

TEST_CASE("verify: the newest snapshot of a 0.x and a 1.0 folder") {
    migrate::Source s;
    s.dir = "drizzle";
    s.migrations.resize(2);
    s.migrations[1].tag = "0041_add_vin";
    CHECK(migrate::newest_snapshot_path(s) == std::filesystem::path("drizzle/meta/0041_snapshot.json"));
    s.migrations[1].tag = "20261128052337_init";
    CHECK(migrate::newest_snapshot_path(s) == std::filesystem::path("drizzle/meta/20261128052337_snapshot.json"));
    s.layout = migrate::FolderLayout::drizzle_v1_folders;
    s.migrations[1].file = "drizzle/20261128054529_x/migration.sql";
    CHECK(migrate::newest_snapshot_path(s) == std::filesystem::path("drizzle/20261128054529_x/snapshot.json"));
    s.migrations.clear();
    CHECK_THROWS_AS(migrate::newest_snapshot_path(s), migrate::error);
}

TEST_CASE("verify: types the server rewrites compare equal") {
    CHECK(canonical_type("bigint(20) unsigned") == canonical_type("bigint unsigned"));
    CHECK(canonical_type("int(11)") == "int");
    CHECK(canonical_type("tinyint(4)") == "tinyint");
    CHECK(canonical_type("boolean") == "tinyint(1)");
    CHECK(canonical_type("tinyint(1)") == "tinyint(1)");
    CHECK(canonical_type("serial") == "bigint unsigned");
    CHECK(canonical_type("enum('draft', 'active')") == "enum('draft','active')");
    CHECK(canonical_type("ENUM('Draft','a b')") == "enum('Draft','a b')");  // values keep their case and spaces
    CHECK(canonical_type("decimal") == "decimal(10,0)");
    CHECK(canonical_type("numeric(12)") == "decimal(12,0)");
    CHECK(canonical_type("year(4)") == "year");
    CHECK(canonical_type("varchar(36)") != canonical_type("varchar(64)"));
    CHECK(canonical_type("int") != canonical_type("bigint"));
    CHECK(canonical_type("tinyint") != canonical_type("boolean"));
}

TEST_CASE("verify: defaults the server rewrites compare equal") {
    auto d = [](std::optional<std::string> raw, std::string_view type) {
        return canonical_default(raw, canonical_type(type));
    };
    CHECK(d("(now())", "timestamp") == "current_timestamp");
    CHECK(d("current_timestamp()", "timestamp") == "current_timestamp");
    CHECK(d("CURRENT_TIMESTAMP", "timestamp") == "current_timestamp");
    CHECK(d("current_timestamp(6)", "timestamp(6)") == "current_timestamp(6)");
    CHECK(d("'0.00'", "decimal(12,2)") == d("0.00", "decimal(12,2)"));
    CHECK(d("(0.00)", "decimal(12,2)") == "0");
    CHECK(d("false", "boolean") == d("0", "tinyint(1)"));
    CHECK(d("true", "boolean") == "1");
    CHECK(d("1", "double") == d("'1'", "double"));
    CHECK(d("1.50", "double") == "1.5");
    CHECK(d("'x'", "varchar(16)") == "'x'");
    CHECK(d("NULL", "varchar(16)") == std::nullopt);  // MariaDB's "no default" on a nullable column
    CHECK(d(std::nullopt, "int") == std::nullopt);
    CHECK(d("'x'", "varchar(16)") != d("'y'", "varchar(16)"));
    CHECK(d("'0'", "varchar(16)") != d("0", "varchar(16)"));  // a string column keeps its quotes
    CHECK(d("1", "int") != d("2", "int"));
}

TEST_CASE("verify: foreign key actions, where RESTRICT and an unspecified action mean NO ACTION") {
    CHECK(canonical_action("no action") == "NO ACTION");
    CHECK(canonical_action("RESTRICT") == "NO ACTION");
    CHECK(canonical_action("") == "NO ACTION");
    CHECK(canonical_action("cascade") == "CASCADE");
    CHECK(canonical_action("set null") == "SET NULL");
}

TEST_CASE("verify: MariaDB's longtext with CHECK json_valid reads back as json") {
    Schema live;
    Table t{.name = "t"};
    t.columns = {{.name = "doc", .type = "longtext"}, {.name = "body", .type = "longtext"}};
    t.checks = {{"doc", "json_valid(`doc`)"}, {"body_len", "length(`body`) > 0"}};
    live.tables["t"] = t;
    normalise_live(live);
    CHECK(live.tables["t"].columns[0].type == "json");
    CHECK(live.tables["t"].columns[1].type == "longtext");
    REQUIRE(live.tables["t"].checks.size() == 1);
    CHECK(live.tables["t"].checks[0].name == "body_len");
}

TEST_CASE("verify: tables the folder's own statements create, drop and rename") {
    migrate::Source s;
    auto add = [&](std::string tag, std::string sql) {
        migrate::Migration m;
        m.tag = tag;
        m.text = std::make_shared<const std::string>(std::move(sql));  // what the statements view
        m.statements = migrate::split_statements(*m.text);
        s.migrations.push_back(m);
    };
    add("0000_a",
        "CREATE TABLE `users` (`id` int);\n--> statement-breakpoint\nCREATE TABLE IF NOT EXISTS db.`ref_a` (x int);");
    add("0001_custom",
        "-- Custom SQL migration file, put your code below! --\n"
        "CREATE TABLE `ref_b` (`code` varchar(16)); INSERT INTO `ref_b` VALUES ('CREATE TABLE x');\n"
        "CREATE TEMPORARY TABLE tmp (x int); -- CREATE TABLE in_comment (x int)\n");
    add("0002_b",
        "DROP TABLE IF EXISTS `users`, `nothing`;\n--> statement-breakpoint\nRENAME TABLE `ref_a` TO `ref_c`;");
    auto tables = tables_created_by(s);
    CHECK(tables == std::map<std::string, std::string>{{"ref_b", "0001_custom"}, {"ref_c", "0000_a"}});
}

TEST_CASE("verify: compare names each drift, tolerates what the server adds, and grades custom tables") {
    Schema snapshot = parse_snapshot(v5_snapshot, "s.json");
    normalise_snapshot(snapshot);
    Schema live;
    Table t{.name = "claims"};
    t.columns = {{.name = "id", .type = "bigint(20) unsigned", .not_null = true, .auto_increment = true},
                 {.name = "flag", .type = "tinyint(1)", .default_value = "0"},
                 {.name = "amount", .type = "decimal(12,2)", .default_value = "0.00"},
                 {.name = "created_at", .type = "timestamp", .not_null = true, .default_value = "current_timestamp()"},
                 {.name = "policy_id", .type = "bigint(20) unsigned", .default_value = "NULL"}};
    t.primary_key = {"id"};
    t.indexes = {{"claims_org_idx", {"amount"}, false},
                 {"claims_amount_unique", {"amount"}, true},
                 {"claims_fk0", {"policy_id"}, false}};  // the last one the server added for the foreign key
    t.foreign_keys = {{"claims_fk0", {"policy_id"}, "policies", {"id"}, "RESTRICT", "RESTRICT"}};
    live.tables["claims"] = t;
    live.tables["ref_codes"] = Table{.name = "ref_codes"};
    const std::map<std::string, std::string> created = {{"ref_codes", "0003_backfill"}};
    CHECK(compare_schemas(snapshot, live, {{"ref_codes", "0003_backfill"}}).size() == 1);
    auto clean = compare_schemas(snapshot, live, created);
    REQUIRE(clean.size() == 1);
    CHECK(clean[0].severity == SchemaDrift::Severity::notice);
    CHECK_THAT(clean[0].message, Catch::Contains("0003_backfill"));

    Table& c = live.tables["claims"];
    c.columns.push_back({.name = "hand_added", .type = "int(11)"});
    c.columns[1].type = "int(11)";
    c.indexes.erase(c.indexes.begin());
    live.tables["outside"] = Table{.name = "outside"};
    auto drift = compare_schemas(snapshot, live, created);
    auto m = messages(drift);
    CHECK(std::count_if(drift.begin(), drift.end(),
                        [](const auto& d) { return d.severity == SchemaDrift::Severity::drift; }) == 4);
    CHECK_THAT(m, Catch::VectorContains(std::string(
                      "table claims: column hand_added (int(11)) is in the database, not in the snapshot")));
    CHECK_THAT(m, Catch::VectorContains(std::string(
                      "table claims: column flag: type is boolean in the snapshot, int(11) in the database")));
    CHECK_THAT(m, Catch::VectorContains(std::string(
                      "table claims: index claims_org_idx (amount) is in the snapshot, not in the database")));
    CHECK_THAT(m,
               Catch::VectorContains(std::string(
                   "table outside is in the database, not in the snapshot, and no migration of the folder creates it: "
                   "created outside migrations")));
}

TEST_CASE("verify: the tracking check reports every problem a plan shows") {
    using K = migrate::TrackingProblem::Kind;
    migrate::Source src;
    for (int i = 0; i < 4; ++i) {
        migrate::Migration m;
        m.position = static_cast<std::size_t>(i);
        m.tag = "000" + std::to_string(i) + "_m";
        m.when = 1000 * (i + 1);
        m.hash = "h" + std::to_string(i);
        src.migrations.push_back(m);
    }
    // 0000 recorded, 0001 missing (older than the newest: out of order), 0002 with another hash, 0003 recorded,
    // and a row for no migration.
    std::vector<migrate::AppliedRow> rows = {{1, "h0", 1000, std::nullopt},
                                             {2, "edited", 3000, std::nullopt},
                                             {3, "h3", 4000, std::nullopt},
                                             {4, "zz", 9000, std::nullopt}};
    // The status of a database with those rows, as Target::status() reads it.
    auto status_of = [&](const std::vector<migrate::AppliedRow>& r, bool table_exists) {
        migrate::Status s;
        s.table = "__drizzle_migrations";
        s.plan = migrate::make_plan(src, r, table_exists);
        return s;
    };
    auto report = migrate::verify_tracking(status_of(rows, true));
    CHECK_FALSE(report.ok());
    CHECK(report.rows == 4);
    std::vector<K> kinds;
    for (const auto& p : report.problems) kinds.push_back(p.kind);
    CHECK(kinds == std::vector{K::out_of_order, K::hash_differs, K::row_without_file});
    CHECK(report.problems[1].expected == "h2");
    CHECK(report.problems[1].actual == "edited");
    CHECK(report.problems[1].message == "hash differs for 0002_m (row id 2): file h2, recorded edited");
    CHECK(report.problems[2].row_id == 4u);

    CHECK(migrate::verify_tracking(
              status_of({rows[0], {2, "h1", 2000, std::nullopt}, {3, "h2", 3000, std::nullopt}, rows[2]}, true))
              .ok());
    auto empty = migrate::verify_tracking(status_of({}, false));
    REQUIRE(empty.problems.size() == 1);
    CHECK(empty.problems[0].kind == K::table_missing);
}

TEST_CASE("verify: a serial column's own UNIQUE key is accepted, any other extra unique index is drift") {
    Schema snapshot;
    Table s{.name = "t"};
    s.columns = {{.name = "id", .type = "serial"}, {.name = "at", .type = "timestamp", .on_update_now = true}};
    s.primary_key = {"id"};
    snapshot.tables["t"] = s;
    normalise_snapshot(snapshot);
    CHECK(snapshot.tables["t"].columns[0].not_null);
    CHECK(snapshot.tables["t"].columns[0].auto_increment);

    Schema live;
    Table l{.name = "t"};
    l.columns = {{.name = "id", .type = "bigint(20) unsigned", .not_null = true, .auto_increment = true},
                 {.name = "at", .type = "timestamp", .on_update_now = true}};
    l.primary_key = {"id"};
    l.indexes = {{"id", {"id"}, true}};
    live.tables["t"] = l;
    CHECK(compare_schemas(snapshot, live, {}).empty());

    live.tables["t"].indexes.push_back({"at_uq", {"at"}, true});
    live.tables["t"].columns[1].on_update_now = false;
    auto m = messages(compare_schemas(snapshot, live, {}));
    CHECK(m == std::vector<std::string>{
                   "table t: column at: ON UPDATE CURRENT_TIMESTAMP is set in the snapshot, not set in the database",
                   "table t: index at_uq unique (at) is in the database, not in the snapshot"});
}
