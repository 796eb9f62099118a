// The SQL statement model (sql/statement.hpp): kinds, names as written, column definitions, indexes and
// every ALTER TABLE clause kind that lint, ddl_cost and verify read.
#include "sql/statement.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace migrate::sql;

namespace {

// The tokens outlive the Ddl that points into them.
struct Read {
    Tokens tokens;
    Ddl ddl;
};

Read read(std::string_view sql) {
    Read r{*one_statement(sql, {}), {}};
    r.ddl = parse_statement(r.tokens);
    return r;
}

std::vector<ClauseKind> kinds(const Ddl& d) {
    std::vector<ClauseKind> out;
    for (const auto& a : d.clauses) out.push_back(a.kind);
    return out;
}

}  // namespace

TEST_CASE("sql statement: CREATE TABLE keeps names as written, columns, indexes and foreign keys") {
    const auto r = read(
        "CREATE TABLE IF NOT EXISTS `app`.`Claims` (`Id` serial, `vin` varchar(20) NOT NULL DEFAULT '',"
        " `org` int REFERENCES `orgs`(`id`), UNIQUE KEY `u` (`Vin`), CONSTRAINT `f` FOREIGN KEY (`org`)"
        " REFERENCES `orgs`(`id`))");
    const Ddl& d = r.ddl;
    CHECK(d.kind == Ddl::Kind::create_table);
    CHECK(d.table == "Claims");
    CHECK_FALSE(d.temporary);
    REQUIRE(d.columns.size() == 3);
    CHECK(d.columns[0].name == "Id");
    CHECK(d.columns[0].not_null);  // serial
    CHECK(d.columns[1].type == Type{"varchar", {"20"}, false});
    CHECK((d.columns[1].not_null && d.columns[1].has_default));
    REQUIRE(d.indexes.size() == 1);
    CHECK(d.indexes[0].kind == IndexKind::unique);
    CHECK(d.indexes[0].columns == std::vector<std::string>{"Vin"});
    CHECK(d.foreign_keys.size() == 2);  // inline REFERENCES and the constraint
    CHECK(read("CREATE TABLE `t` LIKE `u`").ddl.kind == Ddl::Kind::create_table);
    CHECK(read("CREATE TEMPORARY TABLE `t` (`x` int)").ddl.temporary);
    CHECK(read("CREATE OR REPLACE TABLE `t` (`x` int)").ddl.or_replace);
    CHECK(read("CREATE VIEW `v` AS SELECT 1").ddl.kind == Ddl::Kind::other);
}

TEST_CASE("sql statement: every ALTER TABLE clause has its kind") {
    const auto r = read(
        "ALTER TABLE `t` ADD `a` int FIRST, ADD COLUMN IF NOT EXISTS (`b` int, `c` int), DROP COLUMN `d`, MODIFY `e` "
        "bigint, CHANGE `f` `g` int, RENAME COLUMN `h` TO `i`, ALTER COLUMN `j` SET DEFAULT 0, ADD INDEX `k` (`a`), "
        "ADD FULLTEXT (`a`), ADD PRIMARY KEY (`a`), ADD CONSTRAINT `fk` FOREIGN KEY (`a`) REFERENCES `u`(`id`), ADD "
        "CHECK (`a` > 0), DROP INDEX `k`, DROP PRIMARY KEY, DROP FOREIGN KEY `fk`, DROP CHECK `c`, RENAME INDEX `k` TO "
        "`l`, ALGORITHM=COPY, LOCK = NONE, PARTITION BY HASH(`a`), RENAME TO `u`");
    using K = ClauseKind;
    const Ddl& d = r.ddl;
    CHECK(d.kind == Ddl::Kind::alter_table);
    CHECK(kinds(d) == std::vector<K>{K::add_column,      K::add_column,    K::add_column,       K::drop_column,
                                     K::modify_column,   K::modify_column, K::rename_column,    K::alter_column,
                                     K::add_index,       K::add_index,     K::add_primary_key,  K::add_foreign_key,
                                     K::add_check,       K::drop_index,    K::drop_primary_key, K::drop_foreign_key,
                                     K::drop_constraint, K::rename_index,  K::option,           K::option,
                                     K::other,           K::rename_table});
    CHECK(d.clauses[0].column.positioned);
    CHECK((d.clauses[1].column.name == "b" && d.clauses[2].column.name == "c"));
    CHECK(d.clauses[5].old_name == "f");
    CHECK(d.clauses[5].column.name == "g");
    CHECK(d.clauses[9].index.kind == IndexKind::fulltext);
    CHECK((d.clauses[18].option == "algorithm" && d.clauses[18].value == "copy"));
    CHECK((d.clauses[19].option == "lock" && d.clauses[19].value == "none"));
    REQUIRE(d.renames.size() == 1);
    CHECK((d.renames[0].from.name == "t" && d.renames[0].to.name == "u"));
}

TEST_CASE("sql statement: DROP, RENAME, TRUNCATE and indexes") {
    const auto drop = read("DROP TABLE IF EXISTS `a`, `db`.`B` CASCADE");
    CHECK(drop.ddl.kind == Ddl::Kind::drop_table);
    REQUIRE(drop.ddl.tables.size() == 2);
    CHECK((drop.ddl.tables[0].name == "a" && drop.ddl.tables[1].name == "B" && drop.ddl.tables[1].schema == "db"));
    CHECK(drop.ddl.guarded);
    CHECK(drop.ddl.unread.empty());
    CHECK(read("DROP TEMPORARY TABLE `t`").ddl.temporary);
    const auto index = read("DROP INDEX `i` ON `db`.`t`");
    CHECK((index.ddl.kind == Ddl::Kind::drop_index && index.ddl.table == "t"));
    const auto create = read("CREATE UNIQUE INDEX `i` ON `t` (`a`, `b`(10) DESC)");
    CHECK((create.ddl.kind == Ddl::Kind::create_index && create.ddl.table == "t"));
    REQUIRE(create.ddl.indexes.size() == 1);
    CHECK(create.ddl.indexes[0].kind == IndexKind::unique);
    CHECK(create.ddl.indexes[0].columns == std::vector<std::string>{"a", "b"});
    const auto rename = read("RENAME TABLE `a` TO `b`, `c` TO `d`");
    REQUIRE(rename.ddl.renames.size() == 2);
    CHECK((rename.ddl.renames[0].from.name == "a" && rename.ddl.renames[0].to.name == "b"));
    CHECK((rename.ddl.renames[1].from.name == "c" && rename.ddl.renames[1].to.name == "d"));
    CHECK(read("TRUNCATE TABLE `t`").ddl.kind == Ddl::Kind::truncate);
    CHECK(read("INSERT INTO `t` VALUES (1)").ddl.kind == Ddl::Kind::other);
    CHECK(read("ALTER TABLE `t` ADD `a` int,").ddl.clauses.size() == 1);  // a trailing comma reads nothing
}

TEST_CASE("sql statement: what deciding needs: schemas, names, IF [NOT] EXISTS") {
    const auto alter = read(
        "ALTER TABLE `db`.`t` ADD CONSTRAINT IF NOT EXISTS `fk` FOREIGN KEY (`a`) REFERENCES `u`(`id`), ADD "
        "CONSTRAINT `uq` UNIQUE (`a`), ADD INDEX IF NOT EXISTS `i` (`a`), DROP COLUMN IF EXISTS `c`, CHANGE `d` `e` "
        "int NOT NULL, RENAME INDEX `i` TO `j`, RENAME TO `other`.`t2`");
    const Ddl& d = alter.ddl;
    CHECK((d.schema == "db" && d.table == "t"));
    REQUIRE(d.clauses.size() == 7);
    CHECK((d.clauses[0].symbol == "fk" && d.clauses[0].guarded));
    CHECK(d.clauses[1].index.name == "uq");  // a UNIQUE key without a name of its own takes the constraint's
    CHECK((d.clauses[2].index.name == "i" && d.clauses[2].guarded));
    CHECK((d.clauses[3].old_name == "c" && d.clauses[3].guarded));
    CHECK((d.clauses[4].old_name == "d" && d.clauses[4].column.name == "e"));
    CHECK(alter.tokens[d.clauses[4].definition].value == "int");
    CHECK((d.clauses[5].old_name == "i" && d.clauses[5].new_name == "j"));
    CHECK((d.clauses[6].renamed_to.schema == "other" && d.clauses[6].renamed_to.name == "t2"));
    for (const auto& a : d.clauses) CHECK(a.unread.empty());
    CHECK(d.unread.empty());

    const auto index = read("CREATE INDEX IF NOT EXISTS `i` USING BTREE ON `db`.`t` (`a`)");
    CHECK((index.ddl.guarded && index.ddl.indexes[0].name == "i" && index.ddl.schema == "db"));
    CHECK(read("DROP INDEX `i` ON `t`").ddl.indexes.at(0).name == "i");
    CHECK(read("CREATE TABLE IF NOT EXISTS `t` AS SELECT 1").ddl.as_select);
    CHECK(read("CREATE OR REPLACE ALGORITHM=MERGE VIEW `v` AS SELECT 1").ddl.object == "view");
    CHECK(read("DROP VIEW IF EXISTS `v`").ddl.guarded);
}

TEST_CASE("sql statement: what it does not read is named, never guessed") {
    auto unread = [](std::string_view sql) {
        const auto r = read(sql);
        return r.ddl.clauses.empty() ? r.ddl.unread : r.ddl.clauses.back().unread;
    };
    CHECK(unread("ALTER TABLE `t` DROP COLUMN `a` `b`") == "`b`");
    CHECK(unread("ALTER TABLE `t` DROP PRIMARY KEY `x`") == "`x`");
    CHECK(unread("ALTER TABLE `t` RENAME COLUMN `a` TO `b` `c`") == "`c`");
    CHECK(unread("ALTER TABLE `t` ALGORITHM=COPY `x`") == "`x`");
    CHECK(unread("ALTER TABLE `t` ALTER COLUMN `a` SET DEFAULT 1") == "SET DEFAULT 1");
    CHECK(unread("ALTER TABLE `t` ENGINE=InnoDB").empty());
    CHECK(unread("ALTER TABLE `t` ADD COLUMN (`a` int, INDEX `i` (`a`))") == "INDEX `i` (`a`)");
    CHECK(unread("DROP TABLE `a` `b`") == "`b`");
    CHECK(unread("RENAME TABLE `a` `b`") == "`b`");
    CHECK(read("ALTER TABLE `t` ADD `a` int,").ddl.unread == "an empty clause");
    CHECK(read("ALTER TABLE `t` ADD `a` int PARTITION BY HASH(`a`)").ddl.clauses[0].partitioning);
    CHECK(read("ALTER TABLE `t` ADD FOREIGN KEY (`a`) REFERENCES `u`(`id`)").ddl.clauses[0].symbol.empty());
}
