// `migrate resolve TAG --applied|--retry`: the operator's decision for the statement a stopped run left
// undecided.
#include "commands.hpp"
#include "run_events.hpp"

#include "../cli_common.hpp"
#include "../json_output.hpp"

#include <migrate/migrate.hpp>

#include <fmt/format.h>

#include <memory>

namespace cli {
namespace {

struct ResolveArgs {
    std::string tag;
    bool applied = false;
    bool retry = false;
};

int resolve(const migrate::TargetConfig& t, const ResolveArgs& args, const GlobalOptions& g) {
    if (args.applied == args.retry)
        throw UsageError("migrate resolve: say what the statement did: --applied or --retry");
    auto target = migrate::Target::open(t.options());
    target.resolve(args.tag, args.applied ? migrate::Resolution::applied : migrate::Resolution::retry,
                   print_common_event);
    if (g.json)
        print_single_document("resolve",
                              {{"name", t.name}, {"tag", args.tag}, {"decision", args.applied ? "applied" : "retry"}});
    else
        fmt::print("recorded: {} {}; `migrate up` continues from there\n", args.tag,
                   args.applied ? "statement took effect (it will be skipped)" : "statement will run again");
    return exit_ok;
}

}  // namespace

Command add_resolve_command(CLI::App& app, GlobalOptions& g) {
    auto args = std::make_shared<ResolveArgs>();
    auto* sub = app.add_subcommand("resolve", "decide a statement a stopped run left undecided");
    sub->footer("Examples:\n  migrate resolve 0042_add_vin --applied\n  migrate resolve 0042_add_vin --retry --json");
    add_global_options(sub, g, TargetPolicy::exactly_one, JsonOutput::document);
    sub->add_option("tag", args->tag, "the half-applied migration's tag, e.g. 0042_add_vin")->required();
    auto* applied = sub->add_flag("--applied", args->applied, "the statement took effect: skip it");
    auto* retry = sub->add_flag("--retry", args->retry, "the statement did not take effect: run it again");
    applied->excludes(retry);
    return {.app = sub,
            .name = "resolve",
            .targets = TargetPolicy::exactly_one,
            .on_closed_stdout = ClosedStdout::finish_silently,
            .run = [args](const Invocation& in) { return resolve(in.targets.front(), *args, in.global); }};
}

}  // namespace cli
