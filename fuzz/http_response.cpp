// What the http-planetscale driver does with a response body (drivers/http-planetscale/session_client.cpp,
// execute_locked): a 2xx body through psdb::parse_execute_response, an in-band error through
// error_from_rpc; a non-2xx body through error_from_http_status (psdb::parse_error_body inside). Also
// decode_result on the body as a bare QueryResult (the golden files' shape).
// Input: the body.
// Invariants: parse_execute_response throws std::invalid_argument only (the one exception the driver
// catches); a decoded result has as many cells as fields in every row and survives encode → decode
// unchanged; errno/SQLSTATE are always set; every message is one line of valid UTF-8.
#include "fuzz_support.hpp"

#include "driver_error.hpp"
#include "error_mapping.hpp"

#include <psdb_wire.hpp>

#include <cstdint>
#include <stdexcept>

namespace {

namespace hp = migrate::drivers::http_planetscale;

void check_message(const std::string& m, const char* what) {
    FUZZ_CHECK(hp::is_valid_utf8(m), std::string(what) + ": message is not UTF-8");
    for (unsigned char c : m) FUZZ_CHECK(c >= 0x20 && c != 0x7F, std::string(what) + ": control character in message");
}

void check_rpc(const psdb::RpcError& e) {
    FUZZ_CHECK(e.mysql_errno != 0 && e.sqlstate.size() == 5, "errno and SQLSTATE set");
    for (auto phase : {hp::Phase::open, hp::Phase::execute}) {
        const hp::DriverError d = hp::error_from_rpc(e, phase);
        FUZZ_CHECK(d.status != MIGRATE_DRIVER_OK && !d.message.empty(), "error_from_rpc gives an error");
        check_message(d.message, "error_from_rpc");
    }
}

bool same(const psdb::QueryResult& a, const psdb::QueryResult& b) {
    if (a.rows != b.rows || a.rows_affected != b.rows_affected || a.insert_id != b.insert_id ||
        a.fields.size() != b.fields.size())
        return false;
    for (std::size_t i = 0; i < a.fields.size(); ++i) {
        const auto &x = a.fields[i], &y = b.fields[i];
        if (x.name != y.name || x.type != y.type || x.table != y.table || x.org_table != y.org_table ||
            x.database != y.database || x.org_name != y.org_name || x.column_length != y.column_length ||
            x.charset != y.charset || x.decimals != y.decimals || x.flags != y.flags)
            return false;
    }
    return true;
}

void check_result(const psdb::QueryResult& r) {
    for (const auto& row : r.rows)
        FUZZ_CHECK(r.fields.empty() || row.size() == r.fields.size(), "a row's cells match the fields");
    psdb::QueryResult back;
    try {
        back = psdb::decode_result(psdb::encode_result(r));
    } catch (const std::exception& e) {
        fuzz::unexpected(e, "decode_result(encode_result(r))");
    }
    FUZZ_CHECK(same(r, back), "encode_result → decode_result changed the result");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view body(reinterpret_cast<const char*>(data), size);

    // 2xx: the ExecuteResponse.
    try {
        const psdb::ExecuteResponse r = psdb::parse_execute_response(body);
        if (r.error) check_rpc(*r.error);
        if (r.result) check_result(*r.result);
    } catch (const std::invalid_argument& e) {
        FUZZ_CHECK(std::string_view(e.what()).starts_with("malformed ExecuteResponse"),
                   "error names what is malformed");
    } catch (const std::exception& e) {
        fuzz::unexpected(e, "parse_execute_response");
    }

    // The body as a bare QueryResult.
    const psdb::json j = psdb::json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (!j.is_discarded()) {
        try {
            check_result(psdb::decode_result(j));
        } catch (const std::invalid_argument&) {
        } catch (const std::exception& e) {
            fuzz::unexpected(e, "decode_result");
        }
    }

    // Non-2xx.
    try {
        if (const auto e = psdb::parse_error_body(body)) check_rpc(*e);
        // One status and phase per input (from its size), each branch of the mapping is still reached.
        constexpr int statuses[] = {400, 401, 503, 522, 302, 408};
        const int status = statuses[size % 6];
        const auto phase = (size / 6) % 2 ? hp::Phase::open : hp::Phase::execute;
        const hp::DriverError d =
            hp::error_from_http_status(status, "Reason", body, "https://host/psdb.v1alpha1.Database/Execute", phase);
        FUZZ_CHECK(d.status != MIGRATE_DRIVER_OK, "a non-2xx status is an error");
        check_message(d.message, "error_from_http_status");
    } catch (const std::exception& e) {
        fuzz::unexpected(e, "parse_error_body / error_from_http_status");
    }

    // printable_excerpt: at most max bytes of UTF-8, no control characters, no space runs or edges.
    for (std::size_t max : {0, 1, 5, 64}) {
        const std::string x = hp::printable_excerpt(body, max);
        FUZZ_CHECK(x.size() <= max, "printable_excerpt longer than asked");
        check_message(x, "printable_excerpt");
        FUZZ_CHECK(x.empty() || (x.front() != ' ' && x.back() != ' ' && x.find("  ") == std::string::npos),
                   "printable_excerpt spaces");
    }
    return 0;
}
