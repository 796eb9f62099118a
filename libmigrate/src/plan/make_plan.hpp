// Source + tracking rows + progress → Plan. Internal: the public API gives plans through Target (status,
// preview, up's report), so the inputs below (progress rows, first-run facts) stay free to change.
#pragma once

#include "baseline/baseline_files.hpp"  // baseline_progress_key

#include <migrate/plan.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace migrate {

struct Baseline;

// What a first run needs besides the rows.
struct FirstRunFacts {
    std::vector<std::string> other_tables{};  // tables and views besides the tracking table and its side tables
                                              // (only looked at when nothing is recorded)
    const Baseline* baseline = nullptr;       // the folder's baseline, when `up` may load it
};

// Pure function: source + rows (+ partial runs keyed by `when`) → plan. Rows are matched to entries by
// created_at == when (ties broken by hash) for a 0.x journal folder. For a 1.0 folder
// (source.layout == drizzle_v1_folders) they are matched by name == tag, as drizzle 1.0's
// getMigrationsToRun does: an entry without such a row is pending wherever it sorts (drizzle 1.0 runs
// anything unapplied, so nothing is out_of_order); rows whose name is NULL or names no folder are
// rows_without_file (drizzle 1.0 ignores them; validate_plan refuses them unless allow_missing — a NULL
// name is what a 0.x runner writes, and drizzle 1.0 would re-run the migration such a row stands for);
// hash_differs as for 0.x. Several rows naming one folder all count as matched (the first, or the first
// with the file's hash, is the entry's row); those with the entry's row's hash are duplicate_rows. For 0.x,
// an unmatched row with the created_at and hash of an entry's row is a duplicate_row, not a row without file.
// A 0.x table (no `name` column) under a 1.0 folder has no names yet: Target passes its rows as drizzle 1.0's
// upgrade will name them, so the plan is the one after it.
//
// First runs: with no rows and no partial run, a database without other tables starts from
// facts.baseline when there is one (from_baseline; its covered entries are by_baseline and not in
// to_apply), and a database with other tables is unrecorded_tables (refused by validate_plan). A partial run
// under baseline_progress_key is a baseline load to finish.
Plan make_plan(const Source& source, const std::vector<AppliedRow>& rows, bool table_exists,
               const std::map<std::int64_t, PartialRun>& progress = {}, const FirstRunFacts& facts = {});

}  // namespace migrate
