// The dry run's client delimiter (plan/dry_run_script.hpp): a statement with a ';' of its own is sent whole.
#include "plan/dry_run_script.hpp"

#include <catch2/catch.hpp>

using migrate::plan::client_delimiter;

TEST_CASE("dry run: the client delimiter is a semicolon unless the statement holds one of its own") {
    CHECK(client_delimiter("CREATE TABLE `a` (`id` int);") == ";");
    CHECK(client_delimiter("INSERT INTO `a` VALUES ('x;y') -- z;") == ";");  // in a string and a comment
    CHECK(client_delimiter("UPDATE `a` SET `b` = 1") == ";");
    const std::string trigger = "CREATE TRIGGER `t` BEFORE INSERT ON `a` FOR EACH ROW BEGIN SET NEW.n = 1; END";
    CHECK(client_delimiter(trigger) == "$$");
    CHECK(client_delimiter(trigger + ";") == "$$");
    CHECK(client_delimiter("CREATE PROCEDURE `p`() BEGIN SELECT '$$'; END") == "//");  // not one the text holds
    CHECK(client_delimiter("BEGIN SELECT '$$ // ;; $$$ #~#'; END") == "@@libmigrate@@");
}
