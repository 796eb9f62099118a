// kill -9 at many points of a full monolith apply; every re-run resumes; the end state is a clean run's,
// and drizzle-kit then has nothing to do.
#include "process.hpp"
#include "temp_dir.hpp"
#include "test_server.hpp"

#include <catch2/catch.hpp>

#include <csignal>
#include <random>

using namespace testing;

namespace {
Snapshot end_state(const ScratchDatabase& db) { return db.connect().snapshot(/*exact_tracking=*/false); }
}  // namespace

TEST_CASE("crash anywhere during a monolith apply, resume, and end exactly where a clean run ends") {
    const auto dir = corpus_folder("monolith").string();
    ScratchDatabase clean("crash_ref"), db("crash");
    REQUIRE(run_cli({"up", "--no-baseline", "--url", clean.url(), "--dir", dir}).exit_code == 0);
    const auto expected = end_state(clean);

    const std::vector<std::string> points = {"before-statement", "after-statement", "before-record"};
    std::mt19937 rng(20261128);  // fixed seed: the same kill points every run, so a failure reproduces
    int kills = 0, hook_kills = 0, signal_kills = 0;
    bool finished = false;
    for (int round = 0; !finished && round < 200; ++round) {
        if (round % 5 == 4) {
            // A real SIGKILL from outside, at a moment the process chooses: right after it reports the
            // k-th migration of this run as done (it is already working on the next one).
            RunningProcess p(cli_argv({"up", "--no-baseline", "--url", db.url(), "--dir", dir}),
                             {{"DATABASE_URL", ""}});
            const int k = std::uniform_int_distribution<int>(1, 6)(rng);
            if (p.wait_for_output("[" + std::to_string(k) + "/")) p.kill(SIGKILL);
            auto r = p.wait();
            INFO("round " << round << " stderr: " << r.err);
            REQUIRE((r.exit_code == 0 || r.exit_code == 128 + SIGKILL));
            finished = r.exit_code == 0;
            if (!finished) ++signal_kills;
        } else {
            const auto& point = points[static_cast<std::size_t>(round) % points.size()];
            const int n = point == "before-record" ? std::uniform_int_distribution<int>(1, 4)(rng)
                                                   : std::uniform_int_distribution<int>(1, 25)(rng);
            auto r = run_cli({"up", "--no-baseline", "--url", db.url(), "--dir", dir},
                             {{"MIGRATE_TEST_KILL_AT", point + ":" + std::to_string(n)}});
            INFO("round " << round << " kill at " << point << ":" << n << " stderr: " << r.err);
            // Never exit 1: a statement run twice (CREATE TABLE, ADD COLUMN, INSERT into a keyed table) would fail.
            REQUIRE((r.exit_code == 0 || r.exit_code == 128 + SIGKILL));
            finished = r.exit_code == 0;
            if (!finished) ++hook_kills;
        }
        kills = hook_kills + signal_kills;
    }
    CHECK(kills >= 30);
    CHECK(signal_kills >= 5);
    INFO("kills: " << hook_kills << " at hook points, " << signal_kills << " by SIGKILL from outside");

    auto last = run_cli({"up", "--no-baseline", "--url", db.url(), "--dir", dir});
    REQUIRE(last.exit_code == 0);
    CHECK_THAT(last.out, Catch::Contains("nothing to do: 220 of 220"));
    const auto after_crashes = end_state(db);
    CHECK(after_crashes.tracking == expected.tracking);
    for (const auto& [table, create] : expected.schema) {
        INFO("table " << table);
        CHECK(after_crashes.schema.count(table) == 1);
        if (after_crashes.schema.count(table)) CHECK(after_crashes.schema.at(table) == create);
    }
    CHECK(after_crashes.schema.size() == expected.schema.size());
    CHECK(after_crashes.data == expected.data);
    CHECK(db.connect().scalar("select count(*) from __drizzle_migrations_progress") == "0");

    // drizzle continues from here without running or skipping anything.
    auto kit =
        run_process({"node", std::string(MIGRATE_INTEROP_DIR) + "/kit-migrate.mjs", "--url", db.url(), "--dir", dir});
    INFO(kit.out << kit.err);
    CHECK(kit.exit_code == 0);
    CHECK(end_state(db) == after_crashes);
}
