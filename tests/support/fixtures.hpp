// Small drizzle folders written by tests, and the environment the library needs to find its drivers.
#pragma once

#include "temp_dir.hpp"

#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

namespace testing {

// Writes a drizzle-kit 0.x folder: one journal entry per (tag, sql), `when` = 1000, 2000, ...
inline void write_folder(const std::filesystem::path& dir, const std::vector<std::pair<std::string, std::string>>& migrations,
                         long long first_when = 1000) {
    std::string entries;
    long long when = first_when;
    for (std::size_t i = 0; i < migrations.size(); ++i, when += 1000) {
        if (i) entries += ",";
        entries += "{\"idx\":" + std::to_string(i) + ",\"version\":\"5\",\"when\":" + std::to_string(when) +
                   ",\"tag\":\"" + migrations[i].first + "\",\"breakpoints\":true}";
        write_file(dir / (migrations[i].first + ".sql"), migrations[i].second);
    }
    write_file(dir / "meta" / "_journal.json", "{\"version\":\"7\",\"dialect\":\"mysql\",\"entries\":[" + entries + "]}");
}

}  // namespace testing
