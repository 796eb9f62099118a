// drizzle-kit 1.0 folder: one <YYYYMMDDHHMMSS>_<name>/migration.sql per migration, no journal, read like
// drizzle-orm 1.0's readMigrationFiles, validated up front like the 0.x reader (every problem at once,
// before any connection). read_migrations_folder picks the reader from what the folder holds.
#include "folder_reading.hpp"

#include <migrate/error.hpp>
#include <migrate/source.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <optional>

#include <dirent.h>
#include <sys/stat.h>

namespace migrate {
namespace {

namespace fs = std::filesystem;

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_name_char(char c) {
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '-';
}

// The 14-digit prefix as milliseconds (Date.UTC of its fields); nullopt when it is not a real UTC time
// (Date.UTC would silently roll month 13 or second 60 over; drizzle-kit never writes such a name).
std::optional<std::int64_t> prefix_millis(std::string_view p) {
    auto num = [&](std::size_t pos, std::size_t len) {
        int v = 0;
        for (std::size_t i = pos; i < pos + len; ++i) v = v * 10 + (p[i] - '0');
        return v;
    };
    const int y = num(0, 4), mo = num(4, 2), d = num(6, 2), h = num(8, 2), mi = num(10, 2), s = num(12, 2);
    if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return std::nullopt;
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    static constexpr std::array<int, 12> days_in = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (d > days_in[static_cast<std::size_t>(mo - 1)] + (mo == 2 && leap ? 1 : 0)) return std::nullopt;
    // days_from_civil (H. Hinnant), exact for the proleptic Gregorian calendar Date.UTC uses.
    const int yy = mo <= 2 ? y - 1 : y;
    const int era = (yy >= 0 ? yy : yy - 399) / 400;
    const int yoe = yy - era * 400;
    const int doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    const std::int64_t days = static_cast<std::int64_t>(era) * 146097 + doe - 719468;
    return ((days * 24 + h) * 60 + mi) * 60 * 1000 + static_cast<std::int64_t>(s) * 1000;
}

// Why `name` is not a folder name drizzle-kit 1.0 writes, or nullopt.
std::optional<std::string> folder_name_problem(const std::string& name) {
    if (name.size() < 16 || name[14] != '_' || !std::all_of(name.begin(), name.begin() + 14, is_digit))
        return "does not start with a 14-digit UTC time and '_' (<YYYYMMDDHHMMSS>_<name>, as drizzle-kit 1.0 writes)";
    if (!prefix_millis(std::string_view(name).substr(0, 14)))
        return fmt::format("starts with {}, which is not a valid UTC date and time (YYYYMMDDHHMMSS)",
                           name.substr(0, 14));
    if (!std::all_of(name.begin() + 15, name.end(), is_name_char))
        return "has characters other than ASCII letters, digits, '_' and '-' after the time (drizzle orders "
               "folders by ICU collation, which libmigrate reproduces for these characters only)";
    return std::nullopt;
}

// ICU root collation (what `a.localeCompare(b)` uses in Node with full ICU; CLDR root, alternate =
// non-ignorable) restricted to [A-Za-z0-9_-]: primary weights '_' < '-' < '0'..'9' < letters with case
// ignored, compared over the whole string (a proper prefix sorts first); on a primary tie, the first
// position whose case differs decides, lowercase first (tertiary level). Examples (checked against Node
// in NOTES.md): _a < _X < _x_b < _x1, where byte order gives _X < _a < _x1 < _x_b.
int primary_weight(char c) {
    if (c == '_') return 1;
    if (c == '-') return 2;
    if (is_digit(c)) return 10 + (c - '0');
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return 100 + (c - 'a');
}

}  // namespace

bool drizzle_locale_less(std::string_view a, std::string_view b) {
    const std::size_t n = std::min(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i) {
        const int wa = primary_weight(a[i]), wb = primary_weight(b[i]);
        if (wa != wb) return wa < wb;
    }
    if (a.size() != b.size()) return a.size() < b.size();
    for (std::size_t i = 0; i < n; ++i) {
        const bool la = a[i] >= 'a' && a[i] <= 'z', lb = b[i] >= 'a' && b[i] <= 'z';
        if (a[i] != b[i] && la != lb) return la;  // lowercase before uppercase
    }
    return false;
}

namespace {

// Subfolders that look like drizzle-kit 1.0 migrations (a migration.sql inside, or a name starting with
// the 14-digit time), in directory order. Plain readdir with d_type: this runs on every start, and a 0.x
// folder holds thousands of files that std::filesystem would each turn into a path and a stat.
std::vector<fs::path> v1_folders(const fs::path& dir) {
    std::vector<fs::path> out;
    DIR* listing = ::opendir(dir.c_str());
    if (!listing) return out;
    const int dir_fd = ::dirfd(listing);
    while (const dirent* entry = ::readdir(listing)) {
        const std::string_view name = entry->d_name;
        if (name == "." || name == "..") continue;
        struct stat st {};
        const bool is_dir =
            entry->d_type == DT_DIR || ((entry->d_type == DT_UNKNOWN || entry->d_type == DT_LNK) &&
                                        ::fstatat(dir_fd, entry->d_name, &st, 0) == 0 && S_ISDIR(st.st_mode));
        if (!is_dir) continue;
        const bool timed_name =
            name.size() >= 15 && name[14] == '_' && std::all_of(name.begin(), name.begin() + 14, is_digit);
        if (timed_name || ::fstatat(dir_fd, (std::string(name) + "/migration.sql").c_str(), &st, 0) == 0)
            out.push_back(dir / name);
    }
    ::closedir(listing);
    return out;
}

[[noreturn]] void throw_both_layouts(const fs::path& dir, const std::vector<fs::path>& folders) {
    const fs::path journal = dir / "meta" / "_journal.json";
    throw error(errc::journal_invalid,
                fmt::format("{} holds both drizzle-kit 0.x's journal ({}) and {} drizzle-kit 1.0 migration "
                            "folder(s) (e.g. {}): drizzle-orm 1.0 refuses this (\"We detected that you have old "
                            "drizzle-kit migration folders. You must upgrade drizzle-kit and run \"drizzle-kit "
                            "up\"\"). Finish the conversion with `drizzle-kit up`, or remove the 1.0 folders",
                            dir.string(), journal.string(), folders.size(), folders.front().string()),
                {.file = journal.string()});
}

}  // namespace

Source read_drizzle_v1_folder(const fs::path& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        throw error(errc::journal_missing,
                    fmt::format("migrations folder {} does not exist or is not a directory", dir.string()),
                    {.file = dir.string()});
    const fs::path journal = dir / "meta" / "_journal.json";
    std::vector<fs::path> folders = v1_folders(dir);
    if (fs::exists(journal, ec)) {
        if (!folders.empty()) throw_both_layouts(dir, folders);
        throw error(errc::journal_invalid,
                    fmt::format("{} is a drizzle-kit 0.x folder ({} exists); drizzle-orm 1.0 refuses it: \"We "
                                "detected that you have old drizzle-kit migration folders. You must upgrade "
                                "drizzle-kit and run \"drizzle-kit up\"\"",
                                dir.string(), journal.string()),
                    {.file = journal.string()});
    }

    source::Problems problems;
    // drizzle runs every subfolder holding a migration.sql, whatever its name (a malformed one at a NaN
    // time), and silently ignores a folder without one. We refuse both when the folder looks like a
    // migration: a bad name next to a migration.sql, or a name starting with a digit and no migration.sql.
    std::vector<fs::directory_entry> candidates;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        std::error_code entry_ec;
        if (!entry.is_directory(entry_ec)) continue;  // stray files next to the folders: drizzle ignores them too
        const std::string name = entry.path().filename().string();
        const bool has_sql = fs::exists(entry.path() / "migration.sql", entry_ec);
        if (!has_sql && !(name.size() > 0 && is_digit(name[0]))) continue;  // e.g. a leftover meta/ without journal
        if (auto why = folder_name_problem(name)) {
            problems.add(errc::tag_invalid, fmt::format("{}: folder name \"{}\" {}", entry.path().string(), name, *why),
                         {.file = entry.path().string(), .tag = name});
            continue;
        }
        candidates.push_back(entry);
    }
    if (ec)
        throw error(errc::journal_missing,
                    fmt::format("cannot list migrations folder {}: {}", dir.string(), ec.message()),
                    {.file = dir.string()});
    std::sort(candidates.begin(), candidates.end(), [](const auto& a, const auto& b) {
        return drizzle_locale_less(a.path().filename().string(), b.path().filename().string());
    });

    Source source;
    source.dir = dir;
    source.layout = FolderLayout::drizzle_v1_folders;
    auto prepare = [&](std::size_t i) {
        source::FolderEntry out;
        Migration& m = out.migration.emplace();
        m.tag = candidates[i].path().filename().string();
        m.position = i;
        m.when = *prefix_millis(std::string_view(m.tag).substr(0, 14));
        m.file = candidates[i].path() / "migration.sql";
        return out;
    };
    source::load_entries(
        candidates.size(), prepare, [&dir](const fs::path& file) { return source::read_migration_file(dir, file); },
        [](const Migration& m) {
            return source::Problem{errc::migration_missing,
                                   fmt::format("no file {} in migration folder {}: restore it, or "
                                               "remove the folder if the migration was never applied "
                                               "anywhere",
                                               m.file.string(), m.file.parent_path().string()),
                                   {.file = m.file.string(), .tag = m.tag}};
        },
        source.migrations, problems);
    problems.throw_if_any(dir);
    if (source.migrations.empty())
        throw error(errc::journal_missing,
                    fmt::format("{} holds no drizzle-kit 1.0 migration folders (<YYYYMMDDHHMMSS>_<name>/migration.sql)",
                                dir.string()),
                    {.file = dir.string()});
    return source;
}

Source read_migrations_folder(const fs::path& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return read_drizzle_folder(dir);  // its error names the folder
    const bool journal = fs::exists(dir / "meta" / "_journal.json", ec);
    std::vector<fs::path> folders = v1_folders(dir);
    if (journal && !folders.empty()) throw_both_layouts(dir, folders);
    if (!journal && !folders.empty()) return read_drizzle_v1_folder(dir);
    return read_drizzle_folder(dir);  // the 0.x journal, or the 0.x reader's "no journal" error
}

}  // namespace migrate
