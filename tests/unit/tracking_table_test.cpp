#include "tracking/tracking_table.hpp"

#include <migrate/error.hpp>

#include <catch2/catch.hpp>

using migrate::tracking::TrackingTable;

TEST_CASE("the create statement is drizzle's, byte for byte") {
    CHECK(TrackingTable("__drizzle_migrations").create_statement() ==
          "\n\t\t\tcreate table if not exists `__drizzle_migrations` (\n\t\t\t\tid serial primary key,\n"
          "\t\t\t\thash text not null,\n\t\t\t\tcreated_at bigint\n\t\t\t)\n\t\t");
    CHECK_THAT(TrackingTable("my_migrations").create_statement(), Catch::Contains("exists `my_migrations` ("));
}

TEST_CASE("the insert records hash and when, and name when the 1.0 column exists") {
    migrate::Migration m;
    m.tag = "0001_o'neil";
    m.when = 1795843413593;
    m.hash = "ab12";
    TrackingTable t("__drizzle_migrations");
    CHECK(t.insert_statement(m, {.exists = true}) ==
          "insert into `__drizzle_migrations` (`hash`, `created_at`) values('ab12', 1795843413593)");
    CHECK(t.insert_statement(m, {.exists = true, .has_name = true}) ==
          "insert into `__drizzle_migrations` (`hash`, `created_at`, `name`) values('ab12', 1795843413593, "
          "'0001_o''neil')");
}

TEST_CASE("table names that are not plain identifiers are refused") {
    for (std::string bad :
         std::vector<std::string>{"", "we`ird", "other.tbl", "1abc", "has space", "x;drop", std::string(56, 'a')}) {
        INFO(bad);
        try {
            TrackingTable t(bad);
            FAIL("accepted");
        } catch (const migrate::error& e) {
            CHECK(e.code() == migrate::errc::table_invalid);
        }
    }
    CHECK_NOTHROW(TrackingTable("schema_migrations$2"));
    CHECK_NOTHROW(TrackingTable(std::string(55, 'a')));  // leaves room for "_progress"
}

TEST_CASE("string literals mean the same under every sql_mode") {
    using migrate::tracking::sql_string_literal;
    CHECK(sql_string_literal("abc") == "'abc'");
    CHECK(sql_string_literal("it's") == "'it''s'");
    CHECK(sql_string_literal("a\\b") == "X'615C62'");
    CHECK(sql_string_literal(std::string("\xFF\x00", 2)) == "X'FF00'");
}
