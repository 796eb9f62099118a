// `migrate lint`: rules over a drizzle-kit migrations folder that catch, before anything runs, what the
// target server will reject or what will lose or depend on data. Rules, severities, suppression and
// output formats: docs/lint.md.
#pragma once

#include <migrate/export.hpp>
#include <migrate/flavor.hpp>
#include <migrate/plan.hpp>
#include <migrate/source.hpp>

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migrate {

enum class LintSeverity { warning, error };
MIGRATE_API std::string_view to_string(LintSeverity s) noexcept;

struct LintRule {
    std::string_view id;           // stable, e.g. "alter-if-exists"
    std::string_view summary;      // one line: what it flags
    std::string_view description;  // why it matters
    std::string_view fix;          // what to do
    // Severity on each flavour; nullopt: the rule does not apply there (nothing is reported).
    std::optional<LintSeverity> mysql, mariadb, vitess, planetscale;

    std::optional<LintSeverity> severity(Flavor f) const noexcept {
        switch (f) {
            case Flavor::mariadb: return mariadb;
            case Flavor::vitess: return vitess;
            case Flavor::planetscale: return planetscale;
            case Flavor::mysql: break;
        }
        return mysql;
    }
};

// Every rule, in documentation order.
MIGRATE_API const std::vector<LintRule>& lint_rules();
// The rule called `id`, or nullptr.
MIGRATE_API const LintRule* find_lint_rule(std::string_view id) noexcept;

// What the target accepts (from --flavor and migrate.json's "flavor", "sharded", "foreignKeys").
struct LintOptions {
    Flavor flavor = Flavor::mysql;
    bool sharded = false;      // a sharded Vitess keyspace: no foreign keys
    bool foreign_keys = true;  // false: the server refuses foreign keys (e.g. PlanetScale without FK support)
};

struct LintFinding {
    std::string rule;
    LintSeverity severity = LintSeverity::error;
    std::filesystem::path file;  // the migration file (or meta/_journal.json), under the linted folder
    std::size_t line = 0;        // 1-based; 0 when the finding is about the whole file
    std::size_t column = 0;      // 1-based, in bytes; 0 with line 0
    std::string message;
    std::string fix;
    bool suppressed = false;  // by a `-- migrate:lint-ignore RULE reason` comment on the statement
    std::string suppression_reason;
};

// Everything about one folder: the journal rules, then every statement rule over the migrations that
// can be read. Folder problems are findings, not exceptions, so a broken folder lists all it can.
// Sorted by file (journal first, then apply order), line, column.
MIGRATE_API std::vector<LintFinding> lint_folder(const std::filesystem::path& dir, const LintOptions& options);

// The statement and chunk rules over an already read folder (each file is read again for its text).
MIGRATE_API std::vector<LintFinding> lint_source(const Source& source, const LintOptions& options);

// The journal rules of a 0.x folder (non-increasing `when`, duplicate idx or tag, missing or unlisted
// files, unreadable journal); nothing for a 1.0 folder, which has no journal.
MIGRATE_API std::vector<LintFinding> lint_journal(const std::filesystem::path& dir);

// applied-migration-edited: applied migrations whose file no longer has the recorded hash
// (from Target::status().plan).
MIGRATE_API std::vector<LintFinding> lint_applied(const Plan& plan, const LintOptions& options);

// Errors among the findings that are not suppressed (what makes `migrate lint` exit 1).
MIGRATE_API std::size_t lint_error_count(const std::vector<LintFinding>& findings) noexcept;

}  // namespace migrate
