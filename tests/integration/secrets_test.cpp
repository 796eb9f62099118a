// A recognisable password must never leave the process: every subcommand, successes and failures, over
// TCP and HTTP, from --url, DATABASE_URL and a project config, human and JSON output, the TUI's screens,
// the gateway's request log and libmigrate's own side tables are searched for it in every form it could
// take (as typed, percent-encoded, inside an HTTP Basic header).
#include "fixtures.hpp"
#include "gateway.hpp"
#include "planetscale_fixture.hpp"
#include "private_server.hpp"
#include "process.hpp"
#include "temp_dir.hpp"
#include "test_server.hpp"
#include "tmux.hpp"

#include <migrate/connection_url.hpp>

#include <catch2/catch.hpp>

#include <openssl/evp.h>
#include <unistd.h>

using namespace testing;

namespace {

// Needs percent-encoding in a URL (/ : @) and JSON escaping nowhere; "Canary" and "7f3a9e" are what the
// search looks for, so neither may appear in anything else the test uses.
const std::string known_password = "Kn0wn/Canary:Pw@7f3a9e";
const std::string known_password_encoded = "Kn0wn%2FCanary%3APw%407f3a9e";

std::string base64(const std::string& s) {
    std::string out(4 * ((s.size() + 2) / 3) + 1, '\0');
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                            reinterpret_cast<const unsigned char*>(s.data()), static_cast<int>(s.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

// A MariaDB account whose password is the canary, for the lifetime of the test.
struct CanaryUser {
    std::string name = "lm_secret_" + std::to_string(::getpid());
    CanaryUser() {
        Sql root;
        for (const char* host : {"127.0.0.1", "localhost", "%"}) {
            root.exec("CREATE USER IF NOT EXISTS '" + name + "'@'" + host + "' IDENTIFIED BY '" + known_password + "'");
            root.exec("GRANT ALL PRIVILEGES ON *.* TO '" + name + "'@'" + host + "'");
        }
    }
    ~CanaryUser() {
        try {
            Sql root;
            for (const char* host : {"127.0.0.1", "localhost", "%"})
                root.exec("DROP USER IF EXISTS '" + name + "'@'" + host + "'");
        } catch (...) {}
    }
    // mysql://<name>:<canary>@host:port/<database>
    std::string url(const std::string& database, const std::string& password_encoded = known_password_encoded) const {
        auto server = migrate::parse_connection_url(server_url());
        return "mysql://" + name + ":" + password_encoded + "@" + server.host + ":" + std::to_string(server.port) +
               "/" + database;
    }
};

// Every form of the secret that would count as a leak.
std::vector<std::string> leak_forms(const std::string& user) {
    return {"Canary", "7f3a9e", base64(user + ":" + known_password), base64(known_password)};
}

// Collects what every invocation printed, checks its exit code (so a run that failed early, printing
// little, cannot pass for a clean one), and finally searches all of it.
struct Transcript {
    std::vector<std::pair<std::string, std::string>> outputs;  // (what, text)
    int runs = 0;

    ProcessResult cli(const std::string& what, const std::vector<std::string>& args, int expected_exit,
                      std::map<std::string, std::string> env = {}) {
        env.emplace("DATABASE_URL", "");
        auto r = run_cli(args, env);
        ++runs;
        INFO(what << "\nstdout: " << r.out << "\nstderr: " << r.err);
        CHECK(r.exit_code == expected_exit);
        outputs.emplace_back(what + " (stdout)", r.out);
        outputs.emplace_back(what + " (stderr)", r.err);
        return r;
    }
    void add(const std::string& what, const std::string& text) { outputs.emplace_back(what, text); }

    void check_no_leak(const std::string& user) const {
        for (const auto& [what, text] : outputs)
            for (const auto& form : leak_forms(user)) {
                INFO(what << " contains the password (as '" << form << "'):\n" << text);
                CHECK(text.find(form) == std::string::npos);
            }
    }
};

std::string rows_text(const Rows& rows) {
    std::string out;
    for (const auto& row : rows)
        for (const auto& v : row) out += (v ? *v : "NULL") + "\n";
    return out;
}

}  // namespace

TEST_CASE("secrets: no subcommand prints the password over TCP, successes and failures alike") {
    CanaryUser user;
    ScratchDatabase db("secret_tcp"), fresh("secret_fresh"), adopt("secret_adopt");
    const auto corpus = corpus_folder("oi_global").string();
    TempDir tmp;
    const auto broken = (tmp.path() / "broken").string();
    write_folder(broken, {{"0000_ok", "CREATE TABLE `ok` (`id` int PRIMARY KEY);"},
                          {"0001_bad", "CREATE TABLE `ok` (`id` int PRIMARY KEY);"}});
    Transcript t;
    const auto url = user.url(db.name());

    t.cli("version", {"version"}, 0);
    t.cli("status, fresh", {"status", "--url", url, "--dir", corpus}, 0);
    t.cli("status --json, fresh", {"status", "--json", "--url", url, "--dir", corpus}, 0);
    t.cli("plan --json, fresh", {"plan", "--json", "--url", url, "--dir", corpus}, 0);
    t.cli("up -v (replay, lease lock)", {"up", "-v", "--no-baseline", "--lock", "lease", "--url", url, "--dir", corpus},
          0);
    t.cli("up --json (nothing to do)", {"up", "--json", "--url", url, "--dir", corpus}, 0);
    t.cli("up via DATABASE_URL", {"up", "--dir", corpus}, 0, {{"DATABASE_URL", url}});
    t.cli("status -v", {"status", "-v", "--url", url, "--dir", corpus}, 0);
    t.cli("verify --schema --json", {"verify", "--schema", "--json", "--url", url, "--dir", corpus}, 0);
    t.cli("lint --url", {"lint", "--url", url, corpus}, 0);
    t.cli("repair --yes (nothing edited)", {"repair", "--yes", "--url", url, "--dir", corpus}, 0);
    t.cli("resolve (nothing to resolve)", {"resolve", "0000_red_supernaut", "--applied", "--url", url, "--dir", corpus},
          5);
    t.cli("baseline create --scratch-url",
          {"baseline", "create", "--url", url, "--dir", (tmp.path() / "none").string(), "--scratch-url", user.url("")},
          3);
    t.cli("baseline verify --json",
          {"baseline", "verify", "--json", "--url", url, "--dir", corpus, "--scratch-url", user.url("")}, 0);
    t.cli("up from the baseline", {"up", "--url", user.url(fresh.name()), "--dir", corpus}, 0);
    adopt.connect().exec("CREATE TABLE legacy (id int)");
    t.cli("up on a non-empty database (refused)", {"up", "--json", "--url", user.url(adopt.name()), "--dir", corpus},
          5);
    t.cli("baseline mark",
          {"baseline", "mark", "--yes", "--through", "0000_red_supernaut", "--url", user.url(adopt.name()), "--dir",
           corpus},
          0);

    // Failures: each error path formats a URL or a server message.
    const auto server = migrate::parse_connection_url(server_url());
    const std::string wrong = "mysql://migrate:" + known_password_encoded + "@" + server.host + ":" +
                              std::to_string(server.port) + "/" + db.name();
    t.cli("wrong password", {"up", "--url", wrong, "--dir", corpus}, 4);
    t.cli("wrong password --json", {"status", "--json", "--url", wrong, "--dir", corpus}, 4);
    t.cli("nothing listening",
          {"up", "--url",
           "mysql://" + user.name + ":" + known_password_encoded + "@127.0.0.1:" + std::to_string(free_port()) + "/x",
           "--dir", corpus},
          4);
    t.cli("unknown database", {"status", "--url", user.url(db.name() + "_missing"), "--dir", corpus}, 4);
    t.cli("unparsable URL",
          {"up", "--url", "mysql://" + user.name + ":" + known_password_encoded + "@127.0.0.1:nope/x", "--dir", corpus},
          3);
    // Not percent-encoded: the last '@' ends the user info, so this names the default port, where nothing listens.
    t.cli("URL with an unencoded password",
          {"up", "--url",
           "mysql://" + user.name + ":" + known_password + "@127.0.0.1:" + std::to_string(free_port()) + "/x", "--dir",
           corpus},
          4);
    t.cli("unknown URL option", {"status", "--url", url + "?sslmode=sometimes", "--dir", corpus}, 3);
    ScratchDatabase failing("secret_fail");
    t.cli("failing statement", {"up", "--url", user.url(failing.name()), "--dir", broken}, 1);
    t.cli("failing statement --json", {"up", "--json", "--url", user.url(failing.name()), "--dir", broken}, 1);
    {
        // Another session holds the migration lock: the wait times out naming the holder.
        Sql holder(failing.name());
        REQUIRE(holder.scalar("SELECT GET_LOCK('libmigrate:" + failing.name() + ".__drizzle_migrations', 0)") == "1");
        t.cli("lock timeout", {"up", "--lock-timeout", "0", "--url", user.url(failing.name()), "--dir", broken}, 6);
        t.cli("plan with the lock held", {"plan", "--url", user.url(failing.name()), "--dir", broken}, 0);
    }

    // libmigrate's side tables (progress, lease lock) and the tracking rows hold no secret either.
    auto conn = db.connect();
    for (const auto& table : conn.rows("SHOW TABLES"))
        t.add("table " + *table[0], rows_text(conn.rows("SELECT * FROM `" + *table[0] + "`")));
    REQUIRE(conn.scalar("SELECT count(*) FROM __drizzle_migrations") == "51");
    REQUIRE(conn.rows("SHOW TABLES LIKE '__drizzle_migrations_lock'").size() == 1);  // the lease lock was used
    t.check_no_leak(user.name);
    CHECK(t.runs == 28);
}

TEST_CASE("secrets: a project config's passwords stay out of status, up --all, plan and the TUI") {
    CanaryUser user;
    ScratchDatabase a("secret_cfg_a"), b("secret_cfg_b");
    TempDir tmp;
    auto server = migrate::parse_connection_url(server_url());
    // One target with the password inline in a URL, one with Hyperdrive-style fields and an env: reference.
    const auto config = tmp.path() / "migrate.json";
    write_file(config,
               "{\"targets\": {\n"
               "  \"inline\": {\"url\": \"" +
                   user.url(a.name()) + "\", \"migrations\": \"" + corpus_folder("oi_billing").string() +
                   "\"},\n"
                   "  \"fields\": {\"host\": \"" +
                   server.host + "\", \"port\": " + std::to_string(server.port) + ", \"user\": \"" + user.name +
                   "\", \"password\": \"env:SECRET_TEST_PW\", \"database\": \"" + b.name() + "\", \"migrations\": \"" +
                   corpus_folder("oi_claims").string() + "\"}\n}}\n");
    const std::map<std::string, std::string> env = {{"SECRET_TEST_PW", known_password}};
    Transcript t;
    t.cli("status --all", {"status", "--all", "--config", config.string()}, 0, env);
    t.cli("plan --all --json", {"plan", "--all", "--json", "--config", config.string()}, 0, env);
    t.cli("up --all -v", {"up", "--all", "-v", "--config", config.string()}, 0, env);
    t.cli("verify --all --json", {"verify", "--all", "--json", "--config", config.string()}, 0, env);
    t.cli("status --all with the env secret unset", {"status", "--all", "--config", config.string()}, 3);

    // The TUI: the overview and a drilled-in target, whose detail line shows the connection.
    auto tui_env = env;
    tui_env["DATABASE_URL"] = "";
    Tmux tui({MIGRATE_CLI_PATH, "tui", "--config", config.string()}, tui_env, 120, 40);
    REQUIRE(tui.wait_for("fields          tcp        53       0"));  // loaded: Enter opens a loaded target
    REQUIRE(tui.wait_for("inline          tcp        43       0"));
    REQUIRE(tui.wait_for(user.name + ":***@"));
    t.add("tui overview", tui.screen());
    tui.keys({"Enter"});
    const bool drilled = tui.wait_for(", pending 0");
    INFO(tui.screen());
    REQUIRE(drilled);
    t.add("tui target", tui.screen());
    tui.keys({"Escape", "Down"});
    REQUIRE(tui.wait_for(user.name + ":***@"));
    t.add("tui second target", tui.screen());
    tui.keys({"q"});
    CHECK(tui.wait_for_exit());

    CHECK(a.connect().scalar("SELECT count(*) FROM __drizzle_migrations") != "0");
    t.check_no_leak(user.name);
}

TEST_CASE("secrets: over HTTP the password is in neither the CLI's output nor the gateway's request log") {
    CanaryUser user;
    ScratchDatabase db("secret_http"), safe("secret_safe");
    const auto corpus = corpus_folder("oi_global").string();
    // Clients authenticate to the gateway with the canary; the gateway logs every request (--verbose).
    Gateway gw({"--verbose", "--mysql-database", db.name(), "--user", user.name, "--password", known_password,
                "--mysql-user", user.name, "--mysql-password", known_password});
    Gateway gw_safe({"--verbose", "--safe-migrations", "--mysql-database", safe.name(), "--user", user.name,
                     "--password", known_password, "--mysql-user", user.name, "--mysql-password", known_password});
    auto http_url = [&](const Gateway& g, const std::string& database, const std::string& password) {
        return "http://" + user.name + ":" + password + "@127.0.0.1:" + std::to_string(g.port()) + "/" + database;
    };
    Transcript t;
    t.cli("http status", {"status", "--url", http_url(gw, db.name(), known_password_encoded), "--dir", corpus}, 0);
    t.cli("http up -v",
          {"up", "-v", "--no-baseline", "--url", http_url(gw, db.name(), known_password_encoded), "--dir", corpus}, 0);
    t.cli("http status --json",
          {"status", "--json", "--url", http_url(gw, db.name(), known_password_encoded), "--dir", corpus}, 0);
    t.cli("http wrong password", {"status", "--url", http_url(gw, db.name(), "Canary-wrong-7f3a9e"), "--dir", corpus},
          4);
    t.cli("http wrong password --json",
          {"up", "--json", "--url", http_url(gw, db.name(), "Canary-wrong-7f3a9e"), "--dir", corpus}, 4);
    t.cli("http safe migrations refused",
          {"up", "--url", http_url(gw_safe, safe.name(), known_password_encoded), "--dir", corpus}, 7);
    REQUIRE(db.connect().scalar("SELECT count(*) FROM __drizzle_migrations") == "51");
    t.add("gateway log", gw.log());
    t.add("safe gateway log", gw_safe.log());
    REQUIRE(gw.log().find("Execute") != std::string::npos);  // the log is really the request log
    t.check_no_leak(user.name);
}

TEST_CASE("secrets: the PlanetScale service token is in no output, error, JSON or gateway log") {
    TempDir dir;
    write_folder(dir.path() / "drizzle", {{"0000_t",
                                           "CREATE TABLE `t` (`id` int PRIMARY KEY);\n--> statement-breakpoint\n"
                                           "INSERT INTO `t` VALUES (1);"}});
    PlanetScale ps("secret_ps", {"--verbose"});
    Transcript t;
    const auto folder = dir.path() / "drizzle";
    auto args = [&](std::vector<std::string> command) {
        const auto a = ps.target(folder);
        command.insert(command.end(), a.begin(), a.end());
        return command;
    };
    t.cli("plan", args({"plan"}), 0, planetscale_token_env);
    t.cli("plan --json", args({"plan", "--json"}), 0, planetscale_token_env);
    t.cli("up", args({"up"}), 0, planetscale_token_env);
    t.cli("status --json", args({"status", "--json"}), 0, planetscale_token_env);
    t.cli("up --json", args({"up", "--json"}), 0, planetscale_token_env);
    // A wrong token: refused by the API (exit 4), and neither token is shown.
    write_folder(dir.path() / "more", {{"0000_t",
                                        "CREATE TABLE `t` (`id` int PRIMARY KEY);\n--> statement-breakpoint\n"
                                        "INSERT INTO `t` VALUES (1);"},
                                       {"0001_u", "CREATE TABLE `u` (`id` int PRIMARY KEY);"}});
    auto wrong = planetscale_token_env;
    wrong["PLANETSCALE_SERVICE_TOKEN"] = "wrong-Canary-token-7f3a9e";
    auto more = ps.up(dir.path() / "more");
    t.cli("up with a wrong token", more, 4, wrong);
    more.push_back("--json");
    t.cli("up --json with a wrong token", more, 4, wrong);
    t.add("gateway log", ps.gateway.log());
    for (const auto& [what, text] : t.outputs) {
        INFO(what << ":\n" << text);
        CHECK(text.find(token) == std::string::npos);
        CHECK(text.find("secret-service-token") == std::string::npos);
    }
    t.check_no_leak("nobody");
}
