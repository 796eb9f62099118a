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
    kDecimal = 0,
    kTiny = 1,
    kShort = 2,
    kLong = 3,
    kFloat = 4,
    kDouble = 5,
    kNull = 6,
    kTimestamp = 7,
    kLongLong = 8,
    kInt24 = 9,
    kDate = 10,
    kTime = 11,
    kDateTime = 12,
    kYear = 13,
    kNewDate = 14,
    kVarchar = 15,
    kBit = 16,
    kTimestamp2 = 17,
    kDateTime2 = 18,
    kTime2 = 19,
    kVector = 242,
    kJson = 245,
    kNewDecimal = 246,
    kEnum = 247,
    kSet = 248,
    kTinyBlob = 249,
    kMediumBlob = 250,
    kLongBlob = 251,
    kBlob = 252,
    kVarString = 253,
    kString = 254,
    kGeometry = 255,
};

constexpr std::uint32_t kUnsignedFlag = 32, kBinaryFlag = 128, kEnumFlag = 256, kSetFlag = 2048;

}  // namespace

std::string vitess_type_name(int mysql_type, std::uint32_t flags, std::uint32_t /*charset: see above*/) {
    const bool is_unsigned = flags & kUnsignedFlag;
    const bool binary = flags & kBinaryFlag;
    switch (mysql_type) {
        case kNull: return "";  // NULL_TYPE, omitted on the wire
        case kTiny: return is_unsigned ? "UINT8" : "INT8";
        case kShort: return is_unsigned ? "UINT16" : "INT16";
        case kInt24: return is_unsigned ? "UINT24" : "INT24";
        case kLong: return is_unsigned ? "UINT32" : "INT32";
        case kLongLong: return is_unsigned ? "UINT64" : "INT64";
        case kFloat: return "FLOAT32";
        case kDouble: return "FLOAT64";
        case kDecimal:
        case kNewDecimal: return "DECIMAL";
        case kTimestamp:
        case kTimestamp2: return "TIMESTAMP";
        case kDate:
        case kNewDate: return "DATE";
        case kTime:
        case kTime2: return "TIME";
        case kDateTime:
        case kDateTime2: return "DATETIME";
        case kYear: return "YEAR";
        case kBit: return "BIT";
        case kJson: return "JSON";
        case kGeometry: return "GEOMETRY";
        case kVector: return "VECTOR";
        case kEnum: return "ENUM";
        case kSet: return "SET";
        case kTinyBlob:
        case kMediumBlob:
        case kLongBlob:
        case kBlob: return binary ? "BLOB" : "TEXT";
        case kVarchar:
        case kVarString: return binary ? "VARBINARY" : "VARCHAR";
        case kString:
            // Binary first, as vitess does: ENUM/SET columns never carry BINARY_FLAG.
            if (binary) return "BINARY";
            if (flags & kEnumFlag) return "ENUM";
            if (flags & kSetFlag) return "SET";
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
