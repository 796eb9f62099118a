// Reading a drizzle-kit migrations folder exactly as drizzle-orm's readMigrationFiles does.
#pragma once

#include <migrate/export.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace migrate {

// One chunk of a migration file between `--> statement-breakpoint` markers, sent to the server as is.
struct Statement {
    std::string sql;          // the chunk verbatim (chunks after the first start with "\n", like drizzle's)
    std::size_t chunk = 0;    // 0-based chunk index in the file (whitespace-only chunks are skipped, so gaps are possible)
    std::size_t line = 0;     // 1-based line of the chunk's first non-whitespace character
};

struct Migration {
    std::size_t position = 0;        // 0-based position in the journal's entries array (the apply order)
    std::string tag;                 // journal tag = file stem, e.g. "0003_cloudy_rhino"
    std::int64_t when = 0;           // journal `when` (ms); drizzle records it as created_at
    bool breakpoints = true;         // journal `breakpoints` (drizzle ignores it; so do we)
    std::string hash;                // sha256 hex exactly as drizzle computes it
    std::filesystem::path file;      // <dir>/<tag>.sql
    std::vector<Statement> statements;
};

struct Source {
    std::filesystem::path dir;
    std::vector<Migration> migrations;  // journal order
};

// Reads and validates the whole folder: journal, every file, UTF-8, tags. Throws migrate::error listing
// every problem found (code of the first); nothing is connected to before this succeeds.
MIGRATE_API Source read_drizzle_folder(const std::filesystem::path& dir);

// drizzle's hash of a file's bytes: sha256 of the text after UTF-8 decoding with U+FFFD replacement
// (the bytes themselves when they are valid UTF-8).
MIGRATE_API std::string drizzle_hash(std::string_view file_bytes);

// drizzle's split on "--> statement-breakpoint", keeping chunks verbatim, minus whitespace-only ones.
MIGRATE_API std::vector<Statement> split_statements(std::string_view text);

}  // namespace migrate
