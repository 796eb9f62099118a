// The CLI's machine face: --json documents of every subcommand, exit codes, --quiet, --help with examples,
// bad arguments; against real databases.
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

// Runs the CLI with --json and parses stdout: always exactly one document.
json document_of(const std::vector<std::string>& args, int expected_exit) {
    auto r = run_cli(args);
    INFO("stdout: " << r.out << "\nstderr: " << r.err);
    REQUIRE(r.exit_code == expected_exit);
    auto j = json::parse(r.out);
    CHECK(j["version"] == 1);
    CHECK(j["exit"] == expected_exit);
    CHECK(j["ok"] == (expected_exit == 0));
    return j;
}

std::vector<std::string> with(const ScratchDatabase& db, const std::filesystem::path& dir,
                              std::vector<std::string> head) {
    head.insert(head.end(), {"--url", db.url(), "--dir", dir.string(), "--json"});
    return head;
}

}  // namespace

TEST_CASE("cli json: status and up, from a baseline and by replay, and a failure") {
    ScratchDatabase db("json_up");
    const auto dir = corpus_folder("oi_policies");
    auto before = document_of(with(db, dir, {"status"}), 0);
    CHECK(before["command"] == "status");
    auto t = before["targets"][0];
    CHECK(t["applied"] == 0);
    CHECK(t["pending"] == 34);
    CHECK(t["table_exists"] == false);
    CHECK(t["baseline"]["loads"] == true);
    CHECK(t["baseline"]["through"] == "0033_noisy_the_executioner");
    CHECK(t["migrations"].size() == 34);
    CHECK(t["migrations"][0]["by_baseline"] == true);
    CHECK(t["url"].get<std::string>().find("***") != std::string::npos);

    auto up = document_of(with(db, dir, {"up"}), 0);
    CHECK(up["command"] == "up");
    CHECK(up["targets"][0]["baseline_covered"] == 34);
    CHECK(up["targets"][0]["steps"][0]["tag"] == "baseline");
    CHECK(document_of(with(db, dir, {"status"}), 0)["targets"][0]["applied"] == 34);

    ScratchDatabase replay("json_replay");
    auto r = document_of(with(replay, dir, {"up", "--no-baseline", "--to", "0002_premium_smiling_tiger"}), 0);
    CHECK(r["targets"][0]["applied"] == 3);
    CHECK(r["targets"][0]["steps"].size() == 3);
    CHECK(r["targets"][0]["steps"][2]["tag"] == "0002_premium_smiling_tiger");

    TempDir tmp;
    write_folder(tmp.path(), {{"0000_a", create_a + "\n--> statement-breakpoint\n" + create_a}});
    ScratchDatabase bad("json_fail");
    auto failed = document_of(with(bad, tmp.path(), {"up"}), 1);
    const auto& err = failed["targets"][0]["error"];
    CHECK(err["code"] == "server_error");
    CHECK(err["line"] == 3);
    CHECK(err["statement"] == 1);
    CHECK(err["errno"] == 1050);
    CHECK(err["sqlstate"] == "42S01");
    CHECK(err["tag"] == "0000_a");
}

TEST_CASE("cli json: repair, resolve, baseline create, verify and mark, version") {
    ScratchDatabase db("json_misc");
    TempDir tmp;
    write_folder(tmp.path(), {{"0000_a", create_a}, {"0001_b", "INSERT INTO `a` VALUES (1);"}});
    REQUIRE(run_cli({"up", "--url", db.url(), "--dir", tmp.path().string()}).exit_code == 0);

    write_folder(tmp.path(), {{"0000_a", create_a + "\n-- reviewed"}, {"0001_b", "INSERT INTO `a` VALUES (1);"}});
    auto repaired = document_of(with(db, tmp.path(), {"repair", "--yes"}), 0);
    CHECK(repaired["command"] == "repair");
    CHECK(repaired["targets"][0]["repaired"][0]["tag"] == "0000_a");
    CHECK(repaired["targets"][0]["repaired"][0]["file_hash"] == plain_sha256(create_a + "\n-- reviewed"));

    auto nothing = run_cli(with(db, tmp.path(), {"resolve", "0001_b", "--applied"}));
    CHECK(nothing.exit_code == 5);
    auto nothing_doc = json::parse(nothing.out);
    CHECK(nothing_doc["error"]["code"] == "nothing_to_resolve");
    CHECK(nothing_doc["command"] == "resolve");

    auto created = document_of(with(db, tmp.path(), {"baseline", "create"}), 0);
    CHECK(created["command"] == "baseline create");
    CHECK(created["targets"][0]["migrations"] == 2);
    CHECK(created["targets"][0]["rows"] == 1);
    auto verified = document_of(with(db, tmp.path(), {"baseline", "verify"}), 0);
    CHECK(verified["targets"][0]["ok"] == true);
    CHECK(verified["targets"][0]["drift"].empty());

    ScratchDatabase adopt("json_mark");
    adopt.connect().exec(create_a);
    auto marked = document_of(with(adopt, tmp.path(), {"baseline", "mark", "--through", "0000_a", "--yes"}), 0);
    CHECK(marked["targets"][0]["recorded"] == 1);

    auto version = document_of({"version", "--json"}, 0);
    CHECK(version["library"] == version["cli"]);
    CHECK(version["driver_abi"] == 1);
    REQUIRE(version["drivers"].size() == 2);
    CHECK(version["drivers"][0]["name"] == "mysql2-like");
    CHECK(version["drivers"][0]["error"].is_null());
    CHECK(version["drivers"][1]["name"] == "http-planetscale");
    auto human = run_cli({"--version"});
    CHECK(human.exit_code == 0);
    CHECK_THAT(human.out, Catch::Contains("libmigrate ") && Catch::Contains("driver ABI 1") &&
                              Catch::Contains("driver mysql2-like") && Catch::Contains("driver http-planetscale"));
}

TEST_CASE("cli: --quiet keeps only the summary, output without a terminal has no colour") {
    ScratchDatabase db("quiet");
    const auto dir = corpus_folder("oi_policies");
    auto r = run_cli({"up", "--quiet", "--no-baseline", "--url", db.url(), "--dir", dir.string()});
    CHECK(r.exit_code == 0);
    CHECK(r.out == "applied 34 migrations (" + r.out.substr(r.out.find('(') + 1));  // one line, the summary
    CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 1);
    CHECK(r.out.find('\x1b') == std::string::npos);
    CHECK(r.err.find('\x1b') == std::string::npos);
}

TEST_CASE("cli: every subcommand's help has examples, bad arguments are usage errors") {
    for (std::vector<std::string> cmd : std::vector<std::vector<std::string>>{{"status"},
                                                                              {"up"},
                                                                              {"plan"},
                                                                              {"verify"},
                                                                              {"lint"},
                                                                              {"repair"},
                                                                              {"resolve"},
                                                                              {"tui"},
                                                                              {"version"},
                                                                              {"rebase"},
                                                                              {"baseline", "create"},
                                                                              {"baseline", "verify"},
                                                                              {"baseline", "mark"}}) {
        cmd.push_back("--help");
        auto r = run_cli(cmd);
        INFO(cmd[0]);
        CHECK(r.exit_code == 0);
        CHECK_THAT(r.out, Catch::Contains("Examples:"));
    }
    CHECK(run_cli({}).exit_code == 2);                             // no command
    CHECK(run_cli({"frobnicate"}).exit_code == 2);                 // unknown command
    CHECK(run_cli({"up", "--no-such-flag"}).exit_code == 2);       // unknown option
    CHECK(run_cli({"resolve", "--applied"}).exit_code == 2);       // missing TAG
    CHECK(run_cli({"up", "--lock", "sometimes"}).exit_code == 2);  // bad value
    CHECK(run_cli({"baseline"}).exit_code == 2);                   // baseline needs a subcommand
    auto no_url = run_cli({"status", "--dir", corpus_folder("oi_global").string()}, {{"DATABASE_URL", ""}});
    CHECK(no_url.exit_code == 2);
    CHECK_THAT(no_url.err, Catch::Contains("DATABASE_URL"));
}

TEST_CASE("cli json: a usage error under --json is a document with ok false, exit 2 and the error") {
    const auto dir = corpus_folder("oi_global").string();
    struct Case {
        std::vector<std::string> args;
        nlohmann::json command;
        std::string message;
    };
    for (const auto& c : std::vector<Case>{
             {{"status", "--json", "--dir", dir}, "status", "DATABASE_URL"},  // no database
             {{"up", "--json", "--url", "mysql://u@h/x", "--keyspace", "a"}, "up", "--url cannot be combined"},
             {{"plan", "--json", "--no-such-flag"}, "plan", "--no-such-flag"},  // CLI11's own
             {{"verify", "--json", "--jobs", "0", "--url", "mysql://u@h/x"}, "verify", "--jobs"},
             {{"--json"}, nullptr, "--json"}}) {  // no command
        auto r = run_cli(c.args);
        INFO(r.out << r.err);
        CHECK(r.exit_code == 2);
        CHECK_THAT(r.err, Catch::Contains(c.message));
        auto j = json::parse(r.out);
        CHECK(j["version"] == 1);
        CHECK(j["command"] == c.command);
        CHECK(j["ok"] == false);
        CHECK(j["exit"] == 2);
        CHECK(j["targets"] == json::array());
        CHECK(j["error"]["code"] == "usage");
        CHECK_THAT(j["error"]["message"].get<std::string>(), Catch::Contains(c.message));
    }
}

TEST_CASE("cli json: a refusal without --yes (repair, revert, baseline mark) is a document too") {
    ScratchDatabase db("json_refuse");
    TempDir tmp;
    write_folder(tmp.path(), {{"0000_a", create_a}});
    REQUIRE(run_cli({"up", "--url", db.url(), "--dir", tmp.path().string()}).exit_code == 0);
    write_folder(tmp.path(), {{"0000_a", create_a + "\n-- reviewed"}});
    ScratchDatabase adopt("json_refuse_mark");

    struct Case {
        std::vector<std::string> args;
        std::string command;
        std::map<std::string, std::string> env;
    };
    // Without a terminal (stdin is /dev/null here) only --yes confirms; each refuses before changing anything.
    for (const auto& c :
         std::vector<Case>{{with(db, tmp.path(), {"repair"}), "repair", {}},
                           {with(adopt, tmp.path(), {"baseline", "mark", "--through", "0000_a"}), "baseline mark", {}},
                           // Refused before any connection or API call: the URL and the token lead nowhere.
                           {{"revert", "--json", "--url", "mysql://app@127.0.0.1:1/oi_claims", "--dir",
                             tmp.path().string(), "--planetscale-org", "acme"},
                            "revert",
                            {{"PLANETSCALE_SERVICE_TOKEN_ID", "id"}, {"PLANETSCALE_SERVICE_TOKEN", "token"}}}}) {
        auto r = run_cli(c.args, c.env);
        INFO(c.command << "\nstdout: " << r.out << "\nstderr: " << r.err);
        CHECK(r.exit_code == 2);
        CHECK_THAT(r.err, Catch::Contains("refusing without confirmation: pass --yes"));
        auto j = json::parse(r.out);  // the whole of stdout: exactly one document
        CHECK(j["version"] == 1);
        CHECK(j["command"] == c.command);
        CHECK(j["ok"] == false);
        CHECK(j["exit"] == 2);
        CHECK(j["targets"] == json::array());
        CHECK(j["error"]["code"] == "usage");
        CHECK_THAT(j["error"]["message"].get<std::string>(), Catch::Contains("pass --yes"));
    }
    // Nothing was changed: the edit is still there to repair, the adopted database still records nothing.
    CHECK(document_of(with(db, tmp.path(), {"repair", "--yes"}), 0)["targets"][0]["repaired"].size() == 1);
    CHECK(document_of(with(adopt, tmp.path(), {"status"}), 0)["targets"][0]["applied"] == 0);

    // A --through the folder lacks is invalid input (3), with its document.
    auto missing = run_cli(with(adopt, tmp.path(), {"baseline", "mark", "--through", "0009_nope", "--yes"}));
    CHECK(missing.exit_code == 3);
    auto m = json::parse(missing.out);
    CHECK(m["command"] == "baseline mark");
    CHECK(m["error"]["code"] == "target_not_found");
}
