// What both folder readers (drizzle 0.x journal, drizzle 1.0 folders) share: reading a file, collecting
// every problem of a folder into one error, and turning a migration file's bytes into hash + statements.
#pragma once

#include <migrate/error.hpp>
#include <migrate/source.hpp>

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace migrate::source {

// A regular file's bytes; nullopt when it is missing, unreadable or not a regular file.
std::optional<std::string> read_file(const std::filesystem::path& path);

// Thrown by read_migration_file for a symbolic link that leads outside the migrations folder; load_entries
// turns it into that entry's problem (migration_outside_folder).
struct LinkOutsideFolder {
    std::filesystem::path target;  // where the link leads (resolved)
    std::filesystem::path folder;  // the migrations folder (resolved)
};

// read_file for a migration file of `folder`: a symbolic link is followed only when it leads to a file
// inside the folder (throws LinkOutsideFolder otherwise). Costs nothing for plain files: they are opened
// with O_NOFOLLOW, and only a link (ELOOP) is resolved.
std::optional<std::string> read_migration_file(const std::filesystem::path& folder, const std::filesystem::path& path);

// Lowercase hex SHA-256 of the bytes (drizzle_hash without the UTF-8 decoding step).
std::string sha256_hex(std::string_view data);

// A drizzle 1.0 folder's time prefix, YYYYMMDDHHMMSS in UTC, for `seconds` since the epoch (what drizzle-kit
// 1.0 names a new folder with; `migrate new` and rebase write it, the 1.0 reader reads it back).
std::string utc_stamp(std::int64_t seconds);

// One thing wrong with a folder: its code, the line the error lists, where it is.
struct Problem {
    errc code;
    std::string line;
    error_context context;
};

// Collects every problem; the first one's code becomes the error's code.
struct Problems {
    std::optional<errc> first_code;
    error_context first_context;
    std::vector<std::string> lines;

    void add(Problem problem);
    void add(errc code, std::string line, error_context context = {}) {
        add({code, std::move(line), std::move(context)});
    }
    void throw_if_any(const std::filesystem::path& dir);
};

// Fills m.hash (drizzle's), m.text (the bytes, taken over) and m.statements (views into m.text) from the
// file's bytes. A file that is not UTF-8 is a problem (naming line, column, byte and the hash drizzle
// would record).
std::optional<Problem> load_migration_text(Migration& m, std::string bytes);

// A migration file's bytes, or nullopt when it is missing or unreadable.
using ReadFile = std::function<std::optional<std::string>(const std::filesystem::path&)>;

// A journal entry or folder a reader has validated, before its file is read: a migration (with `file`
// set) or the problem that refused it.
struct FolderEntry {
    std::optional<Migration> migration;
    std::optional<Problem> problem;
};

// Builds each entry with `prepare(i)` (i < count), reads its migration file through `read_sql`
// (nullopt: the problem `missing` describes) and loads its text; then, in entry order, appends the
// migrations to `out` and the problems to `problems`, so the first problem is the folder's first whichever
// thread found it. Large folders are prepared and read by several threads (a no-op start reads every
// file): `prepare` and `read_sql` must be safe to call concurrently.
void load_entries(std::size_t count, const std::function<FolderEntry(std::size_t)>& prepare, const ReadFile& read_sql,
                  const std::function<Problem(const Migration&)>& missing, std::vector<Migration>& out,
                  Problems& problems);

// The 0.x reader past the disk: the journal's text (as if read from <dir>/meta/_journal.json) and each
// <tag>.sql through `read_sql`. read_drizzle_folder is this over the file system; fuzz/journal.cpp feeds
// it from memory.
Source parse_drizzle_journal(const std::filesystem::path& dir, std::string_view journal_text, const ReadFile& read_sql);

}  // namespace migrate::source
