// Merge safety on two real git branches whose migrations real drizzle-kit 0.31.11 generated: the incident
// (branch A generated before branch B, B merged first, so A's `when` is older than B's and drizzle would
// skip A), `migrate lint --base` catching it, `migrate rebase --onto` fixing it so that drizzle-kit keeps
// generating nothing new and both drizzle-orm's migrate() and `migrate up` apply all three; and the
// same-table case, which rebase refuses without writing anything.
#include "checks.hpp"
#include "drizzle_kit.hpp"
#include "process.hpp"
#include "temp_dir.hpp"
#include "test_server.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <map>
#include <utility>

using namespace testing;
namespace fs = std::filesystem;

namespace {

nlohmann::json json_file(const fs::path& file) { return nlohmann::json::parse(read_file(file)); }

// A git repository in a temporary folder holding drizzle/ (the schema files stay in kit-schemas/, where
// they resolve drizzle-orm: the branches differ only in which one they generate from).
struct Repo {
    TempDir tmp;
    fs::path root = tmp.path() / "repo";
    fs::path dir = root / "drizzle";

    ProcessResult git(std::vector<std::string> args) const {
        std::vector<std::string> argv{"git",
                                      "-C",
                                      root.string(),
                                      "-c",
                                      "user.name=libmigrate test",
                                      "-c",
                                      "user.email=test@libmigrate.invalid",
                                      "-c",
                                      "commit.gpgsign=false"};
        argv.insert(argv.end(), args.begin(), args.end());
        return run_process(argv);
    }
    void ok(std::vector<std::string> args) const {
        const auto r = git(std::move(args));
        INFO(r.out << r.err);
        REQUIRE(r.exit_code == 0);
    }
    void commit(const std::string& message) const {
        ok({"add", "-A"});
        ok({"commit", "-q", "-m", message});
    }

    // main with 0000_init, then two branches from it, each generating one migration.
    Repo(const std::string& first_schema, const std::string& a_schema, const std::string& b_schema) {
        fs::create_directories(root);
        ok({"init", "-q", "-b", "main"});
        kit_generate(dir, first_schema, "init");
        commit("init");
        ok({"checkout", "-q", "-b", "a"});
        kit_generate(dir, a_schema, "branch_a");  // generated first: the older `when`
        commit("a");
        ok({"checkout", "-q", "-b", "b", "main"});
        kit_generate(dir, b_schema, "branch_b");
        commit("b");
        ok({"checkout", "-q", "main"});
        ok({"merge", "-q", "--ff-only", "b"});  // B reaches main first
        ok({"checkout", "-q", "a"});
    }
};

// Every file under `dir` with its bytes.
std::map<std::string, std::string> tree(const fs::path& dir) {
    std::map<std::string, std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file()) out[fs::relative(e.path(), dir).string()] = read_file(e.path());
    return out;
}

std::vector<std::string> rules_of(const nlohmann::json& lint) {
    std::vector<std::string> out;
    for (const auto& f : lint["findings"]) out.push_back(f["rule"].get<std::string>());
    return out;
}

bool has(const std::vector<std::string>& v, const std::string& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
}

}  // namespace

TEST_CASE("merge lint and rebase on branches drizzle-kit generated") {
    Repo repo("users", "merge_a", "merge_b");
    const auto main_journal = json_file(repo.dir / "meta" / "_journal.json");  // a's, before the rebase
    REQUIRE(main_journal["entries"].size() == 2);
    CHECK(main_journal["entries"][1]["tag"] == "0001_branch_a");

    // On a: merging into main would give drizzle an older `when` after main's newest, and a second 0001.
    const auto before = run_cli({"lint", "--dir", repo.dir.string(), "--base", "main", "--format", "json"});
    INFO(before.out << before.err);
    CHECK(before.exit_code == 1);
    const auto rules = rules_of(nlohmann::json::parse(before.out));
    CHECK(has(rules, "merge-when-regression"));
    CHECK(has(rules, "merge-duplicate-idx"));
    CHECK(has(rules, "merge-snapshot-fork"));
    CHECK_FALSE(has(rules, "merge-same-table"));

    const auto rebased = run_cli({"rebase", "--onto", "main", "--dir", repo.dir.string(), "--json"});
    require_ok(rebased, "migrate rebase");
    const auto doc = nlohmann::json::parse(rebased.out);
    REQUIRE(doc["targets"][0]["rebased"].size() == 1);
    const auto& moved = doc["targets"][0]["rebased"][0];
    CHECK(moved["from"] == "0001_branch_a");
    CHECK(moved["to"] == "0002_branch_a");

    const auto journal = json_file(repo.dir / "meta" / "_journal.json");
    REQUIRE(journal["entries"].size() == 3);
    CHECK(journal["entries"][1]["tag"] == "0001_branch_b");
    CHECK(journal["entries"][2]["tag"] == "0002_branch_a");
    CHECK(journal["entries"][2]["idx"] == 2);
    CHECK(journal["entries"][2]["when"].get<std::int64_t>() > journal["entries"][1]["when"].get<std::int64_t>());
    CHECK_FALSE(fs::exists(repo.dir / "0001_branch_a.sql"));
    CHECK(fs::exists(repo.dir / "0001_branch_b.sql"));
    CHECK(read_file(repo.dir / "0002_branch_a.sql").find("CREATE TABLE `posts`") != std::string::npos);
    const auto b_snapshot = json_file(repo.dir / "meta" / "0001_snapshot.json");
    const auto a_snapshot = json_file(repo.dir / "meta" / "0002_snapshot.json");
    CHECK(a_snapshot["prevId"] == b_snapshot["id"]);
    CHECK(a_snapshot["tables"].contains("tags"));
    CHECK(a_snapshot["tables"].contains("posts"));
    CHECK(a_snapshot["tables"].contains("users"));

    // Nothing left to report, and the second rebase changes nothing.
    require_ok(run_cli({"lint", "--dir", repo.dir.string(), "--base", "main"}), "migrate lint after rebase");
    const auto rebased_tree = tree(repo.dir);
    require_ok(run_cli({"rebase", "--onto", "main", "--dir", repo.dir.string()}), "migrate rebase again");
    CHECK(tree(repo.dir) == rebased_tree);

    // The merge: the branch's folder is the merged folder; git conflicts only where both sides appended to
    // the journal, and the branch's journal is the resolution.
    repo.commit("rebase onto main");
    repo.ok({"checkout", "-q", "main"});
    const auto merge = repo.git({"merge", "--no-edit", "a"});
    if (merge.exit_code != 0) {
        const auto conflicted = repo.git({"diff", "--name-only", "--diff-filter=U"});
        CHECK(conflicted.out == "drizzle/meta/_journal.json\n");
        repo.ok({"checkout", "--theirs", "drizzle/meta/_journal.json"});
        repo.commit("merge a");
    }
    CHECK(tree(repo.dir) == rebased_tree);
    require_ok(run_cli({"lint", "--dir", repo.dir.string()}), "migrate lint on main after the merge");

    // drizzle-kit agrees: the merged schema generates nothing, and the snapshot chain holds.
    kit_generate(repo.dir, "merge_ab", "nothing");
    CHECK(json_file(repo.dir / "meta" / "_journal.json")["entries"].size() == 3);
    CHECK(tree(repo.dir) == rebased_tree);
    const auto check = run_node("kit-generate.mjs", {"check", "--dir", repo.dir.string()});
    require_ok(check, "drizzle-kit check");
    CHECK(check.out.find("Everything's fine") != std::string::npos);

    ScratchDatabase by_drizzle("merge_orm"), by_us("merge_cli");
    require_ok(run_node("drizzle-migrate.mjs", {"--url", by_drizzle.url(), "--dir", repo.dir.string()}),
               "drizzle-orm migrate()");
    require_ok(run_cli({"up", "--no-baseline", "--url", by_us.url(), "--dir", repo.dir.string()}), "migrate up");
    const auto theirs_db = by_drizzle.connect().snapshot();
    const auto ours_db = by_us.connect().snapshot();
    CHECK(theirs_db.tracking.size() == 3);
    CHECK(ours_db.tracking == theirs_db.tracking);
    CHECK(ours_db.schema == theirs_db.schema);
    CHECK(ours_db.schema.count("posts") == 1);
    CHECK(ours_db.schema.count("tags") == 1);
}

TEST_CASE("merge rebase refuses branches that change the same table") {
    Repo repo("users", "merge_users_bio", "merge_users_age");
    const auto lint = run_cli({"lint", "--dir", repo.dir.string(), "--base", "main", "--format", "json"});
    INFO(lint.out << lint.err);
    CHECK(lint.exit_code == 1);
    const auto rules = rules_of(nlohmann::json::parse(lint.out));
    CHECK(has(rules, "merge-same-table"));
    CHECK(has(rules, "merge-when-regression"));

    const auto before = tree(repo.dir);
    const auto refused = run_cli({"rebase", "--onto", "main", "--dir", repo.dir.string()});
    INFO(refused.err);
    CHECK(refused.exit_code == 5);  // merge_conflict: a refusal
    CHECK(refused.err.find("error[merge_conflict]") != std::string::npos);
    CHECK(refused.err.find("users") != std::string::npos);
    CHECK(refused.err.find("0001_branch_a") != std::string::npos);
    CHECK(refused.err.find("0001_branch_b") != std::string::npos);
    CHECK(tree(repo.dir) == before);
}

TEST_CASE("merge lint and rebase explain what git cannot give") {
    TempDir tmp;
    const fs::path dir = tmp.path() / "drizzle";
    kit_generate(dir, "users", "init");
    const auto outside = run_cli({"rebase", "--onto", "main", "--dir", dir.string()});
    CHECK(outside.exit_code == 2);
    CHECK(outside.err.find("not in a git work tree") != std::string::npos);

    Repo repo("users", "merge_a", "merge_b");
    const auto unknown = run_cli({"lint", "--dir", repo.dir.string(), "--base", "no-such-branch"});
    CHECK(unknown.exit_code == 2);
    CHECK(unknown.err.find("no-such-branch is not a revision") != std::string::npos);
}
