#include "make_plan.hpp"

#include <migrate/baseline.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace migrate {

std::string_view to_string(MigrationState s) noexcept {
    switch (s) {
        case MigrationState::applied: return "applied";
        case MigrationState::pending: return "pending";
        case MigrationState::out_of_order: return "out_of_order";
    }
    return "?";
}

std::string_view to_string(Resolution r) noexcept {
    switch (r) {
        case Resolution::none: return "none";
        case Resolution::applied: return "applied";
        case Resolution::retry: return "retry";
    }
    return "?";
}

std::string describe_duplicate(const DuplicateRow& d, std::string_view table) {
    return fmt::format(
        "row id {} duplicates row id {} of {} (created_at {}, hash {}): two runs recorded the same "
        "migration, as drizzle migrators started at once do (drizzle takes no lock). Harmless: drizzle "
        "only reads the newest created_at (drizzle 1.0: which names exist), and libmigrate keeps "
        "matching row id {}. To remove the extra row: delete from `{}` where id = {}",
        d.row.id, d.original_id, d.migration ? d.migration->tag : "?",
        d.row.created_at ? std::to_string(*d.row.created_at) : "NULL", d.row.hash.substr(0, 12), d.original_id, table,
        d.row.id);
}

std::size_t Plan::count(MigrationState s) const {
    return static_cast<std::size_t>(
        std::count_if(entries.begin(), entries.end(), [s](const PlanEntry& e) { return e.state == s; }));
}

std::vector<const PlanEntry*> Plan::pending() const { return to_apply(false); }

std::vector<const PlanEntry*> Plan::to_apply(bool include_out_of_order) const {
    std::vector<const PlanEntry*> out;
    for (const auto& e : entries)
        if (!e.by_baseline &&
            (e.state == MigrationState::pending || (include_out_of_order && e.state == MigrationState::out_of_order)))
            out.push_back(&e);
    return out;
}

std::vector<const PlanEntry*> Plan::partial() const {
    std::vector<const PlanEntry*> out;
    for (const auto& e : entries)
        if (e.progress) out.push_back(&e);
    return out;
}

namespace {

// A database where nothing is recorded: load the baseline when it is empty, refuse it when it is not.
void plan_first_run(Plan& plan, const std::vector<AppliedRow>& rows, const std::map<std::int64_t, PartialRun>& progress,
                    const FirstRunFacts& facts) {
    if (auto load = progress.find(baseline_progress_key); load != progress.end()) {
        plan.from_baseline = true;
        plan.baseline_progress = load->second;
    } else {
        if (!rows.empty() || !progress.empty()) return;
        if (!facts.other_tables.empty()) {
            plan.unrecorded_tables = facts.other_tables;
            return;
        }
        if (!facts.baseline) return;
        plan.from_baseline = true;
    }
    if (!facts.baseline) {
        plan.baseline_problems.push_back(
            "an earlier run started loading the baseline and did not finish, and no "
            "baseline is in use now (baselines are turned off for this run, or the folder was "
            "removed)");
        return;
    }
    plan.baseline_problems = facts.baseline->problems;
    plan.baseline_covers = std::min(facts.baseline->covered.size(), plan.entries.size());
    for (std::size_t i = 0; i < plan.baseline_covers; ++i)
        if (plan.entries[i].state != MigrationState::applied) plan.entries[i].by_baseline = true;
}

// drizzle 1.0 (migrator.utils.js getMigrationsToRun): a local migration runs iff its name is not among
// the rows' non-NULL names. No high-water mark, so no out_of_order.
void plan_by_name(Plan& plan, const Source& source, const std::vector<AppliedRow>& rows,
                  const std::map<std::int64_t, PartialRun>& progress) {
    std::multimap<std::string, const AppliedRow*> by_name;
    for (const auto& r : rows)
        if (r.name) by_name.emplace(*r.name, &r);
    std::vector<bool> matched(rows.size(), false);
    plan.entries.reserve(source.migrations.size());
    for (const auto& m : source.migrations) {
        PlanEntry e;
        e.migration = &m;
        auto [lo, hi] = by_name.equal_range(m.tag);
        const AppliedRow* row = nullptr;
        for (auto it = lo; it != hi; ++it) {
            matched[static_cast<std::size_t>(it->second - rows.data())] = true;
            if (!row || (row->hash != m.hash && it->second->hash == m.hash)) row = it->second;
        }
        if (row) {
            e.state = MigrationState::applied;
            e.row = *row;
            e.hash_differs = row->hash != m.hash;
            for (auto it = lo; it != hi; ++it)
                if (it->second != row && it->second->hash == row->hash)
                    plan.duplicate_rows.push_back({*it->second, row->id, &m});
        } else {
            e.state = MigrationState::pending;
            if (auto p = progress.find(m.when); p != progress.end()) e.progress = p->second;
        }
        plan.entries.push_back(std::move(e));
    }
    for (std::size_t i = 0; i < rows.size(); ++i)
        if (!matched[i]) plan.rows_without_file.push_back(rows[i]);
}

}  // namespace

Plan make_plan(const Source& source, const std::vector<AppliedRow>& rows, bool table_exists,
               const std::map<std::int64_t, PartialRun>& progress, const FirstRunFacts& facts) {
    Plan plan;
    plan.table_exists = table_exists;
    // drizzle: `order by created_at desc limit 1`; NULLs sort last, so NULL only wins when all are NULL.
    for (const auto& r : rows)
        if (r.created_at && (!plan.newest_created_at || *r.created_at > *plan.newest_created_at))
            plan.newest_created_at = r.created_at;

    if (source.layout == FolderLayout::drizzle_v1_folders) {
        plan_by_name(plan, source, rows, progress);
        plan_first_run(plan, rows, progress, facts);
        return plan;
    }

    // Rows by created_at, ties in id order (a sorted vector: this runs on every start, for every row).
    std::vector<const AppliedRow*> by_when;
    by_when.reserve(rows.size());
    for (const auto& r : rows)
        if (r.created_at) by_when.push_back(&r);
    const auto earlier = [](const AppliedRow* a, const AppliedRow* b) { return *a->created_at < *b->created_at; };
    std::stable_sort(by_when.begin(), by_when.end(), earlier);
    std::vector<bool> matched(rows.size(), false);
    std::vector<const Migration*> matched_by(rows.size(), nullptr);

    plan.entries.reserve(source.migrations.size());
    for (const auto& m : source.migrations) {
        PlanEntry e;
        e.migration = &m;
        AppliedRow key;
        key.created_at = m.when;
        auto [lo, hi] = std::equal_range(by_when.begin(), by_when.end(), &key, earlier);
        // Prefer the row with the same hash when several share a `when`, the first of them (by id) when
        // it is there twice: a later one is the duplicate (duplicate_rows).
        const AppliedRow* row = nullptr;
        for (auto it = lo; it != hi; ++it) {
            if (matched[static_cast<std::size_t>(*it - rows.data())]) continue;
            if (!row || (row->hash != m.hash && (*it)->hash == m.hash)) row = *it;
        }
        if (row) {
            matched[static_cast<std::size_t>(row - rows.data())] = true;
            matched_by[static_cast<std::size_t>(row - rows.data())] = &m;
            e.state = MigrationState::applied;
            e.row = *row;
            e.hash_differs = row->hash != m.hash;
        } else if (!plan.newest_created_at || *plan.newest_created_at < m.when) {
            e.state = MigrationState::pending;
        } else {
            e.state = MigrationState::out_of_order;
        }
        if (e.state != MigrationState::applied)
            if (auto p = progress.find(m.when); p != progress.end()) e.progress = p->second;
        plan.entries.push_back(std::move(e));
    }
    // A row left unmatched with the created_at and hash of a matched one is that migration's second row,
    // not a migration missing from the folder: say so, and how to remove it (validate_plan does not refuse it).
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (matched[i]) continue;
        const AppliedRow* original = nullptr;
        if (rows[i].created_at) {
            auto [lo, hi] = std::equal_range(by_when.begin(), by_when.end(), &rows[i], earlier);
            for (auto it = lo; it != hi && !original; ++it)
                if (matched[static_cast<std::size_t>(*it - rows.data())] && (*it)->hash == rows[i].hash) original = *it;
        }
        if (original)
            plan.duplicate_rows.push_back(
                {rows[i], original->id, matched_by[static_cast<std::size_t>(original - rows.data())]});
        else
            plan.rows_without_file.push_back(rows[i]);
    }
    plan_first_run(plan, rows, progress, facts);
    return plan;
}

}  // namespace migrate
