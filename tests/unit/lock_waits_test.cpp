// The pure parts of bounded lock waits and of resuming long statements: which table a statement writes,
// what counts as a lock-wait timeout, the backoff's range, and the progress mark that records a counter.
#include "run/lock_waits.hpp"
#include "run/statement_probe.hpp"
#include "tracking/progress_table.hpp"

#include <catch2/catch.hpp>

using namespace migrate;

TEST_CASE("written_table: the one table a statement changes or writes rows into") {
    struct Case {
        const char* sql;
        const char* schema;
        const char* name;  // nullptr: none
    };
    const Case cases[] = {
        {"ALTER TABLE `big` ADD INDEX `big_w_idx` (`w`,`s`);", "", "big"},
        {"CREATE INDEX `big_s_idx` ON `big` (`s`);", "", "big"},
        {"DROP INDEX `big_s_idx` ON shop.`big`;", "shop", "big"},
        {"CREATE TABLE `t` (`id` int);", "", "t"},
        {"INSERT INTO `copy` (`s`, `w`) SELECT `s`, `w` FROM `big`;", "", "copy"},
        {"insert ignore into shop.copy values (1)", "shop", "copy"},
        {"REPLACE copy VALUES (1)", "", "copy"},
        {"UPDATE `big` SET `w` = `w` + 1 WHERE `v` > 0;", "", "big"},
        {"update low_priority big set w = 1", "", "big"},
        {"DELETE FROM `big` WHERE id < 10;", "", "big"},
        {"UPDATE a JOIN b ON a.id = b.id SET a.x = 1", "", nullptr},  // several tables
        {"UPDATE a, b SET a.x = b.x", "", nullptr},
        {"DELETE a FROM a JOIN b ON a.id = b.id", "", nullptr},
        {"RENAME TABLE a TO b", "", nullptr},
        {"SELECT 1", "", nullptr},
        {"INSERT INTO t VALUES (1); INSERT INTO u VALUES (2)", "", nullptr},  // two statements
    };
    for (const auto& c : cases) {
        INFO(c.sql);
        auto t = run::written_table(c.sql);
        if (!c.name) {
            CHECK_FALSE(t);
            continue;
        }
        REQUIRE(t);
        CHECK(t->schema == c.schema);
        CHECK(t->name == c.name);
    }
    CHECK(run::inserts_rows("INSERT INTO copy SELECT * FROM big"));
    CHECK(run::inserts_rows("replace into copy values (1)"));
    CHECK_FALSE(run::inserts_rows("UPDATE big SET w = 1"));
    CHECK_FALSE(run::inserts_rows("CREATE TABLE t (id int)"));
}

TEST_CASE("lock-wait errors: only a timeout or a deadlock the server answered, never a lost connection") {
    auto server = [](std::uint32_t errno_, bool unknown = false) {
        return error(unknown ? errc::connection_lost : errc::server_error, "x",
                     {.server_errno = errno_, .completion_unknown = unknown});
    };
    CHECK(run::is_lock_wait_error(server(1205)));
    CHECK(run::is_lock_wait_error(server(1213)));
    CHECK_FALSE(run::is_lock_wait_error(server(1061)));
    CHECK_FALSE(run::is_lock_wait_error(server(1205, true)));  // sent, answer lost: it may have run
}

TEST_CASE("backoff: grows from about 0.5 s to at most 12 s, jittered") {
    run::Backoff b;
    std::vector<long long> pauses;
    for (int i = 0; i < 10; ++i) pauses.push_back(b.next().count());
    CHECK(pauses[0] >= 250);
    CHECK(pauses[0] < 750);
    for (auto p : pauses) CHECK(p < 12000);  // 8 s × 1.5
    CHECK(pauses[9] >= 4000);                // capped at 8 s × 0.5 at least
    run::Backoff other;
    std::vector<long long> others;
    for (int i = 0; i < 10; ++i) others.push_back(other.next().count());
    CHECK(pauses != others);  // two runs blocked together do not retry in step
}

TEST_CASE("a progress mark before an INSERT records its table's counter in the same statement") {
    tracking::TrackingTable table("__drizzle_migrations");
    tracking::ProgressTable progress(table);
    Migration m;
    m.when = 42;
    m.tag = "0001_x";
    const auto plain = progress.mark(m, 3, 3, "abc");
    CHECK(plain.find("auto_increment_before") == std::string::npos);
    const auto counted = progress.mark(m, 3, 3, "abc", tracking::CounterOf{"", "copy"});
    CHECK_THAT(counted, Catch::Contains("set auto_increment_before = if(statements_done = 3 and (in_flight = 3 or "
                                        "failed_statement = 3) and auto_increment_before is not null, "
                                        "auto_increment_before, (select auto_increment from information_schema.tables "
                                        "where table_schema = database() and table_name = 'copy')), statements_done"));
    CHECK_THAT(progress.create_statement(), Catch::Contains("`auto_increment_before` bigint unsigned null"));
}
