#include <migrate/startup.hpp>

#include <migrate/connection_url.hpp>

#include <exception>
#include <new>
#include <string>

namespace migrate {
namespace {

void log_line(const StartupOptions& options, StartupLogLevel level, const std::string& message) noexcept {
    if (!options.log) return;
    try {
        options.log(level, message);
    } catch (...) {
        // A failing logger must not turn a successful migration into a failed startup.
    }
}

std::string millis(std::chrono::nanoseconds d) {
    return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(d).count()) + " ms";
}

// The error's fix in a service's terms: what its operators do, and with which call (StartupOptions or a
// Target), since a service has neither the CLI's commands nor its flags.
std::string fix_for_service(const error_context& c) {
    const std::string tag = c.tag.empty() ? "the migration" : c.tag;
    switch (c.fix) {
        case remedy::none: return "";
        case remedy::resolve_applied:
        case remedy::decide_in_flight:
            return " Fix: an operator checks whether the statement of " + tag +
                   " took effect and records it (Target::resolve), then the service starts again.";
        case remedy::create_baseline:
        case remedy::recreate_or_skip_baseline:
            return " Fix: ship a baseline made again (create_baseline), or start with "
                   "StartupOptions::target.use_baseline = false to replay the migrations.";
        case remedy::record_new_hash:
            return " Fix: if the edit was deliberate, an operator records the new hash (Target::repair).";
        case remedy::allow_missing:
            return " Fix: if those rows are expected, start with StartupOptions::up.allow_missing.";
        case remedy::allow_out_of_order:
            return " Fix: if that order is intended, start with StartupOptions::up.allow_out_of_order.";
        case remedy::adopt_database:
            return " Fix: an operator marks what the database already reflects (Target::mark_baseline), or start with "
                   "StartupOptions::up.allow_dirty.";
        case remedy::choose_scratch_server: return " Fix: use a scratch server where the user may create databases.";
    }
    return "";
}

}  // namespace

bool is_validation_error(errc code) noexcept {
    switch (code) {
        case errc::migration_changed:
        case errc::row_without_file:
        case errc::out_of_order:
        case errc::partial_edited:
        case errc::needs_resolve:
        case errc::database_not_empty:
        case errc::table_copy_too_large: return true;
        default: return false;
    }
}

StartupReport run_at_startup(const StartupOptions& options) {
    const auto started = std::chrono::steady_clock::now();
    StartupReport report;
    auto finish = [&] { report.duration = std::chrono::steady_clock::now() - started; };

    auto fail = [&](errc code, const std::string& message, error_context context) {
        report.error_code = code;
        report.error_message = redact_url_text(message);
        report.context = std::move(context);
        if (is_validation_error(code) && options.on_validation_error == OnValidationError::start_anyway) {
            report.validation_refused = true;
            report.ok = true;
            log_line(options, StartupLogLevel::warning,
                     "migrations refused (" + std::string(to_string(code)) +
                         "), starting anyway: " + report.error_message + fix_for_service(report.context));
        } else {
            report.validation_refused = is_validation_error(code);
            report.ok = false;
            log_line(options, StartupLogLevel::error,
                     "migrations failed (" + std::string(to_string(code)) + "): " + report.error_message +
                         fix_for_service(report.context));
        }
    };

    // A failure before Target::up ran (the folder, the URL, the driver) is reported as up reports its own, so
    // that an event consumer (a log sink, a ReadinessTracker) always sees how the call ended.
    bool failure_reported = false;
    auto failed = [&](const error& e) {
        if (!failure_reported && options.on_event) {
            try {
                options.on_event({.kind = Event::Kind::run_failed, .failure = &e});
            } catch (...) {  // as log_line: a failing consumer changes nothing
            }
        }
        fail(e.code(), e.what(), e.context());
    };

    try {
        auto target = Target::open(options.target);
        log_line(options, StartupLogLevel::info,
                 "migrating " + target.url().redacted() + " from " + options.target.migrations_dir.string());
        bool logged_wait = false;
        EventCallback on_event = [&](const Event& e) {
            if (e.kind == Event::Kind::lock_waiting && !logged_wait) {
                logged_wait = true;
                log_line(options, StartupLogLevel::info, "waiting for the migration lock: " + e.detail);
            }
            // Every blocked attempt is logged: the service's operators must see who holds the table.
            if (e.kind == Event::Kind::statement_lock_waiting)
                log_line(options, StartupLogLevel::warning,
                         e.migration->tag + " statement " + std::to_string(e.statement_index + 1) +
                             " blocked by other sessions' locks: " + e.detail);
            if (e.kind == Event::Kind::previous_run_waiting)
                log_line(options, StartupLogLevel::info, "waiting for a stopped run's statement: " + e.detail);
            if (e.kind == Event::Kind::run_failed) failure_reported = true;
            if (options.on_event) options.on_event(e);
        };
        auto up = target.up(on_event, options.up);
        report.applied = up.migrations_applied;
        report.resumed = up.migrations_resumed;
        report.baseline_covered = up.baseline_covered;
        report.statements_run = up.statements_run;
        report.pending_before = up.plan_before.pending().size();
        report.ok = true;
        std::string summary = up.migrations_applied == 0 && up.baseline_covered == 0
                                  ? "database up to date, nothing to apply"
                                  : "applied " + std::to_string(up.migrations_applied) + " migration(s)";
        if (up.baseline_covered > 0)
            summary += ", " + std::to_string(up.baseline_covered) + " recorded by the baseline";
        finish();
        log_line(options, StartupLogLevel::info, summary + " in " + millis(report.duration));
        return report;
    } catch (const error& e) {
        failed(e);
    } catch (const std::bad_alloc&) {  // no event: making one could fail the same way
        fail(errc::internal, "out of memory", {});
    } catch (const std::exception& e) {
        failed(error(errc::internal, e.what()));
    } catch (...) {
        failed(error(errc::internal, "unknown exception"));
    }
    finish();
    if (options.throw_on_error && !report.ok) throw error(*report.error_code, report.error_message, report.context);
    return report;
}

}  // namespace migrate
