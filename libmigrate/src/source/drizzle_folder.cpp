// drizzle-kit 0.x folder: meta/_journal.json + <tag>.sql, read like drizzle-orm's readMigrationFiles,
// but validated up front: every problem in the folder is reported at once, before any connection.
#include "folder_reading.hpp"
#include "journal_json.hpp"

#include <migrate/error.hpp>
#include <migrate/source.hpp>

#include <fmt/format.h>

#include <optional>
#include <unordered_set>
#include <vector>

namespace migrate {
namespace {

namespace fs = std::filesystem;

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
    return source::parse_drizzle_journal(
        dir, *journal_text, [&dir](const fs::path& file) { return source::read_migration_file(dir, file); });
}

namespace source {

Source parse_drizzle_journal(const fs::path& dir, std::string_view journal_text, const ReadFile& read_sql) {
    const fs::path journal_path = dir / "meta" / "_journal.json";
    const std::string jp = journal_path.string();
    std::vector<JournalEntry> entries = read_journal_entries(journal_text, jp);

    // In order, what needs the entries before it (a repeated tag); the rest per entry, on the threads that
    // read the files (load_entries keeps the entry order of problems).
    std::vector<bool> repeated(entries.size(), false);
    std::unordered_set<std::string_view> seen_tags;  // views into entries, which outlive the set
    for (std::size_t i = 0; i < entries.size(); ++i)
        if (entries[i].is_object && entries[i].tag && !seen_tags.insert(*entries[i].tag).second) repeated[i] = true;

    const std::string folder_prefix = (dir / "").native();
    auto prepare = [&](std::size_t i) {
        FolderEntry out;
        JournalEntry& e = entries[i];
        auto refuse = [&](errc code, std::string line, error_context context) {
            out.problem = Problem{code, std::move(line), std::move(context)};
            return std::move(out);
        };
        const auto where = [&] { return fmt::format("{}: entries[{}]", jp, i); };
        if (!e.is_object) return refuse(errc::journal_invalid, where() + " is not an object", {.file = jp});
        if (!e.tag) return refuse(errc::journal_invalid, where() + " has no string \"tag\"", {.file = jp});
        const std::string& tag = *e.tag;
        if (auto why = tag_problem(tag))
            return refuse(
                errc::tag_invalid,
                fmt::format("{} tag \"{}\" {}: a tag must be a file name in the migrations folder", where(), tag, *why),
                {.file = jp, .tag = tag});
        if (repeated[i])
            return refuse(errc::tag_duplicate,
                          fmt::format("{} repeats tag \"{}\": each migration must appear once in the journal "
                                      "(a bad merge? keep one entry)",
                                      where(), tag),
                          {.file = jp, .tag = tag});
        if (!e.when)
            return refuse(errc::journal_invalid,
                          fmt::format("{} (\"{}\") has no integer \"when\" (milliseconds since 1970, within the "
                                      "64-bit range)",
                                      where(), tag),
                          {.file = jp, .tag = tag});
        Migration& m = out.migration.emplace();
        m.file = fs::path(folder_prefix + tag + ".sql");  // one parse of the whole path: dir / name costs twice
        m.position = i;
        m.tag = tag;
        m.when = *e.when;
        if (e.breakpoints) m.breakpoints = *e.breakpoints;
        return out;
    };

    Source source;
    source.dir = dir;
    Problems problems;
    load_entries(
        entries.size(), prepare, read_sql,
        [](const Migration& m) {
            return Problem{errc::migration_missing,
                           fmt::format("no file {} for journal entry {} (\"{}\"): restore it, or remove the "
                                       "entry if the migration was never applied anywhere",
                                       m.file.string(), m.position, m.tag),
                           {.file = m.file.string(), .tag = m.tag}};
        },
        source.migrations, problems);
    problems.throw_if_any(dir);
    return source;
}

}  // namespace source
}  // namespace migrate
