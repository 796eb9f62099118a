// `migrate up`: apply pending migrations in journal order (resuming a half-applied one), per target.
#include "commands.hpp"
#include "run_choices.hpp"
#include "run_events.hpp"

#include "../cli_common.hpp"
#include "../dry_run_cli.hpp"
#include "../json_output.hpp"
#include "../log_lines.hpp"

#include <migrate/migrate.hpp>

#include <fmt/format.h>

#include <unistd.h>
#include <memory>
#include <optional>

namespace cli {
namespace {

struct UpArgs {
    bool verbose = false;
    bool dry_run = false;
    RunChoices run;
    LogChoices log;
};

int up_one(const migrate::TargetConfig& t, const UpArgs& args, const GlobalOptions& g) {
    auto target = migrate::Target::open(t.options());
    const auto options = up_options(args.run.up, t);
    ProgressBar bar(!g.quiet && ::isatty(STDERR_FILENO));
    auto on_event = [&](const migrate::Event& e) {
        using K = migrate::Event::Kind;
        if (e.kind == K::statement_started && args.verbose && !g.quiet) {
            bar.clear();
            fmt::print("    {}:{} statement {}/{}\n", e.migration->file.string(),
                       e.migration->statements[e.statement_index].line, e.statement_index + 1, e.statements_total);
            std::fflush(stdout);
        }
        if (e.kind == K::statement_started) return bar.show(e);
        if (g.quiet && !is_waiting(e)) return;
        bar.clear();
        print_common_event(e);
        if (e.kind == K::run_started && e.migrations_total > 0)
            fmt::print("{}\n", started_line(e, target.url().redacted()));
        else if (e.kind == K::migration_finished)
            fmt::print("{}\n", paint(finished_line(e), Colour::green));
        std::fflush(stdout);
    };
    auto report = target.up(on_event, options);
    bar.clear();
    fmt::print("{}\n", up_summary(report, target.source().migrations.size()));
    // Not refused (drizzle is unaffected), but worth cleaning up: said after every run that sees them.
    for (const auto& d : report.plan_before.duplicate_rows)
        if (!g.quiet) fmt::print("warning: {}\n", migrate::describe_duplicate(d, t.table));
    return exit_ok;
}

// Several targets (or --json, or --log-format json): in parallel, every line prefixed with its target's name,
// then a summary table (or one document). With JSON log lines, stderr holds only those lines (the failure
// included) and stdout the results.
int up_many(const std::vector<migrate::TargetConfig>& targets, const UpArgs& args, const GlobalOptions& g) {
    std::optional<JsonLogLines> log_lines;
    if (args.log.json()) log_lines.emplace(args.log);
    std::vector<std::vector<std::string>> rows(targets.size());
    std::vector<Json> docs(targets.size());
    std::vector<migrate::UpOptions> options;
    for (const auto& t : targets) options.push_back(up_options(args.run.up, t));  // usage errors before any target runs
    // With --json, stdout holds only the document: progress goes to stderr; --quiet drops it.
    std::FILE* progress = g.json ? stderr : stdout;
    const int code = for_each_target(targets, g.jobs, [&](const migrate::TargetConfig& t, auto say) {
        const auto i = static_cast<std::size_t>(&t - targets.data());
        Json steps = Json::array();
        bool failure_logged = false;
        try {
            auto target = migrate::Target::open(t.options());
            auto record = [&](const migrate::Event& e) {
                using K = migrate::Event::Kind;
                if (e.kind == K::migration_finished)
                    steps.push_back(
                        {{"tag", e.migration->tag},
                         {"statements", e.statements_total},
                         {"duration_ms", std::chrono::duration_cast<std::chrono::milliseconds>(e.duration).count()}});
                failure_logged = failure_logged || e.kind == K::run_failed;
            };
            auto show = [&](const migrate::Event& e) {
                using K = migrate::Event::Kind;
                record(e);
                if (g.quiet && !is_waiting(e)) return;
                if (e.kind == K::lock_waiting)
                    say(stderr, fmt::format("waiting for the migration lock ({} so far): held by {}",
                                            seconds(e.duration), e.detail));
                else if (e.kind == K::previous_run_waiting || e.kind == K::statement_lock_waiting)
                    say(stderr, waiting_line(e));
                else if (e.kind == K::migration_resumed)
                    say(progress, fmt::format("  resuming {} at statement {} of {}: {}", e.migration->tag,
                                              e.statement_index + 1, e.statements_total, e.detail));
                else if (e.kind == K::statement_skipped)
                    say(progress,
                        fmt::format("  {}:{} statement {} skipped: {}", e.migration->file.string(),
                                    e.migration->statements[e.statement_index].line, e.statement_index + 1, e.detail));
                else if (e.kind == K::deploy_request)
                    say(progress, "  " + e.detail);
                else if (e.kind == K::run_started && e.migrations_total > 0)
                    say(progress, started_line(e, target.url().redacted()));
                else if (e.kind == K::migration_finished)
                    say(progress, finished_line(e));
            };
            const auto on_event = log_lines ? log_lines->for_target(t.name, record) : migrate::EventCallback(show);
            auto report = target.up(on_event, options[i]);
            std::string summary = up_summary(report, target.source().migrations.size());
            if (!g.json && !(log_lines && g.quiet)) say(stdout, summary);
            docs[i] = up_json(t.name, report, std::move(steps));
            rows[i] = {t.name, "ok", summary};
            return int{exit_ok};
        } catch (const migrate::error& e) {  // for_each_target prints it and takes its exit code
            const int failed = exit_code_for(e.code());
            docs[i] = {{"name", t.name},
                       {"ok", false},
                       {"exit", failed},
                       {"steps", std::move(steps)},
                       {"error", error_object(e)}};
            rows[i] = {t.name, fmt::format("failed (exit {})", failed), error_summary(e)};
            if (!log_lines) throw;
            if (!failure_logged) log_lines->failure(t.name, e);
            return failed;
        } catch (const std::exception& e) {
            rows[i] = {t.name, fmt::format("failed (exit {})", int{exit_internal}),
                       "internal error: " + first_line(migrate::redact_url_text(e.what()))};
            if (!log_lines) throw;
            log_lines->failure(t.name, migrate::error(migrate::errc::internal, e.what()));
            return int{exit_internal};
        }
    });
    if (g.json) {
        fmt::print("{}\n", document("up", Json(docs), code).dump(2));
        return code;
    }
    if (log_lines && targets.size() == 1) return code;  // its summary line said it
    fmt::print("\n");
    print_table({"target", "result", "detail"}, rows);
    return code;
}

}  // namespace

Command add_up_command(CLI::App& app, GlobalOptions& g) {
    auto args = std::make_shared<UpArgs>();
    auto* sub = app.add_subcommand("up", "apply pending migrations in journal order (resumes a half-applied one)");
    sub->footer(
        "Examples:\n  DATABASE_URL=mysql://app:secret@db/app migrate up --dir drizzle\n"
        "  migrate up --all --jobs 2 --config migrate.json\n  migrate up --to 0042_add_vin --quiet\n"
        "  migrate up --no-baseline --json\n  migrate up --dry-run > pending.sql    # the SQL it would send, for a "
        "client");
    add_global_options(sub, g, TargetPolicy::several, JsonOutput::document);
    sub->add_flag("-v,--verbose", args->verbose,
                  "one line per statement as it starts (file:line), not only per migration");
    sub->add_flag("--dry-run", args->dry_run,
                  "run nothing: print the SQL up would send, whole and in order, as a script for the mysql/mariadb "
                  "client (same as `migrate plan --sql`)");
    add_run_choices(sub, args->run,
                    RunGroup::statement_locks | RunGroup::deploys | RunGroup::validation | RunGroup::no_baseline);
    add_log_options(sub, args->log);
    return {.app = sub,
            .name = "up",
            .targets = TargetPolicy::several,
            .on_closed_stdout = ClosedStdout::finish_silently,
            .run = [args](const Invocation& in) {
                const auto targets = targets_with(args->run, in);
                if (args->dry_run) {
                    if (in.global.json) throw UsageError("migrate up: --dry-run prints SQL; it takes no --json");
                    return run_dry_run(targets, up_options(args->run.up, {}));
                }
                if (in.several() || in.global.json || args->log.json()) return up_many(targets, *args, in.global);
                return up_one(targets.front(), *args, in.global);
            }};
}

}  // namespace cli
