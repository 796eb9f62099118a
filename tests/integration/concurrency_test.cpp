// N replicas start at once: the lock makes every migration run exactly once.
#include "process.hpp"
#include "temp_dir.hpp"
#include "test_server.hpp"

#include <catch2/catch.hpp>

#include <memory>

using namespace testing;

namespace {

std::vector<ProcessResult> start_together(const ScratchDatabase& db, const std::filesystem::path& dir, int n) {
    std::vector<std::unique_ptr<RunningProcess>> running;
    for (int i = 0; i < n; ++i)
        running.push_back(std::make_unique<RunningProcess>(
            cli_argv({"up", "--no-baseline", "--url", db.url(), "--dir", dir.string()}),
            std::map<std::string, std::string>{{"DATABASE_URL", ""}}));
    std::vector<ProcessResult> results;
    for (auto& p : running) results.push_back(p->wait());
    return results;
}

}  // namespace

TEST_CASE("16 simultaneous starts apply the monolith exactly once") {
    const auto dir = corpus_folder("monolith");
    ScratchDatabase reference("conc_ref"), db("conc");
    REQUIRE(run_cli({"up", "--no-baseline", "--url", reference.url(), "--dir", dir.string()}).exit_code == 0);
    const auto expected = reference.connect().rows("select id, hash, created_at from __drizzle_migrations order by id");

    SECTION("(a) on an empty database") {
        auto results = start_together(db, dir, 16);
        int applied_all = 0;
        for (const auto& r : results) {
            INFO(r.err);
            CHECK(r.exit_code == 0);
            if (r.out.find("applied 220 migrations") != std::string::npos) ++applied_all;
        }
        CHECK(applied_all == 1);  // one replica did the work, the others found nothing to do
        CHECK(db.connect().rows("select id, hash, created_at from __drizzle_migrations order by id") == expected);
        CHECK(db.connect().schema() == reference.connect().schema());
    }
    SECTION("(b) on an up-to-date database") {
        REQUIRE(run_cli({"up", "--no-baseline", "--url", db.url(), "--dir", dir.string()}).exit_code == 0);
        for (const auto& r : start_together(db, dir, 16)) {
            INFO(r.err);
            CHECK(r.exit_code == 0);
            CHECK_THAT(r.out, Catch::Contains("nothing to do: 220 of 220"));
        }
        CHECK(db.connect().rows("select id, hash, created_at from __drizzle_migrations order by id") == expected);
    }
}
