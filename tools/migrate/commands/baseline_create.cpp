// `migrate baseline create`: replay the migrations into a scratch database and write <dir>/baseline
// (docs/baseline.md).
#include "commands.hpp"

#include "../baseline_cli.hpp"

#include <memory>

namespace cli {

Command add_baseline_create_command(CLI::App& app, GlobalOptions& g) {
    auto args = std::make_shared<BaselineArgs>();
    auto* sub = baseline_group(app)->add_subcommand(
        "create", "replay the migrations into a scratch database and write <dir>/baseline (snapshot + metadata)");
    sub->footer(
        "Examples:\n  migrate baseline create --dir drizzle --url mysql://root@127.0.0.1/scratch\n"
        "  migrate baseline create --all --scratch-url mysql://root@127.0.0.1:3306");
    add_global_options(sub, g, TargetPolicy::several, JsonOutput::document);
    sub->add_option("--scratch-url", args->scratch_url,
                    "server for the scratch databases (created and dropped; default: the target's own server)");
    sub->add_option("--through", args->through, "last migration the snapshot covers (default: the newest)");
    return {.app = sub,
            .name = "baseline create",
            .targets = TargetPolicy::several,
            .on_closed_stdout = ClosedStdout::finish_silently,
            .run = [args](const Invocation& in) {
                BaselineArgs run = *args;
                run.json = in.global.json;
                run.jobs = in.global.jobs;
                return run_baseline_create(in.targets, run);
            }};
}

}  // namespace cli
