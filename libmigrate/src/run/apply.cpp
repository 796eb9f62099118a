#include "apply.hpp"

#include "../connect/transaction.hpp"
#include "failure_advice.hpp"
#include "fault_injection.hpp"
#include "lock_waits.hpp"
#include "probe/ddl_claims.hpp"
#include "safe_migrations.hpp"
#include "statement_probe.hpp"

#include <migrate/baseline.hpp>
#include <migrate/error.hpp>
#include <migrate/source.hpp>

#include <fmt/format.h>

#include <thread>

namespace migrate::run {
namespace {

using clock = std::chrono::steady_clock;
using tracking::statements_prefix_hash;

void emit(const EventCallback& cb, const Event& e) {
    if (cb) cb(e);
}

// Best effort: the connection may already be gone, and the original error is what matters.
void quietly(connect::Connection& conn, const std::string& sql) {
    try {
        conn.execute(sql);
    } catch (const error&) {}
}

// `schema`.`table` as SQL, quoted as the statement probe quotes names.
std::string quoted(const TableRef& t) { return probe::quote(probe::Name{t.schema, t.name}); }

std::string location(const Migration& m, std::size_t index) {
    return fmt::format("{}:{}", m.file.string(), m.statements[index].line);
}

[[noreturn]] void rethrow_with_statement(const error& e, const Migration& m, std::size_t index) {
    const Statement& s = m.statements[index];
    error_context ctx = e.context();
    ctx.fix = failure_remedy(e);
    ctx.file = m.file.string();
    ctx.line = s.line;
    ctx.statement = index;
    ctx.statements = m.statements.size();
    ctx.tag = m.tag;
    std::string server = ctx.server_errno ? fmt::format(" (errno {}{})", ctx.server_errno,
                                                        ctx.sqlstate.empty() ? "" : ", sqlstate " + ctx.sqlstate)
                                          : "";
    std::string before = index == 0   ? "no statement of it has run"
                         : index == 1 ? "statement 1 of it has run (MySQL commits DDL at once, so it stays)"
                                      : fmt::format(
                                            "statements 1-{} of it have run (MySQL commits DDL at once, so "
                                            "they stay)",
                                            index);
    std::string next =
        ctx.completion_unknown
            ? "The connection was lost after the statement was sent, so whether it ran is unknown; the next run checks "
              "the schema before going on."
        : e.code() == errc::safe_migrations ? deploy_request_advice()
        : e.code() == errc::statement_blocked
            ? "The statement took no effect. Run again once the blocking sessions have finished (or end them), or "
              "allow a longer lock-wait budget: it resumes at this statement."
            : failure_advice(e, m, index).value_or("Fix the cause and run again: it resumes at this statement.");
    std::string message = fmt::format(
        "{}: statement {} of {} of migration {} failed: {}{}\nEarlier migrations are applied and recorded; {}; "
        "{} has no tracking row yet. {}",
        location(m, index), index + 1, m.statements.size(), m.tag, e.what(), server, before, m.tag, next);
    throw error(e.code(), message, std::move(ctx));
}

// Recording progress before statement `index` failed: the statement itself was not sent. Named with
// its file and line like a failing statement, so the operator sees where the run stopped.
[[noreturn]] void rethrow_progress_failure(const error& e, const Migration& m, std::size_t index) {
    error_context ctx = e.context();
    ctx.file = m.file.string();
    ctx.line = m.statements[index].line;
    ctx.statement = index;
    ctx.statements = m.statements.size();
    ctx.tag = m.tag;
    std::string message = fmt::format(
        "{}: recording progress before statement {} of {} of migration {} failed: {}\nStatement {} itself was not "
        "sent. "
        "The next run resumes at it: the progress table and the schema tell whether it has to run.",
        location(m, index), index + 1, m.statements.size(), m.tag, e.what(), index + 1);
    throw error(e.code(), message, std::move(ctx));
}

class Runner {
  public:
    Runner(RunContext& ctx, const UpOptions& options) : ctx_(ctx), options_(options) {}

    UpReport run(Plan plan, const Baseline* baseline, std::optional<std::size_t> last) {
        UpReport report;
        const auto run_start = clock::now();
        const auto entries = entries_to_run(plan, options_.allow_out_of_order, last);
        const std::size_t total = entries.size() + (baseline ? 1 : 0);
        std::string what;  // names a baseline load, which is one step covering many migrations
        if (baseline)
            what = fmt::format("the baseline through {} ({} migrations){}", baseline->through, plan.baseline_covers,
                               entries.empty() ? "" : fmt::format(", then {} more", entries.size()));
        emit(ctx_.on_event, {.kind = Event::Kind::run_started, .migrations_total = total, .detail = what});
        if (total > 0) prepare_session();
        std::size_t number = 0;
        if (baseline) {
            // The snapshot runs like a migration (progress per statement, resumable); its "tracking row" is
            // one row per covered migration, with drizzle's values, so drizzle sees them all as applied.
            std::vector<const Migration*> covered;
            for (std::size_t i = 0; i < plan.baseline_covers; ++i)
                if (plan.entries[i].by_baseline) covered.push_back(plan.entries[i].migration);
            if (plan.baseline_progress) ++report.migrations_resumed;
            next_ = entries.empty() || entries.front()->progress ? nullptr : entries.front()->migration;
            apply_one(baseline->snapshot, plan.baseline_progress, covered, ++number, total, report,
                      fmt::format("through {} ({} migrations)", baseline->through, covered.size()));
            report.baseline_covered = covered.size();
        }
        for (std::size_t k = 0; k < entries.size(); ++k) {
            const PlanEntry* entry = entries[k];
            next_ = k + 1 == entries.size() || entries[k + 1]->progress ? nullptr : entries[k + 1]->migration;
            if (entry->progress) ++report.migrations_resumed;
            apply_one(*entry->migration, entry->progress, {entry->migration}, ++number, total, report);
            ++report.migrations_applied;
        }
        report.duration = clock::now() - run_start;
        report.plan_before = std::move(plan);
        emit(ctx_.on_event,
             {.kind = Event::Kind::run_finished, .migrations_total = total, .duration = report.duration});
        return report;
    }

  private:
    // The work session, before its first statement: our side table as this version needs it, bounded lock
    // waits, and a live view of AUTO_INCREMENT counters.
    void prepare_session() {
        auto& conn = ctx_.conn;
        if (!ctx_.progress.exists(conn)) {
            conn.execute(ctx_.progress.create_statement());
        } else if (!ctx_.progress.has_counter_column(conn)) {
            try {
                conn.execute(ctx_.progress.add_counter_column_statement());
            } catch (const error& e) {
                // e.g. a safe-migrations branch refuses the ALTER: ids are then not given back after a crash.
                if (e.completion_unknown()) throw;
                counter_column_ = false;
            }
        }
        connection_id_ = std::stoull(conn.query("select connection_id()")[0][0].value_or("0"));
        lock_waits_limited_ = limit_lock_waits(conn, ctx_.lock_waits);
        // MySQL 8 answers information_schema.tables.auto_increment from a cache (a day old by default); the
        // counter recorded before an INSERT must be the live one. MariaDB has no cache and no such variable.
        if (!connect::is_mariadb(conn.server_version()))
            quietly(conn, "set session information_schema_stats_expiry = 0");
    }

    // Sleeps `pause` in slices, stopping early for a cancel.
    void pause_for(std::chrono::milliseconds pause) {
        const auto until = clock::now() + pause;
        while (clock::now() < until) {
            if (options_.cancel && options_.cancel->load()) return;
            std::this_thread::sleep_for(
                std::min<clock::duration>(until - clock::now(), std::chrono::milliseconds(100)));
        }
    }

    void between_statements() {
        if (options_.cancel && options_.cancel->load())
            throw error(errc::interrupted,
                        "interrupted: stopped between statements with progress recorded; run again to resume");
        ctx_.lock.check();
    }

    // Runs m's statements (from where `progress` says an earlier run stopped), then records `records`.
    void apply_one(const Migration& m, const std::optional<PartialRun>& progress,
                   const std::vector<const Migration*>& records, std::size_t number, std::size_t total,
                   UpReport& report, std::string detail = {}) {
        const auto start_time = clock::now();
        Event base{.kind = Event::Kind::migration_started,
                   .migration = &m,
                   .migration_number = number,
                   .migrations_total = total,
                   .statements_total = m.statements.size(),
                   .detail = std::move(detail)};
        emit(ctx_.on_event, base);
        base_ = &base;

        std::size_t first = 0;
        if (progress)
            first = resume_point(m, *progress, base);
        else if (started_ != &m) {
            try {
                ctx_.conn.execute(ctx_.progress.start(m, connection_id_, statements_prefix_hash(m, 0)));
            } catch (const error& e) {
                if (m.statements.empty()) throw;
                rethrow_progress_failure(e, m, 0);
            }
        }

        std::string prefix = statements_prefix_hash(m, first);
        for (std::size_t i = first; i < m.statements.size(); ++i) {
            between_statements();
            Event started = base;
            started.kind = Event::Kind::statement_started;
            started.statement_index = i;
            emit(ctx_.on_event, started);
            const auto s_start = clock::now();
            prefix = run_statement(m, i, prefix);
            Event finished = started;
            finished.kind = Event::Kind::statement_finished;
            finished.duration = clock::now() - s_start;
            emit(ctx_.on_event, finished);
            ++report.statements_run;
        }
        between_statements();
        record(m, records);
        Event done = base;
        done.kind = Event::Kind::migration_finished;
        done.duration = clock::now() - start_time;
        emit(ctx_.on_event, done);
    }

    // Marks statement i in flight, runs it, marks it done. For DML the statement and its "done" mark commit
    // together, so a crash leaves either both or neither; DDL commits on its own, so a crash between it and
    // the mark leaves it "in flight" and the next run looks at the schema. A statement that timed out
    // waiting for another session's lock took no effect and is retried within the lock-wait budget.
    std::string run_statement(const Migration& m, std::size_t i, const std::string& prefix) {
        const std::string_view sql = m.statements[i].sql;
        std::string next_prefix = tracking::next_prefix_hash(prefix, sql);
        if (carried(m, i)) return carry_statement(m, i, prefix, next_prefix);
        const bool marked = !unmarked(m, i);
        const bool dml = classify_statement(sql) == StatementClass::dml;
        if (marked) {
            // An INSERT's mark also records its table's AUTO_INCREMENT, to give back what a rolled-back copy took.
            std::optional<tracking::CounterOf> counter;
            if (dml && counter_column_ && inserts_rows(sql))
                if (auto t = written_table(sql)) counter = tracking::CounterOf{t->schema, t->name};
            try {
                ctx_.conn.execute(ctx_.progress.mark(m, i, i, prefix, counter));
            } catch (const error& e) {
                rethrow_progress_failure(e, m, i);
            }
        }
        kill_point("before-statement");
        Backoff backoff;
        const auto first_attempt = clock::now();
        for (std::size_t attempt = 1;; ++attempt) {
            try {
                // Ids a rolled-back copy of this INSERT took (a stopped run's, or an earlier attempt's) go back
                // first; the statement's own first mark recorded the counter.
                if (dml && (attempt > 1 || (resend_.first == &m && resend_.second == i))) give_back_ids(m, i);
                // DML and its mark commit together; a failure rolls both back (the guard, before the catch).
                std::optional<connect::Transaction> tx;
                if (dml) tx.emplace(ctx_.conn);
                ctx_.conn.execute(sql);
                kill_point("after-statement");
                if (dml) {
                    ctx_.conn.execute(ctx_.progress.mark(m, i + 1, std::nullopt, next_prefix));
                    tx->commit();
                }
                return next_prefix;
            } catch (const error& e) {
                if (e.completion_unknown()) rethrow_with_statement(e, m, i);
                if (lock_waits_limited_ && is_lock_wait_error(e)) {
                    auto blockers = find_blockers(ctx_.conn, dml ? LockKind::rows : LockKind::metadata,
                                                  written_table(sql), {connection_id_});
                    const auto waited = clock::now() - first_attempt;
                    const auto pause = backoff.next();
                    // Another attempt only if it can end within the budget: the budget bounds the whole wait.
                    if (waited + pause + ctx_.lock_waits.per_attempt <= ctx_.lock_waits.total) {
                        Event blocked = *base_;
                        blocked.kind = Event::Kind::statement_lock_waiting;
                        blocked.statement_index = i;
                        blocked.duration = waited;
                        blocked.holder = describe(blockers);
                        blocked.detail = fmt::format("{}; attempt {} gave up after {} s, retrying in {:.1f} s",
                                                     describe(blockers), attempt, ctx_.lock_waits.per_attempt.count(),
                                                     std::chrono::duration<double>(pause).count());
                        emit(ctx_.on_event, blocked);
                        pause_for(pause);
                        between_statements();
                        continue;
                    }
                    fail_statement(m, i, marked, prefix, blocked_error(e, blockers, attempt, waited));
                }
                if (took_effect_in_stopped_run(m, i, e)) return next_prefix;
                fail_statement(m, i, marked, prefix, e);
            }
        }
    }

    bool carried(const Migration& m, std::size_t i) const { return ctx_.carrier && ctx_.carrier->carries(m, i); }

    // A statement a deploy request carries: in flight while the carrier works (a rerun asks the carrier
    // again, which finds the deploy request by its branch's name), done once it is on the database.
    std::string carry_statement(const Migration& m, std::size_t i, const std::string& prefix,
                                const std::string& next_prefix) {
        try {
            ctx_.conn.execute(ctx_.progress.mark(m, i, i, prefix));
        } catch (const error& e) {
            rethrow_progress_failure(e, m, i);
        }
        try {
            ctx_.carrier->carry(m, i);  // its own events say how (deploy_request)
        } catch (const error& e) {
            if (e.code() == errc::platform_api || e.code() == errc::deploy_request_failed ||
                e.code() == errc::deploy_request_waiting || e.code() == errc::interrupted)
                throw;  // they name the deploy request; the statement stays in flight for the next run
            rethrow_with_statement(e, m, i);
        }
        between_statements();
        ctx_.conn.execute(ctx_.progress.mark(m, i + 1, std::nullopt, next_prefix));
        return next_prefix;
    }

    // Records that statement i was rejected (and, for an unmarked one, that those before it are done), then
    // throws with file, line and statement.
    [[noreturn]] void fail_statement(const Migration& m, std::size_t i, bool marked, const std::string& prefix,
                                     const error& e) {
        // No mark says yet that the statements before this unmarked one are done: say it with the failure.
        if (!marked) quietly(ctx_.conn, ctx_.progress.mark(m, i, std::nullopt, prefix));
        quietly(ctx_.conn, ctx_.progress.failed(m, i, e));
        rethrow_with_statement(e, m, i);
    }

    error blocked_error(const error& last, const Blockers& blockers, std::size_t attempts,
                        std::chrono::steady_clock::duration waited) const {
        error_context c = last.context();
        return error(
            errc::statement_blocked,
            fmt::format("other sessions held the locks it needs through {} attempt{} over {:.0f} s (each "
                        "waited {} s; the lock-wait budget is {} s): {}",
                        attempts, attempts == 1 ? "" : "s", std::chrono::duration<double>(waited).count(),
                        ctx_.lock_waits.per_attempt.count(), ctx_.lock_waits.total.count(), describe(blockers)),
            std::move(c));
    }

    // The server rejected statement i of the migration being resumed, which the stopped run may have sent
    // itself (resume_window_). When the schema now shows the statement's effect, the stopped run's copy took
    // effect (it was still executing, unseen — no processlist on Vitess — when this one was sent): record it
    // as done rather than as a failure every later run would repeat.
    bool took_effect_in_stopped_run(const Migration& m, std::size_t i, const error& e) {
        if (resumed_ != &m || i < resume_window_.first || i >= resume_window_.second) return false;
        if (classify_statement(m.statements[i].sql) != StatementClass::ddl) return false;  // DML: its mark decides
        const auto probe = probe_statement(ctx_.conn, m.statements[i].sql);
        if (probe.effect != Effect::applied) return false;
        ctx_.conn.execute(ctx_.progress.mark(m, i + 1, std::nullopt, statements_prefix_hash(m, i + 1)));
        Event skipped = *base_;
        skipped.kind = Event::Kind::statement_skipped;
        skipped.statement_index = i;
        skipped.detail = fmt::format(
            "the server refused it ({}), and the schema shows why: the stopped run's copy of "
            "it took effect meanwhile ({})",
            e.what(), probe.reason);
        emit(ctx_.on_event, skipped);
        return true;
    }

    // An INSERT the stopped run had in flight (rolled back) or that failed consumed AUTO_INCREMENT values that
    // InnoDB does not give back; before running it again, set the counter back to what the INSERT's first mark
    // recorded, so the rows get the ids a clean run gives them. The server never sets it below max(id) + 1,
    // so rows others inserted meanwhile are safe. Returns what was done, for people. A lock-wait timeout is
    // thrown (the stopped run's INSERT may still hold the table: the caller retries); any other refusal (a
    // safe-migrations branch refuses the ALTER) ends the attempts to give ids back.
    std::string give_back_ids(const Migration& m, std::size_t i) {
        const std::string_view sql = m.statements[i].sql;
        if (!ids_may_be_given_back_ || !inserts_rows(sql)) return "";
        const auto table = written_table(sql);
        const auto before = ctx_.progress.counter_before(ctx_.conn, m);
        if (!table || !before) return "";
        auto now = ctx_.conn.query(fmt::format(
            "select auto_increment from information_schema.tables where table_schema = {} and table_name = {}",
            table->schema.empty() ? "database()" : tracking::sql_string_literal(table->schema),
            tracking::sql_string_literal(table->name)));
        if (now.empty() || !now[0][0] || std::stoull(*now[0][0]) <= *before) return "";
        try {
            ctx_.conn.execute(fmt::format("alter table {} auto_increment = {}", quoted(*table), *before));
            return fmt::format(
                "; AUTO_INCREMENT of {} set back from {} to {}, giving back the ids the rolled-back "
                "insert had taken",
                quoted(*table), *now[0][0], *before);
        } catch (const error& e) {
            if (e.completion_unknown() || is_lock_wait_error(e)) throw;
            ids_may_be_given_back_ = false;
            return fmt::format(
                "; the ids the rolled-back insert took are not given back ({}): new rows of {} are "
                "numbered from {}",
                e.what(), quoted(*table), *now[0][0]);
        }
    }

    // give_back_ids when resuming: a table still locked is tried again before each attempt of the statement.
    std::string give_back_ids_on_resume(const Migration& m, std::size_t i) {
        resend_ = {&m, i};
        try {
            return give_back_ids(m, i);
        } catch (const error& e) {
            if (!is_lock_wait_error(e)) throw;
            return "; giving back the AUTO_INCREMENT values the rolled-back insert took waits until the table's lock "
                   "is free (the stopped run's statement still holds it, most likely)";
        }
    }

    // The tracking rows and the end of progress commit together — and with them the start of the next
    // migration's progress (next_), which saves a commit (an InnoDB log flush) per migration. A crash right
    // after leaves the next migration started with nothing done: the next run resumes it at its statement 1.
    void record(const Migration& m, const std::vector<const Migration*>& records) {
        kill_point("before-record");
        try {
            connect::Transaction tx(ctx_.conn);
            // Through deploy requests, PlanetScale's "copy migration data" may have brought rows of a branch
            // where the migrations were applied: only missing rows are added.
            if (ctx_.carrier)
                for (const Migration* r : records)
                    ctx_.conn.execute(ctx_.table.insert_missing_statement(*r, ctx_.shape));
            else if (!records.empty())
                ctx_.conn.execute(ctx_.table.insert_statement(records, ctx_.shape));
            ctx_.conn.execute(ctx_.progress.remove(m));
            if (next_)
                ctx_.conn.execute(ctx_.progress.start(*next_, connection_id_, statements_prefix_hash(*next_, 0)));
            tx.commit();
            started_ = next_;
        } catch (const error& e) {
            error_context c = e.context();
            c.file = m.file.string();
            c.tag = m.tag;
            std::string message = fmt::format(
                "all statements of {} ran, but recording it in {} failed: {}; the next "
                "run records it without running anything again",
                m.tag, ctx_.table.name(), e.what());
            throw error(e.code(), message, std::move(c));
        }
    }

    // A statement that only adds names (only_adds: CREATE TABLE, CREATE INDEX, ALTER TABLE … ADD …) needs
    // no in-flight mark: such statements never undo one another and a name they add was absent before, so
    // after a crash the schema says which of a run of them took effect, and a resumed run looks
    // (resume_point). Each mark is a commit, i.e. an InnoDB log flush; most of what drizzle-kit writes only
    // adds, so this removes most of them.
    // Except right after a marked DDL that may remove or change names (DROP INDEX uq; ADD UNIQUE uq …, as
    // drizzle-kit writes to change a key): an unmarked ADD after it would make that statement's probe read
    // the ADD's name as "the DROP did not happen" and run both again. Marking the ADD records the DROP as
    // done first. DML commits with its own done mark and harmless statements change no names.
    bool unmarked(const Migration& m, std::size_t i) const {
        if (carried(m, i) || !only_adds(m.statements[i].sql)) return false;
        if (i == 0) return true;
        const auto& previous = m.statements[i - 1].sql;
        const auto cls = classify_statement(previous);
        return cls == StatementClass::dml || cls == StatementClass::harmless || only_adds(previous);
    }

    // Where to continue a migration an earlier run left behind, deciding its in-flight statement.
    std::size_t resume_point(const Migration& m, const PartialRun& p, const Event& base) {
        std::size_t first = marked_resume_point(m, p, base);
        // A run that stopped on a statement the server rejected marked everything before it, and sent nothing
        // after it; the rejected statement's names may exist for another reason (that is often why it failed).
        if (p.failed_statement) return first;
        // Unmarked statements after the last mark: those the schema shows in effect ran.
        while (first < m.statements.size() && unmarked(m, first)) {
            auto probe = probe_statement(ctx_.conn, m.statements[first].sql);
            if (probe.effect != Effect::applied) break;
            ctx_.conn.execute(ctx_.progress.mark(m, first + 1, std::nullopt, statements_prefix_hash(m, first + 1)));
            Event e = base;
            e.kind = Event::Kind::statement_skipped;
            e.statement_index = first;
            e.detail = "the schema shows it took effect: " + probe.reason;
            emit(ctx_.on_event, e);
            ++first;
        }
        return first;
    }

    std::size_t marked_resume_point(const Migration& m, const PartialRun& p, const Event& base) {
        const std::size_t n = m.statements.size();
        if (p.statements_done > n || p.done_statements_edited)
            throw error(errc::partial_edited,
                        fmt::format("{} is half-applied: an earlier run executed its first {} statement(s), and the "
                                    "file has been edited within them since. Restore those statements as they were "
                                    "(only the statements from {} on may change), then run again",
                                    m.file.string(), p.statements_done, p.statements_done + 1),
                        {.file = m.file.string(), .tag = m.tag});
        ctx_.conn.execute(ctx_.progress.resume(m, connection_id_));
        // Target::up has waited for the stopped run's session (previous_run.hpp). It may have sent the statement
        // at the last mark and the unmarked ones after it, up to the next marked one (whose mark would show).
        if (!p.failed_statement) {
            std::size_t end = p.statements_done + 1;
            while (end < n && unmarked(m, end)) ++end;
            resumed_ = &m;
            resume_window_ = {p.statements_done, std::min(end, n)};
        }

        std::size_t first = p.statements_done;
        std::string why;
        auto skip = [&](std::size_t i, std::string how) {
            ctx_.conn.execute(ctx_.progress.mark(m, i + 1, std::nullopt, statements_prefix_hash(m, i + 1)));
            Event e = base;
            e.kind = Event::Kind::statement_skipped;
            e.statement_index = i;
            e.detail = std::move(how);
            emit(ctx_.on_event, e);
            return i + 1;
        };
        if (p.in_flight && *p.in_flight < n) {
            const std::size_t i = *p.in_flight;
            const std::string_view sql = m.statements[i].sql;
            if (carried(m, i)) {
                why = fmt::format("statement {} is carried by a deploy request: following it", i + 1);
            } else if (p.resolution == Resolution::applied) {
                first = skip(i, "the operator resolved it as applied");
                why = fmt::format("statement {} was in flight; the operator resolved it as applied", i + 1);
            } else if (p.resolution == Resolution::retry) {
                why = fmt::format("statement {} was in flight; the operator resolved it as retry", i + 1);
            } else {
                auto cls = classify_statement(sql);
                if (cls == StatementClass::dml) {
                    why = fmt::format(
                        "statement {} (DML) was in flight; it commits together with its progress mark, "
                        "which is absent, so it did not take effect: retrying it{}",
                        i + 1, give_back_ids_on_resume(m, i));
                } else {
                    // The schema first: a copying MODIFY that completed need not copy the table again. Where it
                    // cannot tell, a statement that is harmless to repeat is repeated.
                    auto probe = cls == StatementClass::ddl ? probe_statement(ctx_.conn, sql)
                                                            : ProbeResult{Effect::undecidable, "not a DDL form"};
                    if (probe.effect == Effect::applied) {
                        first = skip(i, "the schema shows it took effect: " + probe.reason);
                        why = fmt::format("statement {} was in flight and had taken effect ({})", i + 1, probe.reason);
                    } else if (probe.effect == Effect::not_applied) {
                        why = fmt::format("statement {} was in flight and had not taken effect ({}): retrying it",
                                          i + 1, probe.reason);
                    } else if (safe_to_retry(sql)) {
                        why = fmt::format("statement {} was in flight; running it again is harmless", i + 1);
                    } else {
                        throw error(
                            errc::needs_resolve,
                            fmt::format("{}: statement {} of migration {} was being executed when an earlier run "
                                        "stopped, and whether it took effect cannot be decided from the schema ({}). "
                                        "Check the database, then record what you found: that it took effect (it "
                                        "is skipped) or that it did not (it runs again)",
                                        location(m, i), i + 1, m.tag, probe.reason),
                            {.file = m.file.string(),
                             .line = m.statements[i].line,
                             .statement = i,
                             .statements = n,
                             .tag = m.tag,
                             .fix = remedy::decide_in_flight});
                    }
                }
            }
        } else if (p.failed_statement && *p.failed_statement < n) {
            const std::size_t i = *p.failed_statement;
            if (p.resolution == Resolution::applied) {
                first = skip(i, "the operator resolved it as applied");
                why = fmt::format("statement {} had failed; the operator resolved it as applied", i + 1);
            } else {
                why = fmt::format("statement {} had failed (errno {}): retrying it{}", i + 1, p.error_errno,
                                  classify_statement(m.statements[i].sql) == StatementClass::dml
                                      ? give_back_ids_on_resume(m, i)
                                      : "");
            }
        } else {
            why = fmt::format("{} of {} statements were done", p.statements_done, n);
        }
        Event e = base;
        e.kind = Event::Kind::migration_resumed;
        e.statement_index = first;
        e.detail = why;
        emit(ctx_.on_event, e);
        return first;
    }

    RunContext& ctx_;
    const UpOptions& options_;
    std::uint64_t connection_id_ = 0;
    const Migration* next_ = nullptr;     // the migration after the one running, unless it has progress already
    const Migration* started_ = nullptr;  // its progress row was inserted with the last tracking rows
    const Event* base_ = nullptr;         // the running migration's migration_started event, for the others
    bool counter_column_ = true;          // the progress table can record AUTO_INCREMENT counters
    bool ids_may_be_given_back_ = true;   // false once the server refused to set a counter back
    std::pair<const Migration*, std::size_t> resend_{nullptr, 0};  // a DML statement an earlier run sent
    bool lock_waits_limited_ = false;     // the session's lock waits are bounded: retry on their timeout
    const Migration* resumed_ = nullptr;  // the half-applied migration this run continues, and the statements
    std::pair<std::size_t, std::size_t> resume_window_{0, 0};  // of it the stopped run may have sent
};

}  // namespace

std::vector<const PlanEntry*> entries_to_run(const Plan& plan, bool allow_out_of_order,
                                             std::optional<std::size_t> last) {
    std::vector<const PlanEntry*> out;
    for (const PlanEntry* e : plan.to_apply(allow_out_of_order))
        if (!last || e->migration->position <= *last) out.push_back(e);
    return out;
}

std::vector<plan::StatementRef> statements_to_send(const Plan& plan, const Baseline* baseline,
                                                   const std::vector<const PlanEntry*>& entries) {
    std::vector<plan::StatementRef> out;
    auto add = [&](const Migration& m, std::size_t from) {
        for (std::size_t i = from; i < m.statements.size(); ++i) out.push_back({&m, i});
    };
    if (baseline) add(baseline->snapshot, plan.baseline_progress ? plan.baseline_progress->statements_done : 0);
    for (const PlanEntry* e : entries) add(*e->migration, e->progress ? e->progress->statements_done : 0);
    return out;
}

UpReport apply_plan(RunContext& ctx, Plan plan, const UpOptions& options, const Baseline* baseline,
                    std::optional<std::size_t> last) {
    return Runner(ctx, options).run(std::move(plan), baseline, last);
}

}  // namespace migrate::run
