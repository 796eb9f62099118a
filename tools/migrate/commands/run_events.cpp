#include "run_events.hpp"

#include "../cli_common.hpp"

#include <fmt/format.h>

#include <cstdio>

namespace cli {

std::string started_line(const migrate::Event& e, const std::string& url) {
    if (!e.detail.empty()) return fmt::format("applying {} to {}", e.detail, url);
    return fmt::format("applying {} migration{} to {}", e.migrations_total, e.migrations_total == 1 ? "" : "s", url);
}

std::string finished_line(const migrate::Event& e) {
    std::string name = e.migration->tag;
    if (!e.detail.empty()) name += " " + e.detail;
    return fmt::format("  [{}/{}] {:<40} {:>3} statement{}  {}", e.migration_number, e.migrations_total, name,
                       e.statements_total, e.statements_total == 1 ? " " : "s", seconds(e.duration));
}

bool is_waiting(const migrate::Event& e) {
    using K = migrate::Event::Kind;
    return e.kind == K::lock_waiting || e.kind == K::previous_run_waiting || e.kind == K::statement_lock_waiting;
}

std::string waiting_line(const migrate::Event& e) {
    using K = migrate::Event::Kind;
    if (e.kind == K::previous_run_waiting)
        return fmt::format("waiting for a stopped run's statement to end on the server ({} so far): {}",
                           seconds(e.duration), e.detail);
    return fmt::format("{}:{} statement {} blocked by other sessions' locks ({} so far): {}",
                       e.migration->file.string(), e.migration->statements[e.statement_index].line,
                       e.statement_index + 1, seconds(e.duration), e.detail);
}

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

std::string up_summary(const migrate::UpReport& report, std::size_t migrations) {
    if (report.migrations_applied == 0 && report.baseline_covered == 0)
        return fmt::format("{}nothing {}to do: {} of {} migrations applied, none pending",
                           report.table_upgrade.empty() ? "" : report.table_upgrade + "; ",
                           report.table_upgrade.empty() ? "" : "else ",
                           report.plan_before.count(migrate::MigrationState::applied), migrations);
    std::string s =
        fmt::format("applied {} migration{} ({} statements) in {}", report.migrations_applied,
                    report.migrations_applied == 1 ? "" : "s", report.statements_run, seconds(report.duration));
    if (report.baseline_covered)
        s = fmt::format("loaded the baseline ({} migrations recorded), then {}", report.baseline_covered,
                        report.migrations_applied == 0 ? fmt::format("nothing else to apply ({} statements in {})",
                                                                     report.statements_run, seconds(report.duration))
                                                       : s);
    return s;
}

void ProgressBar::show(const migrate::Event& e) {
    if (!enabled_ || e.migrations_total == 0) return;
    const double done =
        (static_cast<double>(e.migration_number - 1) +
         (e.statements_total ? static_cast<double>(e.statement_index) / static_cast<double>(e.statements_total)
                             : 0.0)) /
        static_cast<double>(e.migrations_total);
    const int width = 24, filled = static_cast<int>(done * width);
    fmt::print(stderr, "\r\x1b[K[{}{}] {}/{} migrations, statement {}/{}, {}",
               std::string(static_cast<std::size_t>(filled), '#'),
               std::string(static_cast<std::size_t>(width - filled), '.'), e.migration_number, e.migrations_total,
               e.statement_index + 1, e.statements_total, seconds(std::chrono::steady_clock::now() - start_));
    std::fflush(stderr);
    shown_ = true;
}

void ProgressBar::clear() {
    if (!shown_) return;
    fmt::print(stderr, "\r\x1b[K");
    std::fflush(stderr);
    shown_ = false;
}

}  // namespace cli
