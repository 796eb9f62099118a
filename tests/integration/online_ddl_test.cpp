// Size-aware plans against the real server (docs/online-ddl.md). Each MariaDB rule is checked the way the
// server itself tells: it refuses an ALGORITHM it cannot use (1845/1846), so "instant" must run with
// ALGORITHM=INSTANT, "in place" with NOCOPY but not INSTANT, "rebuild" with INPLACE but not NOCOPY, "copy"
// only with COPY. Then a table of a million rows ([bigdata], ctest label bigdata): plan's algorithms and row
// estimates, status, and up refused above --max-table-copy with nothing changed, applied below it.
#include "connect/connection.hpp"
#include "fixtures.hpp"
#include "plan/ddl_cost.hpp"
#include "plan/table_facts.hpp"
#include "process.hpp"
#include "temp_dir.hpp"
#include "test_server.hpp"

#include <migrate/connection_url.hpp>

#include <fmt/format.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace testing;
using json = nlohmann::json;
using migrate::DdlAlgorithm;

namespace {

const std::vector<std::string> base_tables = {
    "create table `policies` (`id` int not null primary key)",
    "create table `claims` (`id` int not null primary key, `vin` varchar(20), `label` varchar(60) not null, "
    "`status` enum('a','b'), `amount` int, `note` text, `policy_id` int, key `claims_label_idx` (`label`), "
    "constraint `claims_policy_fk` foreign key (`policy_id`) references `policies` (`id`), "
    "constraint `claims_id_check` check (`id` > 0)) engine=InnoDB default charset=utf8mb4",
    "insert into `policies` select seq from seq_1_to_10",
    "insert into `claims` (`id`, `vin`, `label`, `status`, `amount`, `note`, `policy_id`) "
    "select seq, concat('v', seq), concat('l', seq), 'a', seq, 'n', 1 + seq % 10 from seq_1_to_100",
};

struct Rule {
    std::string sql;
    DdlAlgorithm expected;
    bool fulltext = false;      // the table already has a FULLTEXT index
    std::string server_form{};  // the same change as ALTER TABLE, where the form takes no ALGORITHM=
};

// The statement with ALGORITHM=… appended the way its form takes it.
std::string with_algorithm(std::string sql, const std::string& algorithm) {
    while (!sql.empty() && (sql.back() == ';' || sql.back() == ' ')) sql.pop_back();
    return sql + (sql.rfind("ALTER", 0) == 0 ? ", ALGORITHM=" : " ALGORITHM=") + algorithm;
}

}  // namespace

TEST_CASE("online ddl: every MariaDB rule is what the server accepts") {
    // clang-format off
    const std::vector<Rule> rules = {
        {"ALTER TABLE `claims` ADD `region` varchar(8);", DdlAlgorithm::instant},
        {"ALTER TABLE `claims` ADD `region` varchar(8) NOT NULL DEFAULT 'x' FIRST;", DdlAlgorithm::instant},
        {"ALTER TABLE `claims` ADD `seq` int AUTO_INCREMENT UNIQUE;", DdlAlgorithm::rebuild},
        {"ALTER TABLE `claims` ADD `total` int GENERATED ALWAYS AS (`amount` * 2) STORED;", DdlAlgorithm::copy},
        {"ALTER TABLE `claims` ADD `total` int GENERATED ALWAYS AS (`amount` * 2) VIRTUAL;", DdlAlgorithm::instant},
        {"ALTER TABLE `claims` ADD `code` varchar(10) UNIQUE;", DdlAlgorithm::rebuild},
        {"ALTER TABLE `claims` DROP COLUMN `amount`;", DdlAlgorithm::instant},
        {"ALTER TABLE `claims` DROP COLUMN `label`;", DdlAlgorithm::in_place},
        {"ALTER TABLE `claims` RENAME COLUMN `vin` TO `vehicle`;", DdlAlgorithm::instant},
        {"ALTER TABLE `claims` MODIFY COLUMN `vin` varchar(60);", DdlAlgorithm::instant},
        {"ALTER TABLE `claims` MODIFY COLUMN `vin` varchar(200);", DdlAlgorithm::instant},
        {"ALTER TABLE `claims` MODIFY COLUMN `vin` varchar(10);", DdlAlgorithm::copy},
        {"ALTER TABLE `claims` MODIFY COLUMN `amount` bigint;", DdlAlgorithm::copy},
        {"ALTER TABLE `claims` MODIFY COLUMN `amount` int NOT NULL;", DdlAlgorithm::rebuild},
        {"ALTER TABLE `claims` MODIFY COLUMN `label` varchar(60);", DdlAlgorithm::rebuild},
        {"ALTER TABLE `claims` MODIFY COLUMN `amount` int DEFAULT 7;", DdlAlgorithm::instant},
        {"ALTER TABLE `claims` MODIFY COLUMN `vin` varchar(20) COLLATE utf8mb4_bin;", DdlAlgorithm::instant},
        {"ALTER TABLE `claims` MODIFY COLUMN `status` enum('a','b','c');", DdlAlgorithm::instant},
        {"ALTER TABLE `claims` MODIFY COLUMN `status` enum('c','a','b');", DdlAlgorithm::copy},
        {"ALTER TABLE `claims` MODIFY COLUMN `amount` int AFTER `id`;", DdlAlgorithm::instant},
        {"ALTER TABLE `claims` CHANGE `amount` `total` int;", DdlAlgorithm::instant},
        {"ALTER TABLE `claims` CHANGE `amount` `total` decimal(10,2);", DdlAlgorithm::copy},
        {"ALTER TABLE `claims` ALTER COLUMN `amount` SET DEFAULT 0;", DdlAlgorithm::instant},
        {"CREATE INDEX `claims_vin_idx` ON `claims` (`vin`);", DdlAlgorithm::in_place},
        {"CREATE UNIQUE INDEX `claims_vin_uq` ON `claims` (`vin`);", DdlAlgorithm::in_place},
        {"ALTER TABLE `claims` ADD CONSTRAINT `claims_vin_unique` UNIQUE(`vin`);", DdlAlgorithm::in_place},
        {"CREATE FULLTEXT INDEX `claims_note_ft` ON `claims` (`note`);", DdlAlgorithm::rebuild},
        {"DROP INDEX `claims_label_idx` ON `claims`;", DdlAlgorithm::in_place, false,
         "ALTER TABLE `claims` DROP INDEX `claims_label_idx`"},
        {"ALTER TABLE `claims` RENAME INDEX `claims_label_idx` TO `claims_label_i`;", DdlAlgorithm::instant},
        {"ALTER TABLE `claims` DROP PRIMARY KEY;", DdlAlgorithm::copy},
        {"ALTER TABLE `claims` DROP PRIMARY KEY, ADD PRIMARY KEY(`id`, `label`);", DdlAlgorithm::rebuild},
        {"ALTER TABLE `claims` ADD CONSTRAINT `claims_policy2_fk` FOREIGN KEY (`policy_id`) REFERENCES `policies`(`id`) "
         "ON DELETE no action ON UPDATE no action;", DdlAlgorithm::copy},
        {"ALTER TABLE `claims` DROP FOREIGN KEY `claims_policy_fk`;", DdlAlgorithm::instant},
        {"ALTER TABLE `claims` ADD CONSTRAINT `claims_amount_check` CHECK (`amount` >= 0);", DdlAlgorithm::copy},
        {"ALTER TABLE `claims` DROP CONSTRAINT `claims_id_check`;", DdlAlgorithm::instant},
        {"ALTER TABLE `claims` CONVERT TO CHARACTER SET latin1;", DdlAlgorithm::copy},
        {"ALTER TABLE `claims` ENGINE=InnoDB;", DdlAlgorithm::rebuild},
        {"ALTER TABLE `claims` ADD `region` varchar(8), ADD INDEX `claims_vin_idx` (`vin`);", DdlAlgorithm::rebuild},
        {"ALTER TABLE `claims` ADD `region` varchar(8);", DdlAlgorithm::rebuild, true},
        {"ALTER TABLE `claims` DROP COLUMN `amount`;", DdlAlgorithm::rebuild, true},
        {"CREATE FULLTEXT INDEX `claims_vin_ft` ON `claims` (`vin`);", DdlAlgorithm::in_place, true},
    };
    // clang-format on
    ScratchDatabase db("online_ddl_rules");
    auto sql = db.connect();
    auto reset = [&](bool fulltext) {
        sql.exec("drop table if exists `claims`");
        sql.exec("drop table if exists `policies`");
        for (const auto& s : base_tables) sql.exec(s);
        if (fulltext) sql.exec("create fulltext index `claims_note_ft0` on `claims` (`note`)");
    };
    // On the table as reset() left it: a refused attempt changes nothing, so the next one runs there too.
    auto accepts = [&](const Rule& r, const std::string& algorithm) {
        try {
            sql.exec(with_algorithm(r.server_form.empty() ? r.sql : r.server_form, algorithm));
            return true;
        } catch (const std::runtime_error& e) {
            const std::string what = e.what();
            INFO(what);
            // 1845/1846 "ALGORITHM=… is not supported…": refused for the algorithm, not for anything else.
            CHECK(what.find("is not supported") != std::string::npos);
            return false;
        }
    };
    auto conn = migrate::connect::Connection::open(migrate::parse_connection_url(db.url()));
    for (const auto& r : rules) {
        INFO(r.sql << (r.fulltext ? " (table with a FULLTEXT index)" : ""));
        reset(r.fulltext);
        const auto facts = migrate::plan::read_table_facts(*conn, {"claims"});
        REQUIRE(facts.flavor == migrate::Flavor::mariadb);
        const auto cost = migrate::plan::ddl_cost(r.sql, facts.flavor, [&](const std::string& t) {
            auto it = facts.tables.find(t);
            return it == facts.tables.end() ? nullptr : &it->second;
        });
        INFO(cost.reason);
        CHECK(to_string(cost.algorithm) == to_string(r.expected));
        switch (r.expected) {
            case DdlAlgorithm::instant: CHECK(accepts(r, "INSTANT")); break;
            case DdlAlgorithm::in_place:
                CHECK_FALSE(accepts(r, "INSTANT"));
                CHECK(accepts(r, "NOCOPY"));
                break;
            case DdlAlgorithm::rebuild:
                CHECK_FALSE(accepts(r, "NOCOPY"));
                CHECK(accepts(r, "INPLACE"));
                break;
            case DdlAlgorithm::copy:
                CHECK_FALSE(accepts(r, "INPLACE"));
                CHECK(accepts(r, "COPY"));
                break;
            default: FAIL("not a server algorithm");
        }
    }
}

TEST_CASE("online ddl: table facts are read once per plan: sizes, columns, indexes") {
    ScratchDatabase db("online_ddl_facts");
    auto sql = db.connect();
    for (const auto& s : base_tables) sql.exec(s);
    auto conn = migrate::connect::Connection::open(migrate::parse_connection_url(db.url()));
    const auto facts = migrate::plan::read_table_facts(*conn, {"claims", "policies", "missing"});
    REQUIRE(facts.tables.count("claims"));
    const auto& claims = facts.tables.at("claims");
    CHECK(claims.columns.at("vin").column_type == "varchar(20)");
    CHECK(claims.columns.at("vin").nullable);
    CHECK(claims.columns.at("vin").bytes_per_char == 4);
    CHECK_FALSE(claims.columns.at("label").nullable);
    CHECK(claims.indexed_columns.count("label"));
    CHECK(claims.indexed_columns.count("policy_id"));  // the foreign key's index
    CHECK_FALSE(claims.indexed_columns.count("amount"));
    CHECK(claims.has_primary_key);
    CHECK_FALSE(claims.has_fulltext);
    CHECK(facts.sizes.count("claims"));
    CHECK(facts.sizes.at("claims").bytes > 0);
    CHECK_FALSE(facts.sizes.count("missing"));
    CHECK_FALSE(facts.tables.count("missing"));
}

namespace {

const std::string create_claims =
    "CREATE TABLE `claims` (\n\t`id` int NOT NULL,\n\t`vin` varchar(20),\n\t`amount` int,\n\t`note` varchar(40),\n\t"
    "CONSTRAINT `claims_id` PRIMARY KEY(`id`)\n);\n";
// What the pending migration does: an instant ADD COLUMN, an in-place index, a copying type change.
const std::string pending =
    "ALTER TABLE `claims` ADD `region` varchar(8);--> statement-breakpoint\n"
    "CREATE INDEX `claims_vin_idx` ON `claims` (`vin`);--> statement-breakpoint\n"
    "ALTER TABLE `claims` MODIFY COLUMN `amount` bigint;";

}  // namespace

TEST_CASE("online ddl: a million rows: plan shows the costs, up refuses a big copy and changes nothing", "[bigdata]") {
    ScratchDatabase db("online_ddl_big");
    TempDir tmp;
    const auto dir = tmp.path() / "drizzle";
    write_folder(dir, {{"0000_claims", create_claims}, {"0001_sizes", pending}});
    const std::vector<std::string> target{"--url", db.url(), "--dir", dir.string()};
    auto cli = [&](std::vector<std::string> args) {
        args.insert(args.end(), target.begin(), target.end());
        return run_cli(args);
    };
    REQUIRE(cli({"up", "--to", "0000_claims"}).exit_code == 0);
    auto sql = db.connect();
    sql.exec(
        "insert into `claims` (`id`, `vin`, `amount`, `note`) "
        "select seq, concat('VIN', seq), seq, 'a note of some thirty characters' from seq_1_to_1000000");
    sql.exec("analyze table `claims`");

    // plan --json: per statement the table, the estimate and the algorithm.
    auto r = cli({"plan", "--json"});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    auto t = json::parse(r.out)["targets"][0];
    REQUIRE(t["migrations"].size() == 1);
    const auto& statements = t["migrations"][0]["statements"];
    REQUIRE(statements.size() == 3);
    const char* expected[] = {"instant", "in_place", "copy"};
    for (std::size_t i = 0; i < 3; ++i) {
        INFO(statements[i].dump());
        CHECK(statements[i]["algorithm"] == expected[i]);
        CHECK(statements[i]["table"] == "claims");
        CHECK(statements[i]["rows"].get<std::uint64_t>() > 500000);
        CHECK(statements[i]["rows"].get<std::uint64_t>() < 2000000);
        CHECK(statements[i]["bytes"].get<std::uint64_t>() > 20u * 1024 * 1024);
        CHECK_FALSE(statements[i]["algorithm_reason"].get<std::string>().empty());
    }
    CHECK(t["refused"].is_null());
    const auto bytes = statements[2]["bytes"].get<std::uint64_t>();

    // The text says it for a deploy request.
    auto text = cli({"plan"});
    CHECK_THAT(text.out, Catch::Contains("copy `claims` (~") && Catch::Contains("MODIFY `amount`: int → bigint"));
    CHECK_THAT(text.out, Catch::Contains("1 statement rebuilds or copies an existing table"));

    // status --json lists the pending statements with the same costs.
    auto status = json::parse(cli({"status", "--json"}).out)["targets"][0];
    REQUIRE(status["pending_statements"].size() == 3);
    CHECK(status["pending_statements"][2]["algorithm"] == "copy");
    CHECK(status["pending_statements"][2]["line"] == 3);
    CHECK(status["pending_statements"][2]["tag"] == "0001_sizes");

    // Below the table's size: plan and up refuse, exit 5, and nothing changes.
    const auto schema_before = sql.schema();
    const auto tracking_before = sql.tracking_rows();
    const auto tables_before = sql.tables();
    auto refused_plan = cli({"plan", "--json", "--max-table-copy", "1MiB"});
    CHECK(refused_plan.exit_code == 5);
    CHECK(json::parse(refused_plan.out)["targets"][0]["refused"]["code"] == "table_copy_too_large");
    auto refused = cli({"up", "--max-table-copy", "1MiB"});
    CHECK(refused.exit_code == 5);
    CHECK_THAT(refused.err, Catch::Contains("error[table_copy_too_large]") && Catch::Contains("0001_sizes.sql:3") &&
                                Catch::Contains("`claims`") && Catch::Contains("1.00 MiB") &&
                                Catch::Contains("online schema change"));
    CHECK(sql.schema() == schema_before);
    CHECK(sql.tracking_rows() == tracking_before);
    CHECK(sql.tables() == tables_before);
    // The same from migrate.json.
    write_file(
        tmp.path() / "migrate.json",
        fmt::format(R"({{"targets": {{"big": {{"url": "{}", "migrations": "drizzle", "maxTableCopy": "1MiB"}}}}}})",
                    db.url()));
    auto from_config = run_cli({"up", "--config", (tmp.path() / "migrate.json").string()});
    CHECK(from_config.exit_code == 5);
    CHECK_THAT(from_config.err, Catch::Contains("error[table_copy_too_large]"));
    CHECK(sql.schema() == schema_before);

    // Above it: applied.
    auto applied = cli({"up", "--max-table-copy", std::to_string(bytes * 2)});
    INFO(applied.out << applied.err);
    CHECK(applied.exit_code == 0);
    CHECK(sql.tracking_rows().size() == 2);
    CHECK_THAT(sql.schema().at("claims"), Catch::Contains("`amount` bigint") &&
                                              Catch::Contains("`region` varchar(8)") &&
                                              Catch::Contains("claims_vin_idx"));
}
