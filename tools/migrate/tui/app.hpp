// `migrate tui`: the migration TUI (ncurses) over the targets of a project or one --url target.
#pragma once

#include <migrate/project.hpp>

#include <vector>

namespace cli::tui {

// Runs until the user quits; returns the exit code (0, or 2 when there is no terminal).
int run_tui(const std::vector<migrate::TargetConfig>& targets);

}  // namespace cli::tui
