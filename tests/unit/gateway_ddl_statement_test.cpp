// psdb-gateway's reading of a branch's DDL log (tools/psdb-gateway/management/ddl_statement.hpp): the
// tables each statement touches, instant ADD COLUMN, and the operations a deploy lists.
#include "management/ddl_statement.hpp"
#include "management/deploy_requests.hpp"

#include <catch2/catch.hpp>

using namespace gateway::management;

TEST_CASE("gateway ddl: tables and kinds") {
    auto d = parse_ddl("CREATE TABLE IF NOT EXISTS `app`.`users` (id INT PRIMARY KEY)");
    CHECK(d.kind == DdlKind::create_table);
    CHECK(d.tables == std::vector<std::string>{"users"});

    d = parse_ddl("/* why */ DROP TABLE IF EXISTS a, `b c`");
    CHECK(d.kind == DdlKind::drop_table);
    CHECK(d.tables == std::vector<std::string>{"a", "b c"});

    d = parse_ddl("CREATE UNIQUE INDEX by_email ON users (email)");
    CHECK(d.kind == DdlKind::create_index);
    CHECK(d.tables == std::vector<std::string>{"users"});

    d = parse_ddl("DROP INDEX by_email ON `users`");
    CHECK(d.kind == DdlKind::drop_index);
    CHECK(d.tables == std::vector<std::string>{"users"});

    d = parse_ddl("RENAME TABLE a TO b, c TO d");
    CHECK(d.kind == DdlKind::rename_table);
    CHECK(d.tables == std::vector<std::string>{"a", "b", "c", "d"});

    d = parse_ddl("TRUNCATE t");
    CHECK(d.kind == DdlKind::truncate_table);
    CHECK(parse_ddl("CREATE VIEW v AS SELECT 1").kind == DdlKind::other);
    CHECK(parse_ddl("CREATE VIEW v AS SELECT 1").tables.empty());
}

TEST_CASE("gateway ddl: instant ADD COLUMN") {
    CHECK(parse_ddl("ALTER TABLE t ADD COLUMN a INT").add_column_only);
    CHECK(parse_ddl("ALTER TABLE t ADD a INT, ADD COLUMN `b` VARCHAR(10) DEFAULT 'x,y'").add_column_only);
    CHECK(parse_ddl("ALTER TABLE t ADD COLUMN (a INT, b INT)").add_column_only);
    CHECK_FALSE(parse_ddl("ALTER TABLE t ADD INDEX i (a)").add_column_only);
    CHECK_FALSE(parse_ddl("ALTER TABLE t ADD COLUMN a INT, DROP COLUMN b").add_column_only);
    CHECK_FALSE(parse_ddl("ALTER TABLE t MODIFY a BIGINT").add_column_only);
    CHECK_FALSE(parse_ddl("ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0)").add_column_only);
    CHECK_FALSE(parse_ddl("ALTER TABLE t").add_column_only);
}

TEST_CASE("gateway ddl: one operation per table") {
    const auto ops = operations_of({"CREATE TABLE a (id INT PRIMARY KEY)", "ALTER TABLE a ADD COLUMN x INT",
                                    "CREATE INDEX i ON b (x)", "DROP TABLE c", "CREATE VIEW v AS SELECT 1"});
    REQUIRE(ops.size() == 3);
    CHECK(ops[0].table == "a");
    CHECK(std::string(ops[0].name) == "CREATE");
    CHECK(ops[0].ddl == "CREATE TABLE a (id INT PRIMARY KEY);\nALTER TABLE a ADD COLUMN x INT");
    CHECK(ops[1].table == "b");
    CHECK(std::string(ops[1].name) == "ALTER");
    CHECK(ops[2].table == "c");
    CHECK(std::string(ops[2].name) == "DROP");
}
