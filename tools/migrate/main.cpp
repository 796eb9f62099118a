// `migrate`: status and up for one target (--url / DATABASE_URL, --dir). Exit codes: docs/cli.md.
#include <migrate/migrate.hpp>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>

namespace {

enum ExitCode : int {
    exit_ok = 0,
    exit_apply_failed = 1,
    exit_usage = 2,
    exit_invalid_input = 3,
    exit_connect_failed = 4,
    exit_internal = 70,
};

int exit_code_for(migrate::errc code) {
    using migrate::errc;
    switch (code) {
        case errc::journal_missing:
        case errc::journal_invalid:
        case errc::migration_missing:
        case errc::tag_invalid:
        case errc::tag_duplicate:
        case errc::not_utf8:
        case errc::url_invalid:
        case errc::table_invalid: return exit_invalid_input;
        case errc::driver_not_found:
        case errc::driver_incompatible:
        case errc::driver_broken:
        case errc::connect_failed: return exit_connect_failed;
        case errc::server_error:
        case errc::connection_lost: return exit_apply_failed;
        case errc::internal: return exit_internal;
    }
    return exit_internal;
}

struct Options {
    std::string url;
    std::string dir = "drizzle";
    std::string table = "__drizzle_migrations";
    bool verbose = false;
};

std::string seconds(std::chrono::nanoseconds d) {
    double s = std::chrono::duration<double>(d).count();
    return s < 1 ? fmt::format("{:.0f} ms", s * 1000) : fmt::format("{:.2f} s", s);
}

migrate::Target open_target(const Options& o) {
    return migrate::Target::open({.url = o.url, .migrations_dir = o.dir, .table = o.table});
}

int run_status(const Options& o) {
    auto target = open_target(o);
    auto s = target.status();
    const auto& plan = s.plan;
    fmt::print("target     {}\n", s.url);
    fmt::print("transport  {}, driver {}, server {}\n", migrate::to_string(s.transport), s.driver, s.server_version);
    fmt::print("folder     {}, {} migrations\n", o.dir, target.source().migrations.size());
    if (plan.table_exists)
        fmt::print("table      {}, {} rows, newest created_at {}\n", s.table,
                   plan.count(migrate::MigrationState::applied) + plan.rows_without_file.size(),
                   plan.newest_created_at ? std::to_string(*plan.newest_created_at) : "none");
    else
        fmt::print("table      {} (not created yet)\n", s.table);

    const auto applied = plan.count(migrate::MigrationState::applied);
    const auto pending = plan.count(migrate::MigrationState::pending);
    const auto skipped = plan.count(migrate::MigrationState::out_of_order);
    fmt::print("\napplied {}, pending {}", applied, pending);
    if (skipped) fmt::print(", out of order {}", skipped);
    if (!plan.rows_without_file.empty()) fmt::print(", rows without file {}", plan.rows_without_file.size());
    fmt::print("\n");

    bool header = false;
    for (const auto& e : plan.entries) {
        bool show = o.verbose || e.state != migrate::MigrationState::applied || e.hash_differs;
        if (!show) continue;
        if (!header) {
            fmt::print("\n  {:<40} {:>15} {:>10}  {}\n", "migration", "when", "statements", "state");
            header = true;
        }
        std::string state(migrate::to_string(e.state));
        if (e.hash_differs) state += " (file edited since it was applied)";
        if (e.state == migrate::MigrationState::out_of_order) state += " (older than the newest applied; drizzle skips it)";
        fmt::print("  {:<40} {:>15} {:>10}  {}\n", e.migration->tag, e.migration->when, e.migration->statements.size(),
                   state);
    }
    for (const auto& r : plan.rows_without_file)
        fmt::print("  row id {} created_at {} hash {}: no journal entry has this `when`\n", r.id,
                   r.created_at ? std::to_string(*r.created_at) : "NULL", r.hash.substr(0, 12));
    return exit_ok;
}

int run_up(const Options& o) {
    auto target = open_target(o);
    auto on_event = [&](const migrate::Event& e) {
        using K = migrate::Event::Kind;
        if (e.kind == K::run_started && e.migrations_total > 0)
            fmt::print("applying {} migration{} to {}\n", e.migrations_total, e.migrations_total == 1 ? "" : "s",
                       target.url().redacted());
        else if (e.kind == K::migration_finished)
            fmt::print("  [{}/{}] {:<40} {:>3} statement{}  {}\n", e.migration_number, e.migrations_total,
                       e.migration->tag, e.statements_total, e.statements_total == 1 ? " " : "s", seconds(e.duration));
        std::fflush(stdout);
    };
    auto report = target.up(on_event);
    if (report.migrations_applied == 0)
        fmt::print("nothing to do: {} of {} migrations applied, none pending\n",
                   report.plan_before.count(migrate::MigrationState::applied), target.source().migrations.size());
    else
        fmt::print("applied {} migration{} ({} statements) in {}\n", report.migrations_applied,
                   report.migrations_applied == 1 ? "" : "s", report.statements_run, seconds(report.duration));
    auto skipped = report.plan_before.count(migrate::MigrationState::out_of_order);
    if (skipped)
        fmt::print(stderr, "warning: {} migration{} older than the newest applied one {} not applied (drizzle skips them "
                           "too); run `migrate status` to list them\n",
                   skipped, skipped == 1 ? "" : "s", skipped == 1 ? "was" : "were");
    return exit_ok;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"migrate: apply drizzle-kit MySQL migrations (MySQL, MariaDB, Vitess, PlanetScale)"};
    app.require_subcommand(1);
    app.set_version_flag("--version", fmt::format("migrate {} (libmigrate {}, driver ABI {})", MIGRATE_CLI_VERSION,
                                                  migrate::library_version(), migrate::driver_abi_version()));
    Options o;
    auto* status = app.add_subcommand("status", "show applied and pending migrations; changes nothing");
    auto* up = app.add_subcommand("up", "apply pending migrations in journal order");
    for (auto* sub : {status, up}) {
        sub->add_option("--url", o.url, "connection URL (default: $DATABASE_URL), e.g. mysql://user:pass@host:3306/db");
        sub->add_option("--dir", o.dir, "drizzle-kit migrations folder (the one holding meta/_journal.json)")
            ->capture_default_str();
        sub->add_option("--table", o.table, "tracking table (drizzle's migrations.table)")->capture_default_str();
        sub->add_flag("-v,--verbose", o.verbose, "list every migration, not only those needing attention");
    }
    app.footer("Examples:\n  migrate status --url mysql://app:secret@127.0.0.1:3306/app --dir drizzle\n"
               "  DATABASE_URL=mysql://app:secret@db/app migrate up --dir drizzle\n"
               "Exit codes: 0 ok, 1 apply failed, 2 usage, 3 invalid input, 4 cannot connect (docs/cli.md)");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int rc = app.exit(e);
        return rc == 0 ? exit_ok : exit_usage;
    }
    if (o.url.empty())
        if (const char* env = std::getenv("DATABASE_URL")) o.url = env;
    if (o.url.empty()) {
        fmt::print(stderr, "migrate: no database: pass --url mysql://user:password@host:port/db or set DATABASE_URL\n");
        return exit_usage;
    }

    try {
        if (status->parsed()) return run_status(o);
        if (up->parsed()) return run_up(o);
    } catch (const migrate::error& e) {
        std::fflush(stdout);
        fmt::print(stderr, "migrate: error[{}]: {}\n", migrate::to_string(e.code()), migrate::redact_url_text(e.what()));
        return exit_code_for(e.code());
    } catch (const std::exception& e) {
        fmt::print(stderr, "migrate: internal error: {}\n", migrate::redact_url_text(e.what()));
        return exit_internal;
    }
    return exit_usage;
}
