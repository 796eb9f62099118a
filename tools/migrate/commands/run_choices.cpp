#include "run_choices.hpp"

#include <migrate/migrate.hpp>

#include <fmt/format.h>

#include <csignal>

namespace cli {

std::atomic<bool> cancel_requested{false};

namespace {
extern "C" void on_signal(int) { cancel_requested = true; }
}  // namespace

void stop_on_interrupt_signals() {
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
}

void add_validation_overrides(CLI::App* sub, UpChoices& c) {
    sub->add_flag("--allow-out-of-order", c.allow_out_of_order,
                  "apply entries older than the newest applied one (drizzle skips them forever)");
    sub->add_flag("--allow-missing", c.allow_missing, "proceed although applied rows match no journal entry");
    sub->add_flag("--allow-dirty", c.allow_dirty,
                  "apply every migration to a database that has tables but records none (instead: baseline mark)");
    sub->add_option("--to", c.to, "stop after this migration (tag)");
    sub->add_option("--max-table-copy", c.max_table_copy,
                    "refuse, before running anything, a statement that rebuilds or copies a table bigger than "
                    "SIZE (e.g. 1GiB, 500MB; default: no limit, or the target's maxTableCopy); docs/online-ddl.md");
}

void add_no_baseline(CLI::App* sub, bool& no_baseline) {
    sub->add_flag("--no-baseline", no_baseline,
                  "an empty database replays the migrations instead of loading the baseline");
}

migrate::UpOptions up_options(const UpChoices& c, const migrate::TargetConfig& t) {
    std::optional<std::uint64_t> max_copy = t.max_table_copy_bytes;
    if (!c.max_table_copy.empty()) {
        max_copy = migrate::parse_byte_size(c.max_table_copy);
        if (!max_copy)
            throw UsageError(
                fmt::format("migrate: --max-table-copy: \"{}\" is not a size: give bytes or a number with "
                            "a unit, e.g. 1GiB, 1G (1024^3), 500MB (1000^2)",
                            c.max_table_copy));
    }
    return {.allow_out_of_order = c.allow_out_of_order,
            .allow_missing = c.allow_missing,
            .allow_dirty = c.allow_dirty,
            .use_baseline = !c.no_baseline,
            .to = c.to.empty() ? std::nullopt : std::optional(c.to),
            .cancel = &cancel_requested,
            .max_table_copy_bytes = max_copy};
}

void add_statement_lock_options(CLI::App* sub, StatementLockChoices& c) {
    sub->add_option("--statement-lock-wait", c.wait_s,
                    "seconds one attempt of a statement may wait for a table or row lock another session holds "
                    "(the application's queries queue behind it meanwhile); then it is retried. 0: no limit but "
                    "the server's own (default 3; docs/safety.md)")
        ->check(CLI::Range(0, 86400));
    sub->add_option("--statement-lock-budget", c.budget_s,
                    "seconds of retries before a statement blocked by other sessions gives up, naming them "
                    "(exit 6; default 120)")
        ->check(CLI::Range(1, 86400));
}

void apply_statement_lock_choices(const StatementLockChoices& c, std::vector<migrate::TargetConfig>& targets) {
    for (auto& t : targets) {
        if (c.wait_s) t.lock_waits.per_attempt = std::chrono::seconds(*c.wait_s);
        if (c.budget_s) t.lock_waits.total = std::chrono::seconds(*c.budget_s);
    }
}

void apply_planetscale_choices(const PlanetScaleArgs& args, TargetSource source,
                               std::vector<migrate::TargetConfig>& targets) {
    if (source == TargetSource::project && !args.organization.empty())
        throw UsageError(
            "migrate: --planetscale-org cannot be combined with a project config: set the target's "
            "\"planetscale\" there");
    for (auto& t : targets) {
        if (source == TargetSource::url) t.deploy_requests = planetscale_target(args, t.name);
        apply_deploy_choices(args, t.deploy_requests);
    }
}

void apply_no_baseline(bool no_baseline, std::vector<migrate::TargetConfig>& targets) {
    if (no_baseline)
        for (auto& t : targets) t.use_baseline = false;
}

void add_run_choices(CLI::App* sub, RunChoices& c, RunGroup groups) {
    c.groups = groups;
    if (has(groups, RunGroup::statement_locks)) add_statement_lock_options(sub, c.statement_locks);
    if (has(groups, RunGroup::planetscale_api) || has(groups, RunGroup::deploys))
        add_planetscale_options(sub, c.planetscale, has(groups, RunGroup::deploys));
    if (has(groups, RunGroup::validation)) add_validation_overrides(sub, c.up);
    if (has(groups, RunGroup::no_baseline)) add_no_baseline(sub, c.up.no_baseline);
}

std::vector<migrate::TargetConfig> targets_with(const RunChoices& c, const Invocation& in) {
    auto targets = in.targets;
    if (has(c.groups, RunGroup::statement_locks)) apply_statement_lock_choices(c.statement_locks, targets);
    if (has(c.groups, RunGroup::planetscale_api) || has(c.groups, RunGroup::deploys))
        apply_planetscale_choices(c.planetscale, in.source, targets);
    if (has(c.groups, RunGroup::no_baseline)) apply_no_baseline(c.up.no_baseline, targets);
    return targets;
}

}  // namespace cli
