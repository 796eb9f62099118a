// ExecuteRequest / ExecuteResponse / QueryResult as protojson (psdb.v1alpha1, as @planetscale/database sends and reads
// them). Output follows protojson's default options: defaults omitted, 64-bit integers as strings, uint32 as numbers,
// enums as names, bytes as padded standard base64. Input is accepted the way protojson accepts it: lowerCamel or proto
// field names, null = default, 64-bit integers as strings or numbers, enums as names or numbers, bytes in any base64
// flavour, unknown keys ignored.
#include "psdb_wire.hpp"
#include "wire_internal.hpp"

#include <charconv>
#include <limits>
#include <stdexcept>

namespace psdb {

namespace {

[[noreturn]] void bad(const std::string& where, const std::string& what) {
    throw std::invalid_argument("malformed ExecuteResponse: " + where + ": " + what);
}

// The member under its JSON name or its proto name; nullptr when absent or null.
const json* member(const json& obj, const char* camel, const char* proto = nullptr) {
    auto it = obj.find(camel);
    if (it != obj.end() && !it->is_null()) return &*it;
    if (proto) {
        it = obj.find(proto);
        if (it != obj.end() && !it->is_null()) return &*it;
    }
    return nullptr;
}

template <class Int>
Int integer(const json& v, const std::string& where) {
    if (v.is_number_integer()) {
        if constexpr (std::is_signed_v<Int>) {
            if (v.is_number_unsigned()) {
                auto u = v.get<std::uint64_t>();
                if (u > static_cast<std::uint64_t>(std::numeric_limits<Int>::max())) bad(where, "out of range");
                return static_cast<Int>(u);
            }
            auto s = v.get<std::int64_t>();
            if (s < std::numeric_limits<Int>::min() || s > std::numeric_limits<Int>::max()) bad(where, "out of range");
            return static_cast<Int>(s);
        } else {
            if (!v.is_number_unsigned()) bad(where, "negative value for an unsigned field");
            auto u = v.get<std::uint64_t>();
            if (u > std::numeric_limits<Int>::max()) bad(where, "out of range");
            return static_cast<Int>(u);
        }
    }
    if (v.is_string()) {
        const auto& s = v.get_ref<const std::string&>();
        Int out{};
        auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
        if (s.empty() || ec != std::errc() || ptr != s.data() + s.size())
            bad(where, "expected an integer, got \"" + s + "\"");
        return out;
    }
    bad(where, "expected an integer");
}

std::string text(const json& obj, const char* camel, const char* proto, const std::string& where) {
    const json* v = member(obj, camel, proto);
    if (!v) return {};
    if (!v->is_string()) bad(where + "." + camel, "expected a string");
    return v->get<std::string>();
}

template <class Int>
Int number(const json& obj, const char* camel, const char* proto, const std::string& where) {
    const json* v = member(obj, camel, proto);
    return v ? integer<Int>(*v, where + "." + camel) : Int{};
}

Field decode_field(const json& f, const std::string& where) {
    if (!f.is_object()) bad(where, "expected an object");
    Field out;
    out.name = text(f, "name", nullptr, where);
    if (const json* t = member(f, "type")) {
        if (t->is_string())
            out.type = t->get<std::string>();
        else if (t->is_number_integer()) {
            auto name = detail::type_name_from_number(t->get<long long>());
            if (!name) bad(where + ".type", "unknown type number " + t->dump());
            out.type = *name;
        } else
            bad(where + ".type", "expected a type name");
        if (out.type == "NULL_TYPE") out.type.clear();
    }
    out.table = text(f, "table", nullptr, where);
    out.org_table = text(f, "orgTable", "org_table", where);
    out.database = text(f, "database", nullptr, where);
    out.org_name = text(f, "orgName", "org_name", where);
    out.column_length = number<std::uint32_t>(f, "columnLength", "column_length", where);
    out.charset = number<std::uint32_t>(f, "charset", nullptr, where);
    out.decimals = number<std::uint32_t>(f, "decimals", nullptr, where);
    out.flags = number<std::uint32_t>(f, "flags", nullptr, where);
    return out;
}

Row decode_row(const json& r, const std::string& where) {
    if (!r.is_object()) bad(where, "expected an object");
    std::string bytes;
    if (const json* v = member(r, "values")) {
        if (!v->is_string()) bad(where + ".values", "expected base64 text");
        auto decoded = base64_decode(v->get_ref<const std::string&>());
        if (!decoded) bad(where + ".values", "not base64");
        bytes = std::move(*decoded);
    }
    Row row;
    std::size_t offset = 0;
    if (const json* lengths = member(r, "lengths")) {
        if (!lengths->is_array()) bad(where + ".lengths", "expected an array");
        row.reserve(lengths->size());
        for (std::size_t i = 0; i < lengths->size(); ++i) {
            const std::string at = where + ".lengths[" + std::to_string(i) + "]";
            const auto n = integer<std::int64_t>((*lengths)[i], at);
            if (n < 0) {  // -1 is NULL; vitess treats any negative length so
                row.emplace_back(std::nullopt);
                continue;
            }
            if (static_cast<std::uint64_t>(n) > bytes.size() - offset)
                bad(at, "length " + std::to_string(n) + " runs past the " + std::to_string(bytes.size()) +
                            " bytes of values");
            row.emplace_back(bytes.substr(offset, static_cast<std::size_t>(n)));
            offset += static_cast<std::size_t>(n);
        }
    }
    if (offset != bytes.size())
        bad(where,
            "lengths cover " + std::to_string(offset) + " of the " + std::to_string(bytes.size()) + " bytes of values");
    return row;
}

QueryResult decode_result_at(const json& r, const std::string& where) {
    if (!r.is_object()) bad(where, "expected an object");
    QueryResult out;
    if (const json* fields = member(r, "fields")) {
        if (!fields->is_array()) bad(where + ".fields", "expected an array");
        for (std::size_t i = 0; i < fields->size(); ++i)
            out.fields.push_back(decode_field((*fields)[i], where + ".fields[" + std::to_string(i) + "]"));
    }
    out.rows_affected = number<std::uint64_t>(r, "rowsAffected", "rows_affected", where);
    out.insert_id = number<std::uint64_t>(r, "insertId", "insert_id", where);
    if (const json* rows = member(r, "rows")) {
        if (!rows->is_array()) bad(where + ".rows", "expected an array");
        for (std::size_t i = 0; i < rows->size(); ++i) {
            const std::string at = where + ".rows[" + std::to_string(i) + "]";
            out.rows.push_back(decode_row((*rows)[i], at));
            if (!out.fields.empty() && out.rows.back().size() != out.fields.size())
                bad(at, std::to_string(out.rows.back().size()) + " cells for " + std::to_string(out.fields.size()) +
                            " fields");
        }
    }
    return out;
}

}  // namespace

std::string execute_request(std::string_view sql, const json& session) {
    json body = json::object();
    body["query"] = std::string(sql);
    body["session"] = session;
    return body.dump();  // UTF-8 kept as is, control characters as \u00XX (or \n, \t, …)
}

QueryResult decode_result(const json& result) { return decode_result_at(result, "result"); }

ExecuteResponse parse_execute_response(std::string_view body) {
    json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) throw std::invalid_argument("malformed ExecuteResponse: not JSON");
    if (!j.is_object()) throw std::invalid_argument("malformed ExecuteResponse: not a JSON object");
    ExecuteResponse out;
    if (const json* s = member(j, "session")) out.session = *s;
    if (const json* e = member(j, "error")) {
        if (!e->is_object()) bad("error", "expected an object");
        RpcError err;
        if (const json* c = member(*e, "code")) {
            if (c->is_string())
                err.code = c->get<std::string>();
            else if (c->is_number_integer()) {
                auto name = detail::code_name_from_number(c->get<long long>());
                if (!name) bad("error.code", "unknown code " + c->dump());
                err.code = *name;
            } else
                bad("error.code", "expected a code name");
        } else {
            err.code = "OK";  // enum value 0, omitted by protojson
        }
        err.message = text(*e, "message", nullptr, "error");
        fill_mysql_error(err);
        out.error = std::move(err);
    }
    if (const json* r = member(j, "result")) out.result = decode_result_at(*r, "result");
    if (const json* t = member(j, "timing")) {
        if (t->is_number())
            out.timing = t->get<double>();
        else if (t->is_string()) {
            try {
                std::size_t used = 0;
                out.timing = std::stod(t->get<std::string>(), &used);
                if (used != t->get_ref<const std::string&>().size()) throw std::invalid_argument("trailing text");
            } catch (const std::exception&) {
                bad("timing", "expected a number");
            }
        } else
            bad("timing", "expected a number");
    }
    return out;
}

json encode_field(const Field& f) {
    json j = json::object();
    if (!f.name.empty()) j["name"] = f.name;
    if (!f.type.empty()) j["type"] = f.type;
    if (!f.table.empty()) j["table"] = f.table;
    if (!f.org_table.empty()) j["orgTable"] = f.org_table;
    if (!f.database.empty()) j["database"] = f.database;
    if (!f.org_name.empty()) j["orgName"] = f.org_name;
    if (f.column_length) j["columnLength"] = f.column_length;
    if (f.charset) j["charset"] = f.charset;
    if (f.decimals) j["decimals"] = f.decimals;
    if (f.flags) j["flags"] = f.flags;
    return j;
}

json encode_result(const QueryResult& r) {
    json j = json::object();
    if (!r.fields.empty()) {
        json fields = json::array();
        for (const auto& f : r.fields) fields.push_back(encode_field(f));
        j["fields"] = std::move(fields);
    }
    if (r.rows_affected) j["rowsAffected"] = std::to_string(r.rows_affected);
    if (r.insert_id) j["insertId"] = std::to_string(r.insert_id);
    if (!r.rows.empty()) {
        json rows = json::array();
        for (const auto& row : r.rows) {
            json out = json::object();
            json lengths = json::array();
            std::string values;
            for (const auto& cell : row) {
                if (cell) {
                    lengths.push_back(std::to_string(cell->size()));
                    values += *cell;
                } else {
                    lengths.push_back("-1");
                }
            }
            if (!lengths.empty()) out["lengths"] = std::move(lengths);
            if (!values.empty()) out["values"] = base64_encode(values);
            rows.push_back(std::move(out));
        }
        j["rows"] = std::move(rows);
    }
    return j;
}

}  // namespace psdb
