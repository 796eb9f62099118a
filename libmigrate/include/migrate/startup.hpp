// One call for services: migrate the database at startup, safely from many replicas at once.
// See docs/embedding.md.
#pragma once

#include <migrate/error.hpp>
#include <migrate/export.hpp>
#include <migrate/target.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace migrate {

// What run_at_startup does when validation refuses the run (an applied migration was edited, a tracking
// row has no file, an entry is out of order, a half-applied migration needs a decision, the database
// has tables but no history, or a statement would copy a table over the copy limit). Nothing has been
// applied in any of these cases.
enum class OnValidationError {
    fail,          // report failure (ok = false); the service should not start
    start_anyway,  // report success with validation_refused = true and the error filled in: the service
                   // starts on the schema as it is (e.g. read-only replicas during an incident)
};

enum class StartupLogLevel { info, warning, error };
using StartupLogCallback = std::function<void(StartupLogLevel, std::string_view message)>;

struct StartupOptions {
    TargetOptions target;  // url, migrations_dir, table, lock_mode, lock_timeout, baseline
    UpOptions up{};        // allow_out_of_order / allow_missing / allow_dirty, to, cancel
    OnValidationError on_validation_error = OnValidationError::fail;
    StartupLogCallback log{};     // one line per step (lock wait, applied, refused); may be empty
    EventCallback on_event{};     // every progress event of Target::up; may be empty
    bool throw_on_error = false;  // true: a failure throws migrate::error instead of returning
};

struct StartupReport {
    bool ok = false;                   // the database is migrated (or start_anyway applied)
    std::size_t applied = 0;           // migrations this call applied (a resumed one included)
    std::size_t resumed = 0;           // of those, continued from a half-applied earlier run
    std::size_t baseline_covered = 0;  // migrations recorded by loading the baseline (0: not loaded)
    std::size_t statements_run = 0;
    std::size_t pending_before = 0;        // migrations pending when this call took the lock
    std::chrono::nanoseconds duration{0};  // wall time of the whole call, lock wait included
    bool validation_refused = false;       // validation refused the run (see OnValidationError)
    std::optional<errc> error_code{};      // set when something failed or was refused
    std::string error_message{};           // the error's what(), URLs redacted
    error_context context{};               // file, line, statement, server errno of the failure

    explicit operator bool() const noexcept { return ok; }
};

// True for the codes validation refuses a run with (nothing applied): migration_changed,
// row_without_file, out_of_order, partial_edited, needs_resolve, database_not_empty, and
// table_copy_too_large (UpOptions::max_table_copy_bytes).
MIGRATE_API bool is_validation_error(errc code) noexcept;

// Opens the target, takes the migration lock (waiting up to target.lock_timeout for another replica),
// validates and applies what is pending. Safe to call from many processes at once: exactly one applies
// each migration, the others wait and then find nothing to do. Never throws unless throw_on_error is set
// (then it throws migrate::error on failure; a start_anyway refusal is not a failure).
MIGRATE_API StartupReport run_at_startup(const StartupOptions& options);

}  // namespace migrate
