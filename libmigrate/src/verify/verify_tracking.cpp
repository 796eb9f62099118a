// `migrate verify`: the tracking table against the folder, from the plan `status` shows.
#include <migrate/verify.hpp>

#include <fmt/format.h>

namespace migrate {

std::string_view to_string(TrackingProblem::Kind kind) noexcept {
    using K = TrackingProblem::Kind;
    switch (kind) {
        case K::table_missing: return "table_missing";
        case K::missing_row: return "missing_row";
        case K::out_of_order: return "out_of_order";
        case K::hash_differs: return "hash_differs";
        case K::row_without_file: return "row_without_file";
        case K::partial: return "partial";
        case K::table_upgrade_due: return "table_upgrade_due";
        case K::duplicate_row: return "duplicate_row";
    }
    return "unknown";
}

TrackingReport verify_tracking(const Status& status) {
    using K = TrackingProblem::Kind;
    const Plan& plan = status.plan;
    TrackingReport r;
    r.migrations = plan.entries.size();
    r.rows = plan.count(MigrationState::applied) + plan.rows_without_file.size() + plan.duplicate_rows.size();
    if (!plan.table_exists)
        r.problems.push_back({K::table_missing, "", std::nullopt, "", "",
                              fmt::format("no tracking table: none of the {} migrations is recorded", r.migrations)});
    if (!status.table_upgrade.empty())
        r.problems.push_back(
            {K::table_upgrade_due, "", std::nullopt, "", "",
             "the tracking table has drizzle 0.x's shape under a drizzle 1.0 folder: " + status.table_upgrade});
    if (plan.baseline_progress)
        r.problems.push_back(
            {K::partial, "baseline", std::nullopt, "", "",
             fmt::format("the baseline load is half-done ({} of {} statements)",
                         plan.baseline_progress->statements_done, plan.baseline_progress->statements_total)});
    for (const auto& e : plan.entries) {
        const std::string& tag = e.migration->tag;
        if (e.progress)
            r.problems.push_back({K::partial, tag, std::nullopt, "", "",
                                  fmt::format("{} is half-applied ({} of {} statements) and has no tracking row", tag,
                                              e.progress->statements_done, e.progress->statements_total)});
        else if (e.state == MigrationState::pending && plan.table_exists)
            r.problems.push_back({K::missing_row, tag, std::nullopt, e.migration->hash, "",
                                  fmt::format("missing row for {} (when {}): not applied", tag, e.migration->when)});
        else if (e.state == MigrationState::out_of_order)
            r.problems.push_back(
                {K::out_of_order, tag, std::nullopt, e.migration->hash, "",
                 fmt::format("missing row for {} (when {}), older than the newest row: drizzle skips it "
                             "forever",
                             tag, e.migration->when)});
        if (e.hash_differs)
            r.problems.push_back({K::hash_differs, tag, e.row->id, e.migration->hash, e.row->hash,
                                  fmt::format("hash differs for {} (row id {}): file {}, recorded {}", tag, e.row->id,
                                              e.migration->hash, e.row->hash)});
    }
    for (const auto& row : plan.rows_without_file)
        r.problems.push_back({K::row_without_file, row.name.value_or(""), row.id, "", row.hash,
                              fmt::format("row id {} (created_at {}{}, hash {}) matches no migration of the folder",
                                          row.id, row.created_at ? std::to_string(*row.created_at) : "NULL",
                                          row.name ? ", name " + *row.name : "", row.hash)});
    for (const auto& d : plan.duplicate_rows)
        r.problems.push_back({K::duplicate_row, d.migration ? d.migration->tag : "", d.row.id, "", d.row.hash,
                              describe_duplicate(d, status.table)});
    return r;
}

TrackingReport verify_tracking(Target& target) { return verify_tracking(target.status()); }

}  // namespace migrate
