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

std::optional<std::string> read_file(const std::filesystem::path& path);

// Collects every problem; the first one's code becomes the error's code.
struct Problems {
    std::optional<errc> first_code;
    error_context first_context;
    std::vector<std::string> lines;

    void add(errc code, std::string line, error_context context = {});
    void throw_if_any(const std::filesystem::path& dir);
};

// Fills m.hash (drizzle's) and m.statements from the file's bytes. A file that is not UTF-8 is recorded
// as a problem (naming line, column, byte and the hash drizzle would record) and false is returned.
bool load_migration_text(Migration& m, std::string_view bytes, Problems& problems);

// A migration file's bytes, or nullopt when it is missing or unreadable.
using ReadFile = std::function<std::optional<std::string>(const std::filesystem::path&)>;

// The 0.x reader past the disk: the journal's text (as if read from <dir>/meta/_journal.json) and each
// <tag>.sql through `read_sql`. read_drizzle_folder is this over the file system; fuzz/journal.cpp feeds
// it from memory.
Source parse_drizzle_journal(const std::filesystem::path& dir, std::string_view journal_text, const ReadFile& read_sql);

}  // namespace migrate::source
