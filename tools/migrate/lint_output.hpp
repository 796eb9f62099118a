// The three renderings of `migrate lint` results (docs/lint.md): human lines, JSON (schemaVersion 1),
// SARIF 2.1.0.
#pragma once

#include <migrate/lint.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace cli {

// One linted folder and what was found in it.
struct LintedFolder {
    std::string name;  // the config target's name, or the folder as given
    std::filesystem::path dir;
    migrate::LintOptions options;
    std::vector<migrate::LintFinding> findings;
};

// A path as shown and as SARIF's artifact URI: relative to the working directory.
std::string display_path(const std::filesystem::path& p);

std::string render_human(const std::vector<LintedFolder>& folders);
std::string render_json(const std::vector<LintedFolder>& folders);
std::string render_sarif(const std::vector<LintedFolder>& folders);

}  // namespace cli
