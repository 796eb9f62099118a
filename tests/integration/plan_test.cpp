// `migrate plan`: what `up` would do, read from real databases, without changing them.
#include "fixtures.hpp"
#include "process.hpp"
#include "temp_dir.hpp"
#include "test_server.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace testing;
using json = nlohmann::json;

namespace {

const std::string create_a = "CREATE TABLE `a` (`id` int);";
const std::string seed_a = "INSERT INTO `a` VALUES (1);\n--> statement-breakpoint\nALTER TABLE `a` ADD `b` int;";

ProcessResult plan(const ScratchDatabase& db, const std::filesystem::path& dir, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"plan", "--url", db.url(), "--dir", dir.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli(args);
}

json plan_json(const ScratchDatabase& db, const std::filesystem::path& dir) {
    auto r = plan(db, dir, {"--json"});
    INFO(r.err);
    auto j = json::parse(r.out);
    REQUIRE(j["version"] == 1);
    CHECK(j["command"] == "plan");  // the envelope every command's --json has
    CHECK(j["exit"] == r.exit_code);
    CHECK(j["ok"] == (r.exit_code == 0));
    REQUIRE(j["targets"].size() == 1);
    return j["targets"][0];
}

}  // namespace

TEST_CASE("plan: a fresh database would load the baseline, and nothing is touched") {
    ScratchDatabase db("plan_fresh");
    const auto dir = corpus_folder("oi_policies");
    auto r = plan(db, dir);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("would run 1 step, 31 statements (30 DDL)"));
    CHECK_THAT(r.out, Catch::Contains("baseline through 0033_noisy_the_executioner (records 34 migrations)"));
    CHECK_THAT(r.out, Catch::Contains("DDL included: a PlanetScale branch with safe migrations refuses it"));
    auto t = plan_json(db, dir);
    CHECK(t["baseline"]["through"] == "0033_noisy_the_executioner");
    CHECK(t["baseline"]["migrations"] == 34);
    CHECK(t["migrations"].size() == 1);
    CHECK(t["migrations"][0]["tag"] == "baseline");
    CHECK(t["migrations"][0]["statements"].size() == 31);
    CHECK(t["has_ddl"] == true);
    CHECK(t["refused"].is_null());
    CHECK(t["lock_holder"].is_null());
    CHECK(db.connect().tables().empty());

    auto replay = plan(db, dir, {"--no-baseline", "--to", "0001_chemical_starhawk"});
    CHECK_THAT(replay.out, Catch::Contains("would run 2 steps"));
    CHECK_THAT(replay.out, !Catch::Contains("baseline through"));
}

TEST_CASE("plan: pending migrations with their statements, a resume point, the lock holder") {
    ScratchDatabase db("plan_pending");
    TempDir tmp;
    write_folder(tmp.path(), {{"0000_a", create_a}});
    REQUIRE(run_cli({"up", "--url", db.url(), "--dir", tmp.path().string()}).exit_code == 0);
    write_folder(
        tmp.path(),
        {{"0000_a", create_a},
         {"0001_seed", seed_a},
         {"0002_fail", "ALTER TABLE `a` ADD `c` int;\n--> statement-breakpoint\nALTER TABLE `a` ADD `c` int;"}});
    // 0002 fails at its second statement: the next run resumes there.
    REQUIRE(run_cli({"up", "--url", db.url(), "--dir", tmp.path().string()}).exit_code == 1);
    write_folder(tmp.path(),
                 {{"0000_a", create_a},
                  {"0001_seed", seed_a},
                  {"0002_fail", "ALTER TABLE `a` ADD `c` int;\n--> statement-breakpoint\nALTER TABLE `a` ADD `d` int;"},
                  {"0003_dml", "UPDATE `a` SET `b` = 2;"}});
    const auto before = db.connect().snapshot();

    auto r = plan(db, tmp.path());
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("would run 2 steps, 2 statements (1 DDL)"));
    CHECK_THAT(r.out, Catch::Contains("0002_fail.sql  (resumes at statement 2)"));
    CHECK_THAT(r.out, Catch::Contains(":3     ddl      ALTER TABLE `a` ADD `d` int;"));
    CHECK_THAT(r.out, Catch::Contains(":1     dml      UPDATE `a` SET `b` = 2;"));
    auto t = plan_json(db, tmp.path());
    REQUIRE(t["migrations"].size() == 2);
    CHECK(t["migrations"][0]["tag"] == "0002_fail");
    CHECK(t["migrations"][0]["resumes_at"] == 1);
    CHECK(t["migrations"][0]["statements"][0]["line"] == 3);
    CHECK(t["migrations"][1]["statements"][0]["kind"] == "dml");

    // Another run holds the lock: plan names it.
    Sql holder(db.name());
    REQUIRE(holder.scalar("select get_lock('libmigrate:" + db.name() + ".__drizzle_migrations', 0)") == "1");
    auto locked = plan(db, tmp.path());
    CHECK_THAT(locked.out, Catch::Contains("lock: held by") && Catch::Contains("(up would wait for it)"));
    CHECK(plan_json(db, tmp.path())["lock_holder"].is_string());
    CHECK(db.connect().snapshot() == before);
}

TEST_CASE("plan: what up would refuse, with up's exit code") {
    ScratchDatabase db("plan_refused");
    TempDir tmp;
    write_folder(tmp.path(), {{"0000_a", create_a}});
    REQUIRE(run_cli({"up", "--url", db.url(), "--dir", tmp.path().string()}).exit_code == 0);
    write_folder(tmp.path(), {{"0000_a", create_a + "\n-- edited"}, {"0001_b", "CREATE TABLE `b` (`id` int);"}});
    auto r = plan(db, tmp.path());
    CHECK(r.exit_code == 5);
    CHECK_THAT(r.out, Catch::Contains("up would refuse, running nothing: error[migration_changed]"));
    auto t = plan_json(db, tmp.path());
    CHECK(t["refused"]["code"] == "migration_changed");
    CHECK(t["migrations"].size() == 1);  // what is pending, although up would not run it

    auto bad = run_cli({"plan", "--json", "--url", db.url(), "--dir", (tmp.path() / "nope").string()});
    CHECK(bad.exit_code == 3);
    CHECK(json::parse(bad.out)["targets"][0]["error"]["code"] == "journal_missing");
}

TEST_CASE("plan: lint findings under the statements they concern") {
    ScratchDatabase db("plan_lint");
    TempDir tmp;
    write_folder(tmp.path(), {{"0000_a", create_a}});
    REQUIRE(run_cli({"up", "--url", db.url(), "--dir", tmp.path().string()}).exit_code == 0);
    write_folder(tmp.path(), {{"0000_a", create_a}, {"0001_c", "ALTER TABLE `a` ADD COLUMN IF NOT EXISTS `c` int;"}});
    auto r = plan(db, tmp.path());
    CHECK(r.exit_code == 0);  // lint informs; `migrate lint` is the gate
    CHECK_THAT(r.out, Catch::Contains("lint error alter-if-exists: "));
    CHECK_THAT(r.out, Catch::Contains("lint: 1 error, 0 warnings in the folder"));
    auto t = plan_json(db, tmp.path());
    CHECK(t["lint"]["errors"] == 1);
    CHECK(t["migrations"][0]["statements"][0]["lint"][0]["rule"] == "alter-if-exists");
}
