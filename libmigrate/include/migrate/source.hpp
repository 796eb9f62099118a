// Reading a drizzle-kit migrations folder exactly as drizzle-orm's readMigrationFiles does.
#pragma once

#include <migrate/export.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace migrate {

// One chunk of a migration file between `--> statement-breakpoint` markers, sent to the server as is.
// `sql` views the text of the file it came from (Migration::text), never a copy of it: a migration file of
// hundreds of MB (bulk INSERTs) is held in memory once (docs/benchmarks.md, big-file).
struct Statement {
    std::string_view sql;  // the chunk verbatim (chunks after the first start with "\n", like drizzle's)
    std::size_t chunk =
        0;                 // 0-based chunk index in the file (whitespace-only chunks are skipped, so gaps are possible)
    std::size_t line = 0;  // 1-based line of the chunk's first non-whitespace character
};

struct Migration {
    std::size_t position = 0;           // 0-based position in the journal's entries array (the apply order);
                                        // 1.0 layout: position in drizzle's sorted folder order
    std::string tag;                    // journal tag = file stem, e.g. "0003_cloudy_rhino";
                                        // 1.0 layout: the folder name, e.g. "20261128054450_secret_jack_murdock"
    std::int64_t when = 0;              // journal `when` (ms); drizzle records it as created_at;
                                        // 1.0 layout: Date.UTC of the folder's 14-digit prefix (whole seconds)
    bool breakpoints = true;            // journal `breakpoints` (drizzle ignores it; so do we)
    std::string hash;                   // sha256 hex exactly as drizzle computes it
    std::filesystem::path file;         // <dir>/<tag>.sql; 1.0 layout: <dir>/<tag>/migration.sql
    std::vector<Statement> statements;  // views into *text
    // The file's bytes, which `statements` view. Shared, never changed: copies of a Migration (and of a
    // Source) share one buffer, and the views stay valid as long as any copy lives.
    std::shared_ptr<const std::string> text;
};

// Which drizzle-kit wrote the folder: 0.x (meta/_journal.json + <tag>.sql) or 1.0
// (<YYYYMMDDHHMMSS>_<name>/migration.sql, no journal). It decides the tracking table's DDL and the
// pending rule (docs/compatibility.md, "drizzle 1.0 layout").
enum class FolderLayout { drizzle_v0_journal, drizzle_v1_folders };

struct Source {
    std::filesystem::path dir;
    std::vector<Migration> migrations;  // journal order (1.0: drizzle's folder order)
    FolderLayout layout = FolderLayout::drizzle_v0_journal;
};

// Reads and validates the whole folder: journal, every file, UTF-8, tags. Throws migrate::error listing
// every problem found (code of the first); nothing is connected to before this succeeds.
MIGRATE_API Source read_drizzle_folder(const std::filesystem::path& dir);

// Reads a drizzle-kit 1.0 folder like drizzle-orm 1.0's readMigrationFiles: every <YYYYMMDDHHMMSS>_<name>/
// subfolder's migration.sql (snapshot.json is ignored), sorted as drizzle sorts (drizzle_locale_less),
// `when` = the prefix as UTC milliseconds, tag = the folder name. Refuses a folder holding
// meta/_journal.json (as drizzle 1.0 does), bad folder names, missing migration.sql and non-UTF-8 files,
// listing every problem at once.
MIGRATE_API Source read_drizzle_v1_folder(const std::filesystem::path& dir);

// Picks the reader from the folder: meta/_journal.json → read_drizzle_folder; 1.0 migration folders and
// no journal → read_drizzle_v1_folder; both → error (drizzle 1.0: run "drizzle-kit up"); neither → the
// 0.x reader's "journal not found" error.
MIGRATE_API Source read_migrations_folder(const std::filesystem::path& dir);

// drizzle 1.0's folder order, `a.localeCompare(b) < 0` (ICU root collation, non-ignorable) for names made
// of ASCII letters, digits, '_' and '-' (the only characters read_drizzle_v1_folder accepts after the
// time): '_' < '-' < digits < letters, letters compared case-blind first, then lowercase before uppercase
// at the first case difference. E.g. x_a < x_B < x_b_c < x_b1 (byte order: x_B < x_a < x_b1 < x_b_c).
MIGRATE_API bool drizzle_locale_less(std::string_view a, std::string_view b);

// drizzle's hash of a file's bytes: sha256 of the text after UTF-8 decoding with U+FFFD replacement
// (the bytes themselves when they are valid UTF-8).
MIGRATE_API std::string drizzle_hash(std::string_view file_bytes);

// drizzle's split on "--> statement-breakpoint", keeping chunks verbatim, minus whitespace-only ones.
// The statements view `text`, which must outlive them.
MIGRATE_API std::vector<Statement> split_statements(std::string_view text);

}  // namespace migrate
