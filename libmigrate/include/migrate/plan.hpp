// What the database has applied versus what the folder holds, and therefore what `up` will do.
#pragma once

#include <migrate/export.hpp>
#include <migrate/source.hpp>

#include <cstdint>
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

// The operator's decision for a statement a stopped run left undecided (Target::resolve).
enum class Resolution {
    none,     // not decided: the next run decides it itself, or refuses (needs_resolve)
    applied,  // it took effect: the next run skips it
    retry,    // it did not take effect: the next run sends it again
};
MIGRATE_API std::string_view to_string(Resolution r) noexcept;  // "none", "applied", "retry"

// A migration that a run started but did not finish: how far it got and why it stopped (libmigrate keeps
// this in a side table drizzle never reads).
struct PartialRun {
    std::size_t statements_total = 0;
    std::size_t statements_done = 0;              // statements 0..done-1 are known to have taken effect
    bool done_statements_edited = false;          // the file changed within those since: the next run refuses
                                                  // to resume (partial_edited)
    std::optional<std::size_t> in_flight;         // sent when the run died: effect unknown until checked
    std::optional<std::size_t> failed_statement;  // rejected by the server (did not take effect)
    std::uint32_t error_errno = 0;
    std::string error_sqlstate;
    std::string error_message;
    Resolution resolution = Resolution::none;  // the operator's decision on in_flight or failed_statement
    std::string updated_at;                    // server time of the last progress write
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
    std::optional<AppliedRow> row;       // the matching row, when applied
    bool hash_differs = false;           // applied, but the file's hash is not the recorded one (edited)
    std::optional<PartialRun> progress;  // not applied, but partly run by an earlier run
    bool by_baseline = false;            // pending, and recorded by the baseline load `up` starts with
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

struct MIGRATE_API Plan {
    bool table_exists = false;
    std::optional<std::int64_t> newest_created_at;  // drizzle's high-water mark
    std::vector<PlanEntry> entries;                 // journal order
    std::vector<AppliedRow> rows_without_file;      // recorded rows no journal entry matches
    std::vector<DuplicateRow> duplicate_rows;       // extra rows of applied migrations (not refused)
    // First run (nothing recorded, no progress):
    std::vector<std::string> unrecorded_tables;   // the database already has these: validation refuses
                                                  // (database_not_empty) unless allow_dirty
    bool from_baseline = false;                   // `up` starts by loading the baseline (empty database, or
                                                  // finishing a load an earlier run left half-done)
    std::size_t baseline_covers = 0;              // entries[0..n) are recorded by that load
    std::vector<std::string> baseline_problems;   // why that baseline cannot be used (stale): refused
    std::optional<PartialRun> baseline_progress;  // the half-done load

    std::size_t count(MigrationState s) const;
    std::vector<const PlanEntry*> pending() const;  // in apply order
    // What `up` applies: pending entries, plus out-of-order ones when allowed, in journal order.
    std::vector<const PlanEntry*> to_apply(bool include_out_of_order) const;
    std::vector<const PlanEntry*> partial() const;  // entries with progress
};

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
