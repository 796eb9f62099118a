// `migrate tui`: the migration TUI (tools/migrate/tui, docs/tui.md).
#include "commands.hpp"
#include "run_choices.hpp"

#include "../tui/app.hpp"

#include <memory>

namespace cli {

Command add_tui_command(CLI::App& app, GlobalOptions& g) {
    auto args = std::make_shared<RunChoices>();  // its applies: --to, --allow-*, --no-baseline, --max-table-copy
    auto* sub =
        app.add_subcommand("tui", "the migration TUI: targets, migrations, statements; apply with live progress");
    sub->footer(
        "Examples:\n  migrate tui                              # every target of ./migrate.json\n"
        "  migrate tui --keyspace oi_claims\n  NO_COLOR=1 migrate tui --url mysql://app@db/app --dir drizzle");
    add_global_options(sub, g, TargetPolicy::every_by_default, JsonOutput::none);
    add_run_choices(sub, *args,
                    RunGroup::statement_locks | RunGroup::deploys | RunGroup::validation | RunGroup::no_baseline);
    return {.app = sub,
            .name = "tui",
            .targets = TargetPolicy::every_by_default,
            .on_closed_stdout = ClosedStdout::untouched,
            .run = [args](const Invocation& in) {
                return tui::run_tui(targets_with(*args, in), up_options(args->up, {}));
            }};
}

}  // namespace cli
