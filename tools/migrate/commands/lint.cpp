// `migrate lint [folders…]`: the lint rules over migrations folders (docs/lint.md); connects only with --url.
#include "commands.hpp"

#include "../lint_cli.hpp"

#include <memory>

namespace cli {

Command add_lint_command(CLI::App& app, GlobalOptions& g) {
    auto a = std::make_shared<LintArgs>();
    auto* lint = app.add_subcommand("lint",
                                    "check migrations for what the server will reject or what loses data "
                                    "(docs/lint.md); connects only with --url");
    lint->footer(
        "Examples:\n  migrate lint drizzle --flavor planetscale\n  migrate lint --all --format sarif > lint.sarif\n"
        "  migrate lint --dir drizzle --url mysql://app@db/app   # also: applied migrations edited since\n"
        "  migrate lint --dir drizzle --base origin/main         # also: what merging into main breaks");
    // Lint chooses folders itself (lint_cli.cpp): its --dir, --config, --keyspace, --all are its own.
    lint->add_option("folders", a->folders,
                     "migrations folders (default: --dir, every target of the project config, "
                     "or drizzle)");
    lint->add_option("--dir", a->dir, "a drizzle-kit migrations folder");
    lint->add_option("--format", a->format, "human, json or sarif (SARIF 2.1.0 for code scanning)")
        ->check(CLI::IsMember({"human", "json", "sarif"}))
        ->capture_default_str();
    lint->add_option("--flavor", a->flavor,
                     "the server: mysql, mariadb, vitess or planetscale (default: the target's "
                     "\"flavor\" in migrate.json, else mysql)")
        ->check(CLI::IsMember({"mysql", "mariadb", "vitess", "planetscale"}));
    lint->add_option("--url", a->url,
                     "also flag applied migrations edited since (reads the tracking table; "
                     "default: $DATABASE_URL)");
    lint->add_option("--base", a->base,
                     "also check merging into this git revision: when regressions, duplicate idx or tags, "
                     "tables both sides change (docs/merging.md)");
    lint->add_option("--table", a->table, "the tracking table --url reads")->capture_default_str();
    lint->add_option("--config", a->config, "project config (default: migrate.json here or in a parent folder)");
    lint->add_option("--keyspace", a->keyspaces, "a target of the project config (repeatable; default: all)")
        ->allow_extra_args(false);
    lint->add_flag("--all", a->all, "every target of the project config (the default)");
    lint->add_flag("--sharded", a->sharded, "the keyspace is sharded: foreign keys are errors");
    lint->add_flag("--no-foreign-keys", a->no_foreign_keys, "the server refuses foreign keys: they are errors");
    add_global_options(lint, g, TargetPolicy::none, JsonOutput::document);  // --json: the same as --format json
    return {.app = lint, .name = "lint", .targets = TargetPolicy::none, .run = [a](const Invocation& in) {
                LintArgs run = *a;
                run.json = in.global.json;
                return run_lint(run);
            }};
}

}  // namespace cli
