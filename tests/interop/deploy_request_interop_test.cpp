// The OpenInsure keyspaces and the monolith through deploy requests, all at once with `up --all` (each
// keyspace its own PlanetScale database behind its own gateway, safe migrations on): each ends exactly where
// a direct apply ends, and drizzle-orm's migrate() on production then has nothing to do.
#include "fixtures.hpp"
#include "planetscale_fixture.hpp"
#include "process.hpp"
#include "temp_dir.hpp"
#include "test_server.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <memory>

using namespace testing;

TEST_CASE("deploy requests: every OpenInsure keyspace and the monolith, then drizzle has nothing to do") {
    const std::vector<std::string> names = {"oi_global", "oi_policies", "oi_submissions",
                                            "oi_claims", "oi_billing",  "monolith"};
    std::vector<std::unique_ptr<PlanetScale>> keyspaces;
    nlohmann::json targets = nlohmann::json::object();
    for (const auto& name : names) {
        keyspaces.push_back(std::make_unique<PlanetScale>("psi_" + name));
        const auto& ps = *keyspaces.back();
        targets[name] = {{"url", ps.gateway.url(ps.production.name())},
                         {"migrations", corpus_folder(name).string()},
                         {"baseline", false},  // the migrations themselves: DDL and DML (backfills) in turn
                         {"planetscale",
                          {{"organization", "acme"},
                           {"database", "app"},
                           {"keyspace", name},
                           {"apiUrl", ps.gateway.base_url() + "/v1"},
                           {"pollIntervalMs", 50},
                           {"serviceTokenId", "env:PLANETSCALE_SERVICE_TOKEN_ID"},
                           {"serviceToken", "env:PLANETSCALE_SERVICE_TOKEN"}}}};
    }
    TempDir dir;
    write_file(dir.path() / "migrate.json", nlohmann::json{{"targets", targets}}.dump(2));

    auto plan = run_cli({"plan", "--all", "--config", (dir.path() / "migrate.json").string()}, planetscale_token_env);
    INFO(plan.out << plan.err);
    CHECK(plan.exit_code == 0);
    CHECK_THAT(plan.out,
               Catch::Contains("deploy requests (DR n above)") && Catch::Contains("DR 1: branch migrate-monolith-"));

    auto r = run_cli({"up", "--all", "--config", (dir.path() / "migrate.json").string()}, planetscale_token_env);
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out + r.err, !Catch::Contains(token));
    for (std::size_t i = 0; i < names.size(); ++i) {
        INFO(names[i]);
        const auto& ps = *keyspaces[i];
        CHECK_THAT(r.out, Catch::StartsWith(names[i]) || Catch::Contains("\n" + names[i] + " "));  // its own lines
        ScratchDatabase direct("psi_direct");
        auto d = run_cli({"up", "--no-baseline", "--url", direct.url(), "--dir", corpus_folder(names[i]).string()},
                         {{"DATABASE_URL", ""}});
        REQUIRE(d.exit_code == 0);
        const auto expected = direct.connect().snapshot();
        const auto deployed = ps.production.connect().snapshot();
        CHECK(deployed == expected);
        for (const auto& dr : ps.deploy_requests()) CHECK(dr["deployment_state"] == "complete");
        // drizzle-orm's own migrator, on the production database: nothing to apply, nothing recorded.
        auto drizzle =
            run_node("drizzle-migrate.mjs", {"--url", ps.production.url(), "--dir", corpus_folder(names[i]).string()});
        INFO(drizzle.out << drizzle.err);
        CHECK(drizzle.exit_code == 0);
        CHECK(ps.production.connect().snapshot() == deployed);
    }
}
