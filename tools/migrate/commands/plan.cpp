// `migrate plan`: what `up` (with the same flags) would do per target, changing nothing.
#include "commands.hpp"
#include "run_choices.hpp"

#include "../plan_cli.hpp"

#include <memory>

namespace cli {

Command add_plan_command(CLI::App& app, GlobalOptions& g) {
    auto args = std::make_shared<RunChoices>();
    auto* sub = app.add_subcommand(
        "plan", "show what `up` would do per target (steps, statements, refusals, lock); changes nothing");
    sub->footer(
        "Examples:\n  migrate plan --keyspace oi_claims        # paste into a deploy request\n"
        "  migrate plan --all --json");
    add_global_options(sub, g, TargetPolicy::several, JsonOutput::document);
    add_run_choices(sub, *args, RunGroup::planetscale_api | RunGroup::validation | RunGroup::no_baseline);
    return {.app = sub, .name = "plan", .targets = TargetPolicy::several, .run = [args](const Invocation& in) {
                const auto targets = targets_with(*args, in);
                // The target's "maxTableCopy" applies unless the command line sets a limit (run_plan).
                return run_plan(targets, up_options(args->up, {}), in.global.json, in.global.jobs);
            }};
}

}  // namespace cli
