// A project config (migrate.json): several named targets, each a database and its migrations folder.
//
//   {"targets": {
//      "oi_global": {"url": "env:OI_GLOBAL_URL", "migrations": "oi_global"},
//      "oi_claims": {"host": "127.0.0.1", "port": 13306, "user": "migrate",
//                    "password": "env:MIGRATE_DB_PASSWORD", "database": "oi_claims",
//                    "migrations": "oi_claims", "table": "__drizzle_migrations",
//                    "lock": "session", "lockTimeout": 300, "baseline": "oi_claims/baseline"}}}
//
// Format, keys and rules: docs/config.md. Every problem is a migrate::error(errc::config_invalid) naming
// the file, the target and the key (url problems keep errc::url_invalid); no message holds a password.
#pragma once

#include <migrate/export.hpp>
#include <migrate/flavor.hpp>
#include <migrate/lint.hpp>
#include <migrate/target.hpp>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migrate {

struct TargetConfig {
    std::string name;
    std::string url;                       // resolved: env: read, Hyperdrive-style fields joined
    std::filesystem::path migrations_dir;  // resolved against the config file's folder
    std::string table = "__drizzle_migrations";
    LockMode lock_mode = LockMode::session;
    std::chrono::seconds lock_timeout{300};
    LockWaits lock_waits{};              // "statementLockWait", "statementLockBudget"
    std::filesystem::path baseline_dir;  // "baseline": a folder (resolved); empty: <migrations>/baseline
    bool use_baseline = true;            // "baseline": false
    // What the server accepts, for `migrate lint` (docs/lint.md).
    std::optional<Flavor> flavor;                         // "flavor": mysql, mariadb, vitess, planetscale
    bool sharded = false;                                 // "sharded": a sharded Vitess keyspace
    bool foreign_keys = true;                             // "foreignKeys": false when the server refuses them
    std::optional<std::uint64_t> max_table_copy_bytes;    // "maxTableCopy": `up`/`plan` refuse bigger table copies
                                                          // (UpOptions::max_table_copy_bytes, unless the run sets it)
    std::optional<DeployRequestOptions> deploy_requests;  // "planetscale": deploy requests (docs/planetscale.md)

    // How `migrate lint` (and plan, the TUI) check this target's folder.
    LintOptions lint_options() const {
        return {.flavor = flavor.value_or(Flavor::mysql), .sharded = sharded, .foreign_keys = foreign_keys};
    }

    // What Target::open needs.
    TargetOptions options() const {
        return {.url = url,
                .migrations_dir = migrations_dir,
                .table = table,
                .lock_mode = lock_mode,
                .lock_timeout = lock_timeout,
                .lock_waits = lock_waits,
                .baseline_dir = baseline_dir,
                .use_baseline = use_baseline,
                .deploy_requests = deploy_requests};
    }
};

struct ProjectConfig {
    std::filesystem::path file;
    std::vector<TargetConfig> targets;  // in the order of the file

    // The target called `name`, or nullptr.
    const TargetConfig* find(std::string_view name) const {
        for (const auto& t : targets)
            if (t.name == name) return &t;
        return nullptr;
    }
};

// Reads and validates `file` (reading env: variables now). Throws migrate::error.
MIGRATE_API ProjectConfig load_project_config(const std::filesystem::path& file);
// The same from text; `file` is used for messages and to resolve relative migrations folders.
MIGRATE_API ProjectConfig parse_project_config(std::string_view text, const std::filesystem::path& file);
// For commands that never connect (lint): every key is checked, but env: values are not read and
// TargetConfig::url is left empty, so no secret needs to be set.
MIGRATE_API ProjectConfig load_project_folders(const std::filesystem::path& file);
MIGRATE_API ProjectConfig parse_project_folders(std::string_view text, const std::filesystem::path& file);
// For commands on some of the targets: every key of every target is checked as load_project_folders does,
// and only the targets in `names` are returned (in the file's order), their env: values read: the other
// targets' secrets need not be set. A name the file lacks is left out.
MIGRATE_API ProjectConfig load_project_targets(const std::filesystem::path& file,
                                               const std::vector<std::string>& names);
MIGRATE_API ProjectConfig parse_project_targets(std::string_view text, const std::filesystem::path& file,
                                                const std::vector<std::string>& names);
// migrate.json in `start` or the nearest parent that has one; nullopt if none up to the root.
MIGRATE_API std::optional<std::filesystem::path> find_project_config(std::filesystem::path start);

}  // namespace migrate
