// MySQL column metadata → vitess.query.Type, as vtgate computes it (vitess go/sqltypes/type.go:
// mysqlToType + modifyType). Only the column's type code and flags decide, never the charset: MySQL and
// MariaDB set BINARY_FLAG on every string column whose collation is binary or *_bin, which is why golden
// `xd TEXT COLLATE utf8mb4_bin` is a BLOB with charset 255.
#include "psdb_wire.hpp"
#include "wire_internal.hpp"

#include <stdexcept>

namespace psdb {

namespace {

// MYSQL_TYPE_* (mysql_com.h / MariaDB Connector/C mariadb_com.h)
enum MysqlType : int {
    type_decimal = 0,
    type_tiny = 1,
    type_short = 2,
    type_long = 3,
    type_float = 4,
    type_double = 5,
    type_null = 6,
    type_timestamp = 7,
    type_long_long = 8,
    type_int24 = 9,
    type_date = 10,
    type_time = 11,
    type_date_time = 12,
    type_year = 13,
    type_new_date = 14,
    type_varchar = 15,
    type_bit = 16,
    type_timestamp2 = 17,
    type_date_time2 = 18,
    type_time2 = 19,
    type_vector = 242,
    type_json = 245,
    type_new_decimal = 246,
    type_enum = 247,
    type_set = 248,
    type_tiny_blob = 249,
    type_medium_blob = 250,
    type_long_blob = 251,
    type_blob = 252,
    type_var_string = 253,
    type_string = 254,
    type_geometry = 255,
};

constexpr std::uint32_t unsigned_flag = 32, binary_flag = 128, enum_flag = 256, set_flag = 2048;

}  // namespace

std::string vitess_type_name(int mysql_type, std::uint32_t flags, std::uint32_t /*charset: see above*/) {
    const bool is_unsigned = flags & unsigned_flag;
    const bool binary = flags & binary_flag;
    switch (mysql_type) {
        case type_null: return "";  // NULL_TYPE, omitted on the wire
        case type_tiny: return is_unsigned ? "UINT8" : "INT8";
        case type_short: return is_unsigned ? "UINT16" : "INT16";
        case type_int24: return is_unsigned ? "UINT24" : "INT24";
        case type_long: return is_unsigned ? "UINT32" : "INT32";
        case type_long_long: return is_unsigned ? "UINT64" : "INT64";
        case type_float: return "FLOAT32";
        case type_double: return "FLOAT64";
        case type_decimal:
        case type_new_decimal: return "DECIMAL";
        case type_timestamp:
        case type_timestamp2: return "TIMESTAMP";
        case type_date:
        case type_new_date: return "DATE";
        case type_time:
        case type_time2: return "TIME";
        case type_date_time:
        case type_date_time2: return "DATETIME";
        case type_year: return "YEAR";
        case type_bit: return "BIT";
        case type_json: return "JSON";
        case type_geometry: return "GEOMETRY";
        case type_vector: return "VECTOR";
        case type_enum: return "ENUM";
        case type_set: return "SET";
        case type_tiny_blob:
        case type_medium_blob:
        case type_long_blob:
        case type_blob: return binary ? "BLOB" : "TEXT";
        case type_varchar:
        case type_var_string: return binary ? "VARBINARY" : "VARCHAR";
        case type_string:
            // Binary first, as vitess does: ENUM/SET columns never carry BINARY_FLAG.
            if (binary) return "BINARY";
            if (flags & enum_flag) return "ENUM";
            if (flags & set_flag) return "SET";
            return "CHAR";
        default: throw std::invalid_argument("unsupported MySQL column type " + std::to_string(mysql_type));
    }
}

namespace detail {

// vitess.query.Type numbers (query.proto), for protojson input that spells an enum as its number.
std::optional<std::string> type_name_from_number(long long n) {
    switch (n) {
        case 0: return std::string();
        case 257: return "INT8";
        case 770: return "UINT8";
        case 259: return "INT16";
        case 772: return "UINT16";
        case 261: return "INT24";
        case 774: return "UINT24";
        case 263: return "INT32";
        case 776: return "UINT32";
        case 265: return "INT64";
        case 778: return "UINT64";
        case 1035: return "FLOAT32";
        case 1036: return "FLOAT64";
        case 2061: return "TIMESTAMP";
        case 2062: return "DATE";
        case 2063: return "TIME";
        case 2064: return "DATETIME";
        case 785: return "YEAR";
        case 18: return "DECIMAL";
        case 6163: return "TEXT";
        case 10260: return "BLOB";
        case 6165: return "VARCHAR";
        case 10262: return "VARBINARY";
        case 6167: return "CHAR";
        case 10264: return "BINARY";
        case 2073: return "BIT";
        case 2074: return "ENUM";
        case 2075: return "SET";
        case 28: return "TUPLE";
        case 2077: return "GEOMETRY";
        case 2078: return "JSON";
        case 31: return "EXPRESSION";
        case 4128: return "HEXNUM";
        case 4129: return "HEXVAL";
        case 4130: return "BITNUM";
        case 2083: return "VECTOR";
        case 2084: return "RAW";
        case 2085: return "ROW_TUPLE";
        default: return std::nullopt;
    }
}

// vtrpc.Code numbers (vtrpc.proto).
std::optional<std::string> code_name_from_number(long long n) {
    static const char* const names[] = {
        "OK",        "CANCELED",        "UNKNOWN",           "INVALID_ARGUMENT",   "DEADLINE_EXCEEDED",
        "NOT_FOUND", "ALREADY_EXISTS",  "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
        "ABORTED",   "OUT_OF_RANGE",    "UNIMPLEMENTED",     "INTERNAL",           "UNAVAILABLE",
        "DATA_LOSS", "UNAUTHENTICATED", "CLUSTER_EVENT",     "READ_ONLY"};
    if (n < 0 || n >= static_cast<long long>(std::size(names))) return std::nullopt;
    return std::string(names[n]);
}

}  // namespace detail
}  // namespace psdb
