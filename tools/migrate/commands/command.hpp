// What a `migrate` command is: a subcommand it adds to the app (with its own options), which targets it
// works on, and a run function main calls when it was parsed. One file per command in this folder;
// adding a command is adding a file and a line in commands.hpp.
#pragma once

#include "../stdout_guard.hpp"
#include "../target_selection.hpp"

#include <migrate/project.hpp>

#include <CLI/CLI.hpp>

#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace cli {

// The options every command shares, declared once (global_options.cpp). Which of them a command takes
// follows from its TargetPolicy and JsonOutput.
struct GlobalOptions {
    std::string url;              // --url (default: $DATABASE_URL)
    std::string dir = "drizzle";  // --dir
    std::string table = "__drizzle_migrations";
    std::string lock = "session";  // --lock session|lease
    int lock_timeout_s = 300;
    std::string config;                  // --config (default: migrate.json here or upward)
    std::vector<std::string> keyspaces;  // --keyspace, repeatable
    bool all = false;
    int jobs = 0;  // 0 = one thread per target
    bool json = false;
    bool quiet = false;
    bool no_color = false;
};

// Whether a command prints a --json document.
enum class JsonOutput { document, none };

// What main hands a command's run function.
struct Invocation {
    const GlobalOptions& global;
    std::vector<migrate::TargetConfig> targets;  // empty for commands with TargetPolicy::none
    TargetSource source = TargetSource::url;
    bool several() const { return targets.size() > 1; }
};

struct Command {
    CLI::App* app = nullptr;  // the subcommand; main runs the one that was parsed
    std::string name;         // for --json's "command": "status", "baseline create", …
    TargetPolicy targets = TargetPolicy::none;
    ClosedStdout on_closed_stdout = ClosedStdout::stop_quietly;  // when stdout's reader goes away
    std::function<int(const Invocation&)> run;
};

// Adds the shared options a command takes (global_options.cpp): the connection and project options for
// commands with targets (--all/--jobs for those taking several), --json for JsonOutput::document, and
// -q/--quiet, --no-color for every command.
void add_global_options(CLI::App* command, GlobalOptions& g, TargetPolicy targets, JsonOutput json);

// -y/--yes: the commands that ask before changing a database (repair, revert, baseline mark).
void add_yes_flag(CLI::App* command, bool& yes);

// The group `baseline` (create, verify, mark hang under it), added on first use.
CLI::App* baseline_group(CLI::App& app);

}  // namespace cli
