// `migrate baseline verify`: build the replay and the snapshot in scratch databases and compare them
// (docs/baseline.md).
#include "commands.hpp"

#include "../baseline_cli.hpp"

#include <memory>

namespace cli {

Command add_baseline_verify_command(CLI::App& app, GlobalOptions& g) {
    auto args = std::make_shared<BaselineArgs>();
    auto* sub = baseline_group(app)->add_subcommand(
        "verify", "build the replay and the snapshot in scratch databases and compare them; fails on any drift");
    sub->footer("Examples:\n  migrate baseline verify --keyspace oi_claims\n  migrate baseline verify --all --json");
    add_global_options(sub, g, TargetPolicy::several, JsonOutput::document);
    sub->add_option("--scratch-url", args->scratch_url,
                    "server for the scratch databases (created and dropped; default: the target's own server)");
    return {.app = sub,
            .name = "baseline verify",
            .targets = TargetPolicy::several,
            .on_closed_stdout = ClosedStdout::finish_silently,
            .run = [args](const Invocation& in) {
                BaselineArgs run = *args;
                run.json = in.global.json;
                run.jobs = in.global.jobs;
                return run_baseline_verify(in.targets, run);
            }};
}

}  // namespace cli
