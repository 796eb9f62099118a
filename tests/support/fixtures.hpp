// Small drizzle folders written by tests, and the environment the library needs to find its drivers.
#pragma once

#include "temp_dir.hpp"

#include <openssl/sha.h>

#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

namespace testing {

// Writes a drizzle-kit 0.x folder: one journal entry per (tag, sql), `when` = 1000, 2000, ...
inline void write_folder(const std::filesystem::path& dir,
                         const std::vector<std::pair<std::string, std::string>>& migrations,
                         long long first_when = 1000) {
    std::string entries;
    long long when = first_when;
    for (std::size_t i = 0; i < migrations.size(); ++i, when += 1000) {
        if (i) entries += ",";
        entries += "{\"idx\":" + std::to_string(i) + ",\"version\":\"5\",\"when\":" + std::to_string(when) +
                   ",\"tag\":\"" + migrations[i].first + "\",\"breakpoints\":true}";
        write_file(dir / (migrations[i].first + ".sql"), migrations[i].second);
    }
    write_file(dir / "meta" / "_journal.json",
               "{\"version\":\"7\",\"dialect\":\"mysql\",\"entries\":[" + entries + "]}");
}

// sha256 hex of the bytes, computed independently of libmigrate (the oracle for drizzle's hash).
inline std::string plain_sha256(std::string_view bytes) {
    unsigned char d[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), d);
    static constexpr char digits[] = "0123456789abcdef";
    std::string hex;
    for (unsigned char c : d) {
        hex += digits[c >> 4];
        hex += digits[c & 15];
    }
    return hex;
}

}  // namespace testing
