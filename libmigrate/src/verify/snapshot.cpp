#include "snapshot.hpp"

#include <migrate/error.hpp>
#include <migrate/verify.hpp>

#include "source/json_document.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

namespace migrate {

std::filesystem::path newest_snapshot_path(const Source& source) {
    if (source.migrations.empty())
        throw error(errc::snapshot_invalid,
                    fmt::format("{} holds no migration, so it has no snapshot to compare with", source.dir.string()));
    const Migration& last = source.migrations.back();
    if (source.layout == FolderLayout::drizzle_v1_folders) return last.file.parent_path() / "snapshot.json";
    // drizzle-kit names it after the tag's prefix: 0042_x → 0042_snapshot.json, 20261128_x → 20261128_snapshot.json.
    return source.dir / "meta" / (last.tag.substr(0, last.tag.find('_')) + "_snapshot.json");
}

namespace verify {

std::optional<std::string> default_text(const Json& value) {
    if (value.is_null()) return std::nullopt;
    if (value.is_string()) return value.get<std::string>();
    return value.dump();  // numbers and booleans: 1, 0.5, false
}

Schema parse_snapshot(std::string_view text, const std::string& file) {
    auto document = source::read_ordered_json(text);
    if (document.error) {
        const auto& [pos, reason] = *document.error;
        throw error(errc::snapshot_invalid,
                    fmt::format("{}:{}:{}: not valid JSON ({})", file, pos.line, pos.column, reason),
                    {.file = file, .line = pos.line});
    }
    const Json& j = document.value;
    try {
        if (!j.is_object() || !j.contains("version"))
            throw error(errc::snapshot_invalid, fmt::format("{} is not a drizzle-kit snapshot (no \"version\")", file),
                        {.file = file});
        if (j.value("dialect", "mysql") != "mysql")
            throw error(errc::snapshot_invalid,
                        fmt::format("{} is a {} snapshot; libmigrate reads MySQL ones", file, j.value("dialect", "")),
                        {.file = file});
        const std::string version =
            j.at("version").is_string() ? j.at("version").get<std::string>() : j.at("version").dump();
        if (version == "5") return parse_snapshot_v5(j);
        if (version == "6") return parse_snapshot_v6(j);
        throw error(errc::snapshot_invalid,
                    fmt::format("{} has snapshot version {}; verify reads 5 (drizzle-kit 0.x) and 6 (drizzle-kit 1.0)",
                                file, version),
                    {.file = file});
    } catch (const Json::exception& e) {
        // A key missing or of another type than drizzle-kit writes.
        throw error(errc::snapshot_invalid, fmt::format("{} is not the shape drizzle-kit writes: {}", file, e.what()),
                    {.file = file});
    }
}

Schema read_snapshot(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw error(errc::snapshot_invalid,
                    fmt::format("cannot read {}: the schema check compares with the snapshot drizzle-kit wrote next to "
                                "the newest migration",
                                file.string()),
                    {.file = file.string()});
    std::stringstream text;
    text << in.rdbuf();
    return parse_snapshot(text.str(), file.string());
}

}  // namespace verify
}  // namespace migrate
