// `migrate rebase --onto REV [--dir DIR]`: moves the branch's drizzle-kit migrations after those REV added
// since the merge base (renumbered, `when` restamped, snapshots merged), so that merging the branch into
// REV cannot make drizzle skip them (docs/merging.md); no database, no Node.
#include "commands.hpp"

#include "../cli_common.hpp"
#include "../git_tree.hpp"
#include "../json_output.hpp"

#include <migrate/migrate.hpp>

#include <fmt/format.h>

#include <memory>

namespace cli {
namespace {

struct RebaseArgs {
    std::string dir = "drizzle";
    std::string onto;
};

int rebase(const RebaseArgs& args, const GlobalOptions& g) {
    const GitFolders git(args.dir, args.onto);
    const auto result = migrate::rebase_migrations(args.dir, git.base(), git.merge_base());
    if (g.json) {
        Json moved = Json::array();
        for (const auto& r : result.rebased)
            moved.push_back({{"from", r.old_tag},
                             {"to", r.new_tag},
                             {"old_when", r.old_when},
                             {"when", r.new_when},
                             {"file", r.sql_file.string()},
                             {"snapshot", r.snapshot_file.empty() ? Json() : Json(r.snapshot_file.string())}});
        print_single_document("rebase", {{"dir", args.dir},
                                         {"onto", args.onto},
                                         {"onto_commit", git.base_commit()},
                                         {"merge_base", git.merge_base_commit()},
                                         {"base_migrations", result.base_tags},
                                         {"rebased", moved}});
        return exit_ok;
    }
    if (result.rebased.empty()) {
        if (!g.quiet)
            fmt::print(stderr, "nothing to rebase: {} added no migrations the branch lacks, or the branch has none\n",
                       args.onto);
        return exit_ok;
    }
    for (const auto& r : result.rebased)
        fmt::print("{} -> {} (when {} -> {})\n", r.old_tag, r.new_tag, r.old_when, r.new_when);
    if (!g.quiet)
        fmt::print(stderr, "rebased {} migration(s) after {}'s {}; commit the folder, then merge\n",
                   result.rebased.size(), args.onto, result.base_tags.size());
    return exit_ok;
}

}  // namespace

Command add_rebase_command(CLI::App& app, GlobalOptions& g) {
    auto args = std::make_shared<RebaseArgs>();
    auto* sub = app.add_subcommand(
        "rebase", "move the branch's migrations after another git revision's (renumber, restamp, merge snapshots)");
    sub->footer(
        "Examples:\n  migrate rebase --onto main\n  migrate rebase --onto origin/main --dir db/migrations --json");
    sub->add_option("--onto", args->onto, "the git revision the branch will be merged into")->required();
    sub->add_option("--dir", args->dir, "drizzle-kit migrations folder (its `out`)")->capture_default_str();
    add_global_options(sub, g, TargetPolicy::none, JsonOutput::document);
    return {.app = sub, .name = "rebase", .targets = TargetPolicy::none, .run = [args](const Invocation& in) {
                return rebase(*args, in.global);
            }};
}

}  // namespace cli
