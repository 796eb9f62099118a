// Before a run reads progress or the schema: wait until the work session of a run that stopped is gone.
//
// Why: a client killed with -9 (or whose machine died) does not stop the statement it sent. The server
// finishes it — a CREATE INDEX on a million rows runs on for minutes — and only then notices the client is
// gone (then it rolls back any open transaction). The migration lock, held on the dead run's other
// connection, was released at once. So the next run gets the lock while the old statement still runs;
// without this wait it sees the index absent, sends its own CREATE INDEX, queues behind the first, and fails
// with "Duplicate key name" when the first one completes.
//
// The dead run's work session is the one its progress row names (connection_id), if the server has not
// restarted since that row was written (connection ids start again after a restart). Nothing local is
// needed, so a rerun from another machine waits just the same. The session is:
//   - executing DDL (or COMMIT): waited for; the DDL completes or fails on its own, and the schema is then
//     final for the probe. Killing it would throw away work a rerun must redo;
//   - executing DML, or idle: killed. Its transaction can never commit (the client that would send COMMIT
//     is gone, or lost the lock and stops before its next statement), so waiting only delays the rollback;
//     the statement and its progress mark commit together, so after the rollback the mark says "not done".
// Servers without a processlist (Vitess) skip the wait; the runner's retry recognises a statement that
// fails only because the old copy took effect (apply.cpp).
#pragma once

#include "../connect/connection.hpp"
#include "../tracking/progress_table.hpp"

#include <migrate/target.hpp>

#include <atomic>
#include <chrono>

namespace migrate::run {

// Waits up to `budget`, with previous_run_waiting events naming the session and its statement; throws
// lock_timeout when the statement is still running then (nothing has been changed), interrupted on cancel.
void settle_previous_run(connect::Connection& conn, const tracking::ProgressTable& progress,
                         std::chrono::seconds budget, const EventCallback& on_event, const std::atomic<bool>* cancel);

}  // namespace migrate::run
