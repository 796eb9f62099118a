// psdb-gateway's management API (tools/psdb-gateway/README.md, "Management API") end to end: the real
// gateway binary in front of the test server, driven over HTTP as libmigrate's PlanetScale client does.
// Branches are databases, so outcomes are checked on the server directly.
#include "gateway.hpp"
#include "process.hpp"
#include "temp_dir.hpp"
#include "test_server.hpp"

#include <httplib.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <functional>
#include <regex>
#include <thread>

using namespace testing;
using json = nlohmann::json;

namespace {

constexpr const char* api_token = "tok-id:tok-secret-4f1c9a";

struct Reply {
    int status = 0;
    std::string body;
    json j;  // null when the body is not JSON
};

// The management API of one gateway, as a client with the service token.
class Api {
  public:
    explicit Api(const Gateway& gw, std::string token = api_token)
        : client_("127.0.0.1", gw.port()),
          base_path_(std::regex_replace(gw.api_base(), std::regex("^http://[^/]+"), "")),
          token_(std::move(token)) {
        client_.set_read_timeout(30, 0);
    }
    Reply get(const std::string& path) { return wrap(client_.Get((base_path_ + path).c_str(), headers())); }
    Reply post(const std::string& path, const json& body = json::object()) {
        return wrap(client_.Post((base_path_ + path).c_str(), headers(), body.dump(), "application/json"));
    }
    Reply patch(const std::string& path, const json& body) {
        return wrap(client_.Patch((base_path_ + path).c_str(), headers(), body.dump(), "application/json"));
    }
    Reply del(const std::string& path) { return wrap(client_.Delete((base_path_ + path).c_str(), headers())); }
    // Outside the database's base path (/_gateway/faults, other organizations).
    Reply raw(const std::string& method, const std::string& path, const json& body = json::object()) {
        if (method == "GET") return wrap(client_.Get(path.c_str(), headers()));
        if (method == "DELETE") return wrap(client_.Delete(path.c_str(), headers()));
        return wrap(client_.Post(path.c_str(), headers(), body.dump(), "application/json"));
    }

  private:
    httplib::Headers headers() const {
        httplib::Headers h;
        if (!token_.empty()) h.emplace("Authorization", token_);
        return h;
    }
    static Reply wrap(const httplib::Result& r) {
        if (!r) throw std::runtime_error("gateway unreachable: " + httplib::to_string(r.error()));
        Reply out{r->status, r->body, json::parse(r->body, nullptr, false)};
        if (out.j.is_discarded()) out.j = nullptr;
        return out;
    }
    httplib::Client client_;
    std::string base_path_, token_;
};

// The SQL API with HTTP Basic credentials: one Execute without a session.
json execute(const Gateway& gw, const std::string& user, const std::string& password, const std::string& sql) {
    httplib::Client c("127.0.0.1", gw.port());
    c.set_basic_auth(user, password);
    auto r = c.Post("/psdb.v1alpha1.Database/Execute", json{{"query", sql}}.dump(), "application/json");
    if (!r) throw std::runtime_error("gateway unreachable");
    json j = json::parse(r->body, nullptr, false);
    if (r->status != 200) return {{"http_status", r->status}, {"body", j}};
    return j;
}

// execute(), then CloseSession on the session it opened: for polling, where a session left open per attempt
// would hold a server connection until --idle-timeout and soon reach --max-sessions.
json execute_and_close(const Gateway& gw, const std::string& user, const std::string& password,
                       const std::string& sql) {
    json j = execute(gw, user, password, sql);
    if (j.contains("session")) {
        httplib::Client c("127.0.0.1", gw.port());
        c.set_basic_auth(user, password);
        c.Post("/psdb.v1alpha1.Database/CloseSession", json{{"session", j["session"]}}.dump(), "application/json");
    }
    return j;
}

// Polls until `done` holds (true) or the deadline passes (false).
bool eventually(const std::function<bool()>& done, std::chrono::milliseconds within = std::chrono::seconds(10)) {
    const auto deadline = std::chrono::steady_clock::now() + within;
    while (std::chrono::steady_clock::now() < deadline) {
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return done();
}

// Deployment states seen while polling, each once, until one of `until` (included).
std::vector<std::string> watch_states(Api& api, int number, const std::vector<std::string>& until) {
    std::vector<std::string> seen;
    eventually([&] {
        const std::string s =
            api.get("/deploy-requests/" + std::to_string(number)).j["deployment_state"].get<std::string>();
        if (seen.empty() || seen.back() != s) seen.push_back(s);
        return std::find(until.begin(), until.end(), s) != until.end();
    });
    return seen;
}

// True when `seen` lists states in the order of `order` (steps may be missed between two polls).
bool in_order(const std::vector<std::string>& seen, const std::vector<std::string>& order) {
    std::size_t at = 0;
    for (const auto& s : seen) {
        auto it = std::find(order.begin() + static_cast<long>(at), order.end(), s);
        if (it == order.end()) return false;
        at = static_cast<std::size_t>(it - order.begin());
    }
    return true;
}

std::string state_of(Api& api, int number) {
    return api.get("/deploy-requests/" + std::to_string(number)).j["deployment_state"];
}

bool reaches(Api& api, int number, const std::string& state) {
    return eventually([&] { return state_of(api, number) == state; });
}

// Branch databases (<production>__<branch>) are the gateway's; dropped after the test with the scratch one.
struct BranchDatabases {
    std::string production;
    ~BranchDatabases() {
        try {
            Sql sql;
            for (const auto& r : sql.rows("SHOW DATABASES LIKE '" + production + "\\_\\_%'"))
                sql.exec("DROP DATABASE `" + *r[0] + "`");
        } catch (...) {}
    }
};

// A gateway whose production branch (the scratch database) has safe migrations, and a client for it.
std::vector<std::string> gateway_args(const ScratchDatabase& db, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"--mysql-database",
                                  db.name(),
                                  "--safe-migrations",
                                  "--service-token",
                                  api_token,
                                  "--deploy-step-ms",
                                  "50",
                                  "--branch-ready-ms",
                                  "100",
                                  "--copy-migration-data",
                                  "__drizzle_migrations"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

void seed_production(const ScratchDatabase& db) {
    Sql sql(db.name());
    sql.exec("CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR(40))");
    sql.exec("INSERT INTO users VALUES (1, 'ada'), (2, 'bob')");
    sql.exec("CREATE TABLE old_things (id INT PRIMARY KEY, v INT)");
    sql.exec("INSERT INTO old_things VALUES (7, 70)");
    sql.exec("CREATE TABLE __drizzle_migrations (id INT PRIMARY KEY, hash TEXT NOT NULL)");
    sql.exec("INSERT INTO __drizzle_migrations VALUES (1, 'h1')");
    sql.exec("CREATE VIEW user_names AS SELECT name FROM users");
}

// A ready branch and a password for it: {username, plain_text}.
std::pair<std::string, std::string> ready_branch(Api& api, const std::string& name) {
    REQUIRE(api.post("/branches", {{"name", name}, {"parent_branch", "main"}}).status == 200);
    REQUIRE(eventually([&] { return api.get("/branches/" + name).j["ready"] == true; }));
    const Reply pw = api.post("/branches/" + name + "/passwords", {{"name", "test"}});
    REQUIRE(pw.status == 200);
    return {pw.j["username"], pw.j["plain_text"]};
}

int open_request(Api& api, json body) {
    const Reply r = api.post("/deploy-requests", body);
    INFO(r.body);
    REQUIRE(r.status == 200);
    return r.j["number"];
}

}  // namespace

TEST_CASE("gateway api: service token refusals") {
    ScratchDatabase db("gwapi_auth");
    Gateway gw(gateway_args(db));
    Api no_token(gw, ""), wrong(gw, "tok-id:wrong-secret"), api(gw);

    const Reply missing = no_token.get("/branches");
    CHECK(missing.status == 401);
    CHECK(missing.j["code"] == "unauthorized");
    const Reply denied = wrong.get("/branches");
    CHECK(denied.status == 401);
    CHECK(denied.j["code"] == "unauthorized");
    CHECK(denied.body.find("wrong-secret") == std::string::npos);
    CHECK(denied.body.find("tok-secret") == std::string::npos);

    const Reply other = api.raw("GET", "/v1/organizations/elsewhere/databases/" + db.name() + "/branches");
    CHECK(other.status == 404);
    CHECK(other.j == json{{"code", "not_found"}, {"message", "Not Found"}});
    CHECK(api.get("/branches").status == 200);

    Gateway unconfigured({"--mysql-database", db.name()});
    const Reply none = Api(unconfigured).get("/branches");
    CHECK(none.status == 401);
    CHECK(none.j["message"].get<std::string>().find("no service token") != std::string::npos);
}

TEST_CASE("gateway api: a branch copies the schema and the migration rows") {
    ScratchDatabase db("gwapi_branch");
    BranchDatabases cleanup{db.name()};
    seed_production(db);
    Gateway gw(gateway_args(db));
    Api api(gw);

    const Reply created = api.post("/branches", {{"name", "feature-x"}, {"parent_branch", "main"}});
    REQUIRE(created.status == 200);
    CHECK(created.j["ready"] == false);
    CHECK(created.j["production"] == false);
    CHECK(created.j["parent_branch"] == "main");
    CHECK(eventually([&] { return api.get("/branches/feature-x").j["ready"] == true; }));

    const std::string branch_db = db.name() + "__feature_x";
    Sql branch(branch_db), prod(db.name());
    CHECK(branch.schema() == prod.schema());
    CHECK(branch.scalar("SELECT COUNT(*) FROM users") == "0");
    CHECK(branch.rows("SELECT id, hash FROM __drizzle_migrations") == Rows{{Value("1"), Value("h1")}});
    CHECK(branch.scalar("SELECT COUNT(*) FROM information_schema.VIEWS WHERE TABLE_SCHEMA = '" + branch_db + "'") ==
          "1");

    const Reply again = api.post("/branches", {{"name", "feature-x"}, {"parent_branch", "main"}});
    CHECK(again.status == 422);
    CHECK(again.j["code"] == "invalid");
    CHECK(api.post("/branches", {{"name", "Bad Name"}, {"parent_branch", "main"}}).status == 422);
    CHECK(api.get("/branches").j["data"].size() == 2);
    CHECK(api.get("/branches/main").j["production"] == true);
    CHECK(api.get("/branches/main").j["safe_migrations"] == true);
    CHECK(api.get("/branches/nope").status == 404);

    CHECK(api.del("/branches/main").status == 422);
    CHECK(api.del("/branches/feature-x").status == 204);
    CHECK_FALSE(prod.database_exists(branch_db));
    CHECK(api.get("/branches/feature-x").status == 404);
}

TEST_CASE("gateway api: a branch password runs SQL on the branch") {
    ScratchDatabase db("gwapi_pw");
    BranchDatabases cleanup{db.name()};
    seed_production(db);
    Gateway gw(gateway_args(db, {"--verbose"}));
    Api api(gw);
    const auto [user, password] = ready_branch(api, "dev");
    const std::string branch_db = db.name() + "__dev";

    const json on_branch = execute(gw, user, password, "ALTER TABLE users ADD COLUMN email VARCHAR(80)");
    INFO(on_branch.dump());
    CHECK_FALSE(on_branch.contains("error"));
    CHECK(on_branch["session"]["vitessSession"]["targetString"] == branch_db);
    CHECK(Sql(branch_db).scalar("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '" + branch_db +
                                "' AND TABLE_NAME = 'users' AND COLUMN_NAME = 'email'") == "1");

    const json on_prod = execute(gw, gw.user(), gw.password(), "ALTER TABLE users ADD COLUMN email VARCHAR(80)");
    CHECK(on_prod["error"]["message"].get<std::string>().find("direct DDL is disabled") != std::string::npos);
    CHECK(on_prod["session"]["vitessSession"]["targetString"] == db.name());

    // Safe migrations follow the branch: on for dev, its DDL is refused too.
    CHECK(api.post("/branches/dev/safe-migrations").j["safe_migrations"] == true);
    CHECK(execute(gw, user, password, "ALTER TABLE users ADD COLUMN age INT").contains("error"));
    CHECK(api.del("/branches/dev/safe-migrations").j["safe_migrations"] == false);

    // A deleted password is refused like any wrong one.
    const Reply pw2 = api.post("/branches/dev/passwords", {{"name", "second"}, {"ttl", 3600}});
    REQUIRE(pw2.status == 200);
    CHECK(pw2.j["plain_text"].get<std::string>().size() >= 32);
    CHECK(pw2.j["access_host_url"] == "127.0.0.1:" + std::to_string(gw.port()));
    CHECK(pw2.j["database_branch"]["name"] == "dev");
    CHECK_FALSE(execute(gw, pw2.j["username"], pw2.j["plain_text"], "SELECT 1").contains("error"));
    CHECK(api.del("/branches/dev/passwords/" + pw2.j["id"].get<std::string>()).status == 204);
    const json refused = execute(gw, pw2.j["username"], pw2.j["plain_text"], "SELECT 1");
    CHECK(refused["http_status"] == 401);
    CHECK(api.del("/branches/dev/passwords/" + pw2.j["id"].get<std::string>()).status == 404);

    // A password with a ttl expires.
    const Reply short_lived = api.post("/branches/dev/passwords", {{"name", "brief"}, {"ttl", 1}});
    REQUIRE(short_lived.status == 200);
    CHECK_FALSE(short_lived.j["expires_at"].is_null());
    CHECK(eventually(
        [&] {
            return execute_and_close(gw, short_lived.j["username"], short_lived.j["plain_text"], "SELECT 1")
                .contains("http_status");
        },
        std::chrono::seconds(5)));

    // Deleting the branch ends its sessions.
    const json opened = execute(gw, user, password, "SELECT 1");
    REQUIRE(opened.contains("session"));
    CHECK(api.del("/branches/dev").status == 204);
    httplib::Client c("127.0.0.1", gw.port());
    c.set_basic_auth(user, password);
    auto again = c.Post("/psdb.v1alpha1.Database/Execute",
                        json{{"query", "SELECT 1"}, {"session", opened["session"]}}.dump(), "application/json");
    REQUIRE(again);
    CHECK(again->status == 401);  // its password went with it
    c.set_basic_auth(gw.user(), gw.password());
    again = c.Post("/psdb.v1alpha1.Database/Execute",
                   json{{"query", "SELECT 1"}, {"session", opened["session"]}}.dump(), "application/json");
    REQUIRE(again);
    CHECK(again->status == 404);
    CHECK(again->body.find("deleted") != std::string::npos);

    // Neither the service token nor a password reaches the request log.
    const std::string log = gw.log();
    CHECK(log.find("/branches/dev/passwords") != std::string::npos);
    CHECK(log.find("tok-secret") == std::string::npos);
    CHECK(log.find(password) == std::string::npos);
    CHECK(log.find(pw2.j["plain_text"].get<std::string>()) == std::string::npos);
}

TEST_CASE("gateway api: deploy through the revert window") {
    ScratchDatabase db("gwapi_deploy");
    BranchDatabases cleanup{db.name()};
    seed_production(db);
    Gateway gw(gateway_args(db, {"--revert-window-seconds", "30"}));
    Api api(gw);
    const auto [user, password] = ready_branch(api, "add-email");
    const std::string branch_db = db.name() + "__add_email";
    REQUIRE_FALSE(execute(gw, user, password, "ALTER TABLE users ADD COLUMN email VARCHAR(80)").contains("error"));
    Sql(branch_db).exec("INSERT INTO __drizzle_migrations VALUES (2, 'h2')");

    const int n = open_request(api, {{"branch", "add-email"}, {"auto_delete_branch", true}, {"notes", "email"}});
    CHECK(n == 1);
    REQUIRE(reaches(api, n, "ready"));
    const Reply ready = api.get("/deploy-requests/1");
    CHECK(ready.j["deployment"]["deployable"] == true);
    CHECK(ready.j["deployment"]["instant_ddl_eligible"] == true);
    CHECK(ready.j["state"] == "open");

    // A second open request from the same branch is refused.
    const Reply second = api.post("/deploy-requests", {{"branch", "add-email"}});
    CHECK(second.status == 422);
    CHECK(second.j["message"].get<std::string>().find("already has an open deploy request #1") != std::string::npos);

    REQUIRE(api.post("/deploy-requests/1/deploy", {{"instant_ddl", false}}).status == 200);
    const auto seen = watch_states(api, n, {"complete_pending_revert", "error"});
    INFO(json(seen).dump());
    CHECK(seen.back() == "complete_pending_revert");
    CHECK(in_order(seen, {"queued", "in_progress", "in_progress_cutover", "complete_pending_revert"}));

    Sql prod(db.name());
    CHECK(prod.scalar("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '" + db.name() +
                      "' AND TABLE_NAME = 'users' AND COLUMN_NAME = 'email'") == "1");
    CHECK(prod.rows("SELECT id, hash FROM __drizzle_migrations ORDER BY id") ==
          Rows{{Value("1"), Value("h1")}, {Value("2"), Value("h2")}});
    const Reply ops = api.get("/deploy-requests/1/operations");
    REQUIRE(ops.j["data"].size() == 1);
    CHECK(ops.j["data"][0]["table_name"] == "users");
    CHECK(ops.j["data"][0]["operation_name"] == "ALTER");
    CHECK(ops.j["data"][0]["state"] == "complete");
    CHECK(ops.j["data"][0]["progress_percentage"] == 100);
    CHECK(api.get("/deploy-requests/1/deployment").j["state"] == "complete_pending_revert");

    const Reply skipped = api.post("/deploy-requests/1/skip-revert");
    CHECK(skipped.j["deployment_state"] == "complete");
    CHECK(skipped.j["state"] == "closed");
    CHECK_FALSE(skipped.j["deployed_at"].is_null());
    CHECK_FALSE(skipped.j["closed_at"].is_null());
    CHECK(api.get("/branches/add-email").status == 404);
    CHECK_FALSE(prod.database_exists(branch_db));
    CHECK(api.get("/deploy-requests?state=closed").j["data"].size() == 1);
    CHECK(api.get("/deploy-requests?state=open").j["data"].empty());
}

TEST_CASE("gateway api: lint errors, no changes and safe migrations") {
    ScratchDatabase db("gwapi_lint");
    BranchDatabases cleanup{db.name()};
    seed_production(db);
    Gateway gw(gateway_args(db));
    Api api(gw);
    const auto [user, password] = ready_branch(api, "nokey");
    REQUIRE_FALSE(execute(gw, user, password, "CREATE TABLE events (at DATETIME, what TEXT)").contains("error"));

    const int n = open_request(api, {{"branch", "nokey"}});
    REQUIRE(reaches(api, n, "ready"));
    const json d = api.get("/deploy-requests/" + std::to_string(n)).j["deployment"];
    CHECK(d["deployable"] == false);
    REQUIRE(d["lint_errors"].size() == 1);
    CHECK(d["lint_errors"][0]["lint_error"] == "NO_UNIQUE_KEY");
    CHECK(d["lint_errors"][0]["table_name"] == "events");
    CHECK(d["lint_errors"][0]["keyspace_name"] == db.name());
    const Reply refused = api.post("/deploy-requests/" + std::to_string(n) + "/deploy");
    CHECK(refused.status == 422);
    CHECK(refused.j["code"] == "invalid");

    // Closed by a person: the deployment keeps its state.
    const Reply closed = api.patch("/deploy-requests/" + std::to_string(n), {{"state", "closed"}});
    CHECK(closed.j["state"] == "closed");
    CHECK(closed.j["deployment_state"] == "ready");

    ready_branch(api, "idle");
    const int empty = open_request(api, {{"branch", "idle"}});
    CHECK(empty == n + 1);
    CHECK(reaches(api, empty, "no_changes"));
    CHECK(api.get("/deploy-requests/" + std::to_string(empty)).j["deployment"]["deployable"] == false);

    CHECK(api.post("/deploy-requests", {{"branch", "main"}}).status == 422);
    CHECK(api.post("/deploy-requests", {{"branch", "missing"}}).status == 422);
    CHECK(api.get("/deploy-requests/99").status == 404);
    REQUIRE(api.del("/branches/main/safe-migrations").status == 200);
    const Reply unsafe = api.post("/deploy-requests", {{"branch", "nokey"}});
    CHECK(unsafe.status == 422);
    CHECK(unsafe.j["message"].get<std::string>().find("safe migrations") != std::string::npos);
}

TEST_CASE("gateway api: gated cut-over and revert") {
    ScratchDatabase db("gwapi_revert");
    BranchDatabases cleanup{db.name()};
    seed_production(db);
    Gateway gw(gateway_args(db, {"--revert-window-seconds", "30"}));
    Api api(gw);
    Sql prod(db.name());
    const auto before = prod.schema();
    const auto users_before = prod.rows("SELECT * FROM users ORDER BY id");

    const auto [user, password] = ready_branch(api, "reshape");
    for (const char* sql : {"ALTER TABLE users ADD COLUMN email VARCHAR(80), ADD INDEX by_name (name)",
                            "CREATE TABLE tags (id INT PRIMARY KEY)", "DROP TABLE old_things"})
        REQUIRE_FALSE(execute(gw, user, password, sql).contains("error"));

    const int n = open_request(api, {{"branch", "reshape"}, {"auto_cutover", false}});
    REQUIRE(reaches(api, n, "ready"));
    CHECK(api.get("/deploy-requests/1").j["deployment"]["instant_ddl_eligible"] == false);
    CHECK(api.post("/deploy-requests/1/deploy", {{"instant_ddl", true}}).status == 422);
    REQUIRE(api.post("/deploy-requests/1/deploy").status == 200);
    const auto seen = watch_states(api, n, {"pending_cutover", "error"});
    INFO(json(seen).dump());
    REQUIRE(seen.back() == "pending_cutover");
    // Gated: it stays there for several steps.
    CHECK_FALSE(eventually([&] { return state_of(api, n) != "pending_cutover"; }, std::chrono::milliseconds(300)));
    const Reply ops = api.get("/deploy-requests/1/operations");
    CHECK(ops.j["data"].size() == 3);

    REQUIRE(api.post("/deploy-requests/1/apply-deploy").status == 200);
    REQUIRE(reaches(api, n, "complete_pending_revert"));
    auto after = prod.schema();
    CHECK(after.count("tags") == 1);
    CHECK(after.count("old_things") == 0);
    CHECK(after["users"].find("email") != std::string::npos);

    REQUIRE(api.post("/deploy-requests/1/revert").status == 200);
    REQUIRE(reaches(api, n, "complete_revert"));
    CHECK(prod.schema() == before);
    CHECK(prod.rows("SELECT * FROM users ORDER BY id") == users_before);
    CHECK(prod.rows("SELECT * FROM old_things") == Rows{{Value("7"), Value("70")}});
    CHECK(api.get("/deploy-requests/1").j["state"] == "closed");
}

TEST_CASE("gateway api: cancel before the cut-over") {
    ScratchDatabase db("gwapi_cancel");
    BranchDatabases cleanup{db.name()};
    seed_production(db);
    Gateway gw(gateway_args(db));
    Api api(gw);
    Sql prod(db.name());
    const auto before = prod.schema();
    const auto [user, password] = ready_branch(api, "cancel-me");
    REQUIRE_FALSE(execute(gw, user, password, "CREATE TABLE audit (id INT PRIMARY KEY)").contains("error"));
    const int n = open_request(api, {{"branch", "cancel-me"}, {"auto_cutover", false}});
    REQUIRE(reaches(api, n, "ready"));
    REQUIRE(api.post("/deploy-requests/1/deploy").status == 200);
    REQUIRE(reaches(api, n, "pending_cutover"));
    CHECK(api.get("/deploy-queue").j["data"].size() == 1);
    CHECK(api.post("/deploy-requests/1/cancel").status == 200);
    CHECK(reaches(api, n, "complete_cancel"));
    CHECK(prod.schema() == before);
    CHECK(api.get("/deploy-queue").j["data"].empty());
    CHECK(api.post("/deploy-requests/1/revert").status == 422);
}

TEST_CASE("gateway api: injected faults") {
    ScratchDatabase db("gwapi_faults");
    BranchDatabases cleanup{db.name()};
    seed_production(db);
    Gateway gw(gateway_args(db));
    Api api(gw);
    const auto [user, password] = ready_branch(api, "flaky");
    REQUIRE_FALSE(execute(gw, user, password, "ALTER TABLE users ADD COLUMN nick VARCHAR(20)").contains("error"));
    const int n = open_request(api, {{"branch", "flaky"}});
    REQUIRE(reaches(api, n, "ready"));

    REQUIRE(api.raw("POST", "/_gateway/faults",
                    {{"kind", "http"},
                     {"path_contains", "/deploy"},
                     {"method", "POST"},
                     {"status", 503},
                     {"code", "retry"},
                     {"message", "try later"},
                     {"times", 1}})
                .status == 200);
    const Reply busy = api.post("/deploy-requests/1/deploy");
    CHECK(busy.status == 503);
    CHECK(busy.j == json{{"code", "retry"}, {"message", "try later"}});
    CHECK(state_of(api, n) == "ready");

    REQUIRE(api.raw("POST", "/_gateway/faults",
                    {{"kind", "http"},
                     {"path_contains", "/branches"},
                     {"status", 502},
                     {"raw_body", "<html>bad gateway</html>"}})
                .status == 200);
    const Reply html = api.get("/branches");
    CHECK(html.status == 502);
    CHECK(html.body == "<html>bad gateway</html>");
    CHECK(api.get("/branches").status == 200);

    REQUIRE(api.raw("POST", "/_gateway/faults",
                    {{"kind", "deployment"}, {"number", n}, {"at", "in_progress"}, {"state", "error"}})
                .status == 200);
    REQUIRE(api.post("/deploy-requests/1/deploy").status == 200);
    CHECK(reaches(api, n, "error"));
    CHECK(api.get("/deploy-requests/1/deployment").j.contains("error_message"));
    CHECK(api.raw("DELETE", "/_gateway/faults").status == 200);
    CHECK(api.raw("POST", "/_gateway/faults", {{"kind", "nonsense"}}).status == 422);
}

TEST_CASE("gateway api: the deploy queue and an instant deploy") {
    ScratchDatabase db("gwapi_queue");
    BranchDatabases cleanup{db.name()};
    seed_production(db);
    Gateway gw(gateway_args(db, {"--revert-window-seconds", "1"}));
    Api api(gw);
    const auto [u1, p1] = ready_branch(api, "first");
    const auto [u2, p2] = ready_branch(api, "second");
    REQUIRE_FALSE(execute(gw, u1, p1, "CREATE TABLE first_t (id INT PRIMARY KEY)").contains("error"));
    REQUIRE_FALSE(execute(gw, u2, p2, "ALTER TABLE users ADD COLUMN score INT").contains("error"));
    const int a = open_request(api, {{"branch", "first"}, {"auto_cutover", false}});
    const int b = open_request(api, {{"branch", "second"}});
    REQUIRE(reaches(api, a, "ready"));
    REQUIRE(reaches(api, b, "ready"));
    REQUIRE(api.post("/deploy-requests/" + std::to_string(a) + "/deploy").status == 200);
    REQUIRE(reaches(api, a, "pending_cutover"));

    // The second waits behind the first, which holds the queue until its cut-over.
    REQUIRE(api.post("/deploy-requests/" + std::to_string(b) + "/deploy", {{"instant_ddl", true}}).status == 200);
    CHECK_FALSE(eventually([&] { return state_of(api, b) != "queued"; }, std::chrono::milliseconds(300)));
    const json queued = api.get("/deploy-requests/" + std::to_string(b)).j["deployment"];
    REQUIRE(queued["preceding_deployments"].size() == 1);
    CHECK(queued["preceding_deployments"][0]["deploy_request_number"] == a);
    const json queue = api.get("/deploy-queue").j["data"];
    REQUIRE(queue.size() == 2);
    CHECK(queue[0]["deploy_request_number"] == a);
    CHECK(queue[1]["deploy_request_number"] == b);

    REQUIRE(api.post("/deploy-requests/" + std::to_string(a) + "/apply-deploy").status == 200);
    // Instant: no cut-over and no revert window.
    const auto seen = watch_states(api, b, {"complete", "error"});
    INFO(json(seen).dump());
    CHECK(seen.back() == "complete");
    CHECK(std::find(seen.begin(), seen.end(), "complete_pending_revert") == seen.end());
    CHECK(api.get("/deploy-requests/" + std::to_string(b)).j["deployment"]["instant_ddl"] == true);
    // The first completes when its revert window closes.
    CHECK(reaches(api, a, "complete"));
    const auto schema = Sql(db.name()).schema();
    CHECK(schema.count("first_t") == 1);
    CHECK(schema.at("users").find("score") != std::string::npos);
}

TEST_CASE("gateway api: an injected error after the cut-over") {
    ScratchDatabase db("gwapi_cerr");
    BranchDatabases cleanup{db.name()};
    seed_production(db);
    Gateway gw(gateway_args(db));
    Api api(gw);
    const auto [user, password] = ready_branch(api, "late");
    REQUIRE_FALSE(execute(gw, user, password, "CREATE TABLE late_t (id INT PRIMARY KEY)").contains("error"));
    const int n = open_request(api, {{"branch", "late"}});
    REQUIRE(reaches(api, n, "ready"));
    REQUIRE(api.raw("POST", "/_gateway/faults",
                    {{"kind", "deployment"}, {"number", n}, {"at", "in_progress_cutover"}, {"state", "complete_error"}})
                .status == 200);
    REQUIRE(api.post("/deploy-requests/" + std::to_string(n) + "/deploy").status == 200);
    CHECK(reaches(api, n, "complete_error"));
    CHECK(Sql(db.name()).schema().count("late_t") == 1);  // the replay ran before the error
}

TEST_CASE("gateway api: a libmigrate run on a branch deploys to production") {
    ScratchDatabase db("gwapi_cli");
    BranchDatabases cleanup{db.name()};
    Gateway gw(gateway_args(db, {"--revert-window-seconds", "30"}));
    Api api(gw);
    const auto [user, password] = ready_branch(api, "migrate");
    const std::string dir = corpus_folder("oi_claims").string();
    // The driver ignores the URL's database: the branch password picks it.
    const std::string branch_url =
        "http://" + user + ":" + password + "@127.0.0.1:" + std::to_string(gw.port()) + "/" + db.name();
    const auto run = run_cli({"up", "--no-baseline", "--url", branch_url, "--dir", dir});
    INFO(run.err);
    REQUIRE(run.exit_code == 0);

    const int n = open_request(api, {{"branch", "migrate"}});
    REQUIRE(reaches(api, n, "ready"));
    CHECK(api.get("/deploy-requests/1").j["deployment"]["deployable"] == true);
    REQUIRE(api.post("/deploy-requests/1/deploy").status == 200);
    REQUIRE(reaches(api, n, "complete_pending_revert"));
    REQUIRE(api.post("/deploy-requests/1/skip-revert").j["deployment_state"] == "complete");

    Sql prod(db.name()), branch(db.name() + "__migrate");
    CHECK(prod.schema() == branch.schema());
    CHECK(prod.tracking_rows() == branch.tracking_rows());
    const auto status = run_cli({"status", "--url", gw.url(db.name()), "--dir", dir});
    CHECK(status.exit_code == 0);
    CHECK_THAT(status.out, Catch::Contains("pending 0"));
}
