// `migrate repair`: record the current file hash of applied migrations edited after being applied.
#include "commands.hpp"
#include "run_events.hpp"

#include "../baseline_cli.hpp"
#include "../cli_common.hpp"
#include "../json_output.hpp"

#include <migrate/migrate.hpp>
#include <migrate/result_json.hpp>

#include <fmt/format.h>

#include <memory>
#include <vector>

namespace cli {
namespace {

struct RepairArgs {
    bool yes = false;
};

int repair(const migrate::TargetConfig& t, const RepairArgs& args, const GlobalOptions& g) {
    auto target = migrate::Target::open(t.options());
    std::vector<migrate::PlanEntry> differing;
    for (const auto& e : target.status().plan.entries)
        if (e.hash_differs) {
            if (!g.json)
                fmt::print("  {}: recorded hash {} -> file hash {}\n", e.migration->tag, e.row->hash,
                           e.migration->hash);
            differing.push_back(e);
        }
    const std::size_t changed = differing.size();
    // The library's shape, shared with the C API's migrate_target_repair.
    Json entry{{"name", t.name}};
    entry.update(Json::parse(migrate::repair_json(differing)));
    if (changed == 0) {
        if (g.json)
            print_single_document("repair", entry);
        else
            fmt::print("nothing to repair: every applied migration's file matches its recorded hash\n");
        return exit_ok;
    }
    require_confirmation(
        args.yes, fmt::format("record the current file hash for {} migration{}?", changed, changed == 1 ? "" : "s"));
    auto repaired = target.repair(print_common_event);
    if (g.json)
        print_single_document("repair", entry);
    else
        fmt::print("repaired {} tracking row{}\n", repaired.size(), repaired.size() == 1 ? "" : "s");
    return exit_ok;
}

}  // namespace

Command add_repair_command(CLI::App& app, GlobalOptions& g) {
    auto args = std::make_shared<RepairArgs>();
    auto* sub = app.add_subcommand("repair", "record the current hash of applied migrations whose files were edited");
    sub->footer(
        "Examples:\n  migrate repair --dir drizzle             # lists the edited migrations, asks\n"
        "  migrate repair --yes --json");
    add_global_options(sub, g, TargetPolicy::exactly_one, JsonOutput::document);
    add_yes_flag(sub, args->yes);
    return {.app = sub,
            .name = "repair",
            .targets = TargetPolicy::exactly_one,
            .on_closed_stdout = ClosedStdout::finish_silently,
            .run = [args](const Invocation& in) { return repair(in.targets.front(), *args, in.global); }};
}

}  // namespace cli
