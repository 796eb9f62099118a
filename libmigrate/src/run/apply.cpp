#include "apply.hpp"

#include <migrate/error.hpp>

#include <fmt/format.h>

namespace migrate::run {
namespace {

using clock = std::chrono::steady_clock;

void emit(const EventCallback& cb, Event e) {
    if (cb) cb(e);
}

// Best effort: the connection may already be gone, and the original error is what matters.
void rollback_quietly(connect::Connection& conn) {
    try {
        conn.execute("rollback");
    } catch (const error&) {
    }
}

[[noreturn]] void rethrow_with_statement(const error& e, const Migration& m, std::size_t index) {
    const Statement& s = m.statements[index];
    error_context ctx = e.context();
    ctx.file = m.file.string();
    ctx.line = s.line;
    ctx.statement = index;
    ctx.statements = m.statements.size();
    ctx.tag = m.tag;
    std::string server = ctx.server_errno
        ? fmt::format(" (errno {}{})", ctx.server_errno, ctx.sqlstate.empty() ? "" : ", sqlstate " + ctx.sqlstate)
        : "";
    std::string after = index == 0
        ? "nothing of this migration ran"
        : fmt::format("{} of it ran before; MySQL commits DDL at once, so {} remain",
                      index == 1 ? "statement 1" : fmt::format("statements 1-{}", index),
                      index == 1 ? "its effects" : "their effects");
    if (ctx.completion_unknown)
        after = "the connection was lost after the statement was sent, so whether it ran is unknown; " + after;
    std::string message =
        fmt::format("{}:{}: statement {} of {} of migration {} failed: {}{}\n"
                    "Earlier migrations are applied and recorded; {}; {} has no tracking row.",
                    ctx.file, s.line, index + 1, m.statements.size(), m.tag, e.what(), server, after, m.tag);
    throw error(e.code(), message, std::move(ctx));
}

}  // namespace

UpReport apply_pending(connect::Connection& conn, const tracking::TrackingTable& table,
                       const tracking::TableShape& shape, Plan plan, const EventCallback& on_event) {
    UpReport report;
    const auto run_start = clock::now();
    auto pending = plan.pending();
    const std::size_t total = pending.size();
    emit(on_event, {.kind = Event::Kind::run_started, .migrations_total = total});

    std::size_t number = 0;
    for (const PlanEntry* entry : pending) {
        const Migration& m = *entry->migration;
        ++number;
        const auto m_start = clock::now();
        Event base{.kind = Event::Kind::migration_started, .migration = &m, .migration_number = number,
                   .migrations_total = total, .statements_total = m.statements.size()};
        emit(on_event, base);

        // One transaction per migration, tracking row included: a migration of pure DML is atomic.
        // DDL commits implicitly in MySQL, so for DDL this only scopes the trailing DML.
        conn.execute("begin");
        for (std::size_t i = 0; i < m.statements.size(); ++i) {
            Event started = base;
            started.kind = Event::Kind::statement_started;
            started.statement_index = i;
            emit(on_event, started);
            const auto s_start = clock::now();
            try {
                conn.execute(m.statements[i].sql);
            } catch (const error& e) {
                if (!e.completion_unknown()) rollback_quietly(conn);
                rethrow_with_statement(e, m, i);
            }
            Event finished = started;
            finished.kind = Event::Kind::statement_finished;
            finished.duration = clock::now() - s_start;
            emit(on_event, finished);
            ++report.statements_run;
        }
        try {
            conn.execute(table.insert_statement(m, shape));
            conn.execute("commit");
        } catch (const error& e) {
            if (!e.completion_unknown()) rollback_quietly(conn);
            error_context ctx = e.context();
            ctx.file = m.file.string();
            ctx.tag = m.tag;
            std::string message = fmt::format("all statements of {} ran, but recording it in {} failed: {}", m.tag,
                                              table.name(), e.what());
            throw error(e.code(), message, std::move(ctx));
        }
        ++report.migrations_applied;
        Event done = base;
        done.kind = Event::Kind::migration_finished;
        done.duration = clock::now() - m_start;
        emit(on_event, done);
    }
    report.duration = clock::now() - run_start;
    report.plan_before = std::move(plan);
    emit(on_event, {.kind = Event::Kind::run_finished, .migrations_total = total, .duration = report.duration});
    return report;
}

}  // namespace migrate::run
