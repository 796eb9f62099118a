// A target: one database (a URL) and the migrations folder that describes it.
#pragma once

#include <migrate/baseline.hpp>
#include <migrate/connection_url.hpp>
#include <migrate/deploy_requests.hpp>
#include <migrate/error.hpp>
#include <migrate/export.hpp>
#include <migrate/online_ddl.hpp>
#include <migrate/plan.hpp>
#include <migrate/source.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace migrate {

// How runs that may write exclude each other (docs/safety.md).
enum class LockMode {
    session,  // GET_LOCK on a dedicated connection (MySQL, MariaDB, Vitess)
    lease,    // a row in <table>_lock with an expiry, renewed while the run lives (drivers without sessions)
};

// How long one statement may wait for locks that other sessions hold (docs/safety.md, "Lock waits"). An
// ALTER waiting for a table's metadata lock makes every later query on that table wait behind it, so each
// attempt is short; a statement that times out took no effect and is retried after a pause (exponential
// backoff with jitter) until `total` has passed, naming the blocking sessions each time.
struct LockWaits {
    std::chrono::seconds per_attempt{3};  // the session's lock_wait_timeout and innodb_lock_wait_timeout; 0: off
                                          // (the server's own timeouts apply: a day on MariaDB, a year on MySQL)
    std::chrono::seconds total{120};      // give up (statement_blocked) once this much time has passed
};

struct TargetOptions {
    std::string url;                             // see connection_url.hpp
    std::filesystem::path migrations_dir;        // drizzle-kit's `out` folder
    std::string table = "__drizzle_migrations";  // drizzle's migrations.table
    LockMode lock_mode = LockMode::session;
    std::chrono::seconds lock_timeout{300};  // how long a run waits for another to finish
    std::chrono::seconds lease_ttl{30};      // lease mode: a dead holder's lease expires after this
    LockWaits lock_waits{};                  // each statement's wait for other sessions' locks
    std::filesystem::path baseline_dir{};    // empty: <migrations_dir>/baseline (used when it exists)
    bool use_baseline = true;                // false: never read or load a baseline
    // PlanetScale: when the production branch has safe migrations on, `up` carries DDL through deploy
    // requests (docs/planetscale.md). Absent: such a branch refuses the run (safe_migrations) before
    // anything runs.
    std::optional<DeployRequestOptions> deploy_requests{};
};

// Per-run choices (docs/safety.md).
struct UpOptions {
    bool allow_out_of_order = false;                      // apply entries older than the newest applied row
    bool allow_missing = false;                           // proceed although rows exist that no journal entry matches
    bool allow_dirty = false;                             // apply to a database that has tables but records nothing
    bool use_baseline = true;                             // an empty database starts from the baseline, if there is one
    std::optional<std::string> to{};                      // stop after this migration (tag); default: apply everything
    const std::atomic<bool>* cancel = nullptr;            // set (e.g. from a signal handler) to stop between statements
    std::optional<std::uint64_t> max_table_copy_bytes{};  // refuse (table_copy_too_large) before running anything
                                                          // when a statement rebuilds or copies a bigger table
    bool wait_for_deploy_requests = true;                 // false: when DDL would need a deploy request, refuse
                                                          // (deploy_request_waiting) before anything runs — a service
                                                          // that must not wait at start-up for a deploy
};

// Progress of `up`, delivered synchronously on the calling thread.
struct Event {
    enum class Kind {
        lock_waiting,  // another run holds the lock; detail names it (repeats while waiting)
        lock_acquired,
        run_started,
        migration_started,
        migration_resumed,  // continuing a migration an earlier run left half-applied; detail says where/why
        statement_started,
        statement_skipped,  // already took effect in an earlier run (detail says how that was decided)
        statement_finished,
        migration_finished,
        run_finished,
        previous_run_waiting,    // a stopped run's statement is still executing on the server: waiting for it to
                                 // end before resuming; detail names the session and statement (repeats)
        statement_lock_waiting,  // the statement timed out waiting for a lock another session holds and is
                                 // retried; detail names the blocking sessions and the next pause (repeats)
        deploy_request,          // a deploy request moved on (branch, apply, open, queue, deploy, cut-over,
                                 // revert window, done): detail says so, deploy_request has the figures
        run_failed,              // the run stopped with an error or a refusal (failure); thrown right after
    };
    Kind kind{};
    const Migration* migration = nullptr;                   // null for run_started / run_finished; a baseline load is
                                                            // the migration tagged "baseline" (Baseline::snapshot)
    std::size_t migration_number = 0;                       // 1-based within this run
    std::size_t migrations_total = 0;                       // migrations this run applies
    std::size_t statement_index = 0;                        // 0-based within the migration
    std::size_t statements_total = 0;                       // statements of the migration
    std::chrono::nanoseconds duration{0};                   // for *_finished events; time waited for the *_waiting ones
    std::string detail{};                                   // human text for lock and resume events; run_started and
                                                            // a baseline's migration_started say what a baseline covers
    const DeployRequestProgress* deploy_request = nullptr;  // deploy_request events; valid during the callback
    std::string holder{};            // the *_waiting events: who holds what the run waits for (the lock's holder,
                                     // the blocking sessions, the stopped run's session)
    const error* failure = nullptr;  // run_failed: the error up() throws next; valid during the callback
};
using EventCallback = std::function<void(const Event&)>;

// A statement `up` would run, and what it costs (docs/online-ddl.md).
struct PendingStatement {
    const Migration* migration = nullptr;
    std::size_t index = 0;  // 0-based in its migration
    StatementCost cost{};
};

struct Status {
    std::string url;  // redacted
    Transport transport = Transport::tcp;
    std::string driver;  // driver name and version
    std::string server_version;
    std::string table;
    Plan plan;
    // Not "" when `up` must first upgrade the tracking table as drizzle 1.0 does (a 0.x table under a 1.0
    // folder, docs/compatibility.md): what it will do, or why it will refuse.
    std::string table_upgrade;
    std::string lock_holder;                           // who holds the migration lock now, "" when free
    std::vector<PendingStatement> pending_statements;  // what `up` would run, in run order (status(): with the
                                                       // default options; preview(): with its options)
    // With TargetOptions::deploy_requests: the open deploy requests from this target's development branches
    // (an earlier run's, being deployed or waiting), or why they could not be read.
    std::vector<DeployRequestProgress> deploy_requests;
    std::string deploy_requests_error;
};

struct UpReport {
    std::size_t migrations_applied = 0;
    std::size_t migrations_resumed = 0;
    std::size_t baseline_covered = 0;  // migrations recorded by loading the baseline (0: not loaded)
    std::size_t statements_run = 0;
    std::chrono::nanoseconds duration{0};  // from taking the lock to the end (deploy requests included)
    std::string table_upgrade;             // "" or what upgrading a drizzle 0.x tracking table for a 1.0
                                           // folder did, as drizzle 1.0 does (docs/compatibility.md)
    Plan plan_before;                      // what was pending when the run started
};

// How the runner treats a statement (docs/safety.md).
enum class StatementKind {
    ddl,       // CREATE, ALTER, DROP, RENAME, TRUNCATE: commits implicitly; marked in flight, decided by the schema
    dml,       // INSERT, UPDATE, DELETE, REPLACE: commits together with its progress mark
    harmless,  // re-running changes nothing (SET, SELECT, ...)
    unknown,   // anything else: treated like DDL, and a deploy request would carry it
};
MIGRATE_API std::string_view to_string(StatementKind k) noexcept;  // "ddl", "dml", "harmless", "unknown"

// What `up` would do, found without changing anything (`migrate plan`).
struct PlannedStatement {
    std::size_t index = 0;  // 0-based in its migration
    std::size_t line = 0;   // 1-based line in its file
    StatementKind kind = StatementKind::unknown;
    StatementCost cost{};            // algorithm and table size (docs/online-ddl.md)
    std::size_t deploy_request = 0;  // through deploy requests: 1-based UpPreview::deploy_requests entry that
                                     // carries it; 0: it runs on the database directly
};
struct PlannedMigration {
    const Migration* migration = nullptr;      // a baseline load is Baseline::snapshot (tag "baseline")
    std::size_t first_statement = 0;           // > 0: resumes a half-applied migration there
    std::vector<PlannedStatement> statements;  // from first_statement on
};
struct UpPreview {
    Status status;
    const Baseline* baseline = nullptr;        // loaded first (empty database), else null
    std::vector<PlannedMigration> migrations;  // in run order; the baseline load first when there is one
    std::string refusal;                       // "" or what validation would refuse (as `up` would say it)
    std::optional<errc> refusal_code;
    remedy refusal_fix = remedy::none;  // the refusal's fix, as data (error_context::fix)
    bool has_ddl = false;               // a safe-migrations branch would need a deploy request
    // TargetOptions::deploy_requests set and the production branch has safe migrations on: how the DDL goes
    // (docs/planetscale.md). Each entry is one deploy request, in run order; DML runs directly between them.
    struct DeployRequestPlan {
        std::string branch;          // the development branch it is opened from
        std::size_t statements = 0;  // migration statements it carries
        bool with_setup = false;     // it also creates libmigrate's tables on production
    };
    bool through_deploy_requests = false;
    std::vector<DeployRequestPlan> deploy_requests;
};

class MIGRATE_API Target {
  public:
    // Reads and validates the folder, the URL and the table name; connects to nothing.
    // Throws migrate::error.
    static Target open(TargetOptions options);

    Target(Target&&) noexcept;
    Target& operator=(Target&&) noexcept;
    ~Target();

    const Source& source() const;
    const ConnectionUrl& url() const;
    // The baseline `up` would load into an empty database; null when there is none (or use_baseline is off).
    const Baseline* baseline() const;

    // Connects and reads the tracking table; changes nothing (not even creating the table).
    Status status();
    // Under the lock: re-reads the tracking table, validates (edited, missing, out-of-order), resumes a
    // half-applied migration, then applies pending migrations in journal order, recording progress per
    // statement. Stops at the first failure and throws migrate::error with file, statement, line, errno,
    // SQLSTATE; the next run resumes there.
    UpReport up(const EventCallback& on_event = {}, const UpOptions& options = {});
    // What up(options) would do now: validation outcome, baseline load, migrations and statements, lock
    // holder. Reads only, takes no lock (another run may change the answer before an `up`).
    UpPreview preview(const UpOptions& options = {});
    // The SQL up(options) would send now, every statement whole and in order, as a script for the mysql or
    // mariadb client (Flyway's dryRunOutput, Liquibase's update-sql): libmigrate's tracking table, drizzle
    // 1.0's table upgrade, the baseline load, each migration's statements and its tracking row. Comments name
    // each migration, file and line, and how each statement runs (direct or through deploy request n; instant,
    // in place or a copy of how big a table). Passed to `write` in pieces; reads only, like preview(). Throws
    // the error up(options) would refuse with, writing nothing. docs/cli.md, "Dry run".
    UpPreview dry_run(const std::function<void(std::string_view)>& write, const UpOptions& options = {});

    // Records the files' current hashes for applied migrations whose files were edited deliberately.
    // Returns the entries changed (empty: nothing to repair). Takes the lock.
    std::vector<PlanEntry> repair(const EventCallback& on_event = {});
    // Records the operator's decision for the statement a stopped run left undecided (in flight or failed):
    // applied = it took effect (skip it), retry = run it again. Throws nothing_to_resolve if `tag` has no
    // such statement. Takes the lock.
    void resolve(const std::string& tag, Resolution resolution, const EventCallback& on_event = {});
    // Adopts a database built outside these migrations (Flyway's baseline): records every migration up to
    // and including `through` as applied, with drizzle's rows, without running anything. Refuses
    // (history_exists) when the database already records migrations or a run is half-done, and
    // target_not_found for an unknown tag. Returns the number of rows recorded. Takes the lock.
    std::size_t mark_baseline(const std::string& through, const EventCallback& on_event = {});

    // PlanetScale (deploy requests configured): takes back the newest deploy request libmigrate opened for
    // this keyspace, or deploy request `number`, inside its revert window, waits until PlanetScale has
    // reverted it, then removes the tracking rows of the migrations it carried (and records how far the
    // ones it carried in part got), so that status, drizzle and the next `up` agree with the schema again.
    // Refuses (deploy_request_failed) when a later migration is recorded; nothing_to_resolve when there is
    // no such deploy request or its window has closed. A rerun finishes what a stopped one began. Takes the
    // lock.
    RevertReport revert_deploy_request(std::optional<std::uint64_t> number = std::nullopt,
                                       const EventCallback& on_event = {}, const std::atomic<bool>* cancel = nullptr);

  private:
    struct Impl;
    explicit Target(std::unique_ptr<Impl> impl);
    UpReport run_up(const EventCallback& on_event, const UpOptions& options);
    std::unique_ptr<Impl> impl_;
};

}  // namespace migrate
