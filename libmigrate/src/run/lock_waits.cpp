#include "lock_waits.hpp"

#include "../tracking/tracking_table.hpp"
#include "server_sessions.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace migrate::run {
namespace {

using tracking::sql_string_literal;

constexpr std::uint32_t er_lock_wait_timeout = 1205;
constexpr std::uint32_t er_lock_deadlock = 1213;

std::optional<std::int64_t> number(const connect::Value& v) {
    if (!v) return std::nullopt;
    std::int64_t n = 0;
    auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
    if (ec != std::errc()) return std::nullopt;
    return n;
}

std::string id_list(const std::vector<std::uint64_t>& ids) {
    std::string out;
    for (auto id : ids) out += (out.empty() ? "" : ", ") + std::to_string(id);
    return out.empty() ? "0" : out;
}

std::string schema_of(const TableRef& t) { return t.schema.empty() ? "database()" : sql_string_literal(t.schema); }

// Session ids from a query whose first column is one, without `ignore`; nullopt when the query fails (no
// such table or plugin, no privilege).
std::optional<std::vector<std::uint64_t>> ids_from(connect::Connection& conn, const std::string& sql,
                                                   const std::vector<std::uint64_t>& ignore) {
    try {
        std::vector<std::uint64_t> out;
        for (const auto& row : conn.query(sql)) {
            auto n = number(row[0]);
            if (!n || *n <= 0) continue;
            auto id = static_cast<std::uint64_t>(*n);
            if (std::find(ignore.begin(), ignore.end(), id) == ignore.end() &&
                std::find(out.begin(), out.end(), id) == out.end())
                out.push_back(id);
        }
        return out;
    } catch (const error&) {
        return std::nullopt;
    }
}

// Who they are and what they do: processlist, and innodb_trx for how long their transactions are open.
void describe_sessions(connect::Connection& conn, Blockers& b) {
    if (b.sessions.empty()) return;
    std::vector<std::uint64_t> ids;
    for (const auto& s : b.sessions) ids.push_back(s.id);
    auto find = [&](std::int64_t id) -> BlockingSession* {
        for (auto& s : b.sessions)
            if (static_cast<std::int64_t>(s.id) == id) return &s;
        return nullptr;
    };
    try {
        for (const auto& session : list_sessions(conn))
            if (auto* s = find(static_cast<std::int64_t>(session.id))) {
                s->user = session.user;
                s->host = session.host;
                s->command = session.command;
                s->command_seconds = session.seconds;
                s->statement = statement_headline(session.info);
            }
    } catch (const error&) {}
    try {
        for (const auto& row : conn.query("select trx_mysql_thread_id, timestampdiff(second, trx_started, now()) from "
                                          "information_schema.innodb_trx where trx_mysql_thread_id in (" +
                                          id_list(ids) + ")"))
            if (auto* s = find(number(row[0]).value_or(-1))) s->transaction_seconds = number(row[1]);
    } catch (const error&) {}
}

}  // namespace

bool limit_lock_waits(connect::Connection& conn, const LockWaits& policy) {
    if (policy.per_attempt.count() <= 0) return false;
    try {
        conn.execute(fmt::format("set session lock_wait_timeout = {0}, innodb_lock_wait_timeout = {0}",
                                 policy.per_attempt.count()));
        return true;
    } catch (const error& e) {
        if (e.completion_unknown()) throw;
        return false;
    }
}

bool is_lock_wait_error(const error& e) {
    return !e.completion_unknown() &&
           (e.server_errno() == er_lock_wait_timeout || e.server_errno() == er_lock_deadlock);
}

Backoff::Backoff() : random_(std::random_device{}()) {}

std::chrono::milliseconds Backoff::next() {
    const double base = std::min(8000.0, 500.0 * static_cast<double>(1u << std::min(attempt_, 4u)));
    ++attempt_;
    std::uniform_real_distribution<double> jitter(0.5, 1.5);
    return std::chrono::milliseconds(static_cast<long long>(base * jitter(random_)));
}

Blockers find_blockers(connect::Connection& conn, LockKind kind, const std::optional<TableRef>& table,
                       const std::vector<std::uint64_t>& ignore) {
    Blockers b;
    auto take = [&](BlockerSource source, const std::vector<std::uint64_t>& ids) {
        b.source = source;
        for (auto id : ids) {
            BlockingSession s;
            s.id = id;
            b.sessions.push_back(std::move(s));
        }
    };
    if (kind == LockKind::metadata && table) {
        const std::string schema = schema_of(*table), name = sql_string_literal(table->name);
        // MariaDB with the METADATA_LOCK_INFO plugin: the holders themselves. An empty answer is an answer
        // (the holder just let go), so it stops the search.
        if (auto ids = ids_from(conn,
                                "select thread_id from information_schema.metadata_lock_info where table_schema = " +
                                    schema + " and table_name = " + name,
                                ignore)) {
            take(BlockerSource::metadata_lock_info, *ids);
            describe_sessions(conn, b);
            return b;
        }
        // MySQL 8 (and MariaDB with performance_schema on): granted metadata locks. Empty when the
        // instrument is off, so only a non-empty answer counts.
        auto ids = ids_from(conn,
                            "select t.processlist_id from performance_schema.metadata_locks m join "
                            "performance_schema.threads t on t.thread_id = m.owner_thread_id where m.object_type = "
                            "'TABLE' and m.lock_status = 'GRANTED' and m.object_schema = " +
                                schema + " and m.object_name = " + name,
                            ignore);
        if (ids && !ids->empty()) {
            take(BlockerSource::performance_schema, *ids);
            describe_sessions(conn, b);
            return b;
        }
    }
    // Otherwise the candidates: every other open transaction, oldest first (for row locks, those holding
    // some). innodb_trx needs the PROCESS privilege.
    try {
        std::vector<std::uint64_t> ids;
        for (const auto& row :
             conn.query(std::string("select trx_mysql_thread_id from information_schema.innodb_trx") +
                        (kind == LockKind::rows ? " where trx_rows_locked > 0" : "") + " order by trx_started")) {
            auto n = number(row[0]);
            if (n && *n > 0 && std::find(ignore.begin(), ignore.end(), static_cast<std::uint64_t>(*n)) == ignore.end())
                ids.push_back(static_cast<std::uint64_t>(*n));
        }
        take(BlockerSource::open_transactions, ids);
    } catch (const error& e) {
        if (e.completion_unknown()) throw;
        b.source = BlockerSource::unavailable;
        b.unavailable_reason = e.server_errno() == 1227 || e.server_errno() == 1142
                                   ? "reading other sessions' transactions needs the PROCESS privilege"
                                   : "the server has no information_schema.innodb_trx (" + std::string(e.what()) + ")";
        return b;
    }
    describe_sessions(conn, b);
    return b;
}

std::string describe(const Blockers& b) {
    if (b.source == BlockerSource::unavailable)
        return "the server does not say which sessions hold the lock: " + b.unavailable_reason;
    if (b.sessions.empty())
        return b.source == BlockerSource::open_transactions
                   ? "no other session has an open transaction now (the blocker has just finished, or is a statement "
                     "outside a transaction)"
                   : "no other session holds the table's metadata lock now (the blocker has just let go)";
    std::string out = b.source == BlockerSource::open_transactions
                          ? (b.sessions.size() == 1 ? "the only other open transaction is "
                                                    : "one of these sessions with an open transaction holds the lock "
                                                      "(oldest first): ")
                          : "held by ";
    const std::size_t shown = std::min<std::size_t>(b.sessions.size(), 5);
    for (std::size_t i = 0; i < shown; ++i) {
        const auto& s = b.sessions[i];
        out += i ? "; " : "";
        out += fmt::format("connection {}", s.id);
        if (!s.user.empty()) out += fmt::format(" ({}@{})", s.user, s.host);
        if (s.transaction_seconds) out += fmt::format(", transaction open {} s", *s.transaction_seconds);
        if (s.command == "Sleep")
            out += fmt::format(", idle{}", s.command_seconds ? fmt::format(" {} s", *s.command_seconds) : "");
        else if (!s.statement.empty())
            out += fmt::format(", running{}: {}", s.command_seconds ? fmt::format(" for {} s", *s.command_seconds) : "",
                               s.statement);
    }
    if (b.sessions.size() > shown) out += fmt::format("; and {} more", b.sessions.size() - shown);
    return out;
}

}  // namespace migrate::run
