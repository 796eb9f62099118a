// `migrate plan`: what `up` (with the same flags) would do per target, changing nothing.
#include "commands.hpp"
#include "run_choices.hpp"

#include "../dry_run_cli.hpp"
#include "../plan_cli.hpp"

#include <memory>

namespace cli {

Command add_plan_command(CLI::App& app, GlobalOptions& g) {
    auto args = std::make_shared<RunChoices>();
    auto sql = std::make_shared<bool>(false);
    auto* sub = app.add_subcommand(
        "plan", "show what `up` would do per target (steps, statements, refusals, lock); changes nothing");
    sub->footer(
        "Examples:\n  migrate plan --keyspace oi_claims\n"
        "  migrate plan --keyspace oi_claims --sql > pending.sql   # every statement whole, for a client or a review\n"
        "  migrate plan --all --json");
    add_global_options(sub, g, TargetPolicy::several, JsonOutput::document);
    add_run_choices(sub, *args, RunGroup::planetscale_api | RunGroup::validation | RunGroup::no_baseline);
    sub->add_flag("--sql", *sql,
                  "print the SQL up would send instead of the summary: every statement whole and in order, with "
                  "comments naming migration, file, line and how it runs; a script for the mysql/mariadb client");
    return {.app = sub, .name = "plan", .targets = TargetPolicy::several, .run = [args, sql](const Invocation& in) {
                const auto targets = targets_with(*args, in);
                if (*sql) {
                    if (in.global.json)
                        throw UsageError(
                            "migrate plan: --sql prints SQL; with --json each statement's "
                            "\"sql\" is in the document already");
                    return run_dry_run(targets, up_options(args->up, {}));
                }
                // The target's "maxTableCopy" applies unless the command line sets a limit (run_plan).
                return run_plan(targets, up_options(args->up, {}), in.global.json, in.global.jobs);
            }};
}

}  // namespace cli
