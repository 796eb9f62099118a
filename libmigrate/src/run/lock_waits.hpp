// Bounded waits for locks other sessions hold (docs/safety.md, "Lock waits").
//
// Why: a DDL statement first takes its table's metadata lock exclusively. While an application transaction
// that touched the table is open, the ALTER waits — and every later query on that table queues behind the
// waiting ALTER, so one forgotten transaction stalls the whole table for as long as the ALTER waits: a day
// by MariaDB's default lock_wait_timeout, a year by MySQL's. gh-ost, pt-online-schema-change and
// strong_migrations all cap that wait and retry; drizzle's migrator does not. Each attempt here waits at
// most LockWaits::per_attempt (the session's lock_wait_timeout and innodb_lock_wait_timeout), so the
// application is held up at most that long at a time; between attempts it runs freely.
#pragma once

#include "../connect/connection.hpp"
#include "statement_probe.hpp"

#include <migrate/error.hpp>
#include <migrate/target.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace migrate::run {

// Sets the session's lock_wait_timeout (metadata locks) and innodb_lock_wait_timeout (row locks) to one
// attempt's wait. False when the server refuses them (a proxy may): its own timeouts apply then.
bool limit_lock_waits(connect::Connection& conn, const LockWaits& policy);

// The server gave up waiting for a lock, and nothing of the statement took effect: ER_LOCK_WAIT_TIMEOUT
// (1205; InnoDB rolls back the statement, a DDL is aborted whole) and ER_LOCK_DEADLOCK (1213; InnoDB rolled
// back the whole transaction).
bool is_lock_wait_error(const error& e);

// Exponential backoff with jitter between attempts: about 0.5 s, 1 s, 2 s … capped at 8 s, each scaled by
// a random factor in [0.5, 1.5) so that replicas or runs blocked together do not retry in step.
class Backoff {
  public:
    Backoff();
    std::chrono::milliseconds next();

  private:
    std::mt19937 random_;
    unsigned attempt_ = 0;
};

// A session that holds (or probably holds) what the statement waits for.
struct BlockingSession {
    std::uint64_t id = 0;
    std::string user, host;
    std::optional<std::int64_t> transaction_seconds;  // how long its transaction has been open
    std::string command;                              // processlist command: Sleep, Query, …
    std::optional<std::int64_t> command_seconds;      // in that command for
    std::string statement;                            // what it runs now, shortened ("" when idle)
};

// How the sessions were found, most precise first.
enum class BlockerSource {
    metadata_lock_info,  // MariaDB's METADATA_LOCK_INFO plugin: holders of the table's metadata lock
    performance_schema,  // MySQL 8 performance_schema.metadata_locks: granted locks on the table
    open_transactions,   // no lock table to ask (or row locks, whose wait graph is gone once the wait timed
                         // out): the other sessions with an open transaction — candidates, oldest first
    unavailable,         // the server would not say (no PROCESS privilege, no information_schema: Vitess)
};

struct Blockers {
    BlockerSource source = BlockerSource::unavailable;
    std::vector<BlockingSession> sessions;
    std::string unavailable_reason;  // for BlockerSource::unavailable
};

enum class LockKind {
    metadata,  // DDL: the table's metadata lock (held by any open transaction that used the table)
    rows,      // DML: InnoDB row locks (held by transactions that locked rows)
};

// Looks, from `conn` (not waiting itself), for the sessions that block a statement on `table`, leaving out
// `ignore` (our own connections). Never throws for missing tables or privileges: it degrades.
Blockers find_blockers(connect::Connection& conn, LockKind kind, const std::optional<TableRef>& table,
                       const std::vector<std::uint64_t>& ignore);

// For people: "connection 42 (app@10.0.0.5:51234), transaction open 95 s, idle 94 s; …" with how they were
// found.
std::string describe(const Blockers& b);

}  // namespace migrate::run
