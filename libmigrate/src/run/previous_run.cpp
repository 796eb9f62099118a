#include "previous_run.hpp"

#include "server_sessions.hpp"
#include "statement_probe.hpp"

#include <migrate/error.hpp>

#include <fmt/format.h>

#include <thread>

namespace migrate::run {
namespace {

using clock = std::chrono::steady_clock;

std::string describe(std::uint64_t id, const ServerSession& s) {
    const std::string seconds = s.seconds ? std::to_string(*s.seconds) : "?";
    std::string what = s.info.empty() ? fmt::format("{} for {} s", s.command, seconds)
                                      : fmt::format("executing for {} s: {}", seconds, statement_headline(s.info));
    return fmt::format("connection {} ({}@{}) of the run that stopped, {}", id, s.user, s.host, what);
}

// The work sessions named by progress rows written since the server last started: a session id from before
// a restart may belong to someone else now.
std::vector<std::uint64_t> previous_sessions(connect::Connection& conn, const tracking::ProgressTable& progress) {
    auto uptime = conn.query("show global status like 'Uptime'");
    if (uptime.empty() || !uptime[0][1]) return {};
    std::vector<std::uint64_t> out;
    // One second of slack the safe way: a row written in the second the server started still counts (waiting
    // for a stranger's session is bounded; not waiting for ours is the bug this prevents).
    for (const auto& row : conn.query(
             fmt::format("select distinct connection_id from `{}` where connection_id is not null and connection_id <> "
                         "connection_id() and updated_at >= now(6) - interval {} second",
                         progress.name(), std::stoll(*uptime[0][1]) + 1)))
        if (row[0]) out.push_back(std::stoull(*row[0]));
    return out;
}

void settle(connect::Connection& conn, std::uint64_t id, std::chrono::seconds budget, const EventCallback& on_event,
            const std::atomic<bool>* cancel) {
    const auto start = clock::now();
    auto next_event = start;
    bool killed = false;
    for (;;) {
        auto s = find_session(conn, id);
        if (!s) return;
        // DML or idle: its transaction cannot commit any more, killing it only brings the rollback forward.
        // DDL and COMMIT are left to finish: killing an ALTER throws away work the rerun would redo.
        const bool idle = s->command == "Sleep";
        if (!killed && (idle || (!s->info.empty() && classify_statement(s->info) == StatementClass::dml))) {
            killed = true;
            try {
                conn.execute(fmt::format("kill {}", id));
            } catch (const error& e) {
                if (e.completion_unknown()) throw;  // no privilege to kill it: wait for it instead
            }
            continue;
        }
        if (cancel && cancel->load())
            throw error(errc::interrupted, "interrupted while waiting for a stopped run's statement to end");
        const auto waited = clock::now() - start;
        if (waited >= budget)
            throw error(errc::lock_timeout,
                        fmt::format("gave up after {} s waiting for the statement a stopped run sent to end: {}. "
                                    "Nothing was changed. Run again once it has ended (the progress recorded so far "
                                    "is kept), or end it with KILL {} (a killed ALTER rolls back; the next run redoes "
                                    "it)",
                                    budget.count(), describe(id, *s), id));
        if (on_event && clock::now() >= next_event) {
            on_event({.kind = Event::Kind::previous_run_waiting,
                      .duration = waited,
                      .detail = describe(id, *s) + "; resuming once it ends",
                      .holder = describe(id, *s)});
            next_event = clock::now() + std::chrono::seconds(5);
        }
        // The server offers no way to wait for another session's end: poll.
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
}

}  // namespace

void settle_previous_run(connect::Connection& conn, const tracking::ProgressTable& progress,
                         std::chrono::seconds budget, const EventCallback& on_event, const std::atomic<bool>* cancel) {
    std::vector<std::uint64_t> ids;
    try {
        if (!progress.exists(conn)) return;
        ids = previous_sessions(conn, progress);
    } catch (const error& e) {
        if (e.completion_unknown()) throw;
        return;  // no processlist or status (Vitess): nothing to wait on; see the header
    }
    for (auto id : ids) {
        try {
            settle(conn, id, budget, on_event, cancel);
        } catch (const error& e) {
            if (e.code() != errc::server_error) throw;  // a processlist we cannot read: as above
        }
    }
}

}  // namespace migrate::run
