// The options every command shares, declared once.
#include "command.hpp"

namespace cli {

void add_global_options(CLI::App* sub, GlobalOptions& g, TargetPolicy targets, JsonOutput json) {
    if (targets != TargetPolicy::none) {
        sub->add_option("--url", g.url, "connection URL (default: $DATABASE_URL), e.g. mysql://user:pass@host:3306/db");
        sub->add_option("--dir", g.dir, "drizzle-kit migrations folder (the one holding meta/_journal.json)")
            ->capture_default_str();
        sub->add_option("--table", g.table, "tracking table (drizzle's migrations.table)")->capture_default_str();
        sub->add_option("--lock", g.lock, "lock kind: session (GET_LOCK) or lease (a row with an expiry)")
            ->check(CLI::IsMember({"session", "lease"}))
            ->capture_default_str();
        sub->add_option("--lock-timeout", g.lock_timeout_s, "seconds to wait for another run's lock")
            ->check(CLI::Range(0, 86400))
            ->capture_default_str();
        sub->add_option("--config", g.config,
                        "project config naming several targets (default: migrate.json here or in a parent folder, "
                        "used when neither --url nor DATABASE_URL is given); docs/config.md");
        sub->add_option("--keyspace", g.keyspaces, "a target of the project config (repeatable)")
            ->allow_extra_args(false);
    }
    if (targets == TargetPolicy::several || targets == TargetPolicy::every_by_default) {
        sub->add_flag("--all", g.all, "every target of the project config");
        sub->add_option("--jobs", g.jobs, "targets run at once (default: all of them)")->check(CLI::Range(1, 1024));
    }
    if (json == JsonOutput::document)
        sub->add_flag("--json", g.json, "one JSON document on stdout (schema: docs/cli.md)");
    sub->add_flag("-q,--quiet", g.quiet, "only results and errors (no progress lines)");
    sub->add_flag("--no-color", g.no_color, "no colour (also: NO_COLOR set; colour is only used on a terminal)");
}

void add_yes_flag(CLI::App* sub, bool& yes) { sub->add_flag("-y,--yes", yes, "do not ask for confirmation"); }

CLI::App* baseline_group(CLI::App& app) {
    try {
        return app.get_subcommand("baseline");
    } catch (const CLI::OptionNotFound&) {  // the first baseline command adds the group
    }
    auto* baseline = app.add_subcommand("baseline", "baseline snapshots: create, verify, mark (docs/baseline.md)");
    baseline->require_subcommand(1);
    return baseline;
}

}  // namespace cli
