// `migrate verify [--schema]` (docs/verify.md): after a deploy, the tracking table against the folder and
// optionally the live schema against the newest snapshot.
#include "commands.hpp"

#include "../verify_cli.hpp"

#include <memory>

namespace cli {

Command add_verify_command(CLI::App& app, GlobalOptions& g) {
    auto args = std::make_shared<VerifyArgs>();
    auto* sub = app.add_subcommand(
        "verify",
        "check the tracking table against the folder (--schema: and the live schema against the newest "
        "drizzle-kit snapshot); exits 1 on any problem; changes nothing");
    sub->footer(
        "Examples:\n  migrate verify --keyspace oi_claims      # after a deploy request\n"
        "  migrate verify --schema --all --json");
    add_global_options(sub, g, TargetPolicy::several, JsonOutput::document);
    sub->add_flag("--schema", args->schema, "also compare the live schema with the folder's newest snapshot");
    return {.app = sub, .name = "verify", .targets = TargetPolicy::several, .run = [args](const Invocation& in) {
                VerifyArgs run = *args;
                run.json = in.global.json;
                run.jobs = in.global.jobs;
                return run_verify(in.targets, run);
            }};
}

}  // namespace cli
