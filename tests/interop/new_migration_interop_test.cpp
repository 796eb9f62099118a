// `migrate new` between real drizzle-kit 0.31.11 runs: drizzle-kit keeps generating after our custom
// migration (next idx, its snapshot hangs off ours, no collision, `drizzle-kit check` passes), and both
// drizzle-orm's migrate() and `migrate up` apply the whole folder the same way. No drizzle-kit 1.0 is
// installed here: the 1.0 layout is checked against the openinsure-v1 corpus in tests/unit.
#include "checks.hpp"
#include "drizzle_kit.hpp"
#include "process.hpp"
#include "temp_dir.hpp"
#include "test_server.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>

using namespace testing;
namespace fs = std::filesystem;

namespace {

// drizzle-kit generate, which must not report a collision with our migration.
void kit_generate_after_ours(const fs::path& dir, const std::string& schema_name, const std::string& name) {
    const auto r = kit_generate(dir, schema_name, name);
    INFO(r.out);
    CHECK(r.out.find("collision") == std::string::npos);
}

nlohmann::json json_file(const fs::path& file) { return nlohmann::json::parse(read_file(file)); }

}  // namespace

TEST_CASE("migrate new between drizzle-kit generate runs") {
    TempDir tmp;
    const fs::path dir = tmp.path() / "drizzle";
    kit_generate(dir, "users", "init");

    const auto made = run_cli({"new", "--dir", dir.string(), "--name", "seed", "--json"});
    require_ok(made, "migrate new");
    const auto doc = nlohmann::json::parse(made.out);
    REQUIRE(doc["ok"] == true);
    const auto& entry = doc["targets"][0];
    CHECK(entry["tag"] == "0001_seed");
    const fs::path sql = entry["file"].get<std::string>();
    CHECK(sql == dir / "0001_seed.sql");
    CHECK(read_file(sql) == "-- Custom SQL migration file, put your code below! --");
    const auto ours = json_file(dir / "meta" / "0001_snapshot.json");
    CHECK(ours["prevId"] == json_file(dir / "meta" / "0000_snapshot.json")["id"]);
    CHECK(ours["id"] == entry["id"]);
    {
        std::ofstream out(sql, std::ios::app | std::ios::binary);
        out << "\nINSERT INTO `users` (`name`) VALUES ('seeded');--> statement-breakpoint\n"
               "INSERT INTO `users` (`name`) VALUES ('second');";
    }

    kit_generate_after_ours(dir, "users_posts", "add_posts");
    const auto journal = json_file(dir / "meta" / "_journal.json");
    REQUIRE(journal["entries"].size() == 3);
    CHECK(journal["entries"][1]["tag"] == "0001_seed");
    CHECK(journal["entries"][2]["idx"] == 2);
    CHECK(journal["entries"][2]["tag"] == "0002_add_posts");
    CHECK(journal["entries"][2]["when"].get<std::int64_t>() > journal["entries"][1]["when"].get<std::int64_t>());
    const auto theirs = json_file(dir / "meta" / "0002_snapshot.json");
    CHECK(theirs["prevId"] == ours["id"]);
    // drizzle-kit diffed against our copy: only the change, not the whole schema again.
    const std::string next_sql = read_file(dir / "0002_add_posts.sql");
    CHECK(next_sql.find("CREATE TABLE `posts`") != std::string::npos);
    CHECK(next_sql.find("CREATE TABLE `users`") == std::string::npos);
    CHECK(next_sql.find("ADD `email`") != std::string::npos);

    const auto check = run_node("kit-generate.mjs", {"check", "--dir", dir.string()});
    require_ok(check, "drizzle-kit check");
    CHECK(check.out.find("Everything's fine") != std::string::npos);

    // One more of ours after drizzle-kit's, then both migrators apply the folder alike.
    require_ok(run_cli({"new", "--dir", dir.string(), "--name", "tail"}), "migrate new (second)");
    CHECK(json_file(dir / "meta" / "0003_snapshot.json")["prevId"] == theirs["id"]);
    require_ok(run_node("kit-generate.mjs", {"check", "--dir", dir.string()}), "drizzle-kit check (second)");

    ScratchDatabase by_drizzle("nmd"), by_us("nml");
    require_ok(run_node("drizzle-migrate.mjs", {"--url", by_drizzle.url(), "--dir", dir.string()}),
               "drizzle-orm migrate()");
    require_ok(run_cli({"up", "--no-baseline", "--url", by_us.url(), "--dir", dir.string()}), "migrate up");
    const auto theirs_db = by_drizzle.connect().snapshot();
    const auto ours_db = by_us.connect().snapshot();
    CHECK(theirs_db.tracking.size() == 4);
    CHECK(ours_db.tracking == theirs_db.tracking);
    CHECK(ours_db.schema == theirs_db.schema);
    CHECK(ours_db.data == theirs_db.data);
    REQUIRE(ours_db.data.count("users") == 1);
    CHECK(ours_db.data.at("users").size() == 2);
}
