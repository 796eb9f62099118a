// `migrate`: status, up, repair and resolve for one target (--url / DATABASE_URL, --dir), or for the targets
// of a project config (--config / migrate.json, --keyspace / --all; docs/config.md).
// Exit codes: docs/cli.md.
#include "baseline_cli.hpp"
#include "plan_cli.hpp"
#include "planetscale_cli.hpp"
#include "tui/app.hpp"
#include "cli_common.hpp"
#include "json_output.hpp"
#include "verify_cli.hpp"
#include "lint_cli.hpp"

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

using namespace cli;

struct Options {
    std::string url;
    std::string dir = "drizzle";
    std::string table = "__drizzle_migrations";
    std::string lock = "session";
    int lock_timeout_s = 300;
    std::optional<int> statement_lock_wait_s;    // given: overrides the target's (config) value; 0 = off
    std::optional<int> statement_lock_budget_s;
    bool verbose = false;
    bool allow_out_of_order = false;
    bool allow_missing = false;
    bool allow_dirty = false;
    bool json = false;
    bool quiet = false;      // up: only the summary and errors
    bool no_color = false;
    bool no_baseline = false;
    std::string to;
    std::string max_table_copy;                          // --max-table-copy SIZE, as given
    std::optional<std::uint64_t> max_table_copy_bytes;   // parsed
    bool yes = false;
    BaselineArgs baseline;
    VerifyArgs verify;
    std::optional<migrate::TargetConfig> from_config;  // the one target chosen from a project config
    std::string tag;
    bool resolve_applied = false;
    bool resolve_retry = false;
    std::optional<std::uint64_t> deploy_request;  // revert: its number (default: the newest of the keyspace)
    // Project config (docs/config.md).
    std::string config;
    std::vector<std::string> keyspaces;
    bool all = false;
    int jobs = 0;   // 0 = one thread per target
    PlanetScaleArgs planetscale;
};

// Ctrl-C / SIGTERM: stop between statements with progress recorded and the lock released.
std::atomic<bool> cancel_requested{false};
extern "C" void on_signal(int) { cancel_requested = true; }

// Per-run choices given on the command line win over the target's own (config) values.
migrate::TargetConfig with_run_choices(migrate::TargetConfig t, const Options& o) {
    if (o.statement_lock_wait_s) t.lock_waits.per_attempt = std::chrono::seconds(*o.statement_lock_wait_s);
    if (o.statement_lock_budget_s) t.lock_waits.total = std::chrono::seconds(*o.statement_lock_budget_s);
    apply_deploy_choices(o.planetscale, t.deploy_requests);
    return t;
}

// The single target of --url/--dir, in the shape project targets have.
migrate::TargetConfig single_target(const Options& o) {
    if (o.from_config) {
        migrate::TargetConfig t = with_run_choices(*o.from_config, o);
        if (o.no_baseline) t.use_baseline = false;
        return t;
    }
    migrate::TargetConfig t;
    t.url = o.url;
    t.name = migrate::parse_connection_url(o.url).database;
    t.migrations_dir = o.dir;
    t.table = o.table;
    t.lock_mode = o.lock == "lease" ? migrate::LockMode::lease : migrate::LockMode::session;
    t.lock_timeout = std::chrono::seconds(o.lock_timeout_s);
    t.use_baseline = !o.no_baseline;
    t.deploy_requests = planetscale_target(o.planetscale, t.name);
    return with_run_choices(std::move(t), o);
}

migrate::Target open_target(const Options& o) { return migrate::Target::open(single_target(o).options()); }

// "through 0042_x (42 migrations)", with what `up` will do with it.
std::string baseline_summary(const migrate::Baseline* b, const migrate::Plan& plan) {
    if (!b) return "-";
    std::string s = fmt::format("through {}", b->through);
    if (!b->usable()) return s + " (stale)";
    if (plan.from_baseline) return s + " (up loads it)";
    return s;
}

// The run's options for target `t`: --max-table-copy wins over the target's "maxTableCopy".
migrate::UpOptions up_options(const Options& o, const migrate::TargetConfig& t) {
    return {.allow_out_of_order = o.allow_out_of_order,
            .allow_missing = o.allow_missing,
            .allow_dirty = o.allow_dirty,
            .use_baseline = !o.no_baseline,
            .to = o.to.empty() ? std::nullopt : std::optional(o.to),
            .cancel = &cancel_requested,
            .max_table_copy_bytes = o.max_table_copy_bytes ? o.max_table_copy_bytes : t.max_table_copy_bytes};
}

// What `up` says when a run ends.
std::string up_summary(const migrate::UpReport& report, std::size_t migrations) {
    if (report.migrations_applied == 0 && report.baseline_covered == 0)
        return fmt::format("nothing to do: {} of {} migrations applied, none pending",
                           report.plan_before.count(migrate::MigrationState::applied), migrations);
    std::string s = fmt::format("applied {} migration{} ({} statements) in {}", report.migrations_applied,
                                report.migrations_applied == 1 ? "" : "s", report.statements_run,
                                seconds(report.duration));
    if (report.baseline_covered)
        s = fmt::format("loaded the baseline ({} migrations recorded), then {}", report.baseline_covered,
                        report.migrations_applied == 0 ? fmt::format("nothing else to apply ({} statements in {})",
                                                                     report.statements_run, seconds(report.duration))
                                                       : s);
    return s;
}

// "applying 3 migrations to URL", or what a baseline load covers.
std::string started_line(const migrate::Event& e, const std::string& url) {
    if (!e.detail.empty()) return fmt::format("applying {} to {}", e.detail, url);
    return fmt::format("applying {} migration{} to {}", e.migrations_total, e.migrations_total == 1 ? "" : "s", url);
}

// "  [2/5] 0042_add_vin   3 statements  12 ms"; a baseline load names what it covers.
std::string finished_line(const migrate::Event& e) {
    std::string name = e.migration->tag;
    if (!e.detail.empty()) name += " " + e.detail;
    return fmt::format("  [{}/{}] {:<40} {:>3} statement{}  {}", e.migration_number, e.migrations_total, name,
                       e.statements_total, e.statements_total == 1 ? " " : "s", seconds(e.duration));
}

// Waits are shown even with --quiet: a run that seems stuck must say why.
bool is_waiting(const migrate::Event& e) {
    using K = migrate::Event::Kind;
    return e.kind == K::lock_waiting || e.kind == K::previous_run_waiting || e.kind == K::statement_lock_waiting;
}

// A statement or a stopped run's leftover keeps this run waiting: said on stderr, like the lock wait.
std::string waiting_line(const migrate::Event& e) {
    using K = migrate::Event::Kind;
    if (e.kind == K::previous_run_waiting)
        return fmt::format("waiting for a stopped run's statement to end on the server ({} so far): {}",
                           seconds(e.duration), e.detail);
    return fmt::format("{}:{} statement {} blocked by other sessions' locks ({} so far): {}", e.migration->file.string(),
                       e.migration->statements[e.statement_index].line, e.statement_index + 1, seconds(e.duration),
                       e.detail);
}

// Lock and resume events, shared by every command that takes the lock.
void print_common_event(const migrate::Event& e) {
    using K = migrate::Event::Kind;
    if (e.kind == K::lock_waiting)
        fmt::print(stderr, "waiting for the migration lock ({} so far): held by {}\n", seconds(e.duration), e.detail);
    else if (e.kind == K::previous_run_waiting || e.kind == K::statement_lock_waiting)
        fmt::print(stderr, "{}\n", waiting_line(e));
    else if (e.kind == K::migration_resumed)
        fmt::print("  resuming {} at statement {} of {}: {}\n", e.migration->tag, e.statement_index + 1,
                   e.statements_total, e.detail);
    else if (e.kind == K::statement_skipped)
        fmt::print("  {}:{} statement {} skipped: {}\n", e.migration->file.string(),
                   e.migration->statements[e.statement_index].line, e.statement_index + 1, e.detail);
    else if (e.kind == K::deploy_request)
        fmt::print("  {}\n", e.detail);
    std::fflush(stdout);
}

void print_partial(const migrate::Migration& m, const migrate::Progress& p) {
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
                   plan.count(migrate::MigrationState::applied) + plan.rows_without_file.size() +
                       plan.duplicate_rows.size(),
                   plan.newest_created_at ? std::to_string(*plan.newest_created_at) : "none");
    else
        fmt::print("table      {} (not created yet)\n", s.table);
    if (!plan.table_upgrade.empty()) fmt::print("upgrade    {}\n", plan.table_upgrade);
    fmt::print("lock       {}\n", s.lock_holder.empty() ? "free" : "held by " + s.lock_holder);
    for (const auto& d : s.deploy_requests)
        fmt::print("deploy     #{} from {}: {}{}\n", d.number, d.branch, d.deployment_state,
                   d.html_url.empty() ? "" : "  " + d.html_url);
    if (!s.deploy_requests_error.empty()) fmt::print("deploy     cannot read deploy requests: {}\n", s.deploy_requests_error);
    if (const auto* b = target.baseline()) {
        fmt::print("baseline   {}, {} migrations through {}{}\n", b->dir.string(), b->covered.size(), b->through,
                   plan.from_baseline ? "; the database is empty, so `up` loads it first" : "");
        for (const auto& p : b->problems) fmt::print("           stale: {}\n", p);
    }
    if (!plan.unrecorded_tables.empty())
        fmt::print("warning    the database has {} table(s) but records no migration: `up` refuses it until it is "
                   "adopted with `migrate baseline mark --through TAG` (or --allow-dirty)\n",
                   plan.unrecorded_tables.size());

    std::size_t changed = 0;
    for (const auto& e : plan.entries) changed += e.hash_differs ? 1 : 0;
    const auto applied = plan.count(migrate::MigrationState::applied);
    const auto pending = plan.count(migrate::MigrationState::pending);
    const auto skipped = plan.count(migrate::MigrationState::out_of_order);
    fmt::print("\napplied {}, pending {}", applied, pending);
    if (skipped) fmt::print(", out of order {}", skipped);
    if (changed) fmt::print(", changed {}", changed);
    if (!plan.rows_without_file.empty()) fmt::print(", rows without file {}", plan.rows_without_file.size());
    if (!plan.duplicate_rows.empty()) fmt::print(", duplicate rows {}", plan.duplicate_rows.size());
    const std::size_t partial = plan.partial().size() + (plan.baseline_progress ? 1 : 0);
    if (partial) fmt::print(", partially applied {}", partial);
    fmt::print("\n");
    if (plan.baseline_progress && target.baseline()) print_partial(target.baseline()->snapshot, *plan.baseline_progress);
    for (const auto* e : plan.partial()) print_partial(*e->migration, *e->progress);

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
        if (e.by_baseline) state += " (recorded by the baseline)";
        if (e.hash_differs) state += " (file edited since it was applied)";
        if (e.state == migrate::MigrationState::out_of_order) state += " (older than the newest applied; drizzle skips it)";
        fmt::print("  {:<40} {:>15} {:>10}  {}\n", e.migration->tag, e.migration->when, e.migration->statements.size(),
                   state);
    }
    for (const auto& r : plan.rows_without_file)
        fmt::print("  row id {} created_at {} hash {}: no journal entry has this `when`\n", r.id,
                   r.created_at ? std::to_string(*r.created_at) : "NULL", r.hash.substr(0, 12));
    for (const auto& d : plan.duplicate_rows) fmt::print("warning    {}\n", migrate::describe_duplicate(d, s.table));
    return exit_ok;
}

// A one-line progress bar on stderr, redrawn in place; only when stderr is a terminal.
class ProgressBar {
public:
    explicit ProgressBar(bool enabled) : enabled_(enabled), start_(std::chrono::steady_clock::now()) {}
    ~ProgressBar() { clear(); }
    void show(const migrate::Event& e) {
        if (!enabled_ || e.migrations_total == 0) return;
        const double done = (static_cast<double>(e.migration_number - 1) +
                             (e.statements_total ? static_cast<double>(e.statement_index) / static_cast<double>(e.statements_total) : 0.0)) /
                            static_cast<double>(e.migrations_total);
        const int width = 24, filled = static_cast<int>(done * width);
        fmt::print(stderr, "\r\x1b[K[{}{}] {}/{} migrations, statement {}/{}, {}", std::string(static_cast<std::size_t>(filled), '#'),
                   std::string(static_cast<std::size_t>(width - filled), '.'), e.migration_number, e.migrations_total,
                   e.statement_index + 1, e.statements_total, seconds(std::chrono::steady_clock::now() - start_));
        std::fflush(stderr);
        shown_ = true;
    }
    void clear() {
        if (!shown_) return;
        fmt::print(stderr, "\r\x1b[K");
        std::fflush(stderr);
        shown_ = false;
    }

private:
    bool enabled_;
    bool shown_ = false;
    std::chrono::steady_clock::time_point start_;
};

int run_up(const Options& o) {
    auto target = open_target(o);
    ProgressBar bar(!o.quiet && ::isatty(STDERR_FILENO));
    auto on_event = [&](const migrate::Event& e) {
        using K = migrate::Event::Kind;
        if (e.kind == K::statement_started && o.verbose && !o.quiet) {
            bar.clear();
            fmt::print("    {}:{} statement {}/{}\n", e.migration->file.string(),
                       e.migration->statements[e.statement_index].line, e.statement_index + 1, e.statements_total);
            std::fflush(stdout);
        }
        if (e.kind == K::statement_started) return bar.show(e);
        if (o.quiet && !is_waiting(e)) return;
        bar.clear();
        print_common_event(e);
        if (e.kind == K::run_started && e.migrations_total > 0)
            fmt::print("{}\n", started_line(e, target.url().redacted()));
        else if (e.kind == K::migration_finished)
            fmt::print("{}\n", paint(finished_line(e), Colour::green));
        std::fflush(stdout);
    };
    auto report = target.up(on_event, up_options(o, single_target(o)));
    bar.clear();
    fmt::print("{}\n", up_summary(report, target.source().migrations.size()));
    // Not refused (drizzle is unaffected), but worth cleaning up: said after every run that sees them.
    for (const auto& d : report.plan_before.duplicate_rows)
        if (!o.quiet) fmt::print("warning: {}\n", migrate::describe_duplicate(d, o.table));
    return exit_ok;
}

int run_version(bool as_json) {
    const auto drivers = migrate::available_drivers();
    if (as_json) {
        Json list = Json::array();
        for (const auto& d : drivers)
            list.push_back({{"name", d.name}, {"version", d.version.empty() ? Json() : Json(d.version)},
                            {"file", d.file.empty() ? Json() : Json(d.file)}, {"schemes", d.schemes},
                            {"error", d.error.empty() ? Json() : Json(d.error)}});
        Json doc{{"version", 1}, {"command", "version"}, {"ok", true}, {"exit", 0}, {"cli", MIGRATE_CLI_VERSION},
                 {"library", migrate::library_version()}, {"driver_abi", migrate::driver_abi_version()}, {"drivers", list}};
        fmt::print("{}\n", doc.dump(2));
        return exit_ok;
    }
    fmt::print("migrate {}\nlibmigrate {}\ndriver ABI {}\n", MIGRATE_CLI_VERSION, migrate::library_version(),
               migrate::driver_abi_version());
    for (const auto& d : drivers)
        fmt::print("driver {:<17} {}\n", d.name,
                   d.error.empty() ? fmt::format("{} ({}; {})", d.version, d.schemes, d.file) : "not loadable: " + first_line(d.error));
    return exit_ok;
}

// {"version":1,"command":…,"ok":true,"exit":0,"targets":[entry]} for one-target commands.
void print_single_document(const std::string& command, Json entry) {
    fmt::print("{}\n", document(command, Json::array({std::move(entry)}), exit_ok).dump(2));
}

int run_repair(const Options& o) {
    auto target = open_target(o);
    std::size_t changed = 0;
    Json rows = Json::array();
    for (const auto& e : target.status().plan.entries)
        if (e.hash_differs) {
            if (!o.json)
                fmt::print("  {}: recorded hash {} -> file hash {}\n", e.migration->tag, e.row->hash, e.migration->hash);
            rows.push_back({{"tag", e.migration->tag}, {"row_id", e.row->id}, {"recorded_hash", e.row->hash},
                            {"file_hash", e.migration->hash}});
            ++changed;
        }
    if (changed == 0) {
        if (o.json) print_single_document("repair", {{"name", single_target(o).name}, {"repaired", rows}});
        else fmt::print("nothing to repair: every applied migration's file matches its recorded hash\n");
        return exit_ok;
    }
    if (!confirmed(o.yes, fmt::format("record the current file hash for {} migration{}?", changed, changed == 1 ? "" : "s")))
        return exit_usage;
    auto repaired = target.repair(print_common_event);
    if (o.json) print_single_document("repair", {{"name", single_target(o).name}, {"repaired", rows}});
    else fmt::print("repaired {} tracking row{}\n", repaired.size(), repaired.size() == 1 ? "" : "s");
    return exit_ok;
}

int run_resolve(const Options& o) {
    if (o.resolve_applied == o.resolve_retry) {
        fmt::print(stderr, "migrate resolve: say what the statement did: --applied or --retry\n");
        return exit_usage;
    }
    auto target = open_target(o);
    target.resolve(o.tag, o.resolve_applied, print_common_event);
    if (o.json)
        print_single_document("resolve", {{"name", single_target(o).name}, {"tag", o.tag},
                                           {"decision", o.resolve_applied ? "applied" : "retry"}});
    else
        fmt::print("recorded: {} {}; `migrate up` continues from there\n", o.tag,
                   o.resolve_applied ? "statement took effect (it will be skipped)" : "statement will run again");
    return exit_ok;
}

int run_revert(const Options& o) {
    auto target = open_target(o);
    const std::string which = o.deploy_request ? fmt::format("deploy request #{}", *o.deploy_request)
                                               : "the newest deploy request libmigrate opened for this keyspace";
    if (!confirmed(o.yes, fmt::format("revert {} on PlanetScale and unrecord the migrations it carried?", which)))
        return exit_usage;
    // JSON on stdout is the one document; progress lines would break it.
    auto r = target.revert_deploy_request(o.deploy_request, o.quiet || o.json ? migrate::EventCallback{} : print_common_event,
                                          &cancel_requested);
    if (o.json) {
        print_single_document("revert", {{"name", single_target(o).name}, {"deploy_request", r.number},
                                          {"html_url", r.html_url}, {"unrecorded", r.unrecorded},
                                          {"resumable", r.resumable}, {"run_again", r.run_again}});
        return exit_ok;
    }
    std::string tags;
    for (const auto& t : r.unrecorded) tags += (tags.empty() ? "" : ", ") + t;
    fmt::print("reverted deploy request #{}; no longer recorded: {}\n", r.number, tags);
    for (const auto& t : r.resumable)
        fmt::print("  {}: its statements before the deploy request stay on production; `migrate up` resumes after them\n", t);
    for (const auto& w : r.run_again)
        fmt::print("  {}: ran on production directly after the deploy request; the revert keeps its data and `migrate "
                   "up` runs it again\n",
                   w);
    return exit_ok;
}

// ---- Several targets of a project config (docs/config.md): one table for status, parallel runs for up.

int run_status_many(const std::vector<migrate::TargetConfig>& targets, const Options& o) {
    std::vector<std::vector<std::string>> rows(targets.size());
    std::vector<int> codes(targets.size(), exit_ok);
    std::vector<Json> docs(targets.size());
    parallel_for(targets.size(), o.jobs, [&](std::size_t i) {
        const auto& t = targets[i];
        try {
            auto target = migrate::Target::open(t.options());
            auto s = target.status();
            docs[i] = status_json(t.name, target, s);
            std::size_t changed = 0;
            for (const auto& e : s.plan.entries) changed += e.hash_differs ? 1 : 0;
            rows[i] = {t.name,
                       std::string(migrate::to_string(s.transport)),
                       std::to_string(s.plan.count(migrate::MigrationState::applied)),
                       std::to_string(s.plan.count(migrate::MigrationState::pending)),
                       std::to_string(changed),
                       std::to_string(s.plan.partial().size() + (s.plan.baseline_progress ? 1 : 0)),
                       baseline_summary(target.baseline(), s.plan),
                       s.lock_holder.empty() ? "free" : s.lock_holder};
        } catch (const migrate::error& e) {
            codes[i] = exit_code_for(e.code());
            docs[i] = {{"name", t.name}, {"error", error_json(e)}};
            rows[i] = {t.name, "-", "-", "-", "-", "-", "-", error_summary(e)};
        } catch (const std::exception& e) {
            codes[i] = exit_internal;
            rows[i] = {t.name, "-", "-", "-", "-", "-", "-", "internal error: " + first_line(migrate::redact_url_text(e.what()))};
        }
    });
    const int code = *std::max_element(codes.begin(), codes.end());
    if (o.json) {
        fmt::print("{}\n", document("status", Json(docs), code).dump(2));
        return code;
    }
    print_table({"target", "transport", "applied", "pending", "changed", "partial", "baseline", "lock holder"}, rows);
    return code;
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
    std::vector<Json> docs(targets.size());
    // With --json, stdout holds only the document: progress goes to stderr; --quiet drops it.
    std::FILE* progress = o.json ? stderr : stdout;
    parallel_for(targets.size(), o.jobs, [&](std::size_t i) {
        const auto& t = targets[i];
        Json steps = Json::array();
        try {
            auto target = migrate::Target::open(t.options());
            auto on_event = [&](const migrate::Event& e) {
                using K = migrate::Event::Kind;
                if (e.kind == K::migration_finished)
                    steps.push_back({{"tag", e.migration->tag}, {"statements", e.statements_total},
                                     {"duration_ms", std::chrono::duration_cast<std::chrono::milliseconds>(e.duration).count()}});
                if (o.quiet && !is_waiting(e)) return;
                if (e.kind == K::lock_waiting)
                    say(stderr, t.name, fmt::format("waiting for the migration lock ({} so far): held by {}",
                                                    seconds(e.duration), e.detail));
                else if (e.kind == K::previous_run_waiting || e.kind == K::statement_lock_waiting)
                    say(stderr, t.name, waiting_line(e));
                else if (e.kind == K::migration_resumed)
                    say(progress, t.name, fmt::format("  resuming {} at statement {} of {}: {}", e.migration->tag,
                                                      e.statement_index + 1, e.statements_total, e.detail));
                else if (e.kind == K::statement_skipped)
                    say(progress, t.name, fmt::format("  {}:{} statement {} skipped: {}", e.migration->file.string(),
                                                      e.migration->statements[e.statement_index].line,
                                                      e.statement_index + 1, e.detail));
                else if (e.kind == K::deploy_request)
                    say(progress, t.name, "  " + e.detail);
                else if (e.kind == K::run_started && e.migrations_total > 0)
                    say(progress, t.name, started_line(e, target.url().redacted()));
                else if (e.kind == K::migration_finished)
                    say(progress, t.name, finished_line(e));
            };
            auto report = target.up(on_event, up_options(o, t));
            std::string summary = up_summary(report, target.source().migrations.size());
            if (!o.json) say(stdout, t.name, summary);
            docs[i] = up_json(t.name, report, std::move(steps));
            rows[i] = {t.name, "ok", summary};
        } catch (const migrate::error& e) {
            codes[i] = exit_code_for(e.code());
            docs[i] = {{"name", t.name}, {"ok", false}, {"exit", codes[i]}, {"steps", std::move(steps)}, {"error", error_json(e)}};
            say(stderr, t.name, fmt::format("migrate: error[{}]: {}", migrate::to_string(e.code()), error_text(e)));
            rows[i] = {t.name, fmt::format("failed (exit {})", codes[i]), error_summary(e)};
        } catch (const std::exception& e) {
            codes[i] = exit_internal;
            say(stderr, t.name, fmt::format("migrate: internal error: {}", migrate::redact_url_text(e.what())));
            rows[i] = {t.name, fmt::format("failed (exit {})", codes[i]),
                       "internal error: " + first_line(migrate::redact_url_text(e.what()))};
        }
    });
    const int code = *std::max_element(codes.begin(), codes.end());
    if (o.json) {
        fmt::print("{}\n", document("up", Json(docs), code).dump(2));
        return code;
    }
    fmt::print("\n");
    print_table({"target", "result", "detail"}, rows);
    return code;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"migrate: apply drizzle-kit MySQL migrations (MySQL, MariaDB, Vitess, PlanetScale)"};
    app.require_subcommand(0, 1);
    bool version_flag = false;
    app.add_flag("--version", version_flag, "print the CLI, library, driver ABI and driver versions");
    Options o;
    auto* status = app.add_subcommand("status", "show applied, pending and half-applied migrations; changes nothing");
    auto* up = app.add_subcommand("up", "apply pending migrations in journal order (resumes a half-applied one)");
    auto* repair = app.add_subcommand("repair", "record the current hash of applied migrations whose files were edited");
    auto* resolve = app.add_subcommand("resolve", "decide a statement a stopped run left undecided");
    auto* revert = app.add_subcommand(
        "revert", "PlanetScale: revert the newest deploy request inside its revert window and unrecord its migrations");
    auto* plan = app.add_subcommand("plan", "show what `up` would do per target (steps, statements, refusals, lock); changes nothing");
    auto* version = app.add_subcommand("version", "print the CLI, library, driver ABI and driver plugin versions");
    auto* tui = app.add_subcommand("tui", "the migration TUI: targets, migrations, statements; apply with live progress");
    auto* baseline = app.add_subcommand("baseline", "baseline snapshots: create, verify, mark (docs/baseline.md)");
    baseline->require_subcommand(1);
    auto* b_create = baseline->add_subcommand(
        "create", "replay the migrations into a scratch database and write <dir>/baseline (snapshot + metadata)");
    auto* b_verify = baseline->add_subcommand(
        "verify", "build the replay and the snapshot in scratch databases and compare them; fails on any drift");
    auto* b_mark = baseline->add_subcommand(
        "mark", "adopt a database built outside: record migrations through TAG as applied, running nothing");
    auto* verify = add_verify_command(app, o.verify);
    const std::vector<CLI::App*> commands = {status, up, plan, tui, repair, resolve, revert, b_create, b_verify, b_mark, verify};
    // Every subcommand's --help ends with examples (the top level's: exit codes).
    status->footer("Examples:\n  migrate status --url mysql://app:secret@db:3306/app --dir drizzle\n"
                   "  migrate status -v --keyspace oi_claims\n  migrate status --all --json");
    up->footer("Examples:\n  DATABASE_URL=mysql://app:secret@db/app migrate up --dir drizzle\n"
               "  migrate up --all --jobs 2 --config migrate.json\n  migrate up --to 0042_add_vin --quiet\n"
               "  migrate up --no-baseline --json");
    plan->footer("Examples:\n  migrate plan --keyspace oi_claims        # paste into a deploy request\n"
                 "  migrate plan --all --json");
    tui->footer("Examples:\n  migrate tui                              # every target of ./migrate.json\n"
                "  migrate tui --keyspace oi_claims\n  NO_COLOR=1 migrate tui --url mysql://app@db/app --dir drizzle");
    repair->footer("Examples:\n  migrate repair --dir drizzle             # lists the edited migrations, asks\n"
                   "  migrate repair --yes --json");
    resolve->footer("Examples:\n  migrate resolve 0042_add_vin --applied\n  migrate resolve 0042_add_vin --retry --json");
    revert->footer("Examples:\n  migrate revert --keyspace oi_claims       # the newest deploy request, asks first\n"
                   "  migrate revert 42 --yes --json --url mysql://app@host/oi_claims --planetscale-org acme");
    version->footer("Examples:\n  migrate version\n  migrate version --json");
    b_create->footer("Examples:\n  migrate baseline create --dir drizzle --url mysql://root@127.0.0.1/scratch\n"
                     "  migrate baseline create --all --scratch-url mysql://root@127.0.0.1:3306");
    b_verify->footer("Examples:\n  migrate baseline verify --keyspace oi_claims\n  migrate baseline verify --all --json");
    b_mark->footer("Examples:\n  migrate baseline mark --through 0041_add_vin --url mysql://app@db/app --dir drizzle");
    cli::LintArgs lint_args;
    auto* lint = cli::add_lint_command(app, lint_args);
    verify->footer("Examples:\n  migrate verify --keyspace oi_claims      # after a deploy request\n"
                   "  migrate verify --schema --all --json");
    lint->footer("Examples:\n  migrate lint drizzle --flavor planetscale\n  migrate lint --all --format sarif > lint.sarif\n"
                 "  migrate lint --dir drizzle --url mysql://app@db/app   # also: applied migrations edited since");
    for (auto* sub : commands) {
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
    for (auto* sub : {status, up, plan, tui, b_create, b_verify, verify}) {
        sub->add_flag("--all", o.all, "every target of the project config");
        sub->add_option("--jobs", o.jobs, "targets run at once (default: all of them)")->check(CLI::Range(1, 1024));
    }
    status->add_flag("-v,--verbose", o.verbose, "list every migration, not only those needing attention");
    up->add_flag("-v,--verbose", o.verbose, "one line per statement as it starts (file:line), not only per migration");
    for (auto* sub : {up, tui}) {
        sub->add_option("--statement-lock-wait", o.statement_lock_wait_s,
                        "seconds one attempt of a statement may wait for a table or row lock another session holds "
                        "(the application's queries queue behind it meanwhile); then it is retried. 0: no limit but "
                        "the server's own (default 3; docs/safety.md)")
            ->check(CLI::Range(0, 86400));
        sub->add_option("--statement-lock-budget", o.statement_lock_budget_s,
                        "seconds of retries before a statement blocked by other sessions gives up, naming them "
                        "(exit 6; default 120)")
            ->check(CLI::Range(1, 86400));
    }
    for (auto* sub : {up, tui, plan, status, revert})
        add_planetscale_options(sub, o.planetscale, sub == up || sub == tui || sub == revert);
    for (auto* sub : {up, plan}) {
        sub->add_flag("--allow-out-of-order", o.allow_out_of_order,
                      "apply entries older than the newest applied one (drizzle skips them forever)");
        sub->add_flag("--allow-missing", o.allow_missing, "proceed although applied rows match no journal entry");
        sub->add_flag("--allow-dirty", o.allow_dirty,
                      "apply every migration to a database that has tables but records none (instead: baseline mark)");
        sub->add_option("--to", o.to, "stop after this migration (tag)");
        sub->add_option("--max-table-copy", o.max_table_copy,
                        "refuse, before running anything, a statement that rebuilds or copies a table bigger than "
                        "SIZE (e.g. 1GiB, 500MB; default: no limit, or the target's maxTableCopy); docs/online-ddl.md");
    }
    for (auto* sub : {status, up, plan, repair, resolve, revert, b_create, b_verify, b_mark, version})
        sub->add_flag("--json", o.json, "one JSON document on stdout (schema: docs/cli.md)");
    for (auto* sub : commands) {
        sub->add_flag("-q,--quiet", o.quiet, "only results and errors (no progress lines)");
        sub->add_flag("--no-color", o.no_color, "no colour (also: NO_COLOR set; colour is only used on a terminal)");
    }
    for (auto* sub : {status, up, plan})
        sub->add_flag("--no-baseline", o.no_baseline, "an empty database replays the migrations instead of loading the baseline");
    for (auto* sub : {b_create, b_verify})
        sub->add_option("--scratch-url", o.baseline.scratch_url,
                        "server for the scratch databases (created and dropped; default: the target's own server)");
    b_create->add_option("--through", o.baseline.through, "last migration the snapshot covers (default: the newest)");
    b_mark->add_option("--through", o.baseline.through, "last migration the database already reflects")->required();
    b_mark->add_flag("-y,--yes", o.baseline.yes, "do not ask for confirmation");
    repair->add_flag("-y,--yes", o.yes, "do not ask for confirmation");
    revert->add_option("number", o.deploy_request, "the deploy request (default: the newest libmigrate opened for the keyspace)");
    revert->add_flag("-y,--yes", o.yes, "do not ask for confirmation");
    resolve->add_option("tag", o.tag, "the half-applied migration's tag, e.g. 0042_add_vin")->required();
    auto* applied = resolve->add_flag("--applied", o.resolve_applied, "the statement took effect: skip it");
    auto* retry = resolve->add_flag("--retry", o.resolve_retry, "the statement did not take effect: run it again");
    applied->excludes(retry);
    app.footer("Examples:\n  migrate status --url mysql://app:secret@127.0.0.1:3306/app --dir drizzle\n"
               "  DATABASE_URL=mysql://app:secret@db/app migrate up --dir drizzle\n"
               "  migrate resolve 0042_add_vin --applied --dir drizzle\n"
               "  migrate up --all --config migrate.json --jobs 4\n"
               "  migrate baseline create --keyspace oi_claims --scratch-url mysql://root@127.0.0.1:3306\n"
               "  migrate baseline mark --through 0041_add_vin --url mysql://app@db/app --dir drizzle\n"
               "Exit codes: 0 ok, 1 apply or verify failed, 2 usage, 3 invalid input, 4 cannot connect, 5 refused, "
               "6 lock, 7 safe migrations (needs a deploy request), 130 interrupted (docs/cli.md)");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int rc = app.exit(e);
        return rc == 0 ? exit_ok : exit_usage;
    }
    if (lint->parsed()) return cli::run_lint(lint_args);  // folders only; its own options (lint_cli.cpp)
    CLI::App* command = nullptr;
    for (auto* sub : commands)
        if (sub->parsed()) command = sub;
    if (version_flag || version->parsed()) return run_version(o.json);
    if (!command) {
        fmt::print(stderr, "{}\nmigrate: a command is required\n", app.help());
        return exit_usage;
    }
    if (!o.max_table_copy.empty()) {
        o.max_table_copy_bytes = migrate::parse_byte_size(o.max_table_copy);
        if (!o.max_table_copy_bytes) {
            fmt::print(stderr, "migrate: --max-table-copy: \"{}\" is not a size: give bytes or a number with a unit, "
                               "e.g. 1GiB, 1G (1024^3), 500MB (1000^2)\n", o.max_table_copy);
            return exit_usage;
        }
    }
    const char* no_color_env = std::getenv("NO_COLOR");
    const bool colour = !o.no_color && !(no_color_env && *no_color_env);
    enable_colour(colour && !o.json && ::isatty(STDOUT_FILENO), colour && ::isatty(STDERR_FILENO));
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
        if (!o.planetscale.organization.empty()) {
            fmt::print(stderr, "migrate: --planetscale-org cannot be combined with a project config ({}): set the "
                               "target's \"planetscale\" there\n", o.config.empty() ? "--keyspace/--all" : o.config);
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
        if (o.all || (command == tui && o.keyspaces.empty())) {  // the TUI shows every target by default
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
            o.from_config = t;
            o.url = t.url;
            o.dir = t.migrations_dir.string();
            o.table = t.table;
            o.lock = t.lock_mode == migrate::LockMode::lease ? "lease" : "session";
            o.lock_timeout_s = static_cast<int>(t.lock_timeout.count());
            selected.clear();
        } else if (command == repair || command == resolve || command == revert || command == b_mark) {
            fmt::print(stderr, "migrate {}: works on one target: choose it with --keyspace NAME\n", command->get_name());
            return exit_usage;
        }
    }
    for (auto& t : selected) t = with_run_choices(std::move(t), o);
    if (o.url.empty() && selected.empty())
        if (const char* env = std::getenv("DATABASE_URL")) o.url = env;
    if (o.url.empty() && selected.empty()) {
        fmt::print(stderr, "migrate: no database: pass --url mysql://user:password@host:port/db or set DATABASE_URL\n");
        return exit_usage;
    }
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);

    try {
        o.baseline.jobs = o.verify.jobs = o.jobs;
        o.baseline.json = o.json;
        if (command == b_create || command == b_verify) {
            auto targets = selected.empty() ? std::vector{single_target(o)} : selected;
            return command == b_create ? run_baseline_create(targets, o.baseline) : run_baseline_verify(targets, o.baseline);
        }
        if (command == b_mark) return run_baseline_mark(single_target(o), o.baseline);
        if (command == tui) return tui::run_tui(selected.empty() ? std::vector{single_target(o)} : selected);
        if (command == plan)
            return run_plan(selected.empty() ? std::vector{single_target(o)} : selected, up_options(o, {}), o.json, o.jobs);
        if (command == verify) return run_verify(selected.empty() ? std::vector{single_target(o)} : selected, o.verify);
        if (!selected.empty() || (o.json && (command == status || command == up))) {
            auto targets = selected.empty() ? std::vector{single_target(o)} : selected;
            return command == status ? run_status_many(targets, o) : run_up_many(targets, o);
        }
        if (status->parsed()) return run_status(o);
        if (up->parsed()) return run_up(o);
        if (repair->parsed()) return run_repair(o);
        if (resolve->parsed()) return run_resolve(o);
        if (revert->parsed()) return run_revert(o);
    } catch (const migrate::error& e) {
        std::fflush(stdout);
        fmt::print(stderr, "{}\n", paint_error(fmt::format("migrate: error[{}]: {}", migrate::to_string(e.code()),
                                                           error_text(e))));
        if (o.json) fmt::print("{}\n", failure_document(command->get_name(), e, exit_code_for(e.code())).dump(2));
        return exit_code_for(e.code());
    } catch (const std::exception& e) {
        fmt::print(stderr, "migrate: internal error: {}\n", migrate::redact_url_text(e.what()));
        return exit_internal;
    }
    return exit_usage;
}
