// meta/_journal.json as JSON: the part of each "entries" element the 0.x reader needs. Validation of
// what the entries say (tags, duplicates, files) is drizzle_folder.cpp's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migrate::source {

// One element of "entries", as JSON.parse would read it (a key given twice counts once, its last value).
struct JournalEntry {
    bool is_object = false;
    std::optional<std::string> tag;    // "tag", when it is a string
    std::optional<std::int64_t> when;  // "when", when it is an integer within the 64-bit signed range
    std::optional<bool> breakpoints;   // "breakpoints", when it is a boolean
};

// The entries of the journal's text. Throws error(journal_invalid) naming `journal_path` (and line and
// column) when the text is not JSON, or not an object with an "entries" array.
std::vector<JournalEntry> read_journal_entries(std::string_view text, const std::string& journal_path);

}  // namespace migrate::source
