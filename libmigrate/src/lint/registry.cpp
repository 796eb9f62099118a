// Every lint rule with its severities per flavour (docs/lint.md keeps the same table).
#include <migrate/lint.hpp>

#include <algorithm>

namespace migrate {
namespace {

constexpr auto e = LintSeverity::error;
constexpr auto w = LintSeverity::warning;
constexpr std::optional<LintSeverity> off = std::nullopt;

// clang-format off
const std::vector<LintRule> rules = {
    {"alter-if-exists", "IF [NOT] EXISTS inside ALTER TABLE, CREATE INDEX or DROP INDEX",
     "MariaDB accepts `ADD COLUMN IF NOT EXISTS`, `DROP INDEX IF EXISTS` and the like; MySQL (and so Vitess and "
     "PlanetScale) rejects them with a syntax error (1064), so the migration fails on the server.",
     "Remove the IF [NOT] EXISTS: the journal already guarantees each migration runs once.",
     e, off, e, e},
    {"identifier-too-long", "an identifier longer than 64 characters",
     "MySQL and MariaDB refuse names of tables, columns, indexes and constraints longer than 64 characters "
     "(1059 Identifier name too long); drizzle-kit derives foreign key names from both tables and columns and "
     "easily exceeds it.",
     "Give the constraint or index an explicit shorter name in the drizzle schema (e.g. foreignKey({name: ...})) "
     "and generate again.",
     e, e, e, e},
    {"serial-auto-increment", "`serial AUTO_INCREMENT` as a column type",
     "drizzle-kit writes serial('id') as `serial AUTO_INCREMENT`; SERIAL already implies AUTO_INCREMENT and "
     "MariaDB rejects the repetition.",
     "Remove AUTO_INCREMENT after serial, or declare the column as bigint unsigned AUTO_INCREMENT NOT NULL.",
     off, e, off, off},
    {"multi-statement-chunk", "more than one statement between statement breakpoints",
     "drizzle sends each chunk as one query: mysql2 without multipleStatements, Vitess and the PlanetScale HTTP "
     "API reject a query holding several statements.",
     "Put `--> statement-breakpoint` between the statements.",
     e, e, e, e},
    {"empty-chunk", "a chunk with no statement (only whitespace or comments)",
     "drizzle sends it anyway: whitespace alone fails with 1065 Query was empty (libmigrate skips it, drizzle "
     "does not), comments alone are a wasted round trip.",
     "Remove the stray `--> statement-breakpoint` (often a trailing one) or the comment-only chunk.",
     w, w, w, w},
    {"destructive-drop-table", "DROP TABLE",
     "The table and every row in it are gone; rolling back needs a backup.",
     "Make sure the data is no longer needed (or copied elsewhere), then suppress with a reason.",
     w, w, w, w},
    {"destructive-drop-column", "ALTER TABLE ... DROP COLUMN",
     "The column's data is gone; a deploy that still reads it fails.",
     "Stop reading and writing the column in a deploy before the one that drops it, then suppress with a "
     "reason.",
     w, w, w, w},
    {"destructive-truncate", "TRUNCATE TABLE",
     "Every row of the table is deleted, without a way back; PlanetScale safe-migration branches refuse it.",
     "Use a DELETE with a WHERE clause, or suppress with a reason if emptying the table is the intent.",
     w, w, w, w},
    {"narrowing-type", "MODIFY/CHANGE to a type that cannot hold every value of the column's previous type",
     "A shorter varchar, a smaller integer, fewer decimal digits or another type family: in strict mode the "
     "ALTER fails on the first value that does not fit; otherwise values are silently truncated. The previous "
     "type is the one the folder's earlier migrations gave the column.",
     "Check the data fits (or convert it first), then suppress with a reason; or keep the wider type.",
     w, w, w, w},
    {"nullable-to-not-null", "MODIFY/CHANGE of a nullable column to NOT NULL",
     "Depends on the data: in strict mode the ALTER fails if any row holds NULL; otherwise NULLs silently "
     "become the type's implicit default.",
     "Backfill the NULLs in an earlier migration (UPDATE ... WHERE col IS NULL), then suppress with a reason.",
     w, w, w, w},
    {"not-null-without-default", "ADD COLUMN ... NOT NULL without DEFAULT on an existing table",
     "Existing rows get the type's implicit default (0, '', or a zero date that strict modes reject), which is "
     "rarely the intended value; the ALTER can also fail.",
     "Add a DEFAULT, or add the column nullable, backfill it, then make it NOT NULL.",
     w, w, w, w},
    {"unique-on-existing-column", "a unique index over columns that already hold data",
     "Depends on the data: the ALTER fails with 1062 Duplicate entry if existing rows already repeat a value.",
     "Check for duplicates first (SELECT cols, COUNT(*) ... GROUP BY cols HAVING COUNT(*) > 1) and clean them "
     "up in an earlier migration, then suppress with a reason.",
     w, w, w, w},
    {"table-copy", "a statement that rebuilds or copies an existing table on the flavour",
     "On a big table a copy (type change, FOREIGN KEY, CHECK, DROP PRIMARY KEY) blocks writes for as long as it "
     "takes to copy every row, and a rebuild (NULL to NOT NULL, first FULLTEXT index, AUTO_INCREMENT column) "
     "rewrites every row; both need the table's size again in free disk space and lag replicas. The rules per "
     "flavour are in docs/online-ddl.md; lint knows no sizes, the plan against the database shows them.",
     "Check the table's size in the plan against the database; for a big table make the change with an online schema change "
     "tool or a deploy request, or an instant/in-place form (e.g. add a column instead of changing a type); then "
     "suppress with a reason.",
     w, w, w, w},
    {"foreign-key-unsupported", "a foreign key where the target does not allow them",
     "A sharded Vitess keyspace has no foreign keys, and PlanetScale refuses them unless foreign key support is "
     "enabled for the database (VT10001, errno 1317); migrate.json says \"sharded\": true or "
     "\"foreignKeys\": false for this target.",
     "Drop the foreign key from the drizzle schema (keep the relation in the application) and generate again.",
     e, e, e, e},
    {"journal-invalid", "meta/_journal.json cannot be read",
     "Without a readable journal neither drizzle nor libmigrate knows which migrations exist or their order.",
     "Restore the journal drizzle-kit wrote (from version control), or regenerate the folder.",
     e, e, e, e},
    {"journal-when-not-increasing", "a journal entry whose `when` is not greater than the one before it",
     "drizzle applies only entries newer than the newest applied `created_at`: on a database that applied the "
     "earlier entry, this one is skipped silently and forever (drizzle #5769); libmigrate refuses it as out of "
     "order.",
     "Give the entry a `when` greater than its predecessor's (and keep the entry order), before any database "
     "applies it.",
     e, e, e, e},
    {"journal-duplicate-idx", "two journal entries with the same idx",
     "drizzle ignores idx, but a repeated one is the mark of a branch merge that kept both sides "
     "(drizzle #5774): the order and `when` values deserve a look.",
     "Renumber idx to match the entry's position, and check the `when` order.",
     w, w, w, w},
    {"journal-duplicate-tag", "two journal entries with the same tag",
     "Both entries name one file: it would be applied twice; libmigrate refuses the folder.",
     "Remove the duplicate entry.",
     e, e, e, e},
    {"journal-missing-file", "a journal entry without its .sql file",
     "drizzle fails on the missing file; libmigrate refuses the folder.",
     "Restore the file, or remove the entry if the migration was never applied anywhere.",
     e, e, e, e},
    {"journal-unlisted-file", "a .sql file the journal does not list",
     "drizzle and libmigrate run only journal entries: this migration never runs (often a merge that lost the "
     "journal entry).",
     "Add its entry to meta/_journal.json (or regenerate), or delete the file.",
     e, e, e, e},
    {"merge-when-regression", "a branch migration whose `when` is not above the newest on the base it merges into",
     "drizzle applies only migrations newer than the newest applied `created_at`: after the merge, every database "
     "that applied the base's newest migration skips this one silently and forever (drizzle #5769, #5316); "
     "libmigrate refuses the folder as out of order.",
     "Rebase the branch's migrations after the base's (rebase, docs/merging.md) before merging.",
     e, e, e, e},
    {"merge-duplicate-idx", "a branch migration with the idx or tag prefix of one the base added",
     "Both branches numbered their migration after the same predecessor: the merged journal repeats an idx and "
     "the two meta/NNNN_snapshot.json files collide (git keeps one of them).",
     "Rebase the branch's migrations after the base's (rebase, docs/merging.md) before merging.",
     e, e, e, e},
    {"merge-duplicate-tag", "a migration added with one tag on both branches",
     "Two different files with one name: the merge keeps one of them, or conflicts.",
     "Give the branch's migration another name, or drop it if it is the same change.",
     e, e, e, e},
    {"merge-same-table", "a branch migration and a base migration change the same table",
     "Renumbering cannot merge them: the order of the changes matters and both snapshots describe the table "
     "differently.",
     "Merge the base into the branch, drop the branch's migration and snapshot, and generate it again with "
     "drizzle-kit generate on top of the base's.",
     w, w, w, w},
    {"merge-snapshot-fork", "both branches' first new snapshot follows the same parent",
     "After the merge two snapshots name one prevId: drizzle-kit generate refuses the folder (a collision) until "
     "the chain is repaired.",
     "Rebase the branch's migrations after the base's (rebase, docs/merging.md), which chains its snapshots "
     "after the base's newest.",
     e, e, e, e},
    {"folder-unreadable", "the folder cannot be read as drizzle-kit migrations",
     "libmigrate refuses the folder (e.g. no journal and no 1.0 migration folders, a file that is not UTF-8, a "
     "bad 1.0 folder name), so nothing can be applied.",
     "Fix what the message names.",
     e, e, e, e},
    {"applied-migration-edited", "an applied migration whose file was edited since",
     "The database ran the old text; fresh databases will run the new one, so environments drift. libmigrate "
     "refuses to run until it is repaired.",
     "Revert the edit and put the change in a new migration; if the edit was deliberate and harmless, record "
     "the file's new hash (repair).",
     e, e, e, e},
    {"suppression-without-reason", "a migrate:lint-ignore comment without a reason",
     "A suppression must say why, for the reviewer and for whoever reads the migration later; without one it "
     "suppresses nothing.",
     "Write the reason after the rule: `-- migrate:lint-ignore RULE why this is fine`.",
     w, w, w, w},
    {"suppression-unknown-rule", "a migrate:lint-ignore comment naming no rule",
     "A misspelt rule id suppresses nothing.",
     "Use a rule id from docs/lint.md.",
     w, w, w, w},
};
// clang-format on

}  // namespace

std::string_view to_string(LintSeverity s) noexcept { return s == LintSeverity::error ? "error" : "warning"; }

std::string_view to_string(Flavor f) noexcept {
    switch (f) {
        case Flavor::mysql: return "mysql";
        case Flavor::mariadb: return "mariadb";
        case Flavor::vitess: return "vitess";
        case Flavor::planetscale: return "planetscale";
    }
    return "mysql";
}

std::optional<Flavor> parse_flavor(std::string_view name) noexcept {
    for (auto f : {Flavor::mysql, Flavor::mariadb, Flavor::vitess, Flavor::planetscale})
        if (to_string(f) == name) return f;
    return std::nullopt;
}

const std::vector<LintRule>& lint_rules() { return rules; }

const LintRule* find_lint_rule(std::string_view id) noexcept {
    auto it = std::find_if(rules.begin(), rules.end(), [&](const LintRule& r) { return r.id == id; });
    return it == rules.end() ? nullptr : &*it;
}

std::size_t lint_error_count(const std::vector<LintFinding>& findings) noexcept {
    return static_cast<std::size_t>(std::count_if(findings.begin(), findings.end(), [](const LintFinding& f) {
        return f.severity == LintSeverity::error && !f.suppressed;
    }));
}

}  // namespace migrate
