// `migrate new [--name NAME] [--prefix MODE] [--dir DIR]`: adds an empty custom migration to a drizzle-kit
// folder as `drizzle-kit generate --custom` does (docs/new-migrations.md); no database, no Node.
#include "commands.hpp"

#include "../cli_common.hpp"
#include "../json_output.hpp"

#include <migrate/migrate.hpp>

#include <fmt/format.h>

#include <memory>

namespace cli {
namespace {

struct NewArgs {
    std::string dir = "drizzle";
    std::string name;
    std::string prefix;  // empty: drizzle-kit's default (index); refused for a 1.0 folder when given
};

int add_new(const NewArgs& args, const GlobalOptions& g) {
    migrate::NewMigrationOptions options;
    options.name = args.name;
    if (!args.prefix.empty()) {
        options.prefix = migrate::parse_migration_prefix(args.prefix);
        if (!options.prefix)
            throw UsageError(
                fmt::format("migrate new: --prefix {}: use index, timestamp, supabase, unix or none", args.prefix));
    }
    const auto made = migrate::add_custom_migration(args.dir, options);
    const bool v1 = made.layout == migrate::FolderLayout::drizzle_v1_folders;
    if (g.json) {
        print_single_document("new", {{"dir", args.dir},
                                      {"layout", v1 ? "drizzle_v1_folders" : "drizzle_v0_journal"},
                                      {"tag", made.tag},
                                      {"file", made.sql_file.string()},
                                      {"snapshot", made.snapshot_file.string()},
                                      {"journal", v1 ? Json() : Json(made.journal_file.string())},
                                      {"when", made.when},
                                      {"id", made.snapshot_id},
                                      {"prev_id", made.previous_id}});
        return exit_ok;
    }
    fmt::print("{}\n", made.sql_file.string());
    if (!g.quiet)
        fmt::print(stderr,
                   "created {} (snapshot {}); write its SQL, with \"--> statement-breakpoint\" between "
                   "statements\n",
                   made.tag, made.snapshot_file.string());
    return exit_ok;
}

}  // namespace

Command add_new_command(CLI::App& app, GlobalOptions& g) {
    auto args = std::make_shared<NewArgs>();
    auto* sub = app.add_subcommand("new", "add an empty custom migration, as `drizzle-kit generate --custom` does");
    sub->footer("Examples:\n  migrate new --name seed_roles\n  migrate new --dir db/migrations --name backfill --json");
    sub->add_option("--name", args->name,
                    "the migration's name: letters, digits, '_' and '-' (default: a random adjective_noun)");
    sub->add_option("--prefix", args->prefix,
                    "drizzle-kit 0.x migrations.prefix: index (default), timestamp, supabase, unix or none");
    sub->add_option("--dir", args->dir, "drizzle-kit migrations folder (its `out`)")->capture_default_str();
    add_global_options(sub, g, TargetPolicy::none, JsonOutput::document);
    return {.app = sub, .name = "new", .targets = TargetPolicy::none, .run = [args](const Invocation& in) {
                return add_new(*args, in.global);
            }};
}

}  // namespace cli
