// A directory under the system temp dir, removed when the object goes away.
#pragma once

#include <filesystem>
#include <string_view>
#include <vector>

namespace testing {

class TempDir {
  public:
    explicit TempDir(std::string_view prefix = "libmigrate-test");
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }

  private:
    std::filesystem::path path_;
};

// Writes `bytes` to `path`, creating parent directories.
void write_file(const std::filesystem::path& path, std::string_view bytes);
std::string read_file(const std::filesystem::path& path);
// The statements of a corpus query dump (dumps/*.queries.sql): what drizzle sent, separated by "-- ;;" lines.
std::vector<std::string> read_query_dump(const std::filesystem::path& path);

// Copies a drizzle folder keeping only the first `count` journal entries (and their .sql files).
void copy_folder_prefix(const std::filesystem::path& from, const std::filesystem::path& to, std::size_t count);
// Number of entries in a folder's journal.
std::size_t journal_size(const std::filesystem::path& folder);

// <source>/examples/openinsure/<name>
std::filesystem::path corpus_folder(std::string_view name);

}  // namespace testing
