// `migrate baseline mark --through TAG`: adopt a database built outside by recording migrations through
// TAG as applied, running nothing (docs/baseline.md).
#include "commands.hpp"

#include "../baseline_cli.hpp"

#include <memory>

namespace cli {

Command add_baseline_mark_command(CLI::App& app, GlobalOptions& g) {
    auto args = std::make_shared<BaselineArgs>();
    auto* sub = baseline_group(app)->add_subcommand(
        "mark", "adopt a database built outside: record migrations through TAG as applied, running nothing");
    sub->footer("Examples:\n  migrate baseline mark --through 0041_add_vin --url mysql://app@db/app --dir drizzle");
    add_global_options(sub, g, TargetPolicy::exactly_one, JsonOutput::document);
    sub->add_option("--through", args->through, "last migration the database already reflects")->required();
    add_yes_flag(sub, args->yes);
    return {.app = sub,
            .name = "baseline mark",
            .targets = TargetPolicy::exactly_one,
            .on_closed_stdout = ClosedStdout::finish_silently,
            .run = [args](const Invocation& in) {
                BaselineArgs run = *args;
                run.json = in.global.json;
                return run_baseline_mark(in.targets.front(), run);
            }};
}

}  // namespace cli
