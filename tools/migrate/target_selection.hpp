// Which targets a command works on: one --url target, or targets of a project config chosen with
// --keyspace / --all (docs/cli.md, "Several targets"). Kept apart from parsing so it can be unit tested.
#pragma once

#include <migrate/project.hpp>

#include <chrono>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace cli {

// A usage mistake found after parsing; the message is the whole line main prints (exit 2).
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// How many targets a command works on.
enum class TargetPolicy {
    none,              // no database targets (version; lint chooses folders itself)
    exactly_one,       // repair, resolve, revert, baseline mark: several need --keyspace NAME
    several,           // status, up, plan, …: a config with several targets needs --keyspace or --all
    every_by_default,  // tui: every target of the project unless --keyspace narrows it
};

// Where the selected targets came from.
enum class TargetSource { url, project };

struct TargetRequest {
    std::string command;                       // for messages: "repair", "baseline mark"
    TargetPolicy policy = TargetPolicy::several;
    std::string url;                           // --url as given
    std::optional<std::string> database_url;   // $DATABASE_URL
    std::string config;                        // --config as given
    std::vector<std::string> keyspaces;        // --keyspace
    bool all = false;
    // The connection options as given; a flag given on the command line must not be ignored for a config.
    std::string dir = "drizzle", table = "__drizzle_migrations";
    migrate::LockMode lock = migrate::LockMode::session;
    std::chrono::seconds lock_timeout{300};
    std::vector<std::string> connection_flags_given;  // of --dir, --table, --lock, --lock-timeout
    std::filesystem::path working_dir;                // where migrate.json is looked for, upward
};

struct TargetSelection {
    std::vector<migrate::TargetConfig> targets;
    TargetSource source = TargetSource::url;
};

// Throws UsageError (exit 2) for a choice that cannot be made, migrate::error for a config that cannot
// be loaded or a URL that cannot be parsed.
TargetSelection select_targets(const TargetRequest& request);

}  // namespace cli
