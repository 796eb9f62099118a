// Merge safety for drizzle-kit folders on two branches (docs/merging.md): what goes wrong when a branch's
// migrations are merged after another branch's (drizzle silently skips an older `when`, two files share one
// idx, both branches change one table), and rewriting a branch's migrations so that they come after the
// other branch's. The library compares plain folders: the caller gets the other branch's folder and the
// merge base's (the CLI asks git), so no version control is needed here.
#pragma once

#include <migrate/export.hpp>
#include <migrate/lint.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace migrate {

// A closed set: each kind is also a lint rule ("merge-" + the kind with '-' for '_', docs/lint.md).
enum class MergeFindingKind {
    when_regression,  // a branch migration's `when` is not above base's newest: drizzle skips it after the merge
                      // (0.x journals; drizzle 1.0 runs folders by name)
    duplicate_idx,    // a branch migration and a base migration share an idx (or the tag's prefix, so the
                      // snapshot file name too)
    duplicate_tag,    // both sides added a migration with one tag (and different contents)
    same_table,       // a branch migration and a base migration both change one table
    snapshot_fork,    // both sides' first new snapshot has the same parent: drizzle-kit's "collision" (0.x;
                      // drizzle-kit 1.0 accepts several prevIds)
};
MIGRATE_API std::string_view to_string(MergeFindingKind kind) noexcept;  // "when_regression", …

// One side's migration in a finding.
struct MergeSide {
    std::string tag;
    std::filesystem::path file;  // the .sql file (1.0: migration.sql), or the snapshot for snapshot_fork
    std::int64_t when = 0;
    std::int64_t idx = -1;  // journal idx (0.x); -1 when there is none
};

struct MergeFinding {
    MergeFindingKind kind = MergeFindingKind::when_regression;
    MergeSide branch;   // the head folder's migration
    MergeSide base;     // the base folder's migration it conflicts with
    std::string table;  // same_table: the table both change (lower-case)
    std::string message;
    std::string fix;
    bool rebase_fixes = false;  // rebase_migrations() resolves it (same_table needs a person)
};

struct BranchComparison {
    FolderLayout layout = FolderLayout::drizzle_v0_journal;
    std::vector<std::string> branch_tags;  // head's migrations that neither the merge base nor base has, in order
    std::vector<std::string> base_tags;    // base's migrations the merge base does not have, in order
    std::vector<MergeFinding> findings;
};

// Compares the head folder (the branch being merged) with the base folder (what it is merged into) and
// the folder as it was at their merge base (an empty or absent path: no merge base, everything is new).
// Reads the folders with read_migrations_folder and throws its errors.
MIGRATE_API BranchComparison compare_branches(const std::filesystem::path& base, const std::filesystem::path& head,
                                              const std::filesystem::path& merge_base);

// The findings as lint findings (rules merge-when-regression, merge-duplicate-idx, merge-duplicate-tag,
// merge-same-table, merge-snapshot-fork), at the head folder's files, re-rated for the flavour.
MIGRATE_API std::vector<LintFinding> lint_findings(const BranchComparison& comparison, const LintOptions& options);

struct RebaseOptions {
    // The clock in milliseconds since the epoch (1.0 folder names); empty: the system clock. Tests pin it.
    std::optional<std::int64_t> now_ms;
};

struct RebasedMigration {
    std::string old_tag, new_tag;
    std::int64_t old_when = 0, new_when = 0;
    std::filesystem::path sql_file;       // where it is now
    std::filesystem::path snapshot_file;  // its (merged) snapshot, where it is now; empty when it had none
};

struct RebaseResult {
    FolderLayout layout = FolderLayout::drizzle_v0_journal;
    std::vector<std::string> base_tags;     // base's migrations now in the folder before the branch's
    std::vector<RebasedMigration> rebased;  // the branch's migrations, in their new order
};

// Rewrites the head folder `dir` into the merged folder: base's migrations (files and snapshots copied
// from `base`), then the branch's, renumbered after base's (0.x: idx and the tag's four-digit prefix,
// with their .sql and meta/NNNN_snapshot.json renamed; 1.0: the folder's time), each `when` above base's
// newest, and each branch snapshot merged three ways (base's newest + what the branch changed since the
// merge base), chained after base's newest. Refuses, writing nothing, when both sides change one table
// (errc::snapshot_invalid naming the table and both migrations: that merge needs drizzle-kit generate),
// or when a snapshot cannot be read. New files are written under temporary names first, the journal last.
// With no base migrations to come after, nothing is written and `rebased` is empty.
MIGRATE_API RebaseResult rebase_migrations(const std::filesystem::path& dir, const std::filesystem::path& base,
                                           const std::filesystem::path& merge_base, const RebaseOptions& options = {});

}  // namespace migrate
