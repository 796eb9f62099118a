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

// Connection settings from one source (the command line, or the environment's MIGRATE_TABLE and
// MIGRATE_LOCK_TIMEOUT); each given one wins over migrate.json's value for the selected targets.
struct ConnectionOverrides {
    std::optional<std::filesystem::path> dir;
    std::optional<std::string> table;
    std::optional<migrate::LockMode> lock;
    std::optional<std::chrono::seconds> lock_timeout;
};

struct TargetRequest {
    std::string command;  // for messages: "repair", "baseline mark"
    TargetPolicy policy = TargetPolicy::several;
    std::string url;                          // --url as given
    std::optional<std::string> database_url;  // $DATABASE_URL
    std::string config;                       // --config as given
    std::vector<std::string> keyspaces;       // --keyspace
    bool all = false;
    // Precedence: flag > environment > migrate.json (or, for a --url target, the defaults).
    ConnectionOverrides flags;
    ConnectionOverrides environment;
    std::filesystem::path working_dir;  // where migrate.json is looked for, upward
};

struct TargetSelection {
    std::vector<migrate::TargetConfig> targets;
    TargetSource source = TargetSource::url;
};

// Only the selected targets' env: values are read: `--keyspace a` needs none of b's secrets.
// Throws UsageError (exit 2) for a choice that cannot be made, migrate::error for a config that cannot
// be loaded or a URL that cannot be parsed.
TargetSelection select_targets(const TargetRequest& request);

}  // namespace cli
