// The PlanetScale HTTP wire format (psdb/psdb_wire.hpp): the golden responses captured from a real
// PlanetScale branch (tests/data/planetscale-golden), the protocol's documented examples, protojson
// encoding rules, base64 flavours, Vitess's errno/SQLSTATE extraction and the non-2xx error shapes.
#include "psdb_wire.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

using psdb::json;

namespace {

std::string golden(const std::string& name) {
    const std::string path = std::string(MIGRATE_SOURCE_DIR) + "/tests/data/planetscale-golden/" + name;
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(' ');
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(' ') - b + 1);
}

std::vector<std::string> cells_of(const std::string& line) {
    std::vector<std::string> out;
    std::size_t p = line.find('|');
    while (p != std::string::npos) {
        const std::size_t q = line.find('|', p + 1);
        if (q == std::string::npos) break;
        out.push_back(trim(line.substr(p + 1, q - p - 1)));
        p = q;
    }
    return out;
}

std::string unhex(const std::string& hex) {
    std::string out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
        out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    return out;
}

// cli.txt: `select * from test` as the mysql client prints it; binary columns as 0x<HEX>.
std::vector<std::pair<std::string, std::string>> cli_columns() {
    std::istringstream in(golden("cli.txt"));
    std::vector<std::string> rows;
    for (std::string line; std::getline(in, line);)
        if (!line.empty() && line[0] == '|') rows.push_back(line);
    REQUIRE(rows.size() == 2);
    const auto names = cells_of(rows[0]), values = cells_of(rows[1]);
    REQUIRE(names.size() == values.size());
    std::vector<std::pair<std::string, std::string>> out;
    for (std::size_t i = 0; i < names.size(); ++i) {
        const std::string& v = values[i];
        out.emplace_back(names[i], v.rfind("0x", 0) == 0 ? unhex(v.substr(2)) : v);
    }
    return out;
}

std::string b64(const std::string& s) { return psdb::base64_encode(s); }

psdb::RpcError error_with(const std::string& code, const std::string& message) {
    psdb::RpcError e;
    e.code = code;
    e.message = message;
    psdb::fill_mysql_error(e);
    return e;
}

}  // namespace

TEST_CASE("psdb: the golden SELECT decodes to the bytes the mysql client shows", "[psdb]") {
    const auto r = psdb::decode_result(json::parse(golden("database.json")));
    REQUIRE(r.fields.size() == 44);  // 43 columns + NULL
    REQUIRE(r.rows.size() == 1);
    const auto& row = r.rows[0];
    REQUIRE(row.size() == 44);
    CHECK(r.rows_affected == 0);
    CHECK(r.insert_id == 0);

    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < r.fields.size(); ++i) index[r.fields[i].name] = i;

    const auto cli = cli_columns();
    REQUIRE(cli.size() == 43);
    for (const auto& [name, shown] : cli) {
        INFO("column " << name);
        REQUIRE(index.count(name) == 1);
        const auto& cell = row[index[name]];
        REQUIRE(cell.has_value());
        if (name == "ad") {
            // cli.txt was captured before test.sql gained "foo": the JSON it shows is a prefix of the
            // document database.json carries (MySQL's normalised form, "ü" as UTF-8).
            CHECK(shown == R"({"ad": null})");
            CHECK(*cell == "{\"ad\": null, \"foo\": \"\xc3\xbc\"}");
            CHECK(cell->size() == 25);
        } else {
            CHECK(*cell == shown);
        }
    }
    // The extra `NULL` column of `select *, NULL`.
    CHECK_FALSE(row[index.at("NULL")].has_value());
    CHECK(r.fields[index.at("NULL")].type.empty());

    // Spot checks of binary bytes (NULs inside values) and metadata.
    CHECK(*row[index.at("r")] == std::string("r\0\0\0", 4));
    CHECK(*row[index.at("xc")] == std::string("xc\0\0", 4));
    CHECK(*row[index.at("j")] == "\x07");
    const auto& id = r.fields[index.at("id")];
    CHECK(id.type == "INT64");
    CHECK(id.table == "test");
    CHECK(id.org_table == "test");
    CHECK(id.database == "mattdb");
    CHECK(id.org_name == "id");
    CHECK(id.column_length == 20);
    CHECK(id.charset == 63);
    CHECK(id.flags == 49667);
    CHECK(r.fields[index.at("w")].column_length == 4294967295u);
    CHECK(r.fields[index.at("h")].decimals == 31);
    CHECK(r.fields[index.at("xd")].type == "BLOB");
    CHECK(r.fields[index.at("xd")].charset == 255);
}

TEST_CASE("psdb: golden results re-encode to exactly the golden JSON", "[psdb]") {
    for (const char* file : {"database.json", "dual.json"}) {
        INFO(file);
        const json original = json::parse(golden(file));
        CHECK(psdb::encode_result(psdb::decode_result(original)) == original);
    }
}

TEST_CASE("psdb: golden dual case is UTF-8 whatever the column charset says", "[psdb]") {
    const auto r = psdb::decode_result(json::parse(golden("dual.json")));
    REQUIRE(r.fields.size() == 1);
    CHECK(r.fields[0].name == "a");
    CHECK(r.fields[0].type == "VARCHAR");
    CHECK(r.fields[0].charset == 8);
    CHECK(r.fields[0].flags == 1);
    REQUIRE(r.rows.size() == 1);
    REQUIRE(r.rows[0].size() == 1);
    CHECK(*r.rows[0][0] == "\xc3\xbf");  // "ÿ"
}

TEST_CASE("psdb: vitess_type_name gives the golden type for every golden column", "[psdb]") {
    // MYSQL_TYPE_* the server sends for each column of test.sql (MySQL 8; flags and charset from the file).
    const std::map<std::string, int> mysql_type = {
        {"id", 8},   {"a", 1},    {"b", 2},    {"c", 9},    {"d", 3},    {"e", 8},    {"f", 246},  {"g", 246},
        {"h", 4},    {"i", 5},    {"j", 16},   {"k", 10},   {"l", 12},   {"m", 7},    {"n", 11},   {"o", 13},
        {"p", 254},  {"q", 253},  {"r", 254},  {"s", 253},  {"t", 252},  {"u", 252},  {"v", 252},  {"w", 252},
        {"x", 252},  {"y", 252},  {"z", 252},  {"aa", 252}, {"ab", 254}, {"ac", 254}, {"ad", 245}, {"ae", 255},
        {"af", 255}, {"ag", 255}, {"ah", 255}, {"ai", 1},   {"aj", 9},   {"ak", 3},   {"al", 8},   {"xa", 254},
        {"xb", 254}, {"xc", 254}, {"xd", 252}, {"NULL", 6}};
    const auto r = psdb::decode_result(json::parse(golden("database.json")));
    REQUIRE(r.fields.size() == mysql_type.size());
    for (const auto& f : r.fields) {
        INFO("column " << f.name);
        CHECK(psdb::vitess_type_name(mysql_type.at(f.name), f.flags, f.charset) == f.type);
    }
}

TEST_CASE("psdb: vitess_type_name follows vitess MySQLToType", "[psdb]") {
    using psdb::vitess_type_name;
    constexpr std::uint32_t UNSIGNED = 32, BINARY = 128, BLOB = 16, ENUM = 256, SET = 2048;
    CHECK(vitess_type_name(8, UNSIGNED, 63) == "UINT64");
    CHECK(vitess_type_name(8, 0, 63) == "INT64");
    CHECK(vitess_type_name(1, 0, 63) == "INT8");
    CHECK(vitess_type_name(1, UNSIGNED, 63) == "UINT8");
    CHECK(vitess_type_name(2, UNSIGNED, 63) == "UINT16");
    CHECK(vitess_type_name(9, UNSIGNED, 63) == "UINT24");
    CHECK(vitess_type_name(3, UNSIGNED, 63) == "UINT32");
    CHECK(vitess_type_name(4, 0, 63) == "FLOAT32");
    CHECK(vitess_type_name(5, 0, 63) == "FLOAT64");
    CHECK(vitess_type_name(0, 0, 63) == "DECIMAL");
    CHECK(vitess_type_name(246, 0, 63) == "DECIMAL");
    CHECK(vitess_type_name(252, BLOB | BINARY, 63) == "BLOB");
    CHECK(vitess_type_name(252, BLOB, 45) == "TEXT");
    CHECK(vitess_type_name(252, BLOB | BINARY, 255) == "BLOB");  // TEXT COLLATE utf8mb4_bin
    CHECK(vitess_type_name(249, BLOB, 255) == "TEXT");
    CHECK(vitess_type_name(251, BLOB | BINARY, 63) == "BLOB");
    CHECK(vitess_type_name(253, 0, 255) == "VARCHAR");
    CHECK(vitess_type_name(253, BINARY, 63) == "VARBINARY");
    CHECK(vitess_type_name(15, 0, 255) == "VARCHAR");
    CHECK(vitess_type_name(254, 0, 255) == "CHAR");
    CHECK(vitess_type_name(254, BINARY, 63) == "BINARY");
    CHECK(vitess_type_name(254, BINARY, 255) == "BINARY");  // CHAR(4) COLLATE utf8mb4_bin
    CHECK(vitess_type_name(254, ENUM, 255) == "ENUM");
    CHECK(vitess_type_name(254, SET, 255) == "SET");
    CHECK(vitess_type_name(254, BINARY | ENUM, 63) == "BINARY");  // binary wins, as in vitess
    CHECK(vitess_type_name(245, BLOB | BINARY, 63) == "JSON");
    CHECK(vitess_type_name(255, BLOB | BINARY, 63) == "GEOMETRY");
    CHECK(vitess_type_name(16, UNSIGNED, 63) == "BIT");
    CHECK(vitess_type_name(13, UNSIGNED | 64, 63) == "YEAR");
    CHECK(vitess_type_name(10, BINARY, 63) == "DATE");
    CHECK(vitess_type_name(12, BINARY, 63) == "DATETIME");
    CHECK(vitess_type_name(18, BINARY, 63) == "DATETIME");
    CHECK(vitess_type_name(7, BINARY | UNSIGNED, 63) == "TIMESTAMP");
    CHECK(vitess_type_name(17, BINARY, 63) == "TIMESTAMP");
    CHECK(vitess_type_name(11, BINARY, 63) == "TIME");
    CHECK(vitess_type_name(6, BINARY | 32768, 63) == "");
    // The charset never decides (only BINARY_FLAG does).
    CHECK(vitess_type_name(252, BLOB, 63) == "TEXT");
    CHECK_THROWS_AS(vitess_type_name(200, 0, 63), std::invalid_argument);
}

TEST_CASE("psdb: E1 select with INT32 and NULL columns", "[psdb]") {
    CHECK(psdb::execute_request("SELECT 1, null from dual;", nullptr) ==
          R"({"query":"SELECT 1, null from dual;","session":null})");
    const auto r = psdb::parse_execute_response(
        R"({"session":42,
            "result":{"fields":[{"name":":vtg1","type":"INT32"},{"name":"null"}],
                      "rows":[{"lengths":["1","-1"],"values":"MQ=="}]},
            "timing":1})");
    CHECK(r.session == json(42));
    CHECK_FALSE(r.error);
    CHECK(r.timing == 1.0);
    REQUIRE(r.result);
    REQUIRE(r.result->fields.size() == 2);
    CHECK(r.result->fields[0].name == ":vtg1");
    CHECK(r.result->fields[0].type == "INT32");
    CHECK(r.result->fields[1].name == "null");
    CHECK(r.result->fields[1].type.empty());
    REQUIRE(r.result->rows.size() == 1);
    CHECK(r.result->rows[0] == psdb::Row{std::string("1"), std::nullopt});
    CHECK(r.result->rows_affected == 0);
    CHECK(r.result->insert_id == 0);
    // The second call echoes the session.
    CHECK(psdb::execute_request("SELECT 1", r.session) == R"({"query":"SELECT 1","session":42})");

    // `select null` alone: no values key at all.
    const auto n =
        psdb::parse_execute_response(R"({"result":{"fields":[{"name":"NULL"}],"rows":[{"lengths":["-1"]}]}})");
    REQUIRE(n.result);
    CHECK(n.result->rows[0] == psdb::Row{std::nullopt});
    CHECK(n.session.is_null());
}

TEST_CASE("psdb: E3 INSERT, UPDATE and DDL results", "[psdb]") {
    const auto ins =
        psdb::parse_execute_response(R"({"session":42,"result":{"rowsAffected":"1","insertId":"2"},"timing":1})");
    REQUIRE(ins.result);
    CHECK(ins.result->rows_affected == 1);
    CHECK(ins.result->insert_id == 2);
    CHECK(ins.result->rows.empty());
    CHECK(ins.result->fields.empty());

    const auto upd = psdb::parse_execute_response(R"({"session":42,"result":{"rowsAffected":"1"}})");
    REQUIRE(upd.result);
    CHECK(upd.result->insert_id == 0);
    CHECK(upd.timing == 0);

    const auto ddl = psdb::parse_execute_response(R"({"session":42,"result":{},"timing":0})");
    REQUIRE(ddl.result);
    CHECK(ddl.result->rows_affected == 0);
    CHECK(psdb::encode_result(*ddl.result) == json::object());

    psdb::QueryResult q;
    q.rows_affected = 1;
    q.insert_id = 18446744073709551615ull;
    CHECK(psdb::encode_result(q) == json::parse(R"({"rowsAffected":"1","insertId":"18446744073709551615"})"));
    CHECK(psdb::decode_result(psdb::encode_result(q)).insert_id == 18446744073709551615ull);
}

TEST_CASE("psdb: E5 in-band SQL error keeps the session and yields errno/SQLSTATE", "[psdb]") {
    const auto r = psdb::parse_execute_response(R"({"session":42,
 "error":{"message":"target: test.0.primary: vttablet: rpc error: code = NotFound desc = Table 'vt_test_0.foo' doesn't exist (errno 1146) (sqlstate 42S02) (CallerID: unsecure_grpc_client): Sql: \"select * from foo\", BindVars: {#maxLimit: \"type:INT64 value:\\\"10001\\\"\"}",
          "code":"NOT_FOUND"}})");
    CHECK(r.session == json(42));
    CHECK_FALSE(r.result);
    REQUIRE(r.error);
    CHECK(r.error->code == "NOT_FOUND");
    CHECK(r.error->mysql_errno == 1146);
    CHECK(r.error->sqlstate == "42S02");
    CHECK(r.error->message.find("doesn't exist (errno 1146)") != std::string::npos);
    CHECK(r.error->message.find("BindVars: {#maxLimit: \"type:INT64 value:\\\"10001\\\"\"}") != std::string::npos);
}

TEST_CASE("psdb: E6 and the two non-2xx error shapes", "[psdb]") {
    SECTION("wrapped, as database-js's tests mock it") {
        const auto e = psdb::parse_error_body(
            R"({"session":42,"error":{"code":"unauthenticated","message":"invalid auth credentials"}})");
        REQUIRE(e);
        CHECK(e->code == "unauthenticated");
        CHECK(e->message == "invalid auth credentials");
        CHECK(e->mysql_errno == 1045);
        CHECK(e->sqlstate == "28000");
    }
    SECTION("bare Connect") {
        const auto e =
            psdb::parse_error_body(R"({"code":"permission_denied","message":"session already in use: abc"})");
        REQUIRE(e);
        CHECK(e->code == "permission_denied");
        CHECK(e->message == "session already in use: abc");
        CHECK(e->mysql_errno == 1045);
        CHECK(e->sqlstate == "28000");
    }
    SECTION("bare Connect with details and an errno in the message") {
        const auto e = psdb::parse_error_body(
            R"J({"code":"unknown","message":"boom (errno 1213) (sqlstate 40001)","details":[{"type":"x","value":""}]})J");
        REQUIRE(e);
        CHECK(e->mysql_errno == 1213);
        CHECK(e->sqlstate == "40001");
    }
    SECTION("wrapped with a numeric code") {
        const auto e = psdb::parse_error_body(R"({"error":{"code":12,"message":"nope"}})");
        REQUIRE(e);
        CHECK(e->code == "UNIMPLEMENTED");
        CHECK(e->mysql_errno == 1235);
    }
    SECTION("neither") {
        CHECK_FALSE(psdb::parse_error_body("<html><body>502 Bad Gateway</body></html>"));
        CHECK_FALSE(psdb::parse_error_body(""));
        CHECK_FALSE(psdb::parse_error_body("[1,2]"));
        CHECK_FALSE(psdb::parse_error_body(R"({"message":"no code"})"));
        CHECK_FALSE(psdb::parse_error_body(R"({"session":42,"result":{}})"));
    }
}

TEST_CASE("psdb: Vitess errno regex", "[psdb]") {
    CHECK(error_with("UNKNOWN", "x (errno 1062) (sqlstate 23000) during query: insert").mysql_errno == 1062);
    CHECK(error_with("UNKNOWN", "x (errno 1062) (sqlstate 23000) during query: insert").sqlstate == "23000");
    // Greedy `.*`: the last occurrence on the line wins.
    const auto last = error_with("UNKNOWN", "a (errno 1) (sqlstate 11111) b (errno 2) (sqlstate 22222) c");
    CHECK(last.mysql_errno == 2);
    CHECK(last.sqlstate == "22222");
    // `.` does not cross lines and the search is leftmost: the first line that matches wins.
    const auto lines =
        error_with("UNKNOWN", "no errno here\nfirst (errno 3) (sqlstate 33333)\nsecond (errno 4) (sqlstate 44444)");
    CHECK(lines.mysql_errno == 3);
    // An empty or too large number: ERUnknownError/HY000, the parsed SQLSTATE is dropped.
    const auto empty = error_with("NOT_FOUND", "x (errno ) (sqlstate 42S02)");
    CHECK(empty.mysql_errno == 1105);
    CHECK(empty.sqlstate == "HY000");
    const auto huge = error_with("NOT_FOUND", "x (errno 2147483648) (sqlstate 42S02)");
    CHECK(huge.mysql_errno == 1105);
    CHECK(huge.sqlstate == "HY000");
    const auto max = error_with("NOT_FOUND", "x (errno 2147483647) (sqlstate 42S02)");
    CHECK(max.mysql_errno == 2147483647u);
    CHECK(max.sqlstate == "42S02");
    // Not the pattern: SQLSTATE of 4 characters, missing space, non-alphanumeric → the fallback table.
    CHECK(error_with("NOT_FOUND", "x (errno 1146) (sqlstate 42S0)").mysql_errno == 1105);
    CHECK(error_with("ABORTED", "x (errno 1146)(sqlstate 42S02)").mysql_errno == 1317);
    CHECK(error_with("INTERNAL", "x (errno 1146) (sqlstate 42-02)").mysql_errno == 1815);

    // The hand-written scanner agrees with the regex itself (ECMAScript `.` also stops at \r, so no \r here).
    const std::regex re(R"(.*\(errno ([0-9]*)\) \(sqlstate ([0-9a-zA-Z]{5})\).*)");
    const std::vector<std::string> samples = {
        "plain",
        "(errno 1) (sqlstate ABCDE)",
        "(errno 12)(sqlstate ABCDE)",
        "x(errno 5) (sqlstate abcde))",
        "(errno 5) (sqlstate abcd)",
        "(errno 5) (sqlstate abcdef)",
        "(errno 5) (sqlstate abcde) (errno 6) (sqlstate fghij)",
        "(errno 7) (sqlstate 12345)\n(errno 8) (sqlstate 67890)",
        "line\n(errno x) (sqlstate 12345)\n(errno 9) (sqlstate 67890) tail (errno 10) (sqlstate zzzzz)",
        "(errno (errno 11) (sqlstate 11111)",
        "(errno 12) (sqlstate (errno 13) (sqlstate 13131)",
        "((errno 14) (sqlstate 1414A))",
    };
    for (const auto& s : samples) {
        INFO(s);
        std::smatch m;
        const bool found = std::regex_search(s, m, re);
        const auto e = error_with("UNKNOWN", s);
        if (!found) {
            CHECK(e.mysql_errno == 1105);
            CHECK(e.sqlstate == "HY000");
        } else if (m[1].str().empty()) {
            CHECK(e.mysql_errno == 1105);
        } else {
            CHECK(e.mysql_errno == std::stoul(m[1].str()));
            CHECK(e.sqlstate == m[2].str());
        }
    }
    // A long message (the query is part of it) is no problem.
    const std::string longq(2'000'000, 'x');
    CHECK(error_with("UNKNOWN", "Duplicate (errno 1062) (sqlstate 23000) during query: " + longq).mysql_errno == 1062);
}

TEST_CASE("psdb: fallback errno/SQLSTATE by code", "[psdb]") {
    struct Case {
        const char* code;
        const char* message;
        std::uint32_t no;
        const char* state;
    };
    const std::vector<Case> cases = {
        {"UNKNOWN", "direct DDL is disabled", 1105, "HY000"},
        {"CANCELED", "", 1317, "70100"},
        {"DEADLINE_EXCEEDED", "", 1317, "70100"},
        {"ABORTED", "transaction 1: in use", 1317, "70100"},
        {"PERMISSION_DENIED", "", 1045, "28000"},
        {"UNAUTHENTICATED", "", 1045, "28000"},
        {"UNIMPLEMENTED", "", 1235, "42000"},
        {"INTERNAL", "", 1815, "HY000"},
        {"RESOURCE_EXHAUSTED", "resource_exhausted: grpc: received message larger than max (70000000 vs. 67108864)",
         1153, "42000"},
        {"RESOURCE_EXHAUSTED", "grpc: trying to send message larger than max (1 vs. 2)", 1153, "42000"},
        {"RESOURCE_EXHAUSTED", "Transaction throttled", 1041, "HY000"},
        {"RESOURCE_EXHAUSTED", "transaction pool connection limit exceeded", 1203, "42000"},
        {"RESOURCE_EXHAUSTED", "grpc: received message larger than max (a vs. 2)", 1203, "42000"},
        {"NOT_FOUND", "", 1105, "HY000"},
        {"INVALID_ARGUMENT", "", 1105, "HY000"},
        {"ALREADY_EXISTS", "", 1105, "HY000"},
        {"FAILED_PRECONDITION", "", 1105, "HY000"},
        {"", "", 1105, "HY000"},
        // Connect's lower_snake spelling maps the same way.
        {"unauthenticated", "bad creds", 1045, "28000"},
        {"permission_denied", "", 1045, "28000"},
        {"deadline_exceeded", "", 1317, "70100"},
        {"unimplemented", "", 1235, "42000"},
        {"internal", "", 1815, "HY000"},
    };
    for (const auto& c : cases) {
        INFO(c.code << " / " << c.message);
        const auto e = error_with(c.code, c.message);
        CHECK(e.mysql_errno == c.no);
        CHECK(e.sqlstate == c.state);
    }
}

TEST_CASE("psdb: Vitess message form and error encoding", "[psdb]") {
    CHECK(psdb::vitess_error_message("Table 'planetscale.foo' doesn't exist", 1146, "42S02", "select * from foo") ==
          "Table 'planetscale.foo' doesn't exist (errno 1146) (sqlstate 42S02) during query: select * from foo");
    CHECK(psdb::vitess_error_message("direct DDL is disabled", 1105, "HY000", "") ==
          "direct DDL is disabled (errno 1105) (sqlstate HY000)");
    // Already carrying an errno: not added twice (SQLError.Error()).
    CHECK(psdb::vitess_error_message("x (errno 1) (sqlstate HY000)", 2, "HY001", "q") ==
          "x (errno 1) (sqlstate HY000) during query: q");

    psdb::RpcError e;
    e.code = "UNKNOWN";
    e.message =
        psdb::vitess_error_message("Duplicate entry '1' for key 'PRIMARY'", 1062, "23000", "insert into t values (1)");
    const json j = psdb::encode_error(e);
    CHECK(j == json{{"code", "UNKNOWN"}, {"message", e.message}});
    // What a client makes of it.
    const auto r = psdb::parse_execute_response(json{{"session", json::object()}, {"error", j}}.dump());
    REQUIRE(r.error);
    CHECK(r.error->mysql_errno == 1062);
    CHECK(r.error->sqlstate == "23000");
    CHECK(r.session == json::object());
    psdb::RpcError ok;
    CHECK(psdb::encode_error(ok) == json::object());
}

TEST_CASE("psdb: protojson encoding of fields and rows", "[psdb]") {
    psdb::QueryResult r;
    psdb::Field id;
    id.name = "id";
    id.type = "INT64";
    id.table = id.org_table = "t";
    id.database = "db";
    id.org_name = "id";
    id.column_length = 20;
    id.charset = 63;
    id.flags = 49667;
    psdb::Field n;
    n.name = "NULL";
    n.charset = 63;
    n.flags = 32896;
    psdb::Field text;
    text.name = "s";
    text.type = "VARCHAR";
    text.column_length = 4294967295u;
    text.charset = 255;
    text.decimals = 31;
    r.fields = {id, n, text};
    r.rows = {{std::string("1"), std::nullopt, std::string("\xc3\xbf")},
              {std::string("2"), std::nullopt, std::string()},
              {std::nullopt, std::nullopt, std::nullopt},
              {std::string(), std::nullopt, std::string()}};
    const json expected = json::parse(R"({
      "fields":[
        {"name":"id","type":"INT64","table":"t","orgTable":"t","database":"db","orgName":"id","columnLength":20,"charset":63,"flags":49667},
        {"name":"NULL","charset":63,"flags":32896},
        {"name":"s","type":"VARCHAR","columnLength":4294967295,"charset":255,"decimals":31}],
      "rows":[
        {"lengths":["1","-1","2"],"values":"McO/"},
        {"lengths":["1","-1","0"],"values":"Mg=="},
        {"lengths":["-1","-1","-1"]},
        {"lengths":["0","-1","0"]}]})");
    const json got = psdb::encode_result(r);
    CHECK(got == expected);
    // 64-bit as strings, uint32 as numbers.
    CHECK(got["rows"][0]["lengths"][0].is_string());
    CHECK(got["fields"][0]["columnLength"].is_number_unsigned());

    const auto back = psdb::decode_result(got);
    CHECK(back.rows == r.rows);
    REQUIRE(back.fields.size() == 3);
    CHECK(psdb::encode_field(back.fields[0]) == expected["fields"][0]);
    CHECK(back.fields[2].column_length == 4294967295u);
}

TEST_CASE("psdb: encode → decode round trips", "[psdb]") {
    // Every byte value, NULs, long cells, rows of one column, many columns.
    std::string all;
    for (int c = 0; c < 256; ++c) all.push_back(static_cast<char>(c));
    const std::vector<psdb::Row> rowsets[] = {
        {{all}},
        {{std::string(1, '\0')}, {std::string()}, {std::nullopt}},
        {{std::string(100000, 'z'), std::nullopt, all, std::string("a")}},
        {},
    };
    for (const auto& rows : rowsets) {
        psdb::QueryResult r;
        const std::size_t width = rows.empty() ? 0 : rows[0].size();
        for (std::size_t i = 0; i < width; ++i) {
            psdb::Field f;
            f.name = "c" + std::to_string(i);
            f.type = "VARBINARY";
            f.charset = 63;
            r.fields.push_back(f);
        }
        r.rows = rows;
        r.rows_affected = rows.size();
        const json wire = psdb::encode_result(r);
        // Through text too: a response body is a string.
        const auto resp = psdb::parse_execute_response(json{{"result", wire}, {"timing", 0.25}}.dump());
        REQUIRE(resp.result);
        CHECK(resp.result->rows == r.rows);
        CHECK(resp.result->rows_affected == r.rows_affected);
        CHECK(resp.result->fields.size() == r.fields.size());
        CHECK(resp.timing == 0.25);
    }
}

TEST_CASE("psdb: protojson input variants are accepted", "[psdb]") {
    // Proto field names, numbers for 64-bit fields, enum numbers, URL-safe unpadded bytes, nulls as defaults.
    const auto r = psdb::parse_execute_response(R"({
        "session": null,
        "result": {"fields":[{"name":"a","type":265,"org_table":"t","org_name":"a","column_length":"20","charset":63},
                             {"name":"b","type":"NULL_TYPE"}, {"name":"c","type":null,"flags":null}],
                   "rows_affected": 3, "insert_id": "4",
                   "rows":[{"lengths":[1,"-1",2],"values":"MP_-"}]},
        "timing": "0.5",
        "unknownKey": {"ignored": true}})");
    CHECK(r.session.is_null());
    REQUIRE(r.result);
    CHECK(r.result->fields[0].type == "INT64");
    CHECK(r.result->fields[0].org_table == "t");
    CHECK(r.result->fields[0].org_name == "a");
    CHECK(r.result->fields[0].column_length == 20);
    CHECK(r.result->fields[1].type.empty());
    CHECK(r.result->fields[2].type.empty());
    CHECK(r.result->rows_affected == 3);
    CHECK(r.result->insert_id == 4);
    CHECK(r.result->rows[0] == psdb::Row{std::string("0"), std::nullopt, std::string("\xff\xfe")});
    CHECK(r.timing == 0.5);

    const auto err =
        psdb::parse_execute_response(R"({"session":{"signature":"x"},"error":{"code":5,"message":"gone"}})");
    REQUIRE(err.error);
    CHECK(err.error->code == "NOT_FOUND");
    CHECK(err.session == json{{"signature", "x"}});
    // protojson omits code 0.
    const auto ok_code = psdb::parse_execute_response(R"({"error":{"message":"odd"}})");
    REQUIRE(ok_code.error);
    CHECK(ok_code.error->code == "OK");
    CHECK(ok_code.error->mysql_errno == 1105);
}

TEST_CASE("psdb: malformed responses are refused with a description", "[psdb]") {
    const std::vector<std::string> bad = {
        "",
        "not json",
        "[]",
        R"({"result":[]})",
        R"({"result":{"rows":[{"lengths":["2"],"values":"MQ=="}]}})",   // length runs past values
        R"({"result":{"rows":[{"lengths":["1"],"values":"MTI="}]}})",   // bytes left over
        R"({"result":{"rows":[{"lengths":["x"],"values":"MQ=="}]}})",   // not a number
        R"({"result":{"rows":[{"lengths":["1"],"values":"M Q=="}]}})",  // not base64
        R"({"result":{"rows":[{"lengths":"1"}]}})",
        R"({"result":{"fields":[{"name":"a"},{"name":"b"}],"rows":[{"lengths":["-1"]}]}})",  // cells ≠ fields
        R"({"result":{"rowsAffected":"-1"}})",
        R"({"result":{"fields":[{"name":"a","charset":4294967296}]}})",
        R"({"result":{"fields":[{"name":"a","type":99999}]}})",
        R"({"result":{"fields":[{"name":7}]}})",
        R"({"error":"boom"})",
        R"({"timing":"soon"})",
    };
    for (const auto& body : bad) {
        INFO(body);
        CHECK_THROWS_AS(psdb::parse_execute_response(body), std::invalid_argument);
    }
    try {
        psdb::parse_execute_response(R"({"result":{"rows":[{"lengths":["2"],"values":"MQ=="}]}})");
        FAIL("no throw");
    } catch (const std::invalid_argument& e) {
        CHECK(std::string(e.what()).find("result.rows[0].lengths[0]") != std::string::npos);
    }
}

TEST_CASE("psdb: execute request escaping", "[psdb]") {
    const std::string sql = "select 'ü', '\"q\"', '\\\\', '\n\t\x01'";
    const std::string body = psdb::execute_request(sql, json{{"signature", "c2ln"}});
    CHECK(body.find("\\u0001") != std::string::npos);
    CHECK(body.find("\xc3\xbc") != std::string::npos);  // UTF-8 kept as is
    const json back = json::parse(body);
    CHECK(back["query"] == sql);
    CHECK(back["session"] == json{{"signature", "c2ln"}});
}

TEST_CASE("psdb: base64 flavours", "[psdb]") {
    CHECK(b64("") == "");
    CHECK(b64("f") == "Zg==");
    CHECK(b64("fo") == "Zm8=");
    CHECK(b64("foo") == "Zm9v");
    CHECK(b64("\xff\xfe\xfd") == "//79");
    CHECK(b64("\xfb\xff") == "+/8=");

    using psdb::base64_decode;
    CHECK(base64_decode("") == std::string());
    CHECK(base64_decode("Zg==") == std::string("f"));
    CHECK(base64_decode("Zg") == std::string("f"));
    CHECK(base64_decode("Zm8=") == std::string("fo"));
    CHECK(base64_decode("Zm8") == std::string("fo"));
    CHECK(base64_decode("Zm9v") == std::string("foo"));
    CHECK(base64_decode("//79") == std::string("\xff\xfe\xfd"));
    CHECK(base64_decode("__79") == std::string("\xff\xfe\xfd"));
    CHECK(base64_decode("-_8=") == std::string("\xfb\xff"));
    CHECK(base64_decode("-_8") == std::string("\xfb\xff"));
    CHECK(base64_decode("+/8") == std::string("\xfb\xff"));
    CHECK(base64_decode("Zm9v\r\nYmFy") == std::string("foobar"));
    CHECK(base64_decode("AA==") == std::string(1, '\0'));

    CHECK_FALSE(base64_decode("Z"));  // 6 bits
    CHECK_FALSE(base64_decode("Zm9vZ"));
    CHECK_FALSE(base64_decode("Zg="));  // padding on an unpadded length
    CHECK_FALSE(base64_decode("Z==="));
    CHECK_FALSE(base64_decode("Zg==Zg=="));  // padding inside
    CHECK_FALSE(base64_decode("+_8="));      // std and URL-safe mixed
    CHECK_FALSE(base64_decode("Zm 9v"));
    CHECK_FALSE(base64_decode("Zm9v!"));
    CHECK_FALSE(base64_decode("===="));

    std::string all;
    for (int i = 0; i < 1000; ++i) all.push_back(static_cast<char>(i * 7 + 3));
    for (std::size_t len = 0; len < 40; ++len) {
        const std::string s = all.substr(0, len);
        const std::string enc = b64(s);
        CHECK(enc.size() % 4 == 0);
        CHECK(base64_decode(enc) == s);
        std::string url = enc;
        for (char& c : url) c = c == '+' ? '-' : c == '/' ? '_' : c;
        while (!url.empty() && url.back() == '=') url.pop_back();
        CHECK(base64_decode(url) == s);
    }
}

TEST_CASE("psdb: SQL that is not UTF-8 cannot be sent", "[psdb]") {
    CHECK_THROWS_AS(psdb::execute_request("select '\xff'", nullptr), json::type_error);
}
