// Options several commands share beyond the global ones: what `up` may do (up, plan), how long a
// statement may wait for other sessions' locks (up, tui), and the run's deploy-request choices.
#pragma once

#include "../planetscale_cli.hpp"
#include "command.hpp"

#include <migrate/target.hpp>

#include <atomic>
#include <optional>
#include <string>

namespace cli {

// Ctrl-C / SIGTERM: stop between statements with progress recorded and the lock released.
extern std::atomic<bool> cancel_requested;
void stop_on_interrupt_signals();

// --allow-out-of-order, --allow-missing, --allow-dirty, --to, --max-table-copy, --no-baseline.
struct UpChoices {
    bool allow_out_of_order = false;
    bool allow_missing = false;
    bool allow_dirty = false;
    bool no_baseline = false;
    std::string to;
    std::string max_table_copy;  // as given; parsed by up_options
};
void add_validation_overrides(CLI::App* command, UpChoices& choices);  // all but --no-baseline
void add_no_baseline(CLI::App* command, bool& no_baseline);
// The run's options for target `t`: --max-table-copy wins over the target's "maxTableCopy".
// Throws UsageError for an unreadable SIZE.
migrate::UpOptions up_options(const UpChoices& choices, const migrate::TargetConfig& t);

// --statement-lock-wait, --statement-lock-budget: given, they win over the target's (config) values.
struct StatementLockChoices {
    std::optional<int> wait_s;  // 0 = off
    std::optional<int> budget_s;
};
void add_statement_lock_options(CLI::App* command, StatementLockChoices& choices);
void apply_statement_lock_choices(const StatementLockChoices& choices, std::vector<migrate::TargetConfig>& targets);

// The deploy requests of the selected targets: a --url target's from --planetscale-*, a project target's
// from migrate.json (--planetscale-org is then a usage error); the run's choices apply to both.
void apply_planetscale_choices(const PlanetScaleArgs& args, TargetSource source,
                               std::vector<migrate::TargetConfig>& targets);

// --no-baseline: an empty database replays the migrations.
void apply_no_baseline(bool no_baseline, std::vector<migrate::TargetConfig>& targets);

// The groups above as a command takes them: each command names its groups once (add_run_choices) and gets
// its targets with every group it declared applied (targets_with), so up, tui, plan and status cannot
// drift apart in how an option is spelled, described or applied.
enum class RunGroup : unsigned {
    statement_locks = 1,  // --statement-lock-wait, --statement-lock-budget
    planetscale_api = 2,  // --planetscale-* and --from-branch: where the deploy requests are (reads only)
    deploys = 4,          // planetscale_api plus how this run deploys: --cutover, --revert-window, …
    validation = 8,       // --allow-*, --to, --max-table-copy
    no_baseline = 16,     // --no-baseline
};
constexpr RunGroup operator|(RunGroup a, RunGroup b) {
    return static_cast<RunGroup>(static_cast<unsigned>(a) | static_cast<unsigned>(b));
}
constexpr bool has(RunGroup set, RunGroup g) { return (static_cast<unsigned>(set) & static_cast<unsigned>(g)) != 0; }

struct RunChoices {
    RunGroup groups{};
    UpChoices up;
    StatementLockChoices statement_locks;
    PlanetScaleArgs planetscale;
};
// Declares `groups` on the command, in the order --help lists them: statement locks, PlanetScale,
// validation, --no-baseline.
void add_run_choices(CLI::App* command, RunChoices& choices, RunGroup groups);
// The invocation's targets with the declared groups' choices applied.
std::vector<migrate::TargetConfig> targets_with(const RunChoices& choices, const Invocation& in);

}  // namespace cli
