// Structured logging and readiness for services: the progress events of a run (Target::up and the other
// calls that take the lock) as leveled, time-stamped records, one JSON object per event, and the state a
// service exposes while it migrates at start-up ("migrating / waiting for lock / done / failed").
// docs/embedding.md shows how a sink feeds OpenTelemetry or Prometheus.
#pragma once

#include <migrate/export.hpp>
#include <migrate/target.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <string_view>

namespace migrate {

enum class LogLevel {
    debug,    // one record per statement (started, finished)
    info,     // the run, each migration, the lock taken, deploy-request steps, a statement skipped on resume
    warning,  // waits: for the migration lock, for other sessions' locks, for a stopped run's statement
    error,    // the run failed (run_failed)
};
MIGRATE_API std::string_view to_string(LogLevel level) noexcept;  // "debug", "info", "warning", "error"
MIGRATE_API LogLevel level_of(const Event& event) noexcept;
// The event's stable name, as in the JSON records: "lock_waiting", "run_started", ..., "run_failed".
MIGRATE_API std::string_view to_string(Event::Kind kind) noexcept;

// What a service migrating at start-up is doing, for its readiness probe: ready only once `done`.
enum class Readiness {
    starting,          // nothing reported yet (opening the folder, connecting, reading the tracking table)
    waiting_for_lock,  // another replica holds the migration lock, a stopped run's statement is still running,
                       // or a statement waits for locks other sessions hold
    migrating,         // applying (or carrying a deploy request)
    done,              // the database is migrated (also when there was nothing to do)
    failed,            // the run failed or was refused; the service should not take traffic
};
MIGRATE_API std::string_view to_string(Readiness state) noexcept;  // "starting", "waiting_for_lock", ...
// The state once `event` has happened, coming from `current`.
MIGRATE_API Readiness readiness_after(Readiness current, const Event& event) noexcept;

// Follows a run's events (feed it from any EventCallback) and answers a readiness probe from another
// thread: state() is a lock-free atomic read.
class MIGRATE_API ReadinessTracker {
  public:
    void observe(const Event& event) noexcept;
    Readiness state() const noexcept { return state_.load(std::memory_order_acquire); }
    bool ready() const noexcept { return state() == Readiness::done; }

  private:
    std::atomic<Readiness> state_{Readiness::starting};
};

// One event as a log record. Valid only during the sink's call (it points into the event).
struct LogRecord {
    std::chrono::system_clock::time_point time;
    LogLevel level = LogLevel::info;
    std::string_view target;                    // the target's name (a project's keyspace), else the URL's database
    Readiness readiness = Readiness::starting;  // the state after this event
    const Event& event;
};
using LogSink = std::function<void(const LogRecord&)>;

// An EventCallback that stamps each event with the time, its level and the readiness it leads to, and hands
// those at `min_level` or above to `sink`. Pass it to Target::up (or run_at_startup's on_event); `then` is
// called for every event as well, before the sink (e.g. a command's own progress display).
MIGRATE_API EventCallback log_events(LogSink sink, std::string target, LogLevel min_level = LogLevel::info,
                                     EventCallback then = {});

// The record as one JSON object on one line (no newline): time (RFC 3339, UTC, milliseconds), level, event,
// target, readiness, and what the event has of: migration (tag), file, line, migration_number,
// migrations_total, statement (0-based, as in the error object), statements_total, duration_ms, waited_ms, holder,
// detail, deploy_request {number, branch, phase, state, url, operations}, error {code, message, errno, sqlstate, file,
// line, tag, statement, completion_unknown, remedy}. Field list: docs/embedding.md. Passwords never appear (messages
// are redacted where they are made).
MIGRATE_API std::string to_json_line(const LogRecord& record);

}  // namespace migrate
