// drizzle-kit snapshots, which drizzle's migrator never reads: finding the newest and reading it.
// 0.x writes version "5" (tables keyed by name, each with columns, indexes, foreignKeys,
// compositePrimaryKeys, uniqueConstraints, checkConstraint); 1.0 writes version "6" (a flat `ddl` list of
// entities: tables, columns, pks, indexes, fks, checks, views). Problems throw error(snapshot_invalid).
#pragma once

#include "schema_model.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace migrate::verify {

using Json = nlohmann::ordered_json;

// Reads `file` and picks the reader by its "version".
Schema read_snapshot(const std::filesystem::path& file);
Schema parse_snapshot(std::string_view text, const std::string& file);

Schema parse_snapshot_v5(const Json& snapshot);  // snapshot_v5.cpp
Schema parse_snapshot_v6(const Json& snapshot);  // snapshot_v6.cpp

// A snapshot default as SQL text: strings as written, numbers and booleans printed (v5 stores `1`, `false`).
std::optional<std::string> default_text(const Json& value);

// A JSON array of strings (column lists, enum values) as strings.
inline std::vector<std::string> strings(const Json& list) {
    std::vector<std::string> out;
    for (const auto& v : list) out.push_back(v.get<std::string>());
    return out;
}

}  // namespace migrate::verify
