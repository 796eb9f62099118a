// drizzle-kit 0.x folder: meta/_journal.json + <tag>.sql, read like drizzle-orm's readMigrationFiles,
// but validated up front: every problem in the folder is reported at once, before any connection.
#include "folder_reading.hpp"
#include "text_position.hpp"

#include <migrate/error.hpp>
#include <migrate/source.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <limits>
#include <optional>
#include <set>

namespace migrate {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;


// A tag names a file next to the journal; anything that could leave the folder is refused.
std::optional<std::string> tag_problem(const std::string& tag) {
    if (tag.empty()) return "is empty";
    if (tag.find('/') != std::string::npos || tag.find('\\') != std::string::npos) return "contains a path separator";
    if (tag.find("..") != std::string::npos) return "contains '..'";
    if (tag.find('\0') != std::string::npos) return "contains a NUL byte";
    return std::nullopt;
}

}  // namespace

Source read_drizzle_folder(const fs::path& dir) {
    const fs::path journal_path = dir / "meta" / "_journal.json";
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        throw error(errc::journal_missing,
                    fmt::format("migrations folder {} does not exist or is not a directory", dir.string()),
                    {.file = dir.string()});
    if (!fs::is_regular_file(journal_path, ec))
        throw error(errc::journal_missing,
                    fmt::format("{} not found: the migrations folder must be drizzle-kit's `out` folder, "
                                "the one holding meta/_journal.json",
                                journal_path.string()),
                    {.file = journal_path.string()});
    auto journal_text = source::read_file(journal_path);
    if (!journal_text)
        throw error(errc::journal_missing, fmt::format("cannot read {}", journal_path.string()),
                    {.file = journal_path.string()});
    return source::parse_drizzle_journal(dir, *journal_text, [](const fs::path& file) -> std::optional<std::string> {
        std::error_code file_ec;
        return fs::is_regular_file(file, file_ec) ? source::read_file(file) : std::nullopt;
    });
}

namespace source {

Source parse_drizzle_journal(const fs::path& dir, std::string_view journal_text, const ReadFile& read_sql) {
    const fs::path journal_path = dir / "meta" / "_journal.json";
    json journal;
    try {
        journal = json::parse(journal_text);
    } catch (const json::parse_error& e) {
        auto pos = position_of(journal_text, e.byte == 0 ? 0 : e.byte - 1);
        std::string what = e.what();
        if (auto colon = what.find("parse error"); colon != std::string::npos) what = what.substr(colon);
        throw error(errc::journal_invalid,
                    fmt::format("{}:{}:{}: not valid JSON ({}); restore the file drizzle-kit wrote",
                                journal_path.string(), pos.line, pos.column, what),
                    {.file = journal_path.string(), .line = pos.line});
    } catch (const json::out_of_range& e) {
        // A number too large for a double (1e999): nlohmann throws this instead of a parse_error (found by
        // fuzz/journal). It has no position; the message quotes the number.
        std::string what = e.what();
        if (auto colon = what.find("number overflow"); colon != std::string::npos) what = what.substr(colon);
        throw error(errc::journal_invalid,
                    fmt::format("{}: not valid JSON ({}); restore the file drizzle-kit wrote", journal_path.string(), what),
                    {.file = journal_path.string()});
    }
    const std::string jp = journal_path.string();
    if (!journal.is_object() || !journal.contains("entries") || !journal["entries"].is_array())
        throw error(errc::journal_invalid,
                    fmt::format("{}: expected an object with an \"entries\" array, as drizzle-kit writes", jp),
                    {.file = jp});

    Source source;
    source.dir = dir;
    Problems problems;
    std::set<std::string> seen_tags;
    const auto& entries = journal["entries"];
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const auto& e = entries[i];
        const std::string where = fmt::format("{}: entries[{}]", jp, i);
        if (!e.is_object()) {
            problems.add(errc::journal_invalid, where + " is not an object", {.file = jp});
            continue;
        }
        if (!e.contains("tag") || !e["tag"].is_string()) {
            problems.add(errc::journal_invalid, where + " has no string \"tag\"", {.file = jp});
            continue;
        }
        Migration m;
        m.position = i;
        m.tag = e["tag"].get<std::string>();
        if (auto why = tag_problem(m.tag)) {
            problems.add(errc::tag_invalid,
                         fmt::format("{} tag \"{}\" {}: a tag must be a file name in the migrations folder", where,
                                     m.tag, *why),
                         {.file = jp, .tag = m.tag});
            continue;
        }
        if (!seen_tags.insert(m.tag).second) {
            problems.add(errc::tag_duplicate,
                         fmt::format("{} repeats tag \"{}\": each migration must appear once in the journal "
                                     "(a bad merge? keep one entry)",
                                     where, m.tag),
                         {.file = jp, .tag = m.tag});
            continue;
        }
        // An unsigned past int64 would wrap to a negative created_at (get<int64_t> casts).
        if (!e.contains("when") || !e["when"].is_number_integer() ||
            (e["when"].is_number_unsigned() &&
             e["when"].get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))) {
            problems.add(errc::journal_invalid,
                         fmt::format("{} (\"{}\") has no integer \"when\" (milliseconds since 1970, within the 64-bit range)", where, m.tag),
                         {.file = jp, .tag = m.tag});
            continue;
        }
        m.when = e["when"].get<std::int64_t>();
        if (e.contains("breakpoints") && e["breakpoints"].is_boolean()) m.breakpoints = e["breakpoints"].get<bool>();

        m.file = dir / (m.tag + ".sql");
        auto bytes = read_sql(m.file);
        if (!bytes) {
            problems.add(errc::migration_missing,
                         fmt::format("no file {} for journal entry {} (\"{}\"): restore it, or remove the entry "
                                     "if the migration was never applied anywhere",
                                     m.file.string(), i, m.tag),
                         {.file = m.file.string(), .tag = m.tag});
            continue;
        }
        if (!load_migration_text(m, *bytes, problems)) continue;
        source.migrations.push_back(std::move(m));
    }
    problems.throw_if_any(dir);
    return source;
}

}  // namespace source
}  // namespace migrate
