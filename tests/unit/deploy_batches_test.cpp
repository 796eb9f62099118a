// The pure parts of the deploy-request workflow: what each deploy request carries (and the record of it
// kept in its notes, which later runs and reverts read back), the tables a schema statement changes (what
// an existing branch may differ in), and the refusal of work one existing branch cannot carry.
#include <migrate/error.hpp>
#include <migrate/source.hpp>

#include "deploy/batches.hpp"
#include "deploy/carried_record.hpp"
#include "run/statement_probe.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>

using namespace migrate;

namespace {

Migration migration(const std::string& tag, std::int64_t when, const std::string& text) {
    Migration m;
    m.tag = tag;
    m.when = when;
    m.hash = "abcdef0123456789";
    m.file = tag + ".sql";
    m.text = std::make_shared<const std::string>(text);
    m.statements = split_statements(*m.text);
    return m;
}

std::vector<plan::StatementRef> all(const std::vector<const Migration*>& ms) {
    std::vector<plan::StatementRef> out;
    for (const auto* m : ms)
        for (std::size_t i = 0; i < m->statements.size(); ++i) out.push_back({m, i});
    return out;
}

}  // namespace

TEST_CASE("carried record: per migration, first to last statement, read back from the notes") {
    const auto a = migration("0007_a", 1700000000007,
                             "UPDATE t SET x = 1;\n--> statement-breakpoint\nALTER TABLE t ADD y int;\n"
                             "--> statement-breakpoint\nCREATE INDEX i ON t (y);");
    const auto b = migration("0008_b", 1700000000008, "CREATE TABLE u (id int PRIMARY KEY);");
    const auto batches = deploy::split_into_batches(all({&a, &b}), false, "migrate", "oi_claims");
    REQUIRE(batches.size() == 1);
    const auto record = deploy::carried_record("oi_claims", batches[0].branch, batches[0].statements);
    const std::string line = deploy::notes_line(record);
    CHECK(line ==
          "libmigrate-carries: keyspace=oi_claims batch=" + batches[0].branch + " 1700000000007#1-2 1700000000008#0-0");
    const auto back = deploy::read_carried_record("Opened by libmigrate …\n- 0007_a.sql:3 …\n" + line + "\n");
    REQUIRE(back);
    CHECK(back->keyspace == "oi_claims");
    CHECK(back->batch == batches[0].branch);
    REQUIRE(back->statements.size() == 2);
    CHECK(back->statements[0].when == 1700000000007);
    CHECK(back->statements[0].first == 1);
    CHECK(back->statements[0].last == 2);
    CHECK(back->statements[1].first == 0);
    // Notes that are not libmigrate's, or a record a person edited into nonsense, are no record.
    CHECK_FALSE(deploy::read_carried_record("added the vin column"));
    CHECK_FALSE(deploy::read_carried_record("libmigrate-carries: keyspace=x batch=y 17#3-1"));
    CHECK_FALSE(deploy::read_carried_record("libmigrate-carries: keyspace=x batch=y 17#a-b"));
    CHECK_FALSE(deploy::read_carried_record("libmigrate-carries: batch=y 17#0-1"));
}

TEST_CASE("tables a schema statement changes") {
    auto names = [](std::string_view sql) {
        std::vector<std::string> out;
        for (const auto& t : run::tables_changed(sql)) out.push_back(t.name);
        std::sort(out.begin(), out.end());
        return out;
    };
    CHECK(names("ALTER TABLE `policy` ADD `vin` varchar(17)") == std::vector<std::string>{"policy"});
    CHECK(names("CREATE INDEX i ON claims (x)") == std::vector<std::string>{"claims"});
    CHECK(names("DROP TABLE a, b") == std::vector<std::string>{"a", "b"});
    CHECK(names("RENAME TABLE a TO b") == std::vector<std::string>{"a", "b"});
    CHECK(names("ALTER TABLE a RENAME TO b") == std::vector<std::string>{"a", "b"});
    CHECK(names("UPDATE a SET x = 1").empty());
}

TEST_CASE("an existing branch carries one batch only") {
    const auto a = migration("0000_a", 1000, "CREATE TABLE t (id int PRIMARY KEY);");
    const auto b = migration("0001_b", 2000, "INSERT INTO t VALUES (1);");
    const auto c = migration("0002_c", 3000, "ALTER TABLE t ADD y int;");
    CHECK_NOTHROW(
        deploy::refuse_several_batches(deploy::split_into_batches(all({&a, &b}), false, "m", "k"), "ci-test"));
    try {
        deploy::refuse_several_batches(deploy::split_into_batches(all({&a, &b, &c}), false, "m", "k"), "ci-test");
        FAIL("two batches accepted");
    } catch (const error& e) {
        CHECK(e.code() == errc::deploy_request_failed);
        CHECK_THAT(e.what(), Catch::Contains("need 2 deploy requests") &&
                                 Catch::Contains("0000_a.sql:1 comes DML, then 0002_c.sql:1") &&
                                 Catch::Contains("ci-test can carry only one"));
    }
    // Missing libmigrate tables before a first DML statement make a setup-only batch: also two.
    CHECK_THROWS_AS(
        deploy::refuse_several_batches(deploy::split_into_batches(all({&b, &c}), true, "m", "k"), "ci-test"), error);
}
