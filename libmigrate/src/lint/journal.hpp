// Reading a 0.x journal for lint: every problem a finding, and the entries that still name a file. Internal.
#pragma once

#include <migrate/lint.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace migrate::lint {

struct JournalCheck {
    bool present = false;               // meta/_journal.json exists
    std::vector<LintFinding> findings;  // journal-* rules (severities as on MySQL; the sink re-rates them)
    std::vector<std::string> tags;      // entries in order whose <tag>.sql exists, each tag once
};

JournalCheck check_journal(const std::filesystem::path& dir);

}  // namespace migrate::lint
