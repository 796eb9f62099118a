// The one error type libmigrate throws. Handle it by asking, not by catching subclasses:
// code() says what went wrong (stable, documented in docs/errors.md), the rest says where.
#pragma once

#include <migrate/export.hpp>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace migrate {

enum class errc {
    // Reading the migrations folder (nothing has touched a database).
    journal_missing,    // <dir>/meta/_journal.json does not exist
    journal_invalid,    // not JSON, or not the shape drizzle-kit writes
    migration_missing,  // a journal entry whose <tag>.sql is missing or unreadable
    tag_invalid,        // a tag that is not a plain file stem ('/', '\\', '..', empty)
    tag_duplicate,      // two journal entries with the same tag
    not_utf8,           // a .sql file that is not valid UTF-8
    // Configuration.
    url_invalid,     // the connection string cannot be used
    table_invalid,   // the tracking table name is not a plain identifier
    config_invalid,  // a project config (migrate.json) cannot be used: JSON, key, value, env: variable
    // Drivers.
    driver_not_found,
    driver_incompatible,
    driver_broken,
    // Talking to the server.
    connect_failed,   // could not connect or log in
    server_error,     // the server rejected a statement
    connection_lost,  // the connection broke; see completion_unknown()
    // Refused before applying anything (validation; see docs/safety.md).
    migration_changed,  // an applied migration's file no longer has the recorded hash
    row_without_file,   // a tracking row that no journal entry matches
    out_of_order,       // an unapplied entry older than the newest applied row (drizzle skips it)
    partial_edited,     // a half-applied migration whose already-run statements were edited
    needs_resolve,      // a statement in flight when a run died; its effect cannot be decided
    // Locking and control.
    lock_timeout,        // another run held the lock longer than the wait timeout
    lock_lost,           // the lock connection or lease was lost mid-run; the run stopped
    interrupted,         // cancelled (e.g. Ctrl-C) between statements
    nothing_to_resolve,  // `resolve`/`repair` found no such state
    internal,
    // Added later; values above keep their numbers (the C ABI exposes them).
    baseline_invalid,          // <migrations>/baseline cannot be read: missing file, bad JSON or key
    baseline_unusable,         // the baseline no longer matches the folder, or does not fit this server
    database_not_empty,        // tables but no migration history: adopt with `baseline mark` or --allow-dirty
    target_not_found,          // --to/--through names no migration of the folder
    history_exists,            // `baseline mark` on a database that already records migrations
    safe_migrations,           // the branch refuses direct DDL (PlanetScale safe migrations): use a deploy request
    snapshot_invalid,          // `verify --schema`: the newest drizzle-kit snapshot is missing or not drizzle-kit's
    statement_blocked,         // a statement's lock waits (metadata or row locks held by other sessions) used up the
                               // lock-wait budget; it took no effect, the blocking sessions are named
    table_copy_too_large,      // a pending statement would copy or rebuild a table bigger than
                               // UpOptions::max_table_copy_bytes
    statement_too_large,       // a statement to run exceeds the server's max_allowed_packet (refused before any ran)
    migration_outside_folder,  // a migration file is a symlink leading outside the migrations folder
    platform_api,              // PlanetScale's management API refused or failed (auth, permission, outage);
                               // context.http_status and api_code say how
    deploy_request_failed,     // a deploy request cannot end deployed: lint errors, closed, cancelled or reverted
                               // by a person, an error state, no changes where some were expected
    deploy_request_waiting,    // a deploy request is still on its way (queue, a gated cut-over waiting for a
                               // person) when the run's deploy timeout ended, or the run may not wait for one
    folder_unwritable,         // a file of the migrations folder cannot be created or replaced (add_custom_migration)
    merge_conflict,            // rebase_migrations: the branch and the base both change one table (or add one tag);
                               // no order of the two is right without a person (docs/merging.md)
};

// Stable machine-readable name, e.g. "journal_missing".
MIGRATE_API std::string_view to_string(errc code) noexcept;

// The fix an error calls for, as data: the message says it in the library's terms, and each front end
// words it for its users (the CLI names its command, a service its own procedure).
enum class remedy {
    none,             // the message says all there is to do
    resolve_applied,  // record that the statement (context: tag, statement) took effect: Target::resolve(tag,
                      // Resolution::applied)
    create_baseline,  // create the folder's baseline again: create_baseline()
    // Added later (values keep their numbers):
    record_new_hash,     // an applied migration was edited deliberately: record its new hash (Target::repair)
    allow_missing,       // proceed past tracking rows no file matches (ValidationOptions::allow_missing)
    allow_out_of_order,  // apply entries older than the newest applied one (ValidationOptions::allow_out_of_order)
    adopt_database,      // record what a database built elsewhere reflects (Target::mark_baseline), or apply
                         // everything to it anyway (ValidationOptions::allow_dirty)
    recreate_or_skip_baseline,  // create the baseline again (create_baseline()), or replay the migrations
                                // without it (TargetOptions::use_baseline = false)
    decide_in_flight,           // a stopped run's statement (context: tag, statement) may or may not have taken effect:
                       // check the database, then record the finding (Target::resolve(tag, Resolution::applied or
                       // retry))
    choose_scratch_server,  // scratch databases need a server where the user may CREATE and DROP databases
                            // (BaselineOptions' scratch server URL)
};
MIGRATE_API std::string_view to_string(remedy r) noexcept;  // "none", "resolve_applied", "create_baseline", …

// Where an error happened. Every field is optional.
struct error_context {
    std::string file{};                       // file the error is about
    std::optional<std::size_t> line{};        // 1-based line in that file
    std::optional<std::size_t> statement{};   // 0-based statement index within its migration
    std::optional<std::size_t> statements{};  // number of statements of that migration
    std::string tag{};                        // migration tag
    std::uint32_t server_errno = 0;           // server error number (e.g. 1050)
    std::string sqlstate{};                   // SQLSTATE (e.g. "42S01")
    bool completion_unknown = false;          // the statement may or may not have run
    remedy fix = remedy::none;                // what to do about it, when it is one of the known fixes
    // platform_api: the HTTP status of the management API's answer (0: none came) and its error code
    // (PlanetScale's: not_found, invalid, permission, retry, …; "" when the answer was not JSON).
    std::uint32_t http_status = 0;
    std::string api_code{};
};

class MIGRATE_API error : public std::runtime_error {
  public:
    error(errc code, const std::string& message, error_context context = {});

    errc code() const noexcept { return code_; }
    const error_context& context() const noexcept { return context_; }
    std::uint32_t server_errno() const noexcept { return context_.server_errno; }
    const std::string& sqlstate() const noexcept { return context_.sqlstate; }
    bool completion_unknown() const noexcept { return context_.completion_unknown; }

  private:
    errc code_;
    error_context context_;
};

}  // namespace migrate
