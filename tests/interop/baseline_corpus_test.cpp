// Every corpus folder's baseline, against the real server and the real drizzle: `baseline create` writes
// what the repository holds, `baseline verify` passes, a fresh `up` from the baseline ends with exactly
// the schema, rows and tracking rows of a replay, and drizzle then has nothing to do.
#include "checks.hpp"
#include "fixtures.hpp"
#include "process.hpp"
#include "temp_dir.hpp"
#include "test_server.hpp"

#include <migrate/source.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

using namespace testing;
namespace fs = std::filesystem;

namespace {

// Everything drizzle or a user can see, AUTO_INCREMENT counters included.
struct State {
    Snapshot snapshot;
    std::map<std::string, std::string> exact_create;
    bool operator==(const State&) const = default;
};

// "table.column" values that no two runs share (uuid(), now() in a custom migration), as verify names them.
std::set<std::string> unreproducible(const std::string& verify_out) {
    std::set<std::string> out;
    const std::string marker = "(not reproducible): ";
    auto at = verify_out.find(marker);
    if (at == std::string::npos) return out;
    std::string list = verify_out.substr(at + marker.size());
    list = list.substr(0, list.find('\n'));
    for (std::size_t start = 0; start < list.size();) {
        auto end = list.find(", ", start);
        out.insert(list.substr(start, end - start));
        if (end == std::string::npos) break;
        start = end + 2;
    }
    return out;
}

State state_of(const ScratchDatabase& db, bool v1, const std::set<std::string>& masked = {}) {
    auto sql = db.connect();
    State s;
    s.snapshot = sql.snapshot(!v1);  // 1.0 tables: compared below with name and applied_at
    for (auto& [table, rows] : s.snapshot.data) {
        auto columns = sql.rows(
            "select column_name from information_schema.columns where table_schema = database() "
            "and table_name = '" +
            table + "' order by ordinal_position");
        bool any = false;
        for (std::size_t c = 0; c < columns.size(); ++c)
            if (masked.contains(table + "." + *columns[c][0])) {
                any = true;
                for (auto& r : rows)
                    if (r[c]) r[c] = "<not reproducible>";
            }
        if (any) std::sort(rows.begin(), rows.end());
    }
    if (v1)
        s.snapshot.tracking =
            sql.rows("select id, hash, created_at, name, applied_at is null from __drizzle_migrations order by id");
    for (const auto& t : sql.tables())
        if (t.rfind("__drizzle", 0) != 0) s.exact_create[t] = *sql.rows("show create table `" + t + "`")[0][1];
    return s;
}

// The snapshot without its header (which names the server) and the metadata without the server and
// the snapshot's hash (which covers that header): what must not change between two creations.
std::string snapshot_body(const fs::path& dir) {
    auto text = read_file(dir / "snapshot.sql");
    return text.substr(text.find("\nCREATE TABLE"));
}
// The snapshot's statements, minus the INSERTs into tables that have a column in `masked`.
std::vector<std::string> statements_but(const std::string& body, const std::set<std::string>& masked) {
    std::vector<std::string> out;
    for (const auto& st : migrate::split_statements(body)) {
        bool skip = false;
        for (const auto& tc : masked)
            skip = skip || st.sql.find("INSERT INTO `" + tc.substr(0, tc.find('.')) + "`") != std::string::npos;
        if (!skip) out.emplace_back(st.sql);
    }
    return out;
}

nlohmann::json metadata(const fs::path& dir) {
    auto j = nlohmann::json::parse(read_file(dir / "baseline.json"));
    j.erase("server");
    j["snapshot"].erase("sha256");
    return j;
}

void check_folder(const fs::path& committed, bool v1) {
    TempDir tmp;
    const fs::path folder = tmp.path() / committed.filename();
    fs::copy(committed, folder, fs::copy_options::recursive);
    fs::remove_all(folder / "baseline");
    ScratchDatabase server("corpus_base");  // names the server the scratch databases go to

    auto created = run_cli({"baseline", "create", "--url", server.url(), "--dir", folder.string()});
    require_ok(created, "baseline create");

    // verify: replay and snapshot side by side.
    auto verified = run_cli({"baseline", "verify", "--url", server.url(), "--dir", folder.string()});
    require_ok(verified, "baseline verify");
    CHECK_THAT(verified.out, Catch::Contains("the snapshot builds what the migrations build"));
    const auto masked = unreproducible(verified.out);
    if (!v1) CHECK(masked.empty());  // the 0.x corpus inserts only constants

    // create wrote what the repository holds (made by the same command on the same kind of server), but
    // for the rows holding values no two runs share.
    CHECK(statements_but(snapshot_body(folder / "baseline"), masked) ==
          statements_but(snapshot_body(committed / "baseline"), masked));
    CHECK(metadata(folder / "baseline") == metadata(committed / "baseline"));

    // A fresh database from the baseline ends exactly where a replay ends.
    ScratchDatabase loaded("corpus_load"), replayed("corpus_replay");
    auto up = run_cli({"up", "--url", loaded.url(), "--dir", folder.string()});
    require_ok(up, "up from the baseline");
    CHECK_THAT(up.out, Catch::Contains("loaded the baseline"));
    require_ok(run_cli({"up", "--no-baseline", "--url", replayed.url(), "--dir", folder.string()}), "replay");
    const State after = state_of(loaded, v1, masked);
    const State replay = state_of(replayed, v1, masked);
    CHECK(after.snapshot.tracking == replay.snapshot.tracking);
    CHECK(after.exact_create == replay.exact_create);
    CHECK(after.snapshot.data == replay.snapshot.data);
    CHECK(after == replay);

    // drizzle reads the result as fully applied: it runs nothing and changes nothing.
    if (v1) {
        require_ok(run_node("drizzle-migrate.mjs", {"--v1", "--url", loaded.url(), "--dir", folder.string()}),
                   "drizzle-orm 1.0 migrate()");
    } else {
        auto kit = run_process({"node", std::string(MIGRATE_INTEROP_DIR) + "/kit-migrate.mjs", "--url", loaded.url(),
                                "--dir", folder.string()});
        require_ok(kit, "drizzle-kit migrate");
        CHECK_THAT(kit.out + kit.err, Catch::Contains("migrations applied successfully"));
    }
    CHECK(state_of(loaded, v1, masked) == after);
}

}  // namespace

TEST_CASE("baseline corpus oi_global") { check_folder(corpus_folder("oi_global"), false); }
TEST_CASE("baseline corpus oi_policies") { check_folder(corpus_folder("oi_policies"), false); }
TEST_CASE("baseline corpus oi_submissions") { check_folder(corpus_folder("oi_submissions"), false); }
TEST_CASE("baseline corpus oi_claims") { check_folder(corpus_folder("oi_claims"), false); }
TEST_CASE("baseline corpus oi_billing") { check_folder(corpus_folder("oi_billing"), false); }
TEST_CASE("baseline corpus monolith") { check_folder(corpus_folder("monolith"), false); }
TEST_CASE("baseline corpus drizzle 1.0 oi_global") {
    check_folder(fs::path(MIGRATE_SOURCE_DIR) / "examples" / "openinsure-v1" / "oi_global", true);
}
TEST_CASE("baseline corpus drizzle 1.0 oi_claims") {
    check_folder(fs::path(MIGRATE_SOURCE_DIR) / "examples" / "openinsure-v1" / "oi_claims", true);
}
