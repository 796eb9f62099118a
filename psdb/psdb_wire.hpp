// The PlanetScale HTTP API's wire format (Connect unary + protojson of psdb.v1alpha1 / vitess query
// messages), shared by the http-planetscale driver (decoding) and tools/psdb-gateway (encoding).
// The wire format @planetscale/database speaks (psdb.v1alpha1 over Connect, protojson). No I/O here: JSON in,
// JSON out.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace psdb {

using json = nlohmann::json;
using Cell = std::optional<std::string>;  // nullopt = SQL NULL; bytes otherwise
using Row = std::vector<Cell>;

// vitess.query.Type names as protojson writes them ("INT64", "VARCHAR", …); NULL_TYPE is "" (omitted).
// Field as in vitess.query.Field; zero/empty members are omitted on output (protojson defaults).
struct Field {
    std::string name;
    std::string type;  // "" = NULL_TYPE
    std::string table, org_table, database, org_name;
    std::uint32_t column_length = 0;
    std::uint32_t charset = 0;  // 63 = binary: a cell is bytes, not text
    std::uint32_t decimals = 0;
    std::uint32_t flags = 0;  // MySQL column flags
};

struct QueryResult {
    std::vector<Field> fields;
    std::vector<Row> rows;
    std::uint64_t rows_affected = 0;
    std::uint64_t insert_id = 0;
};

// An error the server sent: the RPCError in an ExecuteResponse, or a non-2xx body (wrapped {"error":…}
// or bare Connect {"code","message"}).
struct RpcError {
    std::string code;  // vtrpc code name (UNKNOWN, NOT_FOUND, …) or Connect code (unauthenticated, …)
    std::string message;
    std::uint32_t mysql_errno = 0;  // from "(errno N) (sqlstate S)" in the message, else Vitess's fallback
    std::string sqlstate;
};

// ---- base64 (standard with padding on output; std or URL-safe, padded or not, on input) ----
std::string base64_encode(std::string_view bytes);
std::optional<std::string> base64_decode(std::string_view text);  // nullopt if not base64

// ---- Execute request ----
// {"query": sql, "session": session-or-null}. UTF-8 kept as is, control characters escaped.
// Throws nlohmann::json::type_error when `sql` is not valid UTF-8 (JSON cannot carry it).
std::string execute_request(std::string_view sql, const json& session);

// ---- Execute response, client side ----
// Parses a 2xx Execute body. session: set when present and non-null (also on error). Throws
// std::invalid_argument with a description when the body is not a well-formed ExecuteResponse.
struct ExecuteResponse {
    json session;                       // null when absent
    std::optional<QueryResult> result;  // absent on error
    std::optional<RpcError> error;
    double timing = 0;  // seconds
};
ExecuteResponse parse_execute_response(std::string_view body);
// A protojson QueryResult (the "result" member): rows split into cells with `lengths`. Throws
// std::invalid_argument when malformed (bad base64, lengths that do not cover `values` exactly, a row
// whose cell count differs from the field count).
QueryResult decode_result(const json& result);
// A non-2xx body: wrapped {"error":{…}} or bare {"code","message"}; nullopt if neither (not JSON, or other).
std::optional<RpcError> parse_error_body(std::string_view body);
// errno/SQLSTATE from a message with Vitess's rule, falling back on the code.
void fill_mysql_error(RpcError& e);

// ---- Execute response, server side (gateway) ----
json encode_result(const QueryResult& r);  // protojson QueryResult (defaults omitted)
json encode_field(const Field& f);
json encode_error(const RpcError& e);  // {"code","message"} for an ExecuteResponse
// Vitess's message form: "<text> (errno N) (sqlstate S) during query: <sql>"
std::string vitess_error_message(std::string_view text, std::uint32_t mysql_errno, std::string_view sqlstate,
                                 std::string_view query);

// MySQL C API column metadata → vitess type name, as vtgate reports it (MYSQL_TYPE_* from mysql_com.h).
// As vitess's MySQLToType, the type code and flags decide: UNSIGNED_FLAG makes UINTn, BINARY_FLAG makes
// BLOB/VARBINARY/BINARY, ENUM_FLAG/SET_FLAG make ENUM/SET. `charset` (63 = binary) does not change the
// answer: the server sets BINARY_FLAG for binary and *_bin collations alike, which is why golden
// `xd TEXT COLLATE utf8mb4_bin` is a BLOB with charset 255.
// MYSQL_TYPE_NULL gives "". Throws std::invalid_argument for a type code vitess does not know.
std::string vitess_type_name(int mysql_type, std::uint32_t flags, std::uint32_t charset);

}  // namespace psdb
