// Results as JSON text, the shapes the CLI's --json prints per target and the C API returns (field lists:
// docs/cli.md); built with the system nlohmann-json, which stays out of this header. Passwords are redacted.
#pragma once

#include <migrate/baseline.hpp>
#include <migrate/error.hpp>
#include <migrate/export.hpp>
#include <migrate/lint.hpp>
#include <migrate/startup.hpp>
#include <migrate/target.hpp>
#include <migrate/verify.hpp>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace migrate {

// One target's status: url, transport, driver, server, table, counts, baseline, migrations, ...
MIGRATE_API std::string status_json(const Target& target, const Status& status);
// What `up` would do: url, transport, server, lock_holder, refused, baseline, has_ddl, migrations with
// their statements (index, line, kind, sql).
MIGRATE_API std::string preview_json(const UpPreview& preview);
// The same without each statement's "sql": for a caller that writes the statements' text itself, from
// preview.migrations[k].migration->statements[index].sql, instead of holding it in the document (a
// migration of hundreds of MB would be copied into it; docs/benchmarks.md, big-file).
MIGRATE_API std::string preview_json(const UpPreview& preview, bool with_sql);

// An error as --json documents carry it: code, message (redacted), file, line, statement, tag, errno,
// sqlstate, completion_unknown, http_status, api_code, remedy; absent parts are null.
MIGRATE_API std::string error_json(errc code, std::string_view message, const error_context& context);

// `verify`: url, tracking {ok, migrations, rows, problems}, schema (null when not checked, else {ok, snapshot,
// tables, drift}), ok.
MIGRATE_API std::string verify_json(const std::string& url, const TrackingReport& tracking, const SchemaReport* schema);

// A path as lint output shows it: relative to the working directory.
MIGRATE_API std::string display_path(const std::filesystem::path& p);
// One linted folder and what was found in it.
struct LintedFolder {
    std::string name;  // the config target's name, or the folder as given
    std::filesystem::path dir;
    LintOptions options;
    std::vector<LintFinding> findings;
};
// `lint`'s JSON document (schemaVersion 1, docs/lint.md): tool, folders, findings, summary.
MIGRATE_API std::string lint_json(const std::vector<LintedFolder>& folders);

// `repair`: {repaired [{tag, row_id, recorded_hash, file_hash}]} from the entries Target::repair returned
// (or the status's entries whose hash differs, before repairing).
MIGRATE_API std::string repair_json(const std::vector<PlanEntry>& repaired);

// `baseline create`: dir, through, migrations, tables, views, rows, statements.
MIGRATE_API std::string baseline_create_json(const BaselineCreateReport& report);

// run_at_startup's report: ok, applied, resumed, baseline_covered, statements, pending_before, duration_ms,
// validation_refused, error (null or error_json's object).
MIGRATE_API std::string startup_json(const StartupReport& report);

}  // namespace migrate
