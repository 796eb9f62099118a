// What both folder readers (drizzle 0.x journal, drizzle 1.0 folders) share: reading a file, collecting
// every problem of a folder into one error, and turning a migration file's bytes into hash + statements.
#pragma once

#include <migrate/error.hpp>
#include <migrate/source.hpp>

#include <filesystem>
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

}  // namespace migrate::source
