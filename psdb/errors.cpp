// Errors: Vitess's errno/SQLSTATE extraction and fallback mapping (vitess go/mysql/sqlerror/sql_error.go),
// the message form Vitess produces, and the two shapes of a non-2xx body.
#include "psdb_wire.hpp"
#include "wire_internal.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>

namespace psdb {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

struct ErrnoMatch {
    std::string_view number;  // may be empty: the regex allows `(errno )`
    std::string_view state;
};

// "(errno D*) (sqlstate XXXXX)" starting at `p`, or nothing.
std::optional<ErrnoMatch> match_at(std::string_view line, std::size_t p) {
    static constexpr std::string_view open = "(errno ", middle = ") (sqlstate ";
    if (line.substr(p, open.size()) != open) return std::nullopt;
    std::size_t q = p + open.size(), digits = q;
    while (q < line.size() && is_digit(line[q])) ++q;
    std::string_view number = line.substr(digits, q - digits);
    if (line.substr(q, middle.size()) != middle) return std::nullopt;
    q += middle.size();
    if (q + 6 > line.size()) return std::nullopt;
    for (std::size_t i = 0; i < 5; ++i)
        if (!is_alnum(line[q + i])) return std::nullopt;
    if (line[q + 5] != ')') return std::nullopt;
    return ErrnoMatch{number, line.substr(q, 5)};
}

// The submatches of Go's regexp `.*\(errno ([0-9]*)\) \(sqlstate ([0-9a-zA-Z]{5})\).*` (FindStringSubmatch):
// `.` stops at a newline, the search is leftmost and `.*` greedy, so the answer is the LAST occurrence on
// the FIRST line that has one. Scanned by hand rather than with std::regex, whose recursive matcher can
// exhaust the stack on long messages (they end with the whole query).
std::optional<ErrnoMatch> vitess_errno_match(std::string_view message) {
    std::size_t line_start = 0;
    while (line_start <= message.size()) {
        std::size_t line_end = message.find('\n', line_start);
        if (line_end == std::string_view::npos) line_end = message.size();
        std::string_view line = message.substr(line_start, line_end - line_start);
        std::optional<ErrnoMatch> last;
        for (std::size_t p = line.find("(errno "); p != std::string_view::npos; p = line.find("(errno ", p + 1))
            if (auto m = match_at(line, p)) last = m;
        if (last) return last;
        if (line_end == message.size()) break;
        line_start = line_end + 1;
    }
    return std::nullopt;
}

// vitess isGRPCOverflowRE: `.*?grpc: (received|trying to send) message larger than max \(\d+ vs. \d+\)`
bool is_grpc_overflow(std::string_view msg) {
    for (std::string_view head :
         {"grpc: received message larger than max (", "grpc: trying to send message larger than max ("}) {
        for (std::size_t p = msg.find(head); p != std::string_view::npos; p = msg.find(head, p + 1)) {
            std::size_t q = p + head.size(), start = q;
            while (q < msg.size() && is_digit(msg[q])) ++q;
            if (q == start || msg.substr(q, 3) != " vs" || q + 5 > msg.size() || msg[q + 3] == '\n' ||
                msg[q + 4] != ' ')
                continue;
            q += 5;
            start = q;
            while (q < msg.size() && is_digit(msg[q])) ++q;
            if (q != start && q < msg.size() && msg[q] == ')') return true;
        }
    }
    return false;
}

std::string upper(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return out;
}

// A JSON value as a code name: a string (vtrpc or Connect spelling) or a vtrpc.Code number.
std::string code_of(const json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number_integer()) {
        if (auto name = detail::code_name_from_number(v.get<long long>())) return *name;
        return std::to_string(v.get<long long>());
    }
    return "";
}

std::optional<RpcError> error_from_object(const json& e, bool code_required) {
    if (!e.is_object()) return std::nullopt;
    RpcError r;
    auto code = e.find("code");
    if (code != e.end() && !code->is_null())
        r.code = code_of(*code);
    else if (code_required)
        return std::nullopt;
    else
        r.code = "OK";  // protojson omits enum value 0
    auto msg = e.find("message");
    if (msg != e.end() && msg->is_string()) r.message = msg->get<std::string>();
    if (code_required && r.code.empty()) return std::nullopt;
    fill_mysql_error(r);
    return r;
}

}  // namespace

void fill_mysql_error(RpcError& e) {
    if (auto m = vitess_errno_match(e.message)) {
        unsigned long long n = 0;
        const char* first = m->number.data();
        const char* last = first + m->number.size();
        auto [ptr, ec] = std::from_chars(first, last, n);
        // strconv.ParseInt(…, 10, 32): an empty or out-of-range number gives ERUnknownError/HY000.
        if (m->number.empty() || ec != std::errc() || ptr != last ||
            n > static_cast<unsigned long long>(std::numeric_limits<std::int32_t>::max())) {
            e.mysql_errno = 1105;
            e.sqlstate = "HY000";
        } else {
            e.mysql_errno = static_cast<std::uint32_t>(n);
            e.sqlstate = std::string(m->state);
        }
        return;
    }
    // mapToSQLErrorFromErrorCode; Connect codes (lower_snake) are the same names.
    const std::string code = upper(e.code);
    if (code == "CANCELED" || code == "DEADLINE_EXCEEDED" || code == "ABORTED") {
        e.mysql_errno = 1317;  // ER_QUERY_INTERRUPTED
        e.sqlstate = "70100";
    } else if (code == "PERMISSION_DENIED" || code == "UNAUTHENTICATED") {
        e.mysql_errno = 1045;  // ER_ACCESS_DENIED_ERROR
        e.sqlstate = "28000";
    } else if (code == "RESOURCE_EXHAUSTED") {
        if (is_grpc_overflow(e.message)) {
            e.mysql_errno = 1153;  // ER_NET_PACKET_TOO_LARGE
            e.sqlstate = "42000";
        } else if (e.message.find("Transaction throttled") != std::string::npos) {
            e.mysql_errno = 1041;  // ER_OUT_OF_RESOURCES keeps its own HY000
            e.sqlstate = "HY000";
        } else {
            e.mysql_errno = 1203;  // ER_TOO_MANY_USER_CONNECTIONS
            e.sqlstate = "42000";
        }
    } else if (code == "UNIMPLEMENTED") {
        e.mysql_errno = 1235;  // ER_NOT_SUPPORTED_YET
        e.sqlstate = "42000";
    } else if (code == "INTERNAL") {
        e.mysql_errno = 1815;  // ER_INTERNAL_ERROR
        e.sqlstate = "HY000";
    } else {
        e.mysql_errno = 1105;  // ER_UNKNOWN_ERROR (UNKNOWN and every other code)
        e.sqlstate = "HY000";
    }
}

std::optional<RpcError> parse_error_body(std::string_view body) {
    json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) return std::nullopt;
    // database-js checks `parsed.error` first; then the bare Connect shape.
    if (auto e = j.find("error"); e != j.end() && e->is_object())
        if (auto r = error_from_object(*e, /*code_required=*/false)) return r;
    return error_from_object(j, /*code_required=*/true);
}

json encode_error(const RpcError& e) {
    json j = json::object();
    if (!e.code.empty() && e.code != "OK") j["code"] = e.code;
    if (!e.message.empty()) j["message"] = e.message;
    return j;
}

std::string vitess_error_message(std::string_view text, std::uint32_t mysql_errno, std::string_view sqlstate,
                                 std::string_view query) {
    // SQLError.Error(): the errno part is added unless the text already carries one.
    std::string out(text);
    if (text.find("errno ") == std::string_view::npos) {
        out += " (errno " + std::to_string(mysql_errno) + ") (sqlstate ";
        out += sqlstate;
        out += ")";
    }
    if (!query.empty()) {
        out += " during query: ";
        out += query;
    }
    return out;
}

}  // namespace psdb
