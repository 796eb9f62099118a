/*
 * libmigrate C API: apply drizzle-kit MySQL migrations from C or through any FFI (Python ctypes, Node, ...).
 *
 * Discipline (as sqlite3.h / leveldb/c.h):
 *   - Opaque handles with explicit create/free: migrate_target, migrate_error. Every *_free(NULL) is a no-op.
 *   - Option structs are versioned: the first field is `size_t struct_size`, set by the caller to
 *     sizeof(the struct) (the *_init functions do it). Fields are only ever appended; the library reads
 *     only the fields that struct_size covers, older callers get the defaults for the rest.
 *   - Every fallible function returns an int status: MIGRATE_OK (0) on success, otherwise
 *     MIGRATE_STATUS(code) = code + 1, where code is a migrate_errc (the numeric value of the C++
 *     migrate::errc, stable, see docs/errors.md; plus MIGRATE_ERRC_INVALID_ARGUMENT for the C API).
 *     When `err` is not NULL, *err is set to NULL on success and to a new migrate_error on failure, which
 *     the caller frees with migrate_error_free. Passing err = NULL is allowed (only the status is returned).
 *   - No C++ exception crosses this boundary; anything unexpected becomes MIGRATE_ERRC_INTERNAL.
 *   - NULL where a pointer is required is MIGRATE_ERRC_INVALID_ARGUMENT, never a crash.
 *   - Strings are NUL-terminated UTF-8. Strings returned through `char**` are owned by the caller and freed
 *     with migrate_free_string. Strings returned as `const char*` by a migrate_error accessor live as long as
 *     the error; migrate_version() returns a static string.
 *   - Messages never contain the URL's password.
 *
 * Thread-safety: the version functions and the *_init functions are always safe. A migrate_target is not
 * thread-safe: use one handle from one thread at a time; distinct handles may be used from different threads
 * concurrently (also for the same database: the migration lock orders concurrent `up` runs). A migrate_error
 * is immutable and may be read from any thread; free it once.
 *
 * Reference: docs/c-api.md.
 */
#ifndef MIGRATE_H
#define MIGRATE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(MIGRATE_STATIC)
#define MIGRATE_C_API
#else
#define MIGRATE_C_API __attribute__((visibility("default")))
#endif

/* The version of this C interface; changes only on incompatible changes. */
#define MIGRATE_ABI_VERSION 1u

/* ---- Error codes ---------------------------------------------------------------------------------- */

/* The numeric values of migrate::errc (never renumbered) and the C API's own codes. */
typedef enum migrate_errc {
    MIGRATE_ERRC_JOURNAL_MISSING = 0,
    MIGRATE_ERRC_JOURNAL_INVALID = 1,
    MIGRATE_ERRC_MIGRATION_MISSING = 2,
    MIGRATE_ERRC_TAG_INVALID = 3,
    MIGRATE_ERRC_TAG_DUPLICATE = 4,
    MIGRATE_ERRC_NOT_UTF8 = 5,
    MIGRATE_ERRC_URL_INVALID = 6,
    MIGRATE_ERRC_TABLE_INVALID = 7,
    MIGRATE_ERRC_CONFIG_INVALID = 8,
    MIGRATE_ERRC_DRIVER_NOT_FOUND = 9,
    MIGRATE_ERRC_DRIVER_INCOMPATIBLE = 10,
    MIGRATE_ERRC_DRIVER_BROKEN = 11,
    MIGRATE_ERRC_CONNECT_FAILED = 12,
    MIGRATE_ERRC_SERVER_ERROR = 13,
    MIGRATE_ERRC_CONNECTION_LOST = 14,
    MIGRATE_ERRC_MIGRATION_CHANGED = 15,
    MIGRATE_ERRC_ROW_WITHOUT_FILE = 16,
    MIGRATE_ERRC_OUT_OF_ORDER = 17,
    MIGRATE_ERRC_PARTIAL_EDITED = 18,
    MIGRATE_ERRC_NEEDS_RESOLVE = 19,
    MIGRATE_ERRC_LOCK_TIMEOUT = 20,
    MIGRATE_ERRC_LOCK_LOST = 21,
    MIGRATE_ERRC_INTERRUPTED = 22,
    MIGRATE_ERRC_NOTHING_TO_RESOLVE = 23,
    MIGRATE_ERRC_INTERNAL = 24,
    MIGRATE_ERRC_BASELINE_INVALID = 25,
    MIGRATE_ERRC_BASELINE_UNUSABLE = 26,
    MIGRATE_ERRC_DATABASE_NOT_EMPTY = 27,
    MIGRATE_ERRC_TARGET_NOT_FOUND = 28,
    MIGRATE_ERRC_HISTORY_EXISTS = 29,
    MIGRATE_ERRC_SAFE_MIGRATIONS = 30,
    MIGRATE_ERRC_SNAPSHOT_INVALID = 31,
    MIGRATE_ERRC_STATEMENT_BLOCKED = 32,
    MIGRATE_ERRC_TABLE_COPY_TOO_LARGE = 33,
    MIGRATE_ERRC_STATEMENT_TOO_LARGE = 34,
    MIGRATE_ERRC_MIGRATION_OUTSIDE_FOLDER = 35,
    MIGRATE_ERRC_PLATFORM_API = 36,           /* PlanetScale's management API refused or failed */
    MIGRATE_ERRC_DEPLOY_REQUEST_FAILED = 37,  /* a deploy request cannot end deployed (lint, closed, error) */
    MIGRATE_ERRC_DEPLOY_REQUEST_WAITING = 38, /* a deploy request is still on its way: run again later */
    MIGRATE_ERRC_FOLDER_UNWRITABLE = 39,      /* a migrations folder file cannot be created or replaced */
    MIGRATE_ERRC_MERGE_CONFLICT = 40,         /* a rebase meets a table both branches change: a person merges */
    /* C API only: a NULL or malformed argument (NULL pointer, struct_size too small, negative timeout). */
    MIGRATE_ERRC_INVALID_ARGUMENT = 1000
} migrate_errc;

#define MIGRATE_OK 0
/* The status a function returns for an error code; MIGRATE_STATUS_CODE undoes it. */
#ifdef __cplusplus /* no C-style cast in C++ callers' code (-Wold-style-cast) */
#define MIGRATE_STATUS(code) (static_cast<int>(code) + 1)
#else
#define MIGRATE_STATUS(code) ((int)(code) + 1)
#endif
#define MIGRATE_STATUS_CODE(status) ((status)-1)

typedef struct migrate_error migrate_error; /* opaque */

/* All accessors accept NULL (returning 0, -1 or "" as documented) and are thread-safe. */
MIGRATE_C_API int migrate_error_code(const migrate_error* err);               /* a migrate_errc; -1 for NULL */
MIGRATE_C_API const char* migrate_error_code_name(const migrate_error* err);  /* e.g. "server_error" */
MIGRATE_C_API const char* migrate_error_message(const migrate_error* err);    /* human text, password redacted */
MIGRATE_C_API const char* migrate_error_sqlstate(const migrate_error* err);   /* e.g. "42S01", "" if none */
MIGRATE_C_API uint32_t migrate_error_server_errno(const migrate_error* err);  /* e.g. 1050, 0 if none */
MIGRATE_C_API int migrate_error_completion_unknown(const migrate_error* err); /* 1: statement may have run */
MIGRATE_C_API const char* migrate_error_file(const migrate_error* err);       /* file it is about, "" if none */
MIGRATE_C_API const char* migrate_error_tag(const migrate_error* err);        /* migration tag, "" if none */
MIGRATE_C_API long long migrate_error_line(const migrate_error* err);         /* 1-based line, -1 if none */
MIGRATE_C_API long long migrate_error_statement(const migrate_error* err);    /* 0-based statement, -1 if none */
/* Stable name of a code, e.g. "journal_missing"; "unknown" for a value that is no code. Thread-safe. */
MIGRATE_C_API const char* migrate_errc_name(int code);
MIGRATE_C_API void migrate_error_free(migrate_error* err);

/* The fix an error calls for, as data (migrate::remedy): the message says it in the library's terms, and a
   program words it for its own users. Values are stable; new ones are only ever added. */
enum {
    MIGRATE_REMEDY_NONE = 0,                      /* the message says all there is to do */
    MIGRATE_REMEDY_RESOLVE_APPLIED = 1,           /* record that the statement (tag, statement) took effect */
    MIGRATE_REMEDY_CREATE_BASELINE = 2,           /* create the folder's baseline again */
    MIGRATE_REMEDY_RECORD_NEW_HASH = 3,           /* an applied migration was edited deliberately: record it */
    MIGRATE_REMEDY_ALLOW_MISSING = 4,             /* proceed past tracking rows no file matches */
    MIGRATE_REMEDY_ALLOW_OUT_OF_ORDER = 5,        /* apply entries older than the newest applied one */
    MIGRATE_REMEDY_ADOPT_DATABASE = 6,            /* mark a baseline on a database built elsewhere, or allow dirty */
    MIGRATE_REMEDY_RECREATE_OR_SKIP_BASELINE = 7, /* create the baseline again, or replay without it */
    MIGRATE_REMEDY_DECIDE_IN_FLIGHT = 8,          /* check whether the statement (tag) took effect, record it */
    MIGRATE_REMEDY_CHOOSE_SCRATCH_SERVER = 9      /* a scratch server where the user may CREATE/DROP databases */
};
MIGRATE_C_API int migrate_error_remedy(const migrate_error* err); /* a MIGRATE_REMEDY_*; 0 for NULL */
/* Stable name of a remedy, e.g. "decide_in_flight"; "unknown" for a value that is none. Thread-safe. */
MIGRATE_C_API const char* migrate_remedy_name(int remedy);

/* ---- Versions (always thread-safe) ------------------------------------------------------------------ */

MIGRATE_C_API const char* migrate_version(void);         /* library version, e.g. "0.1.0"; static */
MIGRATE_C_API unsigned migrate_abi_version(void);        /* MIGRATE_ABI_VERSION of the library (1) */
MIGRATE_C_API unsigned migrate_driver_abi_version(void); /* the driver plugin ABI it speaks (driver.h) */

/* ---- Strings -------------------------------------------------------------------------------------- */

/* Frees a string returned through a char** out-parameter. NULL is a no-op. Thread-safe. */
MIGRATE_C_API void migrate_free_string(char* s);

/* ---- Targets -------------------------------------------------------------------------------------- */

typedef struct migrate_target migrate_target; /* opaque; one database and its migrations folder */

enum { MIGRATE_LOCK_SESSION = 0, MIGRATE_LOCK_LEASE = 1 };

typedef struct migrate_target_options {
    size_t struct_size;             /* sizeof(migrate_target_options) */
    const char* url;                /* required: mysql://user:pass@host:port/db (docs/connection-strings.md) */
    const char* migrations_dir;     /* required: drizzle-kit's `out` folder */
    const char* table;              /* NULL or "": "__drizzle_migrations" */
    long long lock_timeout_seconds; /* how long `up` waits for another run; 0: default (300); < 0: invalid */
    int use_baseline;               /* 1: use <migrations_dir>/baseline when present; 0: never */
    int lock_mode;                  /* MIGRATE_LOCK_SESSION (default) or MIGRATE_LOCK_LEASE */
    long long lease_ttl_seconds;    /* lease mode: 0: default (30) */
    const char* baseline_dir;       /* NULL or "": <migrations_dir>/baseline */
    /* Appended later (check struct_size, MIGRATE_HAS_FIELD): each statement's wait for locks other sessions hold. */
    long long statement_lock_wait_seconds;   /* per attempt; 0: default (3); -1: off (the server's own timeouts) */
    long long statement_lock_budget_seconds; /* retries until this much time has passed; 0: default (120) */
    /* Appended later: PlanetScale deploy requests (docs/planetscale.md). With planetscale_organization set and
       the production branch under safe migrations, `up` carries DDL through deploy requests. */
    const char* planetscale_organization;     /* NULL or "": off */
    const char* planetscale_database;         /* the PlanetScale database; required with the organization */
    const char* planetscale_branch;           /* production branch; NULL or "": "main" */
    const char* planetscale_api_url;          /* NULL or "": https://api.planetscale.com/v1 */
    const char* planetscale_service_token_id; /* required with the organization */
    const char* planetscale_service_token;    /* a secret: copied, never printed or put in an error */
    const char* planetscale_keyspace;         /* names the development branches; NULL or "": the URL's database */
    int deploy_cutover;                       /* MIGRATE_CUTOVER_AUTOMATIC (0), _APPLY or _WAIT */
    int deploy_revert_window;                 /* MIGRATE_REVERT_WINDOW_SKIP (0), _WAIT or _LEAVE_OPEN */
    int deploy_instant;                       /* 1: deploy instantly when PlanetScale says it can */
    long long deploy_timeout_seconds;         /* one deploy request is followed this long; 0: default (6 h) */
    /* Appended later (check struct_size, MIGRATE_HAS_FIELD). */
    const char* planetscale_from_branch; /* NULL/"": a new branch per batch; else the existing branch that
                                            holds the pending migrations (docs/planetscale.md) */
} migrate_target_options;

/* migrate_target_options.deploy_cutover and deploy_revert_window */
enum { MIGRATE_CUTOVER_AUTOMATIC = 0, MIGRATE_CUTOVER_APPLY = 1, MIGRATE_CUTOVER_WAIT = 2 };
enum { MIGRATE_REVERT_WINDOW_SKIP = 0, MIGRATE_REVERT_WINDOW_WAIT = 1, MIGRATE_REVERT_WINDOW_LEAVE_OPEN = 2 };

/* Sets struct_size and the defaults (use_baseline = 1, everything else 0/NULL) in the first `size` bytes:
   pass sizeof(migrate_target_options) as the caller knows it, so a program built against an older, smaller
   struct is never written past its end. Thread-safe. */
MIGRATE_C_API void migrate_target_options_init_sized(migrate_target_options* opts, size_t size);
/* The symbol of the first release: initialises the struct as it was then (up to baseline_dir), which is what
   callers bound by name (ctypes, koffi, older binaries) allocate. C/C++ code gets the macro below instead. */
MIGRATE_C_API void migrate_target_options_init(migrate_target_options* opts);
#define migrate_target_options_init(opts) migrate_target_options_init_sized((opts), sizeof *(opts))

/* Reads and validates the folder, the URL and the table name; connects to nothing.
 * Returns a new handle (free with migrate_target_free), or NULL with *err set.
 * The options are copied; they need not outlive the call. */
MIGRATE_C_API migrate_target* migrate_target_open(const migrate_target_options* opts, migrate_error** err);
/* The same with the options as a JSON object, for callers that speak JSON rather than C structs:
   {"url", "migrations_dir", "table", "lock": "session"|"lease", "lock_timeout_seconds",
    "lease_ttl_seconds", "use_baseline": bool, "baseline_dir", "statement_lock_wait_seconds",
    "statement_lock_budget_seconds", "planetscale": {"organization", "database", "branch", "api_url",
    "service_token_id", "service_token", "keyspace", "cutover": "automatic"|"apply"|"wait",
    "revert_window": "skip"|"wait"|"leave-open", "instant": bool, "deploy_timeout_seconds", "from_branch"}};
    url and migrations_dir required.
   Bad JSON, an unknown key or a wrong type: MIGRATE_ERRC_INVALID_ARGUMENT naming the key.
   Thread-safe (touches no shared state). */
MIGRATE_C_API migrate_target* migrate_target_open_json(const char* options_json, migrate_error** err);
/* NULL is a no-op. */
MIGRATE_C_API void migrate_target_free(migrate_target* target);

/* Connects and reads the tracking table; changes nothing. *json_out receives the same object as one entry
 * of `migrate status --json`'s "targets" (without "name"; docs/cli.md). Not thread-safe per handle. */
MIGRATE_C_API int migrate_target_status_json(migrate_target* target, char** json_out, migrate_error** err);

typedef struct migrate_up_options {
    size_t struct_size;            /* sizeof(migrate_up_options) */
    int allow_out_of_order;        /* apply entries older than the newest applied row */
    int allow_missing;             /* proceed although rows exist that no journal entry matches */
    int allow_dirty;               /* apply to a database that has tables but records nothing */
    int use_baseline;              /* 1: an empty database starts from the baseline, if there is one */
    const char* to;                /* NULL: apply everything; else stop after this tag */
    uint64_t max_table_copy_bytes; /* 0: no limit; else refuse (MIGRATE_ERRC_TABLE_COPY_TOO_LARGE) before running
                                    anything when a statement rebuilds or copies a bigger table (docs/online-ddl.md) */
    int refuse_deploy_requests;    /* appended later; 1: when DDL would need a deploy request, refuse before running
                                      anything (MIGRATE_ERRC_DEPLOY_REQUEST_WAITING) instead of waiting for one */
} migrate_up_options;

/* As migrate_target_options_init_sized: the first `size` bytes only. Thread-safe. */
MIGRATE_C_API void migrate_up_options_init_sized(migrate_up_options* opts, size_t size);
/* The first release's symbol: the struct as it was then (up to `to`). C/C++ code gets the macro. */
MIGRATE_C_API void migrate_up_options_init(migrate_up_options* opts);
#define migrate_up_options_init(opts) migrate_up_options_init_sized((opts), sizeof *(opts))

/* What `up` with these options would do, without changing anything or taking the lock (Target::preview).
 * opts may be NULL (defaults). *json_out receives one entry of `migrate plan --json`'s "targets" without
 * "name" and "lint": url, transport, server, lock_holder, table_upgrade, refused ({code, message} or null),
 * baseline, has_ddl, migrations [{tag, file, resumes_at, statements [{index, line, kind, sql, table, rows, bytes,
 * algorithm, algorithm_reason}]}] (docs/online-ddl.md). With max_table_copy_bytes, a copy above it is a refusal.
 * A refusal is reported in the JSON, not as an error. Not thread-safe per handle. */
MIGRATE_C_API int migrate_target_plan_json(migrate_target* target, const migrate_up_options* opts, char** json_out,
                                           migrate_error** err);

/* ---- up and its events ---------------------------------------------------------------------------- */

typedef enum migrate_event_kind {
    MIGRATE_EVENT_LOCK_WAITING = 0, /* another run holds the lock; detail names it (repeats) */
    MIGRATE_EVENT_LOCK_ACQUIRED = 1,
    MIGRATE_EVENT_RUN_STARTED = 2,
    MIGRATE_EVENT_MIGRATION_STARTED = 3,
    MIGRATE_EVENT_MIGRATION_RESUMED = 4, /* continuing a half-applied migration; detail says where/why */
    MIGRATE_EVENT_STATEMENT_STARTED = 5,
    MIGRATE_EVENT_STATEMENT_SKIPPED = 6, /* took effect in an earlier run */
    MIGRATE_EVENT_STATEMENT_FINISHED = 7,
    MIGRATE_EVENT_MIGRATION_FINISHED = 8,
    MIGRATE_EVENT_RUN_FINISHED = 9,
    MIGRATE_EVENT_PREVIOUS_RUN_WAITING = 10,   /* a stopped run's statement still executes on the server; detail
                                                  names it; resuming once it ends (repeats) */
    MIGRATE_EVENT_STATEMENT_LOCK_WAITING = 11, /* the statement timed out on a lock another session holds and is
                                                  retried; detail names the blocking sessions (repeats) */
    MIGRATE_EVENT_DEPLOY_REQUEST = 12,         /* a PlanetScale deploy request moved on; detail says where it is */
    MIGRATE_EVENT_RUN_FAILED = 13              /* appended later: the call fails next; `failure` is its error */
} migrate_event_kind;

/* Levels of events as log records (migrate_event.level; docs/embedding.md, "Logs, metrics and readiness"). */
enum {
    MIGRATE_LOG_DEBUG = 0,   /* each statement */
    MIGRATE_LOG_INFO = 1,    /* the run, the lock taken, each migration, a skipped statement, deploy-request steps */
    MIGRATE_LOG_WARNING = 2, /* every wait: the migration lock, other sessions' locks, a stopped run's statement */
    MIGRATE_LOG_ERROR = 3    /* MIGRATE_EVENT_RUN_FAILED */
};
/* What a service migrating at start-up is doing, for its readiness probe: ready once DONE. */
enum {
    MIGRATE_READINESS_STARTING = 0,         /* nothing reported yet */
    MIGRATE_READINESS_WAITING_FOR_LOCK = 1, /* another run holds the lock, or a statement waits for other sessions */
    MIGRATE_READINESS_MIGRATING = 2,
    MIGRATE_READINESS_DONE = 3, /* migrated (also when there was nothing to do) */
    MIGRATE_READINESS_FAILED = 4
};

/* Progress of migrate_target_up. The struct and its strings are valid only during the callback. */
typedef struct migrate_event {
    size_t struct_size;        /* sizeof(migrate_event) as the library knows it; check before reading
                                  fields appended later */
    int kind;                  /* a migrate_event_kind */
    const char* tag;           /* the migration's tag ("baseline" for a baseline load); NULL for run and
                                  lock events */
    uint64_t migration_number; /* 1-based within this run */
    uint64_t migrations_total; /* migrations this run applies */
    uint64_t statement_index;  /* 0-based within the migration */
    uint64_t statements_total; /* statements of the migration */
    int64_t duration_ns;       /* *_finished events; time waited so far for the *_waiting ones */
    const char* detail;        /* human text for lock, resume and skip events; "" otherwise */
    /* Appended later: check struct_size (MIGRATE_HAS_EVENT_FIELD) before reading these. */
    int level;                    /* a MIGRATE_LOG_* */
    int readiness;                /* a MIGRATE_READINESS_*: the state once this event has happened */
    const char* holder;           /* the *_waiting events: who holds what the run waits for; "" otherwise */
    const char* json;             /* the event as one JSON object on one line, no newline: the record `migrate up
                                     --log-format json` prints (fields: docs/cli.md, "Log lines") */
    const migrate_error* failure; /* MIGRATE_EVENT_RUN_FAILED: the error the call returns next (the accessors work;
                                     valid during the callback; never free it); NULL otherwise */
} migrate_event;
/* Whether an event the library passed has `field` (a library older than the caller's header lacks it). */
#define MIGRATE_HAS_EVENT_FIELD(ev, field) ((ev)->struct_size >= offsetof(migrate_event, field) + sizeof((ev)->field))

/* Called synchronously on the thread that called migrate_target_up. It must not call migrate_target_*
 * functions on the same handle and must not unwind (longjmp, C++ exceptions) through the library. */
typedef void (*migrate_event_fn)(const migrate_event* ev, void* user_data);

/* Applies pending migrations under the lock (Target::up). opts may be NULL (defaults); cb may be NULL.
 * On success, when report_json_out is not NULL, it receives one entry of `migrate up --json`'s "targets"
 * without "name": {ok, applied, resumed, baseline_covered, statements, duration_ms,
 * steps [{tag, statements, duration_ms}]}. On failure *err says where it stopped (file, statement, line,
 * errno, SQLSTATE); the next run resumes there. Not thread-safe per handle. */
MIGRATE_C_API int migrate_target_up(migrate_target* target, const migrate_up_options* opts, migrate_event_fn cb,
                                    void* user_data, char** report_json_out, migrate_error** err);
/* migrate_target_up with the up options as a JSON object (NULL or "{}": the defaults):
   {"allow_out_of_order", "allow_missing", "allow_dirty", "use_baseline", "refuse_deploy_requests": bool,
    "to": "tag", "max_table_copy_bytes": bytes, "max_table_copy": "1GiB"}.
   Same thread-safety as migrate_target_up. */
MIGRATE_C_API int migrate_target_up_json(migrate_target* target, const char* up_options_json, migrate_event_fn cb,
                                         void* user_data, char** report_json_out, migrate_error** err);

/* ---- Logs and readiness (docs/c-api.md) ----------------------------------------------------------- */

/* Stable names, e.g. "run_failed", "warning", "waiting_for_lock"; "unknown" for a value that is none.
   Static strings; thread-safe. */
MIGRATE_C_API const char* migrate_event_kind_name(int kind);
MIGRATE_C_API const char* migrate_log_level_name(int level);
MIGRATE_C_API const char* migrate_readiness_name(int readiness);

/* The handle's log callback: every event at min_level (a MIGRATE_LOG_*) or above, of every call on this
 * handle that reports events (up, and the calls that take the lock), in addition to a call's own callback,
 * with the same struct (its `json` member is the log line). fn NULL removes it. Set it before the calls it
 * should see; not thread-safe per handle (like the calls themselves). Returns MIGRATE_ERRC_INVALID_ARGUMENT
 * for a NULL target or a level out of range. */
MIGRATE_C_API int migrate_target_set_log(migrate_target* target, int min_level, migrate_event_fn fn, void* user_data,
                                         migrate_error** err);
/* The handle's readiness: MIGRATE_READINESS_STARTING until a call reports an event, then the state its last
 * event led to. Safe from any thread while a call runs on the handle (a lock-free atomic read), so that a
 * service's readiness probe can ask; -1 for NULL. */
MIGRATE_C_API int migrate_target_readiness(const migrate_target* target);
/* ==== Cancel, verify, lint, baseline, repair, resolve, run_at_startup ================================ */
/* (Appended in ABI 1: new functions and structs only; nothing above changed.)                          */

/* ---- Cancelling ------------------------------------------------------------------------------------ */

/* Asks the call running on `target` (migrate_target_up, _up_json, _repair, _resolve, _mark_baseline,
 * _baseline_create, _verify_json), or, when none runs, the next one, to stop with MIGRATE_ERRC_INTERRUPTED.
 * `up` stops between statements (and while waiting for the migration lock or for a previous run's
 * statement) with its progress recorded: the next `up` resumes there. The other calls check before they
 * start: they are short (repair, resolve, mark) or change nothing until their end (verify, baseline create).
 *
 * The cancel is sticky until a call consumes it: every call listed above clears it as it returns, whatever
 * its outcome (a call refused for an invalid argument before it started leaves it), so one cancel stops
 * exactly one call -- the running one, or the next one when it arrives while nothing runs (then the next
 * call returns MIGRATE_ERRC_INTERRUPTED at once, having done nothing). A cancel that arrives after the
 * running call passed its last check is absorbed by that call, which then completes normally.
 * migrate_target_cancel_reset discards a pending cancel.
 *
 * Safe from any thread and from a signal handler (one lock-free atomic store, no allocation, no lock).
 * NULL is a no-op. The handle must stay alive: free it only when no other thread or handler can cancel it. */
MIGRATE_C_API void migrate_target_cancel(migrate_target* target);
/* Discards a pending cancel (as migrate_target_cancel: any thread, signal handlers; NULL is a no-op). */
MIGRATE_C_API void migrate_target_cancel_reset(migrate_target* target);

/* A cancel flag that belongs to no handle, for migrate_run_at_startup (which opens its own target).
 * Unlike a handle's cancel it stays set until migrate_cancel_token_reset: it means "shut down", and every
 * call given the token stops (or refuses to start) while it is set. */
typedef struct migrate_cancel_token migrate_cancel_token; /* opaque */
/* Returns a new token (not cancelled), or NULL when out of memory. Thread-safe. */
MIGRATE_C_API migrate_cancel_token* migrate_cancel_token_new(void);
/* NULL is a no-op. Free it only after every call using it has returned. */
MIGRATE_C_API void migrate_cancel_token_free(migrate_cancel_token* token);
/* Thread-safe and async-signal-safe (a lock-free atomic store). NULL is a no-op. */
MIGRATE_C_API void migrate_cancel_token_cancel(migrate_cancel_token* token);
MIGRATE_C_API void migrate_cancel_token_reset(migrate_cancel_token* token);
/* 1 when cancelled, 0 when not or NULL. Thread-safe and async-signal-safe. */
MIGRATE_C_API int migrate_cancel_token_is_cancelled(const migrate_cancel_token* token);

/* ---- verify and lint ------------------------------------------------------------------------------- */

/* Checks the tracking table against the folder and, with check_schema = 1, the live schema against the
 * folder's newest drizzle-kit snapshot (docs/verify.md). Changes nothing. *json_out receives one entry of
 * `migrate verify --json`'s "targets" without "name" and "exit": {url, tracking {ok, migrations, rows,
 * problems [{kind, tag, row_id, expected, actual, message}]}, schema (null or {ok, snapshot, tables,
 * drift [{kind, severity, table, name, expected, actual, message}]}), ok}. Problems and drift are reported
 * in the JSON ("ok": false) with MIGRATE_OK; a status other than MIGRATE_OK means verify could not run
 * (no connection, no snapshot: MIGRATE_ERRC_SNAPSHOT_INVALID). Not thread-safe per handle. */
MIGRATE_C_API int migrate_target_verify_json(migrate_target* target, int check_schema, char** json_out,
                                             migrate_error** err);

/* migrate_lint_options.flavor: what the folder's target server accepts (docs/lint.md). */
enum {
    MIGRATE_FLAVOR_MYSQL = 0,
    MIGRATE_FLAVOR_MARIADB = 1,
    MIGRATE_FLAVOR_VITESS = 2,
    MIGRATE_FLAVOR_PLANETSCALE = 3
};

typedef struct migrate_lint_options {
    size_t struct_size; /* sizeof(migrate_lint_options) */
    int flavor;         /* MIGRATE_FLAVOR_* (default MYSQL) */
    int sharded;        /* 1: a sharded Vitess keyspace (no foreign keys) */
    int foreign_keys;   /* default 1; 0: the server refuses foreign keys */
} migrate_lint_options;
/* Sets struct_size and the defaults in the first `size` bytes (as migrate_target_options_init_sized). */
MIGRATE_C_API void migrate_lint_options_init_sized(migrate_lint_options* opts, size_t size);
#define migrate_lint_options_init(opts) migrate_lint_options_init_sized((opts), sizeof *(opts))

/* Lints a migrations folder; connects to nothing. opts may be NULL (defaults). *json_out receives
 * `migrate lint --json`'s document for that one folder: {schemaVersion: 1, tool {name, version},
 * folders [{name, path, flavor, sharded, foreignKeys, errors, warnings, suppressed}], findings [{folder,
 * rule, severity, file, line, column, message, fix, suppressed, suppressionReason}], summary {errors,
 * warnings, suppressed}}; paths relative to the working directory. Findings are not errors: the status is
 * MIGRATE_OK, and summary.errors says whether `migrate lint` would fail. Thread-safe. */
MIGRATE_C_API int migrate_lint_json(const char* migrations_dir, const migrate_lint_options* opts, char** json_out,
                                    migrate_error** err);

/* ---- baseline, repair, resolve ---------------------------------------------------------------------- */

typedef struct migrate_baseline_options {
    size_t struct_size;             /* sizeof(migrate_baseline_options) */
    const char* scratch_server_url; /* NULL or "": the target's URL; a server where a scratch database may be
                                       created and dropped (its database part is ignored) */
    const char* through;            /* NULL or "": the newest migration; else the last one to cover */
} migrate_baseline_options;
MIGRATE_C_API void migrate_baseline_options_init_sized(migrate_baseline_options* opts, size_t size);
#define migrate_baseline_options_init(opts) migrate_baseline_options_init_sized((opts), sizeof *(opts))

/* `migrate baseline create` for the target's folder (docs/baseline.md): replays its migrations into a
 * scratch database, dumps it and writes baseline.json + snapshot.sql into the target's baseline folder
 * (migrate_target_options.baseline_dir, default <migrations_dir>/baseline); the target database itself is
 * not touched. opts may be NULL. When json_out is not NULL it receives one entry of `migrate baseline
 * create --json`'s "targets" without "name": {dir, through, migrations, tables, views, rows, statements}.
 * The handle keeps the baseline it read when opened: open it again for `up` to use the new one. */
MIGRATE_C_API int migrate_target_baseline_create(migrate_target* target, const migrate_baseline_options* opts,
                                                 char** json_out, migrate_error** err);

/* Adopts a database built outside these migrations (`migrate baseline mark`): records every migration up
 * to and including `through` as applied, running nothing. MIGRATE_ERRC_HISTORY_EXISTS when the database
 * already records migrations, MIGRATE_ERRC_TARGET_NOT_FOUND for an unknown tag. *recorded_out (may be NULL)
 * receives the number of rows recorded. cb may be NULL (lock events). Takes the lock. */
MIGRATE_C_API int migrate_target_mark_baseline(migrate_target* target, const char* through, migrate_event_fn cb,
                                               void* user_data, uint64_t* recorded_out, migrate_error** err);

/* Records the files' current hashes for applied migrations whose files were edited deliberately
 * (`migrate repair`). When json_out is not NULL it receives {repaired [{tag, row_id, recorded_hash (the
 * old one), file_hash (now recorded)}]} (empty: nothing to repair), the entry of `migrate repair --json`
 * without "name". cb may be NULL. Takes the lock. */
MIGRATE_C_API int migrate_target_repair(migrate_target* target, migrate_event_fn cb, void* user_data, char** json_out,
                                        migrate_error** err);

/* migrate_target_resolve's decision for the statement a stopped run left undecided. */
typedef enum migrate_resolution {
    MIGRATE_RESOLUTION_APPLIED = 1, /* it took effect: the next `up` skips it */
    MIGRATE_RESOLUTION_RETRY = 2    /* it did not: the next `up` sends it again */
} migrate_resolution;

/* Records the decision for migration `tag`'s undecided statement (`migrate resolve`); the error a stopped
 * `up` returned names the tag (migrate_error_tag) and remedy. MIGRATE_ERRC_NOTHING_TO_RESOLVE when `tag` has
 * no such statement; another `resolution` value is MIGRATE_ERRC_INVALID_ARGUMENT. cb may be NULL. */
MIGRATE_C_API int migrate_target_resolve(migrate_target* target, const char* tag, int resolution, migrate_event_fn cb,
                                         void* user_data, migrate_error** err);

/* ---- run_at_startup --------------------------------------------------------------------------------- */

/* migrate_startup_options.on_validation_error (migrate::OnValidationError, docs/embedding.md). */
enum {
    MIGRATE_ON_VALIDATION_ERROR_FAIL = 0,        /* a refused run is a failure: the service should not start */
    MIGRATE_ON_VALIDATION_ERROR_START_ANYWAY = 1 /* report success with validation_refused and the error */
};

typedef struct migrate_startup_options {
    size_t struct_size;                   /* sizeof(migrate_startup_options) */
    const migrate_target_options* target; /* required; read as migrate_target_open reads it */
    const migrate_up_options* up;         /* NULL: defaults */
    int on_validation_error;              /* MIGRATE_ON_VALIDATION_ERROR_* */
    migrate_cancel_token* cancel;         /* NULL or a token; cancelled: stop between statements */
} migrate_startup_options;
/* Sets struct_size and the defaults (everything 0/NULL) in the first `size` bytes. */
MIGRATE_C_API void migrate_startup_options_init_sized(migrate_startup_options* opts, size_t size);
#define migrate_startup_options_init(opts) migrate_startup_options_init_sized((opts), sizeof *(opts))

/* One call for services (migrate::run_at_startup, docs/embedding.md): opens the target, takes the lock
 * (waiting for another replica), validates and applies what is pending. cb (may be NULL) receives up's
 * events, on this thread. When report_json_out is not NULL it always receives the report (also on failure):
 * {ok, applied, resumed, baseline_covered, statements, pending_before, duration_ms, validation_refused,
 * error (null or {code, message, file, line, statement, tag, errno, sqlstate, completion_unknown,
 * http_status, api_code, remedy}, the CLI's --json error object)}. Returns MIGRATE_OK when "ok" is true
 * (a start_anyway refusal included), else the error's status with *err set. Thread-safe (no shared handle). */
MIGRATE_C_API int migrate_run_at_startup(const migrate_startup_options* opts, migrate_event_fn cb, void* user_data,
                                         char** report_json_out, migrate_error** err);

#ifdef __cplusplus
}
#endif

#endif /* MIGRATE_H */
