// `migrate`: status, up, repair and resolve for one target (--url / DATABASE_URL, --dir), or for the targets
// of a project config (--config / migrate.json, --keyspace / --all; docs/config.md).
// Exit codes: docs/cli.md.
#include <migrate/migrate.hpp>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <thread>
#include <unistd.h>

namespace {

enum ExitCode : int {
    exit_ok = 0,
    exit_apply_failed = 1,
    exit_usage = 2,
    exit_invalid_input = 3,
    exit_connect_failed = 4,
    exit_refused = 5,
    exit_lock = 6,
    exit_internal = 70,
    exit_interrupted = 130,
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
        case errc::table_invalid:
        case errc::config_invalid: return exit_invalid_input;
        case errc::driver_not_found:
        case errc::driver_incompatible:
        case errc::driver_broken:
        case errc::connect_failed: return exit_connect_failed;
        case errc::server_error:
        case errc::connection_lost: return exit_apply_failed;
        case errc::migration_changed:
        case errc::row_without_file:
        case errc::out_of_order:
        case errc::partial_edited:
        case errc::needs_resolve:
        case errc::nothing_to_resolve: return exit_refused;
        case errc::lock_timeout:
        case errc::lock_lost: return exit_lock;
        case errc::interrupted: return exit_interrupted;
        case errc::internal: return exit_internal;
    }
    return exit_internal;
}

struct Options {
    std::string url;
    std::string dir = "drizzle";
    std::string table = "__drizzle_migrations";
    std::string lock = "session";
    int lock_timeout_s = 300;
    bool verbose = false;
    bool allow_out_of_order = false;
    bool allow_missing = false;
    bool yes = false;
    std::string tag;
    bool resolve_applied = false;
    bool resolve_retry = false;
    // Project config (docs/config.md).
    std::string config;
    std::vector<std::string> keyspaces;
    bool all = false;
    int jobs = 0;   // 0 = one thread per target
};

// Ctrl-C / SIGTERM: stop between statements with progress recorded and the lock released.
std::atomic<bool> cancel_requested{false};
extern "C" void on_signal(int) { cancel_requested = true; }

std::string seconds(std::chrono::nanoseconds d) {
    double s = std::chrono::duration<double>(d).count();
    return s < 1 ? fmt::format("{:.0f} ms", s * 1000) : fmt::format("{:.2f} s", s);
}

migrate::Target open_target(const Options& o) {
    return migrate::Target::open({.url = o.url,
                                  .migrations_dir = o.dir,
                                  .table = o.table,
                                  .lock_mode = o.lock == "lease" ? migrate::LockMode::lease : migrate::LockMode::session,
                                  .lock_timeout = std::chrono::seconds(o.lock_timeout_s)});
}

// Lock and resume events, shared by every command that takes the lock.
void print_common_event(const migrate::Event& e) {
    using K = migrate::Event::Kind;
    if (e.kind == K::lock_waiting)
        fmt::print(stderr, "waiting for the migration lock ({} so far): held by {}\n", seconds(e.duration), e.detail);
    else if (e.kind == K::migration_resumed)
        fmt::print("  resuming {} at statement {} of {}: {}\n", e.migration->tag, e.statement_index + 1,
                   e.statements_total, e.detail);
    else if (e.kind == K::statement_skipped)
        fmt::print("  {}:{} statement {} skipped: {}\n", e.migration->file.string(),
                   e.migration->statements[e.statement_index].line, e.statement_index + 1, e.detail);
    std::fflush(stdout);
}

void print_partial(const migrate::PlanEntry& e) {
    const auto& p = *e.progress;
    const auto& m = *e.migration;
    fmt::print("  partial {}: {} of {} statements done", m.tag, p.statements_done, p.statements_total);
    if (p.in_flight && *p.in_flight < m.statements.size())
        fmt::print("; statement {} ({}:{}) was in flight when the run stopped{}", *p.in_flight + 1, m.file.string(),
                   m.statements[*p.in_flight].line,
                   p.decision.empty() ? "" : "; resolved as " + p.decision);
    if (p.failed_statement && *p.failed_statement < m.statements.size())
        fmt::print("; statement {} ({}:{}) failed: errno {} {}{}", *p.failed_statement + 1, m.file.string(),
                   m.statements[*p.failed_statement].line, p.error_errno,
                   p.error_message.substr(0, p.error_message.find('\n')),
                   p.decision.empty() ? "" : "; resolved as " + p.decision);
    fmt::print(" (last progress {})\n", p.updated_at);
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
    if (!plan.table_upgrade.empty()) fmt::print("upgrade    {}\n", plan.table_upgrade);
    fmt::print("lock       {}\n", s.lock_holder.empty() ? "free" : "held by " + s.lock_holder);

    std::size_t changed = 0;
    for (const auto& e : plan.entries) changed += e.hash_differs ? 1 : 0;
    const auto applied = plan.count(migrate::MigrationState::applied);
    const auto pending = plan.count(migrate::MigrationState::pending);
    const auto skipped = plan.count(migrate::MigrationState::out_of_order);
    fmt::print("\napplied {}, pending {}", applied, pending);
    if (skipped) fmt::print(", out of order {}", skipped);
    if (changed) fmt::print(", changed {}", changed);
    if (!plan.rows_without_file.empty()) fmt::print(", rows without file {}", plan.rows_without_file.size());
    if (!plan.partial().empty()) fmt::print(", partially applied {}", plan.partial().size());
    fmt::print("\n");
    for (const auto* e : plan.partial()) print_partial(*e);

    bool header = false;
    for (const auto& e : plan.entries) {
        bool show = o.verbose || e.state != migrate::MigrationState::applied || e.hash_differs;
        if (!show) continue;
        if (!header) {
            fmt::print("\n  {:<40} {:>15} {:>10}  {}\n", "migration", "when", "statements", "state");
            header = true;
        }
        std::string state(migrate::to_string(e.state));
        if (e.progress) state += " (partially applied)";
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
        print_common_event(e);
        if (e.kind == K::run_started && e.migrations_total > 0)
            fmt::print("applying {} migration{} to {}\n", e.migrations_total, e.migrations_total == 1 ? "" : "s",
                       target.url().redacted());
        else if (e.kind == K::migration_finished)
            fmt::print("  [{}/{}] {:<40} {:>3} statement{}  {}\n", e.migration_number, e.migrations_total,
                       e.migration->tag, e.statements_total, e.statements_total == 1 ? " " : "s", seconds(e.duration));
        std::fflush(stdout);
    };
    migrate::UpOptions up{.allow_out_of_order = o.allow_out_of_order, .allow_missing = o.allow_missing,
                          .cancel = &cancel_requested};
    auto report = target.up(on_event, up);
    if (report.migrations_applied == 0)
        fmt::print("nothing to do: {} of {} migrations applied, none pending\n",
                   report.plan_before.count(migrate::MigrationState::applied), target.source().migrations.size());
    else
        fmt::print("applied {} migration{} ({} statements) in {}\n", report.migrations_applied,
                   report.migrations_applied == 1 ? "" : "s", report.statements_run, seconds(report.duration));
    return exit_ok;
}

bool confirmed(const Options& o, const std::string& question) {
    if (o.yes) return true;
    if (!::isatty(STDIN_FILENO)) {
        fmt::print(stderr, "migrate: {} — refusing without confirmation: pass --yes\n", question);
        return false;
    }
    fmt::print("{} [y/N] ", question);
    std::fflush(stdout);
    std::string answer;
    std::getline(std::cin, answer);
    return answer == "y" || answer == "Y" || answer == "yes";
}

int run_repair(const Options& o) {
    auto target = open_target(o);
    std::size_t changed = 0;
    for (const auto& e : target.status().plan.entries)
        if (e.hash_differs) {
            fmt::print("  {}: recorded hash {} -> file hash {}\n", e.migration->tag, e.row->hash, e.migration->hash);
            ++changed;
        }
    if (changed == 0) {
        fmt::print("nothing to repair: every applied migration's file matches its recorded hash\n");
        return exit_ok;
    }
    if (!confirmed(o, fmt::format("record the current file hash for {} migration{}?", changed, changed == 1 ? "" : "s")))
        return exit_usage;
    auto repaired = target.repair(print_common_event);
    fmt::print("repaired {} tracking row{}\n", repaired.size(), repaired.size() == 1 ? "" : "s");
    return exit_ok;
}

int run_resolve(const Options& o) {
    if (o.resolve_applied == o.resolve_retry) {
        fmt::print(stderr, "migrate resolve: say what the statement did: --applied or --retry\n");
        return exit_usage;
    }
    auto target = open_target(o);
    target.resolve(o.tag, o.resolve_applied, print_common_event);
    fmt::print("recorded: {} {}; `migrate up` continues from there\n", o.tag,
               o.resolve_applied ? "statement took effect (it will be skipped)" : "statement will run again");
    return exit_ok;
}

// ---- Several targets of a project config (docs/config.md): one table for status, parallel runs for up.

std::string first_line(std::string_view s) { return std::string(s.substr(0, s.find('\n'))); }

// Runs fn(i) for every i in [0, n) on at most `jobs` threads (0: one per item).
template <class Fn>
void parallel_for(std::size_t n, int jobs, Fn fn) {
    std::size_t threads = jobs > 0 ? std::min<std::size_t>(static_cast<std::size_t>(jobs), n) : n;
    std::atomic<std::size_t> next{0};
    std::vector<std::thread> pool;
    for (std::size_t t = 0; t < threads; ++t)
        pool.emplace_back([&] {
            for (std::size_t i; (i = next++) < n;) fn(i);
        });
    for (auto& t : pool) t.join();
}

// Columns padded to their widest cell; the last column is not padded.
void print_table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> width(header.size());
    for (std::size_t c = 0; c < header.size(); ++c) width[c] = header[c].size();
    for (const auto& r : rows)
        for (std::size_t c = 0; c < r.size() && c < width.size(); ++c) width[c] = std::max(width[c], r[c].size());
    auto line = [&](const std::vector<std::string>& r) {
        std::string out;
        for (std::size_t c = 0; c < r.size(); ++c) {
            if (c) out += "  ";
            out += c + 1 == r.size() ? r[c] : fmt::format("{:<{}}", r[c], width[c]);
        }
        fmt::print("{}\n", out);
    };
    line(header);
    for (const auto& r : rows) line(r);
}

std::string error_summary(const migrate::error& e) {
    return fmt::format("error[{}]: {}", migrate::to_string(e.code()), first_line(migrate::redact_url_text(e.what())));
}

int run_status_many(const std::vector<migrate::TargetConfig>& targets, const Options& o) {
    std::vector<std::vector<std::string>> rows(targets.size());
    std::vector<int> codes(targets.size(), exit_ok);
    parallel_for(targets.size(), o.jobs, [&](std::size_t i) {
        const auto& t = targets[i];
        try {
            auto target = migrate::Target::open(t.options());
            auto s = target.status();
            std::size_t changed = 0;
            for (const auto& e : s.plan.entries) changed += e.hash_differs ? 1 : 0;
            rows[i] = {t.name,
                       std::string(migrate::to_string(s.transport)),
                       std::to_string(s.plan.count(migrate::MigrationState::applied)),
                       std::to_string(s.plan.count(migrate::MigrationState::pending)),
                       std::to_string(changed),
                       std::to_string(s.plan.partial().size()),
                       s.lock_holder.empty() ? "free" : s.lock_holder};
        } catch (const migrate::error& e) {
            codes[i] = exit_code_for(e.code());
            rows[i] = {t.name, "-", "-", "-", "-", "-", error_summary(e)};
        } catch (const std::exception& e) {
            codes[i] = exit_internal;
            rows[i] = {t.name, "-", "-", "-", "-", "-", "internal error: " + first_line(migrate::redact_url_text(e.what()))};
        }
    });
    print_table({"target", "transport", "applied", "pending", "changed", "partial", "lock holder"}, rows);
    return *std::max_element(codes.begin(), codes.end());
}

int run_up_many(const std::vector<migrate::TargetConfig>& targets, const Options& o) {
    std::size_t width = 0;
    for (const auto& t : targets) width = std::max(width, t.name.size());
    std::mutex out_mutex;
    // Every line of `text` prefixed with the target's name, written whole.
    auto say = [&](std::FILE* f, const std::string& name, const std::string& text) {
        std::lock_guard lock(out_mutex);
        std::size_t start = 0;
        while (start <= text.size()) {
            auto end = text.find('\n', start);
            if (end == std::string::npos) end = text.size();
            fmt::print(f, "{:<{}} | {}\n", name, width, text.substr(start, end - start));
            start = end + 1;
        }
        std::fflush(f);
    };
    std::vector<std::vector<std::string>> rows(targets.size());
    std::vector<int> codes(targets.size(), exit_ok);
    parallel_for(targets.size(), o.jobs, [&](std::size_t i) {
        const auto& t = targets[i];
        try {
            auto target = migrate::Target::open(t.options());
            auto on_event = [&](const migrate::Event& e) {
                using K = migrate::Event::Kind;
                if (e.kind == K::lock_waiting)
                    say(stderr, t.name, fmt::format("waiting for the migration lock ({} so far): held by {}",
                                                    seconds(e.duration), e.detail));
                else if (e.kind == K::migration_resumed)
                    say(stdout, t.name, fmt::format("  resuming {} at statement {} of {}: {}", e.migration->tag,
                                                    e.statement_index + 1, e.statements_total, e.detail));
                else if (e.kind == K::statement_skipped)
                    say(stdout, t.name, fmt::format("  {}:{} statement {} skipped: {}", e.migration->file.string(),
                                                    e.migration->statements[e.statement_index].line,
                                                    e.statement_index + 1, e.detail));
                else if (e.kind == K::run_started && e.migrations_total > 0)
                    say(stdout, t.name, fmt::format("applying {} migration{} to {}", e.migrations_total,
                                                    e.migrations_total == 1 ? "" : "s", target.url().redacted()));
                else if (e.kind == K::migration_finished)
                    say(stdout, t.name, fmt::format("  [{}/{}] {:<40} {:>3} statement{}  {}", e.migration_number,
                                                    e.migrations_total, e.migration->tag, e.statements_total,
                                                    e.statements_total == 1 ? " " : "s", seconds(e.duration)));
            };
            migrate::UpOptions up{.allow_out_of_order = o.allow_out_of_order, .allow_missing = o.allow_missing,
                                  .cancel = &cancel_requested};
            auto report = target.up(on_event, up);
            std::string summary =
                report.migrations_applied == 0
                    ? fmt::format("nothing to do: {} of {} migrations applied, none pending",
                                  report.plan_before.count(migrate::MigrationState::applied),
                                  target.source().migrations.size())
                    : fmt::format("applied {} migration{} ({} statements) in {}", report.migrations_applied,
                                  report.migrations_applied == 1 ? "" : "s", report.statements_run,
                                  seconds(report.duration));
            say(stdout, t.name, summary);
            rows[i] = {t.name, "ok", summary};
        } catch (const migrate::error& e) {
            codes[i] = exit_code_for(e.code());
            say(stderr, t.name,
                fmt::format("migrate: error[{}]: {}", migrate::to_string(e.code()), migrate::redact_url_text(e.what())));
            rows[i] = {t.name, fmt::format("failed (exit {})", codes[i]), error_summary(e)};
        } catch (const std::exception& e) {
            codes[i] = exit_internal;
            say(stderr, t.name, fmt::format("migrate: internal error: {}", migrate::redact_url_text(e.what())));
            rows[i] = {t.name, fmt::format("failed (exit {})", codes[i]),
                       "internal error: " + first_line(migrate::redact_url_text(e.what()))};
        }
    });
    fmt::print("\n");
    print_table({"target", "result", "detail"}, rows);
    return *std::max_element(codes.begin(), codes.end());
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"migrate: apply drizzle-kit MySQL migrations (MySQL, MariaDB, Vitess, PlanetScale)"};
    app.require_subcommand(1);
    app.set_version_flag("--version", fmt::format("migrate {} (libmigrate {}, driver ABI {})", MIGRATE_CLI_VERSION,
                                                  migrate::library_version(), migrate::driver_abi_version()));
    Options o;
    auto* status = app.add_subcommand("status", "show applied, pending and half-applied migrations; changes nothing");
    auto* up = app.add_subcommand("up", "apply pending migrations in journal order (resumes a half-applied one)");
    auto* repair = app.add_subcommand("repair", "record the current hash of applied migrations whose files were edited");
    auto* resolve = app.add_subcommand("resolve", "decide a statement a stopped run left undecided");
    for (auto* sub : {status, up, repair, resolve}) {
        sub->add_option("--url", o.url, "connection URL (default: $DATABASE_URL), e.g. mysql://user:pass@host:3306/db");
        sub->add_option("--dir", o.dir, "drizzle-kit migrations folder (the one holding meta/_journal.json)")
            ->capture_default_str();
        sub->add_option("--table", o.table, "tracking table (drizzle's migrations.table)")->capture_default_str();
        sub->add_option("--lock", o.lock, "lock kind: session (GET_LOCK) or lease (a row with an expiry)")
            ->check(CLI::IsMember({"session", "lease"}))
            ->capture_default_str();
        sub->add_option("--lock-timeout", o.lock_timeout_s, "seconds to wait for another run's lock")
            ->check(CLI::Range(0, 86400))
            ->capture_default_str();
        sub->add_option("--config", o.config,
                        "project config naming several targets (default: migrate.json here or in a parent folder, "
                        "used when neither --url nor DATABASE_URL is given); docs/config.md");
        sub->add_option("--keyspace", o.keyspaces, "a target of the project config (repeatable)")->allow_extra_args(false);
    }
    for (auto* sub : {status, up}) {
        sub->add_flag("--all", o.all, "every target of the project config");
        sub->add_option("--jobs", o.jobs, "targets run at once (default: all of them)")->check(CLI::Range(1, 1024));
    }
    status->add_flag("-v,--verbose", o.verbose, "list every migration, not only those needing attention");
    up->add_flag("--allow-out-of-order", o.allow_out_of_order,
                 "apply entries older than the newest applied one (drizzle skips them forever)");
    up->add_flag("--allow-missing", o.allow_missing, "proceed although applied rows match no journal entry");
    repair->add_flag("-y,--yes", o.yes, "do not ask for confirmation");
    resolve->add_option("tag", o.tag, "the half-applied migration's tag, e.g. 0042_add_vin")->required();
    auto* applied = resolve->add_flag("--applied", o.resolve_applied, "the statement took effect: skip it");
    auto* retry = resolve->add_flag("--retry", o.resolve_retry, "the statement did not take effect: run it again");
    applied->excludes(retry);
    app.footer("Examples:\n  migrate status --url mysql://app:secret@127.0.0.1:3306/app --dir drizzle\n"
               "  DATABASE_URL=mysql://app:secret@db/app migrate up --dir drizzle\n"
               "  migrate resolve 0042_add_vin --applied --dir drizzle\n"
               "  migrate up --all --config migrate.json --jobs 4\n"
               "Exit codes: 0 ok, 1 apply failed, 2 usage, 3 invalid input, 4 cannot connect, 5 refused, "
               "6 lock, 130 interrupted (docs/cli.md)");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int rc = app.exit(e);
        return rc == 0 ? exit_ok : exit_usage;
    }
    CLI::App* command = nullptr;
    for (auto* sub : {status, up, repair, resolve})
        if (sub->parsed()) command = sub;
    // Project config: asked for explicitly, or found upward when no URL is given (docs/config.md).
    bool use_config = !o.config.empty() || !o.keyspaces.empty() || o.all;
    if (use_config && !o.url.empty()) {
        fmt::print(stderr, "migrate: --url cannot be combined with --config, --keyspace or --all\n");
        return exit_usage;
    }
    if (!use_config && o.url.empty() && !std::getenv("DATABASE_URL"))
        if (auto found = migrate::find_project_config(std::filesystem::current_path())) {
            o.config = found->string();
            use_config = true;
        }
    std::vector<migrate::TargetConfig> selected;
    if (use_config) {
        for (const char* flag : {"--dir", "--table", "--lock", "--lock-timeout"})
            if (command->get_option(flag)->count() > 0) {
                fmt::print(stderr, "migrate: {} cannot be combined with a project config ({}): set it there\n", flag,
                           o.config.empty() ? "--keyspace/--all" : o.config);
                return exit_usage;
            }
        if (o.config.empty()) {
            auto found = migrate::find_project_config(std::filesystem::current_path());
            if (!found) {
                fmt::print(stderr, "migrate: --keyspace/--all need a project config: pass --config FILE or create "
                                   "migrate.json (docs/config.md)\n");
                return exit_usage;
            }
            o.config = found->string();
        }
        migrate::ProjectConfig config;
        try {
            config = migrate::load_project_config(o.config);
        } catch (const migrate::error& e) {
            fmt::print(stderr, "migrate: error[{}]: {}\n", migrate::to_string(e.code()), migrate::redact_url_text(e.what()));
            return exit_code_for(e.code());
        }
        std::string names;
        for (const auto& t : config.targets) names += (names.empty() ? "" : ", ") + t.name;
        if (o.all) {
            selected = config.targets;
        } else if (!o.keyspaces.empty()) {
            for (const auto& k : o.keyspaces) {
                const auto* t = config.find(k);
                if (!t) {
                    fmt::print(stderr, "migrate: {} has no target \"{}\" (it has: {})\n", o.config, k, names);
                    return exit_usage;
                }
                if (std::none_of(selected.begin(), selected.end(), [&](const auto& s) { return s.name == k; }))
                    selected.push_back(*t);
            }
        } else if (config.targets.size() == 1) {
            selected = config.targets;
        } else {
            fmt::print(stderr, "migrate: {} names {} targets ({}): choose with --keyspace NAME or --all\n", o.config,
                       config.targets.size(), names);
            return exit_usage;
        }
        if (selected.size() == 1) {
            // One target: exactly the single-target commands and output.
            const auto& t = selected.front();
            o.url = t.url;
            o.dir = t.migrations_dir.string();
            o.table = t.table;
            o.lock = t.lock_mode == migrate::LockMode::lease ? "lease" : "session";
            o.lock_timeout_s = static_cast<int>(t.lock_timeout.count());
            selected.clear();
        } else if (command == repair || command == resolve) {
            fmt::print(stderr, "migrate {}: works on one target: choose it with --keyspace NAME\n", command->get_name());
            return exit_usage;
        }
    }
    if (o.url.empty() && selected.empty())
        if (const char* env = std::getenv("DATABASE_URL")) o.url = env;
    if (o.url.empty() && selected.empty()) {
        fmt::print(stderr, "migrate: no database: pass --url mysql://user:password@host:port/db or set DATABASE_URL\n");
        return exit_usage;
    }
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);

    try {
        if (!selected.empty()) return status->parsed() ? run_status_many(selected, o) : run_up_many(selected, o);
        if (status->parsed()) return run_status(o);
        if (up->parsed()) return run_up(o);
        if (repair->parsed()) return run_repair(o);
        if (resolve->parsed()) return run_resolve(o);
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
