// The three folders a merge check or a rebase reads (base, head, merge base), split into what each side
// added since the merge base. Internal.
#pragma once

#include <migrate/merge.hpp>
#include <migrate/source.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace migrate::merge {

using Json = nlohmann::ordered_json;

struct Folder {
    Source source;
    std::map<std::string, std::int64_t> idx;  // tag → journal idx (0.x)
    bool present = false;
};

// read_migrations_folder, plus the journal's idx values; an empty path or a missing folder is an empty one.
Folder read_folder(const std::filesystem::path& dir);

struct Sides {
    Folder base, head, merge_base;
    std::vector<const Migration*> branch;  // head's, not in the merge base nor in base
    std::vector<const Migration*> added;   // base's, not in the merge base
};

Sides read_sides(const std::filesystem::path& base, const std::filesystem::path& head,
                 const std::filesystem::path& merge_base);

// The tables a migration's statements create, alter, drop, rename or index (lower-case).
std::set<std::string> tables_changed(const Migration& m);

// The snapshot drizzle-kit wrote with a migration: meta/<prefix>_snapshot.json (0.x), <tag>/snapshot.json (1.0).
std::filesystem::path snapshot_of(const Source& source, const Migration& m);

// The tag's prefix before the first '_' (0.x: the idx or time), "" when there is none.
std::string tag_prefix(const std::string& tag);

// A JSON file, or null when it does not exist; throws snapshot_invalid when it is not JSON.
Json read_json_file(const std::filesystem::path& file);

}  // namespace migrate::merge
