// The journal rules (journal.hpp): read meta/_journal.json directly, so that a folder the reader refuses
// still lists all its problems.
#include "journal.hpp"
#include "lint_input.hpp"

#include "../source/folder_reading.hpp"
#include "../source/json_document.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <map>
#include <set>

namespace migrate::lint {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

// Byte offsets of the objects in the journal's "entries" array, in order (for line numbers).
std::vector<std::size_t> entry_offsets(std::string_view text) {
    std::vector<std::size_t> offsets;
    auto key = text.find("\"entries\"");
    if (key == std::string_view::npos) return offsets;
    auto open = text.find('[', key);
    if (open == std::string_view::npos) return offsets;
    int depth = 0;
    bool in_string = false;
    for (std::size_t i = open; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                in_string = false;
            continue;
        }
        if (c == '"')
            in_string = true;
        else if (c == '[' || c == '{') {
            if (c == '{' && depth == 1) offsets.push_back(i);
            ++depth;
        } else if ((c == ']' || c == '}') && --depth == 0) {
            break;
        }
    }
    return offsets;
}

}  // namespace

JournalCheck check_journal(const fs::path& dir) {
    JournalCheck out;
    const fs::path path = dir / "meta" / "_journal.json";
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) return out;
    out.present = true;
    LintOptions mysql;
    Sink sink(mysql, out.findings);
    auto text = source::read_file(path);
    if (!text) {
        sink.add("journal-invalid", path, 0, 0, "cannot read the journal");
        return out;
    }
    auto document = source::read_json(*text);
    if (document.error) {
        const auto pos = document.error->position;
        sink.add("journal-invalid", path, pos.line, pos.column, "not valid JSON");
        return out;
    }
    json& journal = document.value;
    if (!journal.is_object() || !journal.contains("entries") || !journal["entries"].is_array()) {
        sink.add("journal-invalid", path, 1, 1, "expected an object with an \"entries\" array, as drizzle-kit writes");
        return out;
    }
    const auto offsets = entry_offsets(*text);
    std::map<long long, std::size_t> idx_seen;
    std::set<std::string> tags;
    const json* previous = nullptr;
    const auto& entries = journal["entries"];
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const auto& e = entries[i];
        const auto pos = source::position_of(*text, i < offsets.size() ? offsets[i] : 0);
        auto add = [&](std::string_view rule, std::string message) {
            sink.add(rule, path, pos.line, pos.column, std::move(message));
        };
        if (!e.is_object() || !e.contains("tag") || !e["tag"].is_string() || !e.contains("when") ||
            !e["when"].is_number_integer()) {
            add("journal-invalid", fmt::format("entries[{}] needs a string \"tag\" and an integer \"when\"", i));
            continue;
        }
        const auto tag = e["tag"].get<std::string>();
        if (tag.empty() || tag.find_first_of("/\\") != std::string::npos || tag.find("..") != std::string::npos) {
            add("journal-invalid", fmt::format("entries[{}] tag \"{}\" is not a file name in the folder", i, tag));
            continue;
        }
        if (e.contains("idx") && e["idx"].is_number_integer()) {
            const auto idx = e["idx"].get<long long>();
            if (auto [it, fresh] = idx_seen.emplace(idx, i); !fresh)
                add("journal-duplicate-idx", fmt::format("\"{}\" repeats idx {} of entries[{}]", tag, idx, it->second));
        }
        if (previous && e["when"].get<long long>() <= (*previous)["when"].get<long long>())
            add("journal-when-not-increasing",
                fmt::format("{} (when {}) follows {} (when {}) but is not newer: where {} is applied, drizzle "
                            "skips it forever",
                            tag, e["when"].get<long long>(), (*previous)["tag"].get<std::string>(),
                            (*previous)["when"].get<long long>(), (*previous)["tag"].get<std::string>()));
        previous = &e;
        if (!tags.insert(tag).second) {
            add("journal-duplicate-tag", fmt::format("entries[{}] repeats tag \"{}\"", i, tag));
            continue;
        }
        if (!fs::is_regular_file(dir / (tag + ".sql"), ec)) {
            add("journal-missing-file", fmt::format("entries[{}] names {}.sql, which does not exist", i, tag));
            continue;
        }
        out.tags.push_back(tag);
    }
    std::vector<fs::path> unlisted;
    for (const auto& f : fs::directory_iterator(dir, ec))
        if (f.is_regular_file(ec) && f.path().extension() == ".sql" && !tags.contains(f.path().stem().string()))
            unlisted.push_back(f.path());
    std::sort(unlisted.begin(), unlisted.end());
    for (const auto& f : unlisted)
        sink.add(
            "journal-unlisted-file", f, 0, 0,
            fmt::format("{} is not in meta/_journal.json: drizzle and migrate never run it", f.filename().string()));
    return out;
}

}  // namespace migrate::lint
