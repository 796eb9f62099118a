// `migrate tui`: the migration TUI (tools/migrate/tui, docs/tui.md).
#include "commands.hpp"
#include "run_choices.hpp"

#include "../tui/app.hpp"

#include <memory>

namespace cli {
namespace {

struct TuiArgs {
    UpChoices up;  // its applies: --to, --allow-*, --no-baseline, --max-table-copy
    StatementLockChoices statement_locks;
    PlanetScaleArgs planetscale;
};

}  // namespace

Command add_tui_command(CLI::App& app, GlobalOptions& g) {
    auto args = std::make_shared<TuiArgs>();
    auto* sub =
        app.add_subcommand("tui", "the migration TUI: targets, migrations, statements; apply with live progress");
    sub->footer(
        "Examples:\n  migrate tui                              # every target of ./migrate.json\n"
        "  migrate tui --keyspace oi_claims\n  NO_COLOR=1 migrate tui --url mysql://app@db/app --dir drizzle");
    add_global_options(sub, g, TargetPolicy::every_by_default, JsonOutput::none);
    add_statement_lock_options(sub, args->statement_locks);
    add_planetscale_options(sub, args->planetscale, true);
    add_validation_overrides(sub, args->up);
    add_no_baseline(sub, args->up.no_baseline);
    return {.app = sub,
            .name = "tui",
            .targets = TargetPolicy::every_by_default,
            .on_closed_stdout = ClosedStdout::untouched,
            .run = [args](const Invocation& in) {
                auto targets = in.targets;
                apply_statement_lock_choices(args->statement_locks, targets);
                apply_planetscale_choices(args->planetscale, in.source, targets);
                apply_no_baseline(args->up.no_baseline, targets);
                return tui::run_tui(targets, up_options(args->up, {}));
            }};
}

}  // namespace cli
