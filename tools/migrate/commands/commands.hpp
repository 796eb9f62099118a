// Every `migrate` command, one file each in this folder. main builds the app from this list, in the
// order `migrate --help` shows them.
#pragma once

#include "command.hpp"

#include <array>

namespace cli {

Command add_status_command(CLI::App& app, GlobalOptions& g);
Command add_up_command(CLI::App& app, GlobalOptions& g);
Command add_repair_command(CLI::App& app, GlobalOptions& g);
Command add_resolve_command(CLI::App& app, GlobalOptions& g);
Command add_revert_command(CLI::App& app, GlobalOptions& g);
Command add_plan_command(CLI::App& app, GlobalOptions& g);
Command add_version_command(CLI::App& app, GlobalOptions& g);
Command add_tui_command(CLI::App& app, GlobalOptions& g);
Command add_baseline_create_command(CLI::App& app, GlobalOptions& g);
Command add_baseline_verify_command(CLI::App& app, GlobalOptions& g);
Command add_baseline_mark_command(CLI::App& app, GlobalOptions& g);
Command add_verify_command(CLI::App& app, GlobalOptions& g);
Command add_lint_command(CLI::App& app, GlobalOptions& g);
Command add_new_command(CLI::App& app, GlobalOptions& g);
Command add_rebase_command(CLI::App& app, GlobalOptions& g);

using AddCommand = Command (*)(CLI::App&, GlobalOptions&);
inline constexpr std::array all_commands = {
    &add_status_command,
    &add_up_command,
    &add_repair_command,
    &add_resolve_command,
    &add_revert_command,
    &add_plan_command,
    &add_version_command,
    &add_tui_command,
    &add_baseline_create_command,
    &add_baseline_verify_command,
    &add_baseline_mark_command,
    &add_verify_command,
    &add_lint_command,
    &add_new_command,
    &add_rebase_command,
};

// `migrate --version` is `migrate version` (version.cpp).
int run_version(const GlobalOptions& g);

}  // namespace cli
