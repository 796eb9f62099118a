// psdb-gateway against the REAL @planetscale/database 1.20.2 (tests/interop/psdb-client.mjs): the golden
// table served from MariaDB decodes like PlanetScale's captured response, transactions, errors, auth,
// sessions, --safe-migrations, idle expiry, lost backend connections, the row limit and HTTPS.
#include "gateway.hpp"
#include "process.hpp"
#include "temp_dir.hpp"
#include "test_server.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

using namespace testing;
using nlohmann::json;

namespace {

const std::string golden_dir = std::string(MIGRATE_SOURCE_DIR) + "/tests/data/planetscale-golden";

// Runs a psdb-client.mjs program (see the script's header) and returns its output.
json run_client(const json& program, const std::map<std::string, std::string>& env = {}) {
    std::vector<std::string> argv{"node", std::string(MIGRATE_INTEROP_DIR) + "/psdb-client.mjs", "--program",
                                  program.dump()};
    const auto r = env.empty() ? run_process(argv) : run_process(argv, env);
    INFO("psdb-client.mjs stderr: " << r.err << "\nstdout: " << r.out);
    REQUIRE(r.exit_code == 0);
    return json::parse(r.out);
}

const json& ok(const json& step) {
    INFO(step.dump());
    REQUIRE(step.contains("ok"));
    return step["ok"];
}

const json& error(const json& step) {
    INFO(step.dump());
    REQUIRE(step.contains("error"));
    return step["error"];
}

std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// test.sql, split into statements, adapted to MariaDB 10.11 (each change listed in
// tools/psdb-gateway/README.md): MariaDB has no MySQL 8 `utf8mb4_0900_ai_ci` collation.
std::vector<std::string> golden_statements() {
    std::string sql = read_text(golden_dir + "/test.sql");
    const std::string mysql8 = "COLLATE=utf8mb4_0900_ai_ci", mariadb = "COLLATE=utf8mb4_general_ci";
    const auto at = sql.find(mysql8);
    REQUIRE(at != std::string::npos);
    sql.replace(at, mysql8.size(), mariadb);
    std::vector<std::string> out;
    std::size_t start = 0;
    for (std::size_t p = sql.find(";\n"); p != std::string::npos; p = sql.find(";\n", start)) {
        out.push_back(sql.substr(start, p - start));
        start = p + 2;
    }
    REQUIRE(sql.find_first_not_of(" \n", start) == std::string::npos);
    REQUIRE(out.size() == 3);  // DROP, CREATE, INSERT
    return out;
}

// A decoded integer cell: a number (INTn) or a string (INT64/UINT64).
std::string text_of(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

std::string session_uuid(const json& session) {
    return session.at("vitessSession").at("SessionUUID").get<std::string>();
}

// The session a response carried (responses of the program, in order).
json response_session(const json& exchange) {
    return json::parse(exchange.at("response").get<std::string>()).value("session", json());
}

}  // namespace

TEST_CASE("gateway: the golden table decodes like PlanetScale's captured response", "[gateway][interop]") {
    ScratchDatabase db("psgold");
    {
        auto sql = db.connect();
        sql.exec("SET time_zone = '+00:00'");  // PlanetScale runs in UTC; the TIMESTAMP literal needs it east of UTC
        for (const auto& statement : golden_statements()) sql.exec(statement);
    }
    Gateway gw({"--mysql-database", db.name()});
    const std::string query = "select *, NULL from `test`";
    const json ours =
        run_client({{"url", gw.url()}, {"steps", {{{"execute", "SET time_zone = '+00:00'"}}, {{"execute", query}}}}});
    const json theirs = run_client({{"golden", golden_dir + "/database.json"}, {"steps", {{{"execute", query}}}}});
    const json& mine = ok(ours["steps"][1]);
    const json& gold = ok(theirs["steps"][0]);

    SECTION("database-js decodes every column to the same value") {
        REQUIRE(mine["headers"] == gold["headers"]);
        CHECK(mine["headers"].size() == 44);
        CHECK(mine["types"] == gold["types"]);
        REQUIRE(mine["rows"].size() == 1);
        REQUIRE(gold["rows"].size() == 1);
        for (const auto& name : gold["headers"]) {
            INFO("column " << name);
            CHECK(mine["rows"][0][name.get<std::string>()] == gold["rows"][0][name.get<std::string>()]);
        }
        // A few values spelled out (what database-js 1.20.2 gives for the golden row).
        const json& row = mine["rows"][0];
        CHECK(row["id"] == "1");
        CHECK(row["a"] == 1);
        CHECK(row["f"] == "1.1");
        CHECK(row["h"] == 1.1);
        CHECK(row["j"] == json{{"$bytes", "07"}});
        CHECK(row["m"] == "1970-01-01 00:01:01");
        CHECK(row["r"] == json{{"$bytes", "72000000"}});
        CHECK(row["ad"] == json::parse(R"({"ad":null,"foo":"ü"})"));
        CHECK(row["xa"] == "xa");
        CHECK(row["xc"] == json{{"$bytes", "78630000"}});
        CHECK(row["al"] == "1");
        CHECK(row["NULL"].is_null());
    }

    SECTION("the gateway's raw field metadata equals the golden one but for the documented differences") {
        const json raw = json::parse(ours["http"][1]["response"].get<std::string>());
        const json golden = json::parse(read_text(golden_dir + "/database.json"));
        const json& fields = raw["result"]["fields"];
        REQUIRE(fields.size() == golden["fields"].size());
        // MariaDB vs MySQL 8 (tools/psdb-gateway/README.md, "Differences from PlanetScale (MySQL 8)"):
        // the expected MariaDB value of every field attribute that differs.
        const std::set<std::string> text_columns = {"p", "q", "x", "y", "z", "aa", "ab", "ac", "xa", "xb", "xd"};
        std::size_t differences = 0;
        for (std::size_t i = 0; i < fields.size(); ++i) {
            const json& g = golden["fields"][i];
            const json& f = fields[i];
            const std::string name = g["name"];
            std::set<std::string> keys;
            for (auto it = g.begin(); it != g.end(); ++it) keys.insert(it.key());
            for (auto it = f.begin(); it != f.end(); ++it) keys.insert(it.key());
            for (const auto& key : keys) {
                INFO("column " << name << ", " << key << ": gateway " << f.value(key, json()) << ", golden "
                               << g.value(key, json()));
                json expected = g.value(key, json());
                if (key == "database" && g.contains(key)) expected = db.name();  // the test's database, not "mattdb"
                if (key == "charset" && text_columns.count(name))
                    expected = 45;  // utf8mb4_general_ci, not utf8mb4_0900_ai_ci (255)
                if (key == "charset" && name == "ad")
                    expected = 45;  // JSON is LONGTEXT utf8mb4_bin text, not binary (63)
                if (key == "flags" && name == "m") expected = 160;  // TIMESTAMP also carries UNSIGNED_FLAG (128 + 32)
                if (expected != g.value(key, json())) ++differences;
                CHECK(f.value(key, json()) == expected);
            }
        }
        CHECK(differences ==
              1 + text_columns.size() + 1 + 43);  // m, the text columns, ad, and `database` of 43 columns

        // Row lengths: equal but for the JSON document, which MariaDB keeps as inserted (22 bytes) where
        // MySQL stores its normalised form (25 bytes: spaces after ':' and ',').
        const json& lengths = raw["result"]["rows"][0]["lengths"];
        const json& golden_lengths = golden["rows"][0]["lengths"];
        REQUIRE(lengths.size() == golden_lengths.size());
        for (std::size_t i = 0; i < lengths.size(); ++i) {
            INFO("column " << golden["fields"][i]["name"]);
            CHECK(lengths[i] == (golden["fields"][i]["name"] == "ad" ? json("22") : golden_lengths[i]));
        }
        CHECK(raw["result"].count("rowsAffected") == 0);
        CHECK(raw["result"].count("insertId") == 0);
    }

    SECTION("the dual case") {
        const json dual = run_client({{"url", gw.url()}, {"steps", {{{"execute", "select _latin1 0xff as a"}}}}});
        const json& r = ok(dual["steps"][0]);
        CHECK(r["rows"][0]["a"] == "\xc3\xbf");  // 'ÿ', as golden dual.json decodes
        const json raw = json::parse(dual["http"][0]["response"].get<std::string>());
        const json golden = json::parse(read_text(golden_dir + "/dual.json"));
        CHECK(raw["result"]["rows"] == golden["rows"]);
        CHECK(raw["result"]["fields"][0]["type"] == "VARCHAR");
        CHECK(raw["result"]["fields"][0]["flags"] == 1);
        // MariaDB reports the converted charset (utf8mb4_general_ci) and NOT_FIXED_DEC decimals for a string.
        CHECK(raw["result"]["fields"][0]["charset"] == 45);
        CHECK(raw["result"]["fields"][0]["decimals"] == 39);
    }
}

TEST_CASE("gateway: transactions commit and roll back through conn.transaction", "[gateway][interop]") {
    ScratchDatabase db("pstx");
    auto sql = db.connect();
    sql.exec("create table t (id int auto_increment primary key, v varchar(10))");
    Gateway gw({"--mysql-database", db.name()});
    const json out = run_client(
        {{"url", gw.url()},
         {"steps",
          {{{"transaction",
             {{{"execute", "insert into t (v) values ('a')"}}, {{"execute", "insert into t (v) values ('b')"}}}}},
           {{"transaction", {{{"execute", "insert into t (v) values ('c')"}}}}, {"throw", "roll back please"}},
           {{"transaction",
             {{{"execute", "insert into t (v) values ('d')"}}, {{"execute", "insert into nope values (1)"}}}}}}}});
    ok(out["steps"][0]);
    CHECK(error(out["steps"][1])["message"] == "roll back please");
    const json& failed = error(out["steps"][2]);
    CHECK(failed["name"] == "DatabaseError");
    CHECK(failed["message"].get<std::string>().find("(errno 1146) (sqlstate 42S02)") != std::string::npos);
    CHECK(sql.rows("select v from t order by id") == Rows{{std::string("a")}, {std::string("b")}});

    // The wire: BEGIN + 2 + COMMIT, BEGIN + 1 + ROLLBACK, BEGIN + 2 + ROLLBACK (as database-js's own tests count).
    const json& http = out["http"];
    REQUIRE(http.size() == 11);
    const std::vector<std::string> statements = {"BEGIN",
                                                 "insert into t (v) values ('a')",
                                                 "insert into t (v) values ('b')",
                                                 "COMMIT",
                                                 "BEGIN",
                                                 "insert into t (v) values ('c')",
                                                 "ROLLBACK",
                                                 "BEGIN",
                                                 "insert into t (v) values ('d')",
                                                 "insert into nope values (1)",
                                                 "ROLLBACK"};
    for (std::size_t i = 0; i < http.size(); ++i) {
        INFO("request " << i);
        const json request = json::parse(http[i]["request"].get<std::string>());
        CHECK(request["query"] == statements[i]);
        CHECK(http[i]["status"] == 200);
        const json session = response_session(http[i]);
        // A transaction starts on a fresh session and keeps it; inTransaction from BEGIN to COMMIT/ROLLBACK.
        const bool first = statements[i] == "BEGIN";
        CHECK(request["session"].is_null() == first);
        if (!first) CHECK(session_uuid(request["session"]) == session_uuid(session));
        const bool open = statements[i] != "COMMIT" && statements[i] != "ROLLBACK";
        CHECK(session["vitessSession"].value("inTransaction", false) == open);
    }
}

TEST_CASE("gateway: in-band SQL errors, insertId and rowsAffected, session continuity", "[gateway][interop]") {
    ScratchDatabase db("psexec");
    auto sql = db.connect();
    sql.exec("create table t (id int auto_increment primary key, v varchar(10))");
    Gateway gw({"--mysql-database", db.name()});
    const json out = run_client({{"url", gw.url()},
                                 {"steps",
                                  {{{"execute", "select * from nope"}},
                                   {{"execute", "insert into t (v) values (?)"}, {"args", {"it's"}}},
                                   {{"execute", "insert into t (v) values ('b'), ('c')"}},
                                   {{"execute", "insert into t (id, v) values (1, 'dup')"}},
                                   {{"execute", "update t set v = v"}},
                                   {{"execute", "delete from t where id = 1"}},
                                   {{"execute", "set @x = 42"}},
                                   {{"execute", "select @x as x"}},
                                   {{"client", "select @x as x"}},
                                   {{"execute", "select 1; select 2"}}}}});
    const auto& steps = out["steps"];

    SECTION("SQL error: DatabaseError with the Vitess message, HTTP 200, code UNKNOWN") {
        const json& e = error(steps[0]);
        const std::string message =
            "Table '" + db.name() +
            ".nope' doesn't exist (errno 1146) (sqlstate 42S02) during query: select * from nope";
        CHECK(e["name"] == "DatabaseError");
        CHECK(e["status"] == 400);  // database-js's constant for in-band errors
        CHECK(e["message"] == message);
        CHECK(e["body"] == json{{"code", "UNKNOWN"}, {"message", message}});
        CHECK(out["http"][0]["status"] == 200);
        const json raw = json::parse(out["http"][0]["response"].get<std::string>());
        CHECK_FALSE(raw.contains("result"));
        CHECK(raw.contains("session"));  // saved by database-js even on error

        const json& dup = error(steps[3]);
        CHECK(dup["message"].get<std::string>().find(
                  "(errno 1062) (sqlstate 23000) during query: insert into t (id, v) values (1, 'dup')") !=
              std::string::npos);
        // No multi-statements: the second statement is a syntax error.
        CHECK(error(steps[9])["message"].get<std::string>().find("(errno 1064) (sqlstate 42000)") != std::string::npos);
    }

    SECTION("insertId (a string) and rowsAffected, as the README says") {
        CHECK(ok(steps[1])["rowsAffected"] == 1);
        CHECK(ok(steps[1])["insertId"] == "1");
        CHECK(ok(steps[1])["statement"] == "insert into t (v) values ('it''s')");
        CHECK(ok(steps[2])["rowsAffected"] == 2);
        CHECK(ok(steps[2])["insertId"] == "2");  // the first id of the batch
        // clientFoundRows: an UPDATE counts the rows it matched, not only those it changed.
        CHECK(ok(steps[4])["rowsAffected"] == 3);
        CHECK(ok(steps[4])["insertId"] == "0");
        CHECK(ok(steps[5])["rowsAffected"] == 1);
        CHECK(sql.rows("select v from t order by id") == Rows{{std::string("b")}, {std::string("c")}});
        const json session = response_session(out["http"][2]);
        CHECK(session["vitessSession"]["lastInsertId"] == "2");
        CHECK(session["vitessSession"]["rowCount"] == "2");
    }

    SECTION("one Connection is one session; Client.execute is a fresh one each time") {
        CHECK(ok(steps[7])["rows"] == json::parse(R"([{"x":"42"}])"));
        CHECK(ok(steps[8])["rows"] == json::parse(R"([{"x":null}])"));
        // Every Connection request after the first carried the same session.
        const std::string uuid = session_uuid(response_session(out["http"][0]));
        for (std::size_t i = 1; i < 8; ++i)
            CHECK(session_uuid(json::parse(out["http"][i]["request"].get<std::string>())["session"]) == uuid);
        CHECK(json::parse(out["http"][8]["request"].get<std::string>())["session"].is_null());
    }
}

TEST_CASE("gateway: authentication failures in both shapes", "[gateway][interop]") {
    ScratchDatabase db("psauth");
    for (const char* shape : {"bare", "wrapped"}) {
        INFO("--auth-error-shape " << shape);
        Gateway gw({"--mysql-database", db.name(), "--auth-error-shape", shape});
        const std::string wrong = "http://" + gw.user() + ":not-the-password@127.0.0.1:" + std::to_string(gw.port());
        const std::string empty = "http://" + gw.user() + "@127.0.0.1:" + std::to_string(gw.port());
        const json out = run_client({{"url", wrong}, {"steps", {{{"execute", "select 1"}}}}});
        const json no_password = run_client({{"url", empty}, {"steps", {{{"execute", "select 1"}}}}});
        const json& e = error(out["steps"][0]);
        CHECK(e["status"] == 401);
        CHECK(out["http"][0]["status"] == 401);
        CHECK(error(no_password["steps"][0])["status"] == 401);
        const json raw = json::parse(out["http"][0]["response"].get<std::string>());
        const json body = {{"code", "unauthenticated"}, {"message", "invalid auth credentials"}};
        if (std::string(shape) == "bare") {
            // Connect's shape: database-js 1.20.2 does not read it and reports an UnknownError.
            CHECK(raw == body);
            CHECK(e["name"] == "UnknownError");
            CHECK(e["message"] == "Expected JSON response from database API, got HTTP 401 Unauthorized");
            CHECK(json::parse(no_password["http"][0]["response"].get<std::string>()) ==
                  json{{"code", "unauthenticated"}, {"message", "malformed Authorization"}});
        } else {
            CHECK(raw == json{{"error", body}});
            CHECK(e["name"] == "DatabaseError");
            CHECK(e["message"] == "invalid auth credentials");
            CHECK(e["body"] == body);
        }
        // The right credentials work on the same gateway.
        CHECK(ok(run_client({{"url", gw.url()}, {"steps", {{{"execute", "select 1 as one"}}}}})["steps"][0])["rows"] ==
              json::parse(R"([{"one":1}])"));
    }
}

TEST_CASE("gateway: sessions are exclusive, signed, closable and refreshable", "[gateway][interop]") {
    ScratchDatabase db("pssess");
    Gateway gw({"--mysql-database", db.name()});

    SECTION("concurrent requests on one session: 403 permission_denied") {
        const json out = run_client(
            {{"url", gw.url()},
             {"steps", {{{"execute", "select 1"}}, {{"parallel", {"select sleep(0.5)", "select sleep(0.5)"}}}}}});
        const std::string uuid = session_uuid(out["session"]);
        const json& both = out["steps"][1]["parallel"];
        const int refused = (both[0].contains("error") ? 1 : 0) + (both[1].contains("error") ? 1 : 0);
        CHECK(refused == 1);
        bool seen = false;
        for (const auto& h : out["http"])
            if (h["status"] == 403) {
                CHECK(json::parse(h["response"].get<std::string>()) ==
                      json{{"code", "permission_denied"}, {"message", "session already in use: " + uuid}});
                seen = true;
            }
        CHECK(seen);
    }

    SECTION("a forged session is refused, never mapped to another") {
        for (const char* what : {"uuid", "signature"}) {
            INFO(what);
            const json out =
                run_client({{"url", gw.url()},
                            {"steps", {{{"execute", "select 1"}}, {{"tamper", what}}, {{"execute", "select 1"}}}}});
            CHECK(error(out["steps"][2])["status"] == 403);
            CHECK(json::parse(out["http"][1]["response"].get<std::string>()) ==
                  json{{"code", "permission_denied"}, {"message", "invalid session signature"}});
        }
    }

    SECTION("CloseSession ends it; CreateSession (refresh) starts a new one") {
        const json out = run_client({{"url", gw.url()},
                                     {"steps",
                                      {{{"execute", "set @x = 1"}},
                                       {{"close", true}},
                                       {{"execute", "select @x"}},
                                       {{"refresh", true}},
                                       {{"execute", "select @x as x"}},
                                       {{"close", true}},
                                       {{"close", true}}}}});
        const std::string uuid = session_uuid(response_session(out["http"][0]));
        CHECK(ok(out["steps"][1]) == json{{"status", 200}, {"body", json::object()}});
        CHECK(error(out["steps"][2])["status"] == 404);
        CHECK(json::parse(out["http"][2]["response"].get<std::string>()) ==
              json{{"code", "not_found"}, {"message", "session closed: " + uuid}});
        const json created = json::parse(out["http"][3]["response"].get<std::string>());
        CHECK(created["branch"] == db.name());
        CHECK(created["user"]["username"] == gw.user());
        CHECK(session_uuid(created["session"]) != uuid);
        CHECK(created["session"]["vitessSession"]["targetString"] == db.name());
        CHECK(ok(out["steps"][4])["rows"] == json::parse(R"([{"x":null}])"));
        CHECK(ok(out["steps"][6]) == json{{"status", 200}, {"body", json::object()}});  // closing twice is fine
    }

    SECTION("the session object has PlanetScale's shape") {
        const json out = run_client({{"url", gw.url()}, {"steps", {{{"execute", "begin"}}}}});
        const json s = response_session(out["http"][0]);
        CHECK(s["signature"].get<std::string>().size() == 44);  // base64 of 32 bytes
        const json& v = s["vitessSession"];
        CHECK(v["inTransaction"] == true);
        CHECK(v["autocommit"] == true);
        CHECK(v["targetString"] == db.name());
        CHECK(v["options"] == json{{"includedFields", "ALL"}, {"clientFoundRows", true}});
        CHECK(v["DDLStrategy"] == "direct");
        CHECK(v["SessionUUID"].get<std::string>().size() == 22);
        CHECK(v["enableSystemSettings"] == true);
    }

    SECTION("other RPCs, content types and bodies") {
        const json out = run_client(
            {{"url", gw.url()},
             {"steps",
              {{{"post", "/psdb.v1alpha1.Database/Prepare"}, {"body", R"({"query":"select 1"})"}},
               {{"post", "/psdb.v1alpha1.Database/Execute"},
                {"body", R"({"query":"select 1"})"},
                {"contentType", "text/plain"}},
               {{"post", "/psdb.v1alpha1.Database/Execute"}, {"body", "not json"}},
               {{"post", "/psdb.v1alpha1.Database/Execute"}, {"body", R"({"query":"select 1"})"}, {"auth", false}},
               {{"post", "/psdb.v1alpha1.Database/Execute"},
                {"body", R"({"query":"select 2 as two","session":null,"unknown":1})"}}}}});
        CHECK(ok(out["steps"][0])["status"] == 501);
        CHECK(json::parse(ok(out["steps"][0])["body"].get<std::string>())["code"] == "unimplemented");
        CHECK(ok(out["steps"][1])["status"] == 415);
        CHECK(ok(out["steps"][2])["status"] == 400);
        CHECK(ok(out["steps"][3])["status"] == 401);
        CHECK(json::parse(ok(out["steps"][3])["body"].get<std::string>()) ==
              json{{"code", "unauthenticated"}, {"message", "missing Authorization"}});
        CHECK(ok(out["steps"][4])["status"] == 200);
        CHECK(json::parse(ok(out["steps"][4])["body"].get<std::string>())["result"]["rows"][0]["values"] == "Mg==");
    }
}

TEST_CASE("gateway: --safe-migrations refuses DDL with PlanetScale's error and runs DML", "[gateway][interop]") {
    ScratchDatabase db("pssafe");
    auto sql = db.connect();
    sql.exec("create table t (id int primary key)");
    Gateway gw({"--mysql-database", db.name(), "--safe-migrations"});
    const std::vector<std::string> ddl = {
        "create table x (id int)",
        "CREATE TABLE IF NOT EXISTS t (id int primary key)",
        "/* leading comment */ ALTER TABLE t ADD c INT",
        "-- line comment\n  drop table t",
        "# hash comment\nTRUNCATE t",
        "rename table t to u",
        "/*!40101 CREATE */ TABLE y (id int)",
        "create or replace table z (id int)",
        "create index i on t (id)",
        "drop view if exists v",
    };
    const std::vector<std::string> dml = {
        "insert into t values (1)",
        "update t set id = 2 where id = 1",
        "select count(*) as n from t",
        "/* create */ select 'drop table t' as s",
        "create temporary table tmp (id int)",
        "insert into tmp values (1)",
        "drop temporary table tmp",
        "delete from t where id = 5",
    };
    json steps = json::array();
    for (const auto& s : ddl) steps.push_back({{"execute", s}});
    for (const auto& s : dml) steps.push_back({{"execute", s}});
    const json out = run_client({{"url", gw.url()}, {"steps", steps}});
    for (std::size_t i = 0; i < ddl.size(); ++i) {
        INFO(ddl[i]);
        const json& e = error(out["steps"][i]);
        const std::string message = "direct DDL is disabled (errno 1105) (sqlstate HY000) during query: " + ddl[i];
        CHECK(e["name"] == "DatabaseError");
        CHECK(e["message"] == message);
        CHECK(e["body"] == json{{"code", "UNKNOWN"}, {"message", message}});
        CHECK(out["http"][i]["status"] == 200);
    }
    for (std::size_t i = 0; i < dml.size(); ++i) {
        INFO(dml[i]);
        ok(out["steps"][ddl.size() + i]);
    }
    CHECK(sql.tables() == std::vector<std::string>{"t"});
    CHECK(sql.rows("show columns from t").size() == 1);
    CHECK(sql.rows("select id from t") == Rows{{std::string("2")}});
}

TEST_CASE("gateway: an idle session expires with an error, never a silent new connection", "[gateway][interop]") {
    ScratchDatabase db("psidle");
    auto sql = db.connect();
    Gateway gw({"--mysql-database", db.name(), "--idle-timeout", "1"});
    const json first = run_client(
        {{"url", gw.url()}, {"steps", {{{"execute", "set @x = 1"}}, {{"execute", "select connection_id() as id"}}}}});
    const std::string backend_id = text_of(ok(first["steps"][1])["rows"][0]["id"]);
    const json session = first["session"];

    // Wait (bounded) for the gateway to close the idle session's backend connection.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    bool closed = false;
    while (!closed && std::chrono::steady_clock::now() < deadline) {
        closed = sql.scalar("select count(*) from information_schema.processlist where id = " + backend_id) == "0";
        if (!closed) std::this_thread::sleep_for(std::chrono::milliseconds(20));  // poll interval, not synchronisation
    }
    REQUIRE(closed);

    const json later =
        run_client({{"url", gw.url()}, {"session", session}, {"steps", {{{"execute", "select @x as x"}}}}});
    const json& e = error(later["steps"][0]);
    CHECK(e["status"] == 404);
    CHECK(json::parse(later["http"][0]["response"].get<std::string>()) ==
          json{{"code", "not_found"}, {"message", "session expired: " + session_uuid(session)}});
}

TEST_CASE("gateway: a lost backend connection is an in-band error and ends the session", "[gateway][interop]") {
    ScratchDatabase db("pslost");
    auto sql = db.connect();
    Gateway gw({"--mysql-database", db.name()});
    const json first = run_client({{"url", gw.url()}, {"steps", {{{"execute", "select connection_id() as id"}}}}});
    const std::string backend_id = text_of(ok(first["steps"][0])["rows"][0]["id"]);
    sql.exec("kill " + backend_id);
    const json later = run_client({{"url", gw.url()},
                                   {"session", first["session"]},
                                   {"steps", {{{"execute", "select 1"}}, {{"execute", "select 1"}}}}});
    const json& lost = error(later["steps"][0]);
    CHECK(lost["name"] == "DatabaseError");
    CHECK(later["http"][0]["status"] == 200);
    // MariaDB announces the kill (1927, ER_CONNECTION_KILLED); otherwise the client sees 2006/2013.
    const std::string m = lost["message"];
    CHECK((m.find("(errno 1927)") != std::string::npos || m.find("(errno 2006)") != std::string::npos ||
           m.find("(errno 2013)") != std::string::npos));
    CHECK(error(later["steps"][1])["status"] == 404);
    CHECK(json::parse(later["http"][1]["response"].get<std::string>())["message"] ==
          "session ended (backend connection lost): " + session_uuid(first["session"]));
}

TEST_CASE("gateway: --max-rows", "[gateway][interop]") {
    ScratchDatabase db("psrows");
    auto sql = db.connect();
    sql.exec("create table t (id int primary key)");
    sql.exec("insert into t values (1), (2), (3)");
    Gateway gw({"--mysql-database", db.name(), "--max-rows", "2"});
    const json out = run_client(
        {{"url", gw.url()},
         {"steps", {{{"execute", "select id from t"}}, {{"execute", "select id from t where id < 3 order by id"}}}}});
    const json& e = error(out["steps"][0]);
    CHECK(e["message"] == "Row count exceeded 2");
    CHECK(e["body"]["code"] == "UNKNOWN");
    CHECK(ok(out["steps"][1])["rows"] == json::parse(R"([{"id":1},{"id":2}])"));  // the session goes on
}

TEST_CASE("gateway: HTTPS with --tls-cert/--tls-key", "[gateway][interop]") {
    TempDir dir("libmigrate-gw-tls");
    const std::string cert = (dir.path() / "cert.pem").string(), key = (dir.path() / "key.pem").string();
    const auto made =
        run_process({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days",
                     "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"});
    INFO(made.err);
    REQUIRE(made.exit_code == 0);
    ScratchDatabase db("pstls");
    Gateway gw({"--mysql-database", db.name(), "--tls-cert", cert, "--tls-key", key});
    const std::string url = "https://" + gw.user() + ":" + gw.password() + "@127.0.0.1:" + std::to_string(gw.port());
    const json out =
        run_client({{"url", url}, {"steps", {{{"execute", "select 'tls' as t"}}}}}, {{"NODE_EXTRA_CA_CERTS", cert}});
    CHECK(ok(out["steps"][0])["rows"] == json::parse(R"([{"t":"tls"}])"));
}

TEST_CASE("gateway: --verbose logs one line per request, without credentials or queries", "[gateway][interop]") {
    ScratchDatabase db("pslog");
    Gateway gw({"--mysql-database", db.name(), "--verbose"});
    const json out = run_client(
        {{"url", gw.url()}, {"steps", {{{"execute", "select 'secret-literal' as s"}}, {{"execute", "select 2"}}}}});
    ok(out["steps"][1]);
    const std::string uuid = session_uuid(out["session"]);
    REQUIRE(gw.stop() == 0);  // SIGTERM: a clean exit
    const std::string log = gw.log();
    INFO(log);
    CHECK(log.find("POST /psdb.v1alpha1.Database/Execute 200 session=" + uuid) != std::string::npos);
    CHECK(std::count(log.begin(), log.end(), '\n') == 2);
    CHECK(log.find(gw.password()) == std::string::npos);
    CHECK(log.find("secret-literal") == std::string::npos);
}

TEST_CASE("gateway: a gateway that cannot start says why", "[gateway][interop]") {
    try {
        Gateway gw({"--max-rows", "0"});
        FAIL("started");
    } catch (const std::runtime_error& e) {
        CHECK_THAT(e.what(), Catch::Contains("psdb-gateway did not start") && Catch::Contains("--max-rows"));
    }
}
