// Size-aware plans: the algorithm rules over the statements drizzle-kit writes, for both flavours, with and
// without the live table (docs/online-ddl.md); byte sizes; the refusal above a limit.
#include <migrate/error.hpp>
#include <migrate/online_ddl.hpp>
#include <migrate/source.hpp>
#include <migrate/startup.hpp>

#include "fixtures.hpp"
#include "plan/ddl_cost.hpp"
#include "plan/table_facts.hpp"

#include <catch2/catch.hpp>

#include <map>

using migrate::DdlAlgorithm;
using migrate::Flavor;
using migrate::plan::LiveColumn;
using migrate::plan::LiveTable;

namespace {

constexpr auto instant = DdlAlgorithm::instant;
constexpr auto in_place = DdlAlgorithm::in_place;
constexpr auto rebuild = DdlAlgorithm::rebuild;
constexpr auto copy = DdlAlgorithm::copy;
constexpr auto depends = DdlAlgorithm::depends;
constexpr auto none = DdlAlgorithm::not_applicable;

// `claims` as the server shows it: id int PK, vin varchar(20) utf8mb4 nullable, label varchar(60) utf8mb4
// not null, code varchar(100) latin1, status enum('a','b'), amount int nullable, indexed on label.
LiveTable claims(bool fulltext = false) {
    LiveTable t;
    t.columns = {{"id", {"int(11)", false, 0}},          {"vin", {"varchar(20)", true, 4}},
                 {"label", {"varchar(60)", false, 4}},   {"code", {"varchar(100)", true, 1}},
                 {"status", {"enum('a','b')", true, 4}}, {"amount", {"int(11)", true, 0}}};
    t.indexed_columns = {"id", "label"};
    t.has_primary_key = true;
    t.has_fulltext = fulltext;
    return t;
}

struct Case {
    const char* sql;
    DdlAlgorithm mariadb, mysql;              // with the live table
    DdlAlgorithm mariadb_blind, mysql_blind;  // without a connection
};

}  // namespace

TEST_CASE("ddl cost: drizzle-kit's statements on both flavours, with and without the live table") {
    // clang-format off
    const Case cases[] = {
        {"CREATE TABLE `claims2` (\n\t`id` int AUTO_INCREMENT NOT NULL,\n\tCONSTRAINT `claims2_id` PRIMARY KEY(`id`)\n);", none, none, none, none},
        {"ALTER TABLE `claims` ADD `note` text;", instant, instant, instant, instant},
        {"ALTER TABLE `claims` ADD `note` varchar(255) NOT NULL DEFAULT '';", instant, instant, instant, instant},
        {"ALTER TABLE `claims` ADD `seq` int AUTO_INCREMENT NOT NULL;", rebuild, rebuild, rebuild, rebuild},
        {"ALTER TABLE `claims` ADD `total` int GENERATED ALWAYS AS (`amount` * 2) STORED;", copy, copy, copy, copy},
        {"ALTER TABLE `claims` ADD `total` int GENERATED ALWAYS AS (`amount` * 2) VIRTUAL;", instant, instant, instant, instant},
        {"ALTER TABLE `claims` ADD `code2` varchar(10) UNIQUE;", rebuild, rebuild, rebuild, rebuild},
        {"ALTER TABLE `claims` DROP COLUMN `amount`;", instant, instant, instant, instant},
        {"ALTER TABLE `claims` DROP COLUMN `label`;", in_place, instant, instant, instant},
        {"ALTER TABLE `claims` RENAME COLUMN `vin` TO `vehicle_id`;", instant, instant, instant, instant},
        {"ALTER TABLE `claims` MODIFY COLUMN `vin` varchar(20);", instant, instant, depends, depends},
        {"ALTER TABLE `claims` MODIFY COLUMN `vin` varchar(20) DEFAULT 'x';", instant, instant, depends, depends},
        {"ALTER TABLE `claims` MODIFY COLUMN `vin` varchar(20) COMMENT 'the VIN';", instant, instant, depends, depends},
        {"ALTER TABLE `claims` MODIFY COLUMN `vin` varchar(20) COLLATE utf8mb4_bin;", instant, depends, depends, depends},
        {"ALTER TABLE `claims` MODIFY COLUMN `vin` varchar(20) CHARACTER SET latin1;", depends, depends, depends, depends},
        {"ALTER TABLE `claims` MODIFY COLUMN `vin` varchar(60);", instant, in_place, depends, depends},
        {"ALTER TABLE `claims` MODIFY COLUMN `vin` varchar(64);", instant, copy, depends, depends},
        {"ALTER TABLE `claims` MODIFY COLUMN `code` varchar(255);", instant, in_place, depends, depends},
        {"ALTER TABLE `claims` MODIFY COLUMN `code` varchar(256);", instant, copy, depends, depends},
        {"ALTER TABLE `claims` MODIFY COLUMN `vin` varchar(10);", copy, copy, depends, depends},
        {"ALTER TABLE `claims` MODIFY COLUMN `amount` bigint;", copy, copy, depends, depends},
        {"ALTER TABLE `claims` MODIFY COLUMN `amount` int NOT NULL;", rebuild, rebuild, depends, depends},
        {"ALTER TABLE `claims` MODIFY COLUMN `label` varchar(60);", rebuild, rebuild, depends, depends},
        {"ALTER TABLE `claims` MODIFY COLUMN `status` enum('a','b','c');", instant, instant, depends, depends},
        {"ALTER TABLE `claims` MODIFY COLUMN `status` enum('c','a','b');", copy, copy, depends, depends},
        {"ALTER TABLE `claims` MODIFY COLUMN `amount` int AFTER `id`;", instant, rebuild, depends, depends},
        {"ALTER TABLE `claims` CHANGE `amount` `sum` int;", instant, instant, depends, depends},
        {"ALTER TABLE `claims` CHANGE `amount` `sum` decimal(10,2);", copy, copy, depends, depends},
        {"ALTER TABLE `claims` MODIFY COLUMN `ghost` int;", depends, depends, depends, depends},
        {"ALTER TABLE `claims` MODIFY COLUMN `vin` varchar('x');", copy, copy, depends, depends},
        {"ALTER TABLE `claims` ALTER COLUMN `amount` SET DEFAULT 0;", instant, instant, instant, instant},
        {"ALTER TABLE `claims` ALTER COLUMN `amount` DROP DEFAULT;", instant, instant, instant, instant},
        {"CREATE INDEX `claims_vin_idx` ON `claims` (`vin`);", in_place, in_place, in_place, in_place},
        {"CREATE UNIQUE INDEX `claims_vin_uq` ON `claims` (`vin`);", in_place, in_place, in_place, in_place},
        {"ALTER TABLE `claims` ADD CONSTRAINT `claims_vin_unique` UNIQUE(`vin`);", in_place, in_place, in_place, in_place},
        {"ALTER TABLE `claims` ADD INDEX `i` (`vin`);", in_place, in_place, in_place, in_place},
        {"CREATE FULLTEXT INDEX `ft` ON `claims` (`vin`);", rebuild, rebuild, depends, depends},
        {"ALTER TABLE `claims` ADD FULLTEXT INDEX `ft` (`vin`);", rebuild, rebuild, depends, depends},
        {"DROP INDEX `claims_vin_idx` ON `claims`;", in_place, in_place, in_place, in_place},
        {"ALTER TABLE `claims` DROP INDEX `claims_vin_idx`;", in_place, in_place, in_place, in_place},
        {"ALTER TABLE `claims` RENAME INDEX `a` TO `b`;", instant, instant, instant, instant},
        {"ALTER TABLE `claims` ADD PRIMARY KEY(`id`);", rebuild, rebuild, rebuild, rebuild},
        {"ALTER TABLE `claims` DROP PRIMARY KEY;", copy, copy, copy, copy},
        {"ALTER TABLE `claims` DROP PRIMARY KEY, ADD PRIMARY KEY(`id`,`vin`);", rebuild, rebuild, rebuild, rebuild},
        {"ALTER TABLE `claims` ADD CONSTRAINT `claims_policy_id_policies_id_fk` FOREIGN KEY (`policy_id`) REFERENCES "
         "`policies`(`id`) ON DELETE no action ON UPDATE no action;", copy, copy, copy, copy},
        {"ALTER TABLE `claims` DROP FOREIGN KEY `claims_policy_id_policies_id_fk`;", instant, in_place, instant, in_place},
        {"ALTER TABLE `claims` ADD CONSTRAINT `amount_check` CHECK (`amount` > 0);", copy, copy, copy, copy},
        {"ALTER TABLE `claims` DROP CONSTRAINT `amount_check`;", instant, instant, instant, instant},
        {"ALTER TABLE `claims` RENAME TO `claims_old`;", instant, instant, instant, instant},
        {"RENAME TABLE `claims` TO `claims_old`;", instant, instant, instant, instant},
        {"DROP TABLE `claims`;", instant, instant, instant, instant},
        {"TRUNCATE TABLE `claims`;", instant, instant, instant, instant},
        {"ALTER TABLE `claims` CONVERT TO CHARACTER SET utf8mb4;", copy, copy, copy, copy},
        {"ALTER TABLE `claims` ENGINE=InnoDB;", rebuild, rebuild, rebuild, rebuild},
        {"ALTER TABLE `claims` ADD `x` int, ADD INDEX `i` (`vin`);", rebuild, rebuild, rebuild, rebuild},
        {"ALTER TABLE `claims` ADD `x` int, MODIFY `amount` bigint;", copy, copy, depends, depends},
        {"ALTER TABLE `claims` ADD `x` int, ALGORITHM=INSTANT;", instant, instant, instant, instant},
        {"ALTER TABLE `claims` ADD (`x` int, `y` int AUTO_INCREMENT UNIQUE);", rebuild, rebuild, rebuild, rebuild},
        {"ALTER TABLE `claims` ADD COLUMN IF NOT EXISTS `x` int;", instant, instant, instant, instant},
        {"ALTER TABLE `app`.`claims` DROP COLUMN IF EXISTS `amount`;", instant, instant, instant, instant},
        {"ALTER TABLE `claims` ADD `x` int, LOCK=NONE;", instant, instant, instant, instant},
        {"ALTER TABLE `claims` ADD `x` int, ALGORITHM=COPY;", copy, copy, copy, copy},
        {"ALTER TABLE `claims` PARTITION BY HASH(id) PARTITIONS 4;", depends, depends, depends, depends},
        {"INSERT INTO `claims` (`id`) VALUES (1);", none, none, none, none},
        {"UPDATE `claims` SET `amount` = 0 WHERE `amount` IS NULL;", none, none, none, none},
        {"CREATE VIEW `v` AS SELECT 1;", none, none, none, none},
    };
    // clang-format on
    const LiveTable live = claims();
    const migrate::plan::LiveLookup lookup = [&](const std::string& t) { return t == "claims" ? &live : nullptr; };
    for (const auto& c : cases) {
        INFO(c.sql);
        const auto mariadb = migrate::plan::ddl_cost(c.sql, Flavor::mariadb, lookup);
        INFO(mariadb.reason);
        CHECK(to_string(mariadb.algorithm) == to_string(c.mariadb));
        const auto mysql = migrate::plan::ddl_cost(c.sql, Flavor::mysql, lookup);
        INFO(mysql.reason);
        CHECK(to_string(mysql.algorithm) == to_string(c.mysql));
        CHECK(to_string(migrate::plan::ddl_cost(c.sql, Flavor::mariadb).algorithm) == to_string(c.mariadb_blind));
        CHECK(to_string(migrate::plan::ddl_cost(c.sql, Flavor::mysql).algorithm) == to_string(c.mysql_blind));
        // Vitess and PlanetScale run MySQL 8.
        CHECK(migrate::plan::ddl_cost(c.sql, Flavor::planetscale, lookup).algorithm == mysql.algorithm);
        if (c.mysql != none && c.mysql != depends) CHECK(mysql.table.rfind("claims", 0) == 0);
    }
}

TEST_CASE("ddl cost: a table with a FULLTEXT index rebuilds for ADD/DROP COLUMN, a further FULLTEXT is in place") {
    const LiveTable live = claims(true);
    const migrate::plan::LiveLookup lookup = [&](const std::string&) { return &live; };
    for (auto f : {Flavor::mariadb, Flavor::mysql}) {
        CHECK(migrate::plan::ddl_cost("ALTER TABLE `claims` ADD `x` int;", f, lookup).algorithm == rebuild);
        CHECK(migrate::plan::ddl_cost("ALTER TABLE `claims` DROP COLUMN `amount`;", f, lookup).algorithm == rebuild);
        CHECK(migrate::plan::ddl_cost("CREATE FULLTEXT INDEX `f2` ON `claims` (`code`);", f, lookup).algorithm ==
              in_place);
    }
}

TEST_CASE("ddl cost: before MySQL 8.0.29 and MariaDB 10.4, only a last column is added instantly") {
    using migrate::plan::server_traits;
    CHECK(server_traits("8.0.29").instant_column_anywhere);
    CHECK(server_traits("8.0.36-vitess").instant_column_anywhere);
    CHECK(server_traits("8.4.3").instant_column_anywhere);
    CHECK_FALSE(server_traits("8.0.28").instant_column_anywhere);
    CHECK(server_traits("10.11.19-MariaDB-0+deb12u1").instant_column_anywhere);
    CHECK(server_traits("10.4.0-MariaDB").instant_column_anywhere);
    CHECK_FALSE(server_traits("10.3.39-MariaDB").instant_column_anywhere);
    CHECK(server_traits("").instant_column_anywhere);  // unreadable: the defaults
    CHECK(server_traits("x.y").instant_column_anywhere);
    const migrate::plan::ServerTraits old{.instant_column_anywhere = false};
    for (auto f : {Flavor::mysql, Flavor::mariadb}) {
        CHECK(migrate::plan::ddl_cost("ALTER TABLE `t` ADD `x` int;", f, {}, old).algorithm == instant);
        CHECK(migrate::plan::ddl_cost("ALTER TABLE `t` ADD `x` int FIRST;", f, {}, old).algorithm == rebuild);
        CHECK(migrate::plan::ddl_cost("ALTER TABLE `t` ADD `x` int AFTER `id`;", f, {}, old).algorithm == rebuild);
        CHECK(migrate::plan::ddl_cost("ALTER TABLE `t` DROP COLUMN `x`;", f, {}, old).algorithm == rebuild);
    }
}

TEST_CASE("ddl cost: the reason names the clause that decides") {
    const LiveTable live = claims();
    const migrate::plan::LiveLookup lookup = [&](const std::string&) { return &live; };
    const auto d =
        migrate::plan::ddl_cost("ALTER TABLE `claims` ADD `x` int, MODIFY `amount` bigint;", Flavor::mysql, lookup);
    CHECK(d.reason.find("MODIFY `amount`: int → bigint") != std::string::npos);
    CHECK(d.table == "claims");
    CHECK(migrate::plan::ddl_cost("CREATE TABLE IF NOT EXISTS `a`.`b` (`id` int)", Flavor::mysql).creates_table);
    const auto nothing = migrate::plan::ddl_cost("ALTER TABLE `claims` LOCK=NONE", Flavor::mysql, lookup);
    CHECK(nothing.algorithm == instant);
    CHECK(!nothing.reason.empty());
}

TEST_CASE("byte sizes: units, decimals, bad input") {
    using migrate::parse_byte_size;
    CHECK(parse_byte_size("1048576") == 1048576u);
    CHECK(parse_byte_size("1GiB") == 1073741824u);
    CHECK(parse_byte_size("1g") == 1073741824u);
    CHECK(parse_byte_size("1 GB") == 1000000000u);
    CHECK(parse_byte_size("1.5GB") == 1500000000u);
    CHECK(parse_byte_size("500MiB") == 500u * 1024 * 1024);
    CHECK(parse_byte_size("10k") == 10240u);
    CHECK(parse_byte_size("2TB") == 2000000000000u);
    CHECK(parse_byte_size(" 7B ") == 7u);
    for (const char* bad : {"", "GiB", "1 GiBs", "-1", "0", "1e9", "1..2G", "abc", "99999999999T"}) {
        INFO(bad);
        CHECK_FALSE(parse_byte_size(bad));
    }
    CHECK(migrate::format_bytes(0) == "0 B");
    CHECK(migrate::format_bytes(1536) == "1.50 KiB");
    CHECK(migrate::format_bytes(1073741824) == "1.00 GiB");
    CHECK(migrate::format_bytes(300u * 1024 * 1024) == "300 MiB");
}

TEST_CASE("refusal: a rewrite of a table over the limit names file, line, table, size and limit") {
    migrate::Migration m;
    m.tag = "0001_x";
    m.file = "drizzle/0001_x.sql";
    m.statements = {{"ALTER TABLE `claims` ADD `x` int;", 0, 1},
                    {"ALTER TABLE `claims` MODIFY `amount` bigint;", 1, 3}};
    const std::vector<migrate::plan::StatementRef> refs{{&m, 0}, {&m, 1}};
    migrate::plan::TableFacts facts;
    facts.flavor = Flavor::mariadb;
    facts.tables["claims"] = claims();
    facts.sizes["claims"] = {2000000, 300u * 1024 * 1024};
    const auto costs = migrate::plan::cost_statements(refs, facts);
    REQUIRE(costs.size() == 2);
    CHECK(costs[0].algorithm == instant);
    CHECK(costs[1].algorithm == copy);
    REQUIRE(costs[1].size);
    CHECK(costs[1].size->rows == 2000000);
    migrate::plan::refuse_large_copies(refs, costs, 300u * 1024 * 1024);  // not more than the limit
    try {
        migrate::plan::refuse_large_copies(refs, costs, 1024 * 1024);
        FAIL("not refused");
    } catch (const migrate::error& e) {
        CHECK(e.code() == migrate::errc::table_copy_too_large);
        CHECK(migrate::to_string(e.code()) == "table_copy_too_large");
        CHECK(migrate::is_validation_error(e.code()));  // nothing ran: run_at_startup's start_anyway applies
        const std::string msg = e.what();
        CHECK(msg.find("drizzle/0001_x.sql:3") != std::string::npos);
        CHECK(msg.find("`claims`") != std::string::npos);
        CHECK(msg.find("300 MiB") != std::string::npos);
        CHECK(msg.find("1.00 MiB") != std::string::npos);
        CHECK(e.context().line == 3u);
        CHECK(e.context().statement == 1u);
    }
}

TEST_CASE("costs: a table created earlier in the run has no size and no live definition") {
    migrate::Migration m;
    m.tag = "0001_x";
    m.file = "0001_x.sql";
    m.statements = {{"DROP TABLE `claims`;", 0, 1},
                    {"CREATE TABLE `claims` (`id` int, `amount` int);", 1, 2},
                    {"ALTER TABLE `claims` MODIFY `amount` bigint;", 2, 3}};
    migrate::plan::TableFacts facts;
    facts.tables["claims"] = claims();
    facts.sizes["claims"] = {5, 5};
    const auto costs = migrate::plan::cost_statements({{&m, 0}, {&m, 1}, {&m, 2}}, facts);
    CHECK(costs[0].size);
    CHECK(costs[1].algorithm == none);
    CHECK_FALSE(costs[2].size);
    CHECK(costs[2].algorithm == depends);
}

TEST_CASE("ddl cost: every statement of the openinsure corpus is classified, on both flavours") {
    std::map<std::string, int> seen;
    for (auto name : {"oi_global", "oi_policies", "oi_submissions", "oi_claims", "oi_billing", "monolith"}) {
        const auto source = migrate::read_migrations_folder(testing::corpus_folder(name));
        for (const auto& m : source.migrations)
            for (const auto& st : m.statements)
                for (auto f : {Flavor::mysql, Flavor::mariadb}) {
                    INFO(m.file.string() << ":" << st.line);
                    const auto d = migrate::plan::ddl_cost(st.sql, f);
                    ++seen[std::string(to_string(d.algorithm))];
                    CHECK(!d.reason.empty());
                    const bool create = st.sql.find("CREATE TABLE") != std::string::npos;
                    CHECK(d.creates_table == create);
                    if (create) CHECK(d.algorithm == none);
                }
    }
    // The corpus adds and drops columns and indexes, creates tables and changes types.
    CHECK(seen["instant"] > 0);
    CHECK(seen["in_place"] > 0);
    CHECK(seen["not_applicable"] > 0);
    CHECK(seen["depends"] > 0);
}
