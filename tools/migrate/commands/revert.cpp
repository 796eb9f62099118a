// `migrate revert [NUMBER]`: take back a PlanetScale deploy request inside its revert window and unrecord
// the migrations it carried (docs/planetscale.md).
#include "commands.hpp"
#include "run_choices.hpp"
#include "run_events.hpp"

#include "../baseline_cli.hpp"
#include "../cli_common.hpp"
#include "../json_output.hpp"

#include <migrate/migrate.hpp>

#include <fmt/format.h>

#include <memory>

namespace cli {
namespace {

struct RevertArgs {
    std::optional<std::uint64_t> deploy_request;  // default: the newest libmigrate opened for the keyspace
    bool yes = false;
    RunChoices run;  // --planetscale-* and how to follow the revert (--deploy-timeout, --deploy-poll-ms)
};

int revert(const migrate::TargetConfig& t, const RevertArgs& args, const GlobalOptions& g) {
    auto target = migrate::Target::open(t.options());
    const std::string which = args.deploy_request ? fmt::format("deploy request #{}", *args.deploy_request)
                                                  : "the newest deploy request libmigrate opened for this keyspace";
    require_confirmation(args.yes,
                         fmt::format("revert {} on PlanetScale and unrecord the migrations it carried?", which));
    // JSON on stdout is the one document; progress lines would break it.
    auto r = target.revert_deploy_request(
        args.deploy_request, g.quiet || g.json ? migrate::EventCallback{} : print_common_event, &cancel_requested);
    if (g.json) {
        print_single_document("revert", {{"name", t.name},
                                         {"deploy_request", r.number},
                                         {"html_url", r.html_url},
                                         {"unrecorded", r.unrecorded},
                                         {"resumable", r.resumable},
                                         {"run_again", r.run_again}});
        return exit_ok;
    }
    std::string tags;
    for (const auto& tag : r.unrecorded) tags += (tags.empty() ? "" : ", ") + tag;
    fmt::print("reverted deploy request #{}; no longer recorded: {}\n", r.number, tags);
    for (const auto& tag : r.resumable)
        fmt::print(
            "  {}: its statements before the deploy request stay on production; `migrate up` resumes after them\n",
            tag);
    for (const auto& w : r.run_again)
        fmt::print(
            "  {}: ran on production directly after the deploy request; the revert keeps its data and `migrate "
            "up` runs it again\n",
            w);
    return exit_ok;
}

}  // namespace

Command add_revert_command(CLI::App& app, GlobalOptions& g) {
    auto args = std::make_shared<RevertArgs>();
    auto* sub = app.add_subcommand(
        "revert", "PlanetScale: revert the newest deploy request inside its revert window and unrecord its migrations");
    sub->footer(
        "Examples:\n  migrate revert --keyspace oi_claims       # the newest deploy request, asks first\n"
        "  migrate revert 42 --yes --json --url mysql://app@host/oi_claims --planetscale-org acme");
    add_global_options(sub, g, TargetPolicy::exactly_one, JsonOutput::document);
    add_run_choices(sub, args->run, RunGroup::deploys);
    sub->add_option("number", args->deploy_request,
                    "the deploy request (default: the newest libmigrate opened for the keyspace)");
    add_yes_flag(sub, args->yes);
    return {
        .app = sub,
        .name = "revert",
        .targets = TargetPolicy::exactly_one,
        .on_closed_stdout = ClosedStdout::finish_silently,
        .run = [args](const Invocation& in) { return revert(targets_with(args->run, in).front(), *args, in.global); }};
}

}  // namespace cli
