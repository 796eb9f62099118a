// The three renderings of `migrate lint` results (docs/lint.md): human lines, JSON (schemaVersion 1),
// SARIF 2.1.0.
#pragma once

#include <migrate/lint.hpp>
#include <migrate/result_json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace cli {

// One linted folder and what was found in it (the library's, whose lint_json the JSON rendering is).
using migrate::LintedFolder;

// A path as shown and as SARIF's artifact URI: relative to the working directory.
using migrate::display_path;

std::string render_human(const std::vector<LintedFolder>& folders);
std::string render_json(const std::vector<LintedFolder>& folders);
std::string render_sarif(const std::vector<LintedFolder>& folders);

}  // namespace cli
