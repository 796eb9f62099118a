// What `up` checks and says around the statements it runs: statements too large for the server's
// max_allowed_packet (refused before any runs), and the advice a rejected statement's errno selects.
#include "plan/make_plan.hpp"

#include <migrate/error.hpp>
#include <migrate/plan.hpp>

#include "run/failure_advice.hpp"
#include "run/statement_size.hpp"

#include <catch2/catch.hpp>

#include <memory>

using migrate::errc;

namespace {

migrate::Migration migration(std::string tag, std::int64_t when, std::string text) {
    migrate::Migration m;
    m.tag = tag;
    m.when = when;
    m.file = tag + ".sql";
    m.text = std::make_shared<const std::string>(std::move(text));
    m.statements = migrate::split_statements(*m.text);
    return m;
}

}  // namespace

TEST_CASE("statement size: refused above max_allowed_packet minus 2, naming file, line, both sizes and the fix") {
    migrate::Source src;
    src.migrations.push_back(migration("0000_a", 1000, "CREATE TABLE `a` (`id` int);"));
    src.migrations.push_back(
        migration("0001_big", 2000, "SELECT 1;\n--> statement-breakpoint\nSELECT '" + std::string(4000, 'x') + "';"));
    const auto plan = migrate::make_plan(src, {}, false);
    const auto entries = plan.to_apply(false);
    const std::size_t big = src.migrations[1].statements[1].sql.size();  // "\nSELECT '…';"
    // MariaDB 10.11 with max_allowed_packet 16777216 runs 16777214 bytes and refuses 16777215.
    CHECK(migrate::run::largest_statement(16777216) == 16777214);
    CHECK_NOTHROW(migrate::run::check_statement_sizes(big + 2, plan, nullptr, entries));
    try {
        migrate::run::check_statement_sizes(big + 1, plan, nullptr, entries);
        FAIL("expected statement_too_large");
    } catch (const migrate::error& e) {
        CHECK(e.code() == errc::statement_too_large);
        CHECK(e.context().file == "0001_big.sql");
        CHECK(e.context().line == 3);
        CHECK(e.context().statement == 1);
        CHECK_THAT(e.what(), Catch::Contains("0001_big.sql:3: statement 2 of 2 of migration 0001_big is " +
                                             std::to_string(big) + " bytes") &&
                                 Catch::Contains("max_allowed_packet = " + std::to_string(big + 1)) &&
                                 Catch::Contains("Nothing was run") &&
                                 Catch::Contains("Raise max_allowed_packet on the server to at least " +
                                                 std::to_string(big + 2)) &&
                                 Catch::Contains("split the statement"));
    }
    SECTION("statements a resumed run will not send again are not checked") {
        auto resumed = plan;
        resumed.entries[1].progress.emplace().statements_done = 2;
        CHECK_NOTHROW(migrate::run::check_statement_sizes(100, resumed, nullptr, resumed.to_apply(false)));
    }
}

TEST_CASE("failure advice: names the fix for the errnos whose cause is known") {
    const auto m = migration("0003_add", 4000,
                             "CREATE TABLE `t` (`id` int);\n--> statement-breakpoint\nALTER TABLE `t` ADD `c` int;");
    auto server = [](std::uint32_t errno_, std::string sqlstate) {
        return migrate::error(errc::server_error, "rejected",
                              {.server_errno = errno_, .sqlstate = std::move(sqlstate)});
    };
    for (std::uint32_t exists : {1050u, 1060u, 1061u, 1826u}) {
        const auto advice = migrate::run::failure_advice(server(exists, "42S01"), m, 0);
        REQUIRE(advice);
        // The fix as data, for front ends to word (the CLI names its resolve command); none for other errors.
        CHECK(migrate::run::failure_remedy(server(exists, "42S01")) == migrate::remedy::resolve_applied);
        CHECK_THAT(*advice, Catch::Contains("0003_add seems to have been applied outside the tracking table") &&
                                Catch::Contains("resolve statement 1 of 0003_add as applied") &&
                                Catch::Contains("continues with statement 2"));
    }
    CHECK_THAT(*migrate::run::failure_advice(server(1060, "42S21"), m, 1),
               Catch::Contains("last statement of 0003_add"));
    CHECK_THAT(*migrate::run::failure_advice(server(1142, "42000"), m, 0), Catch::Contains("lacks a privilege"));
    CHECK_THAT(*migrate::run::failure_advice(server(1290, "HY000"), m, 0), Catch::Contains("read_only"));
    CHECK_FALSE(migrate::run::failure_advice(server(1064, "42000"), m, 0));  // a syntax error: no known fix
    CHECK(migrate::run::failure_remedy(server(1064, "42000")) == migrate::remedy::none);
    const migrate::error lost(errc::connection_lost, "gone", {.server_errno = 2013, .completion_unknown = true});
    CHECK_FALSE(migrate::run::failure_advice(lost, m, 0));  // whether it ran is unknown: the run says so instead
}
