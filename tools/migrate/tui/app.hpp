// `migrate tui`: the migration TUI (ncurses) over the targets of a project or one --url target.
#pragma once

#include <migrate/project.hpp>
#include <migrate/target.hpp>

#include <vector>

namespace cli::tui {

// Runs until the user quits; returns the exit code (0, or 2 when there is no terminal).
// `run`: the command line's choices for its applies (--to, --allow-*, --no-baseline).
int run_tui(const std::vector<migrate::TargetConfig>& targets, const migrate::UpOptions& run);

}  // namespace cli::tui
