// What the database has applied versus what the folder holds, and therefore what `up` will do.
#pragma once

#include <migrate/export.hpp>
#include <migrate/source.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace migrate {

// One row of __drizzle_migrations (the 1.0 `name` column is read when the table has it).
struct AppliedRow {
    std::uint64_t id = 0;
    std::string hash;
    std::optional<std::int64_t> created_at;
    std::optional<std::string> name;
};

// A migration that a run started but did not finish, from libmigrate's side table (drizzle never reads it).
struct Progress {
    std::string hash;  // the file's hash when the run started it
    std::size_t statements_total = 0;
    std::size_t statements_done = 0;              // statements 0..done-1 are known to have taken effect
    std::string done_prefix_hash;                 // identifies their text, to detect edits before resuming
    std::optional<std::size_t> in_flight;         // sent when the run died: effect unknown until checked
    std::optional<std::size_t> failed_statement;  // rejected by the server (did not take effect)
    std::uint32_t error_errno = 0;
    std::string error_sqlstate;
    std::string error_message;
    std::string decision;                        // operator's `migrate resolve`: "applied", "retry" or ""
    std::optional<std::uint64_t> connection_id;  // the work connection of the run that stopped
    std::string updated_at;                      // server time of the last progress write
};

enum class MigrationState {
    applied,       // a row with created_at == when exists (1.0 layout: a row with name == tag)
    pending,       // drizzle's rule: when > newest created_at (or no rows) → `up` applies it
                   // (1.0 layout: drizzle 1.0's rule, no row with name == tag, whatever its when)
    out_of_order,  // no row, but when <= newest created_at: drizzle skips it forever (never for 1.0)
};
MIGRATE_API std::string_view to_string(MigrationState s) noexcept;

struct PlanEntry {
    const Migration* migration = nullptr;  // points into the Plan's Source
    MigrationState state = MigrationState::pending;
    std::optional<AppliedRow> row;     // the matching row, when applied
    bool hash_differs = false;         // applied, but the file's hash is not the recorded one (edited)
    std::optional<Progress> progress;  // not applied, but partly run by an earlier run
    bool by_baseline = false;          // pending, and recorded by the baseline load `up` starts with
};

// A second tracking row for a migration that already has one: same created_at (1.0: name) and hash. Two
// drizzle migrators started at once leave these (drizzle takes no lock, so both insert the row). Harmless:
// drizzle reads only the newest created_at (1.0: the set of names), and libmigrate matches the first row.
struct DuplicateRow {
    AppliedRow row;                        // the extra row (the later id)
    std::uint64_t original_id = 0;         // the row the migration is matched to
    const Migration* migration = nullptr;  // points into the Plan's Source
};

// What a duplicate row is and its fix, in one line: both row ids, why it is harmless, and the statement that
// removes the extra row from `table` (the tracking table's name).
MIGRATE_API std::string describe_duplicate(const DuplicateRow& d, std::string_view table);

struct Baseline;

// What a first run needs besides the rows (see make_plan).
struct FirstRunFacts {
    std::vector<std::string> other_tables{};  // tables and views besides the tracking table and its side tables
                                              // (only looked at when nothing is recorded)
    const Baseline* baseline = nullptr;       // the folder's baseline, when `up` may load it
};

struct MIGRATE_API Plan {
    bool table_exists = false;
    std::optional<std::int64_t> newest_created_at;  // drizzle's high-water mark
    std::vector<PlanEntry> entries;                 // journal order
    std::vector<AppliedRow> rows_without_file;      // recorded rows no journal entry matches
    std::vector<DuplicateRow> duplicate_rows;       // extra rows of applied migrations (not refused)
    // First run (nothing recorded, no progress):
    std::vector<std::string> unrecorded_tables;  // the database already has these: validation refuses
                                                 // (database_not_empty) unless allow_dirty
    bool from_baseline = false;                  // `up` starts by loading the baseline (empty database, or
                                                 // finishing a load an earlier run left half-done)
    std::size_t baseline_covers = 0;             // entries[0..n) are recorded by that load
    std::vector<std::string> baseline_problems;  // why that baseline cannot be used (stale): refused
    std::optional<Progress> baseline_progress;   // the half-done load
    // Not "" when `up` must first upgrade the tracking table as drizzle 1.0 does (a 0.x table under a 1.0
    // folder, docs/compatibility.md): what it will do, or why it will refuse. Set by Target, not make_plan.
    std::string table_upgrade;

    std::size_t count(MigrationState s) const;
    std::vector<const PlanEntry*> pending() const;  // in apply order
    // What `up` applies: pending entries, plus out-of-order ones when allowed, in journal order.
    std::vector<const PlanEntry*> to_apply(bool include_out_of_order) const;
    std::vector<const PlanEntry*> partial() const;  // entries with progress
};

// Pure function: source + rows (+ progress keyed by `when`) → plan. Rows are matched to entries by
// created_at == when (ties broken by hash) for a 0.x journal folder. For a 1.0 folder
// (source.layout == drizzle_v1_folders) they are matched by name == tag, as drizzle 1.0's
// getMigrationsToRun does: an entry without such a row is pending wherever it sorts (drizzle 1.0 runs
// anything unapplied, so nothing is out_of_order); rows whose name is NULL or names no folder are
// rows_without_file (drizzle 1.0 ignores them; validate_plan refuses them unless allow_missing — a NULL
// name is what a 0.x runner writes, and drizzle 1.0 would re-run the migration such a row stands for);
// hash_differs as for 0.x. Several rows naming one folder all count as matched (the first, or the first
// with the file's hash, is the entry's row); those with the entry's row's hash are duplicate_rows. For 0.x,
// an unmatched row with the created_at and hash of an entry's row is a duplicate_row, not a row without file. A 0.x
// table (no `name` column) under a 1.0 folder has no names yet: Target passes its rows as drizzle 1.0's upgrade will
// name them, so the plan is the one after it.
//
// First runs: with no rows and no progress, a database without other tables starts from
// facts.baseline when there is one (from_baseline; its covered entries are by_baseline and not in
// to_apply), and a database with other tables is unrecorded_tables (refused by validate_plan). Progress
// under baseline_progress_key is a baseline load to finish.
MIGRATE_API Plan make_plan(const Source& source, const std::vector<AppliedRow>& rows, bool table_exists,
                           const std::map<std::int64_t, Progress>& progress = {}, const FirstRunFacts& facts = {});

// What a run refuses unless told otherwise (see docs/safety.md).
struct ValidationOptions {
    bool allow_out_of_order = false;  // apply entries older than the newest applied row
    bool allow_missing = false;       // proceed although rows exist that no journal entry matches
    bool allow_dirty = false;         // apply to a database that has tables but records no migration
};

// Throws migrate::error (migration_changed, row_without_file, out_of_order, database_not_empty,
// baseline_unusable) listing every problem with
// its fix. Nothing is touched by validation.
MIGRATE_API void validate_plan(const Plan& plan, const ValidationOptions& options);

}  // namespace migrate
