// Adding a custom (hand-written) migration to a drizzle-kit folder exactly as
// `drizzle-kit generate --custom [--name NAME]` does, so a folder can grow without Node and drizzle-kit
// keeps generating after it (docs/new-migrations.md).
#pragma once

#include <migrate/export.hpp>
#include <migrate/source.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace migrate {

// drizzle-kit 0.x's `migrations.prefix`: what comes before `_<name>` in the tag (and the snapshot's file
// name). `unix_seconds` is drizzle's "unix" (the bare word is a predefined macro in GNU C++ modes).
enum class MigrationPrefix {
    index,         // 0000, 0001, ... (idx, four digits): drizzle-kit's default
    timestamp,     // UTC YYYYMMDDHHMMSS
    supabase,      // the same as timestamp
    unix_seconds,  // seconds since the epoch
    none,          // nothing: the tag is `_<name>` (drizzle-kit then loses its snapshot chain)
};

// "index", "timestamp", "supabase", "unix", "none" (drizzle-kit's spelling) and back.
MIGRATE_API std::string_view to_string(MigrationPrefix prefix) noexcept;
MIGRATE_API std::optional<MigrationPrefix> parse_migration_prefix(std::string_view text) noexcept;

struct NewMigrationOptions {
    // The tag's suffix (1.0: the folder name after the time). Letters A-Z a-z, digits, '_' and '-' only.
    // Empty: a random <adjective>_<noun>, as drizzle-kit picks one.
    std::string name;
    // 0.x layout only (drizzle 1.0 has no prefix setting): empty means drizzle-kit's default, index.
    std::optional<MigrationPrefix> prefix;
    // The clock in milliseconds since the epoch; empty: the system clock. Tests pin it.
    std::optional<std::int64_t> now_ms;
};

struct NewMigration {
    FolderLayout layout = FolderLayout::drizzle_v0_journal;
    std::string tag;                      // journal tag (0.x) or folder name (1.0)
    std::filesystem::path sql_file;       // <dir>/<tag>.sql, or <dir>/<tag>/migration.sql
    std::filesystem::path snapshot_file;  // <dir>/meta/<prefix>_snapshot.json, or <dir>/<tag>/snapshot.json
    std::filesystem::path journal_file;   // <dir>/meta/_journal.json; empty for 1.0
    std::int64_t when = 0;                // journal `when` (ms); 1.0: the folder time in ms
    std::string snapshot_id;              // the new snapshot's id (random UUID v4)
    std::string previous_id;              // its prevId (1.0: its only prevIds element)
};

// The SQL file's whole content, as drizzle-kit writes it (no newline).
inline constexpr std::string_view custom_migration_header = "-- Custom SQL migration file, put your code below! --";

// Adds one custom migration to the drizzle-kit folder `dir`: the SQL file holding only
// custom_migration_header, a snapshot copied from the newest one under a new id (prevId = its id), and for
// the 0.x layout a journal entry. The layout is read from the folder as read_migrations_folder reads it; a
// folder with neither layout (no meta/ either) is started as a 0.x folder, as drizzle-kit 0.x does. The
// journal is written last, through a temporary file and a rename, so a failure leaves no entry without its
// files (and removes the files it wrote). Throws migrate::error: journal_missing (no such folder, meta/
// without a journal), journal_invalid, tag_invalid (the name), tag_duplicate (the tag or its files exist),
// snapshot_invalid (the newest snapshot unreadable or not drizzle-kit's, two snapshots with one parent),
// config_invalid (a prefix for a 1.0 folder), or the folder readers' errors for a folder they refuse.
MIGRATE_API NewMigration add_custom_migration(const std::filesystem::path& dir, const NewMigrationOptions& options);

}  // namespace migrate
