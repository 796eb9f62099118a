#include "progress_table.hpp"

#include <migrate/baseline.hpp>
#include <migrate/error.hpp>
#include <migrate/source.hpp>

#include <fmt/format.h>

#include <charconv>

namespace migrate::tracking {
namespace {

std::optional<std::size_t> to_index(const connect::Value& v) {
    if (!v) return std::nullopt;
    std::size_t n = 0;
    std::from_chars(v->data(), v->data() + v->size(), n);
    return n;
}

}  // namespace

std::string next_prefix_hash(const std::string& prefix, std::string_view sql) {
    return drizzle_hash(prefix + "\n" + drizzle_hash(sql));
}

std::string statements_prefix_hash(const Migration& m, std::size_t count) {
    std::string h = drizzle_hash("");
    for (std::size_t i = 0; i < count && i < m.statements.size(); ++i) h = next_prefix_hash(h, m.statements[i].sql);
    return h;
}

std::map<std::int64_t, PartialRun> partial_runs(const std::map<std::int64_t, ProgressRow>& rows, const Source& source,
                                                const Baseline* baseline) {
    if (rows.empty()) return {};  // the common start: nothing half-applied, no index of the folder needed
    std::map<std::int64_t, const Migration*> by_when;
    for (const auto& m : source.migrations) by_when.emplace(m.when, &m);
    if (baseline) by_when[baseline->snapshot.when] = &baseline->snapshot;
    std::map<std::int64_t, PartialRun> out;
    for (const auto& [when, row] : rows) {
        PartialRun run = row.run;
        if (auto m = by_when.find(when); m != by_when.end())
            run.done_statements_edited =
                run.statements_done > m->second->statements.size() ||
                statements_prefix_hash(*m->second, run.statements_done) != row.done_prefix_hash;
        out.emplace(when, std::move(run));
    }
    return out;
}

ProgressTable::ProgressTable(const TrackingTable& tracking)
    : name_(tracking.side_table("progress")), quoted_("`" + name_ + "`") {}

std::string ProgressTable::create_statement() const {
    return "create table if not exists " + quoted_ +
           " (\n"
           "  `created_at` bigint not null primary key comment 'journal when of the migration',\n"
           "  `hash` char(64) not null,\n"
           "  `tag` varchar(255) not null,\n"
           "  `statements_total` int not null,\n"
           "  `statements_done` int not null default 0,\n"
           "  `done_prefix_hash` char(64) not null comment 'sha256 chain over the text of the done statements',\n"
           "  `in_flight` int null comment 'sent, not confirmed',\n"
           "  `failed_statement` int null,\n"
           "  `error_errno` int null,\n"
           "  `error_sqlstate` varchar(5) null,\n"
           "  `error_message` text null,\n"
           "  `decision` varchar(16) null comment 'migrate resolve: applied | retry',\n"
           "  `connection_id` bigint unsigned null,\n"
           "  `auto_increment_before` bigint unsigned null comment 'INSERT in flight or failed: its table''s counter "
           "before',\n"
           "  `started_at` timestamp(6) not null default current_timestamp(6),\n"
           "  `updated_at` timestamp(6) not null default current_timestamp(6)\n"
           ") comment 'libmigrate: migrations started and not finished; drizzle does not read this'";
}

bool ProgressTable::exists(connect::Connection& conn) const {
    return !conn.query("select 1 from information_schema.tables where table_schema = database() and table_name = " +
                       sql_string_literal(name_))
                .empty();
}

bool ProgressTable::has_counter_column(connect::Connection& conn) const {
    return !conn.query("select 1 from information_schema.columns where table_schema = database() and table_name = " +
                       sql_string_literal(name_) + " and column_name = 'auto_increment_before'")
                .empty();
}

std::string ProgressTable::add_counter_column_statement() const {
    return "alter table " + quoted_ +
           " add column `auto_increment_before` bigint unsigned null comment 'INSERT in flight or failed: its "
           "table''s counter before'";
}

std::optional<std::uint64_t> ProgressTable::counter_before(connect::Connection& conn, const Migration& m) const {
    try {
        auto rows =
            conn.query(fmt::format("select auto_increment_before from {} where created_at = {}", quoted_, m.when));
        if (rows.empty()) return std::nullopt;
        auto n = to_index(rows[0][0]);
        return n ? std::optional<std::uint64_t>(*n) : std::nullopt;
    } catch (const error&) {
        return std::nullopt;  // a progress table from before the column, that could not be upgraded
    }
}

std::map<std::int64_t, ProgressRow> ProgressTable::read(connect::Connection& conn) const {
    std::map<std::int64_t, ProgressRow> out;
    if (!exists(conn)) return out;
    auto rows = conn.query(
        "select created_at, hash, statements_total, statements_done, in_flight, failed_statement, "
        "error_errno, error_sqlstate, error_message, decision, connection_id, updated_at, done_prefix_hash from " +
        quoted_);
    for (auto& r : rows) {
        ProgressRow p;
        std::int64_t when = std::stoll(r[0].value_or("0"));
        p.hash = r[1].value_or("");
        p.run.statements_total = to_index(r[2]).value_or(0);
        p.run.statements_done = to_index(r[3]).value_or(0);
        p.run.in_flight = to_index(r[4]);
        p.run.failed_statement = to_index(r[5]);
        p.run.error_errno = static_cast<std::uint32_t>(to_index(r[6]).value_or(0));
        p.run.error_sqlstate = r[7].value_or("");
        p.run.error_message = r[8].value_or("");
        const auto decision = r[9].value_or("");
        p.run.resolution = decision == "applied" ? Resolution::applied
                           : decision == "retry" ? Resolution::retry
                                                 : Resolution::none;
        if (auto id = to_index(r[10])) p.connection_id = *id;
        p.run.updated_at = r[11].value_or("");
        p.done_prefix_hash = r[12].value_or("");
        out.emplace(when, std::move(p));
    }
    return out;
}

std::string ProgressTable::start(const Migration& m, std::uint64_t connection_id,
                                 const std::string& prefix_hash) const {
    return fmt::format(
        "replace into {} (created_at, hash, tag, statements_total, statements_done, done_prefix_hash, "
        "connection_id) values ({}, {}, {}, {}, 0, {}, {})",
        quoted_, m.when, sql_string_literal(m.hash), sql_string_literal(m.tag), m.statements.size(),
        sql_string_literal(prefix_hash), connection_id);
}

std::string ProgressTable::resume(const Migration& m, std::uint64_t connection_id) const {
    return fmt::format(
        "update {} set hash = {}, tag = {}, statements_total = {}, connection_id = {}, "
        "updated_at = current_timestamp(6) where created_at = {}",
        quoted_, sql_string_literal(m.hash), sql_string_literal(m.tag), m.statements.size(), connection_id, m.when);
}

std::string ProgressTable::mark(const Migration& m, std::size_t done, std::optional<std::size_t> in_flight,
                                const std::string& prefix_hash, const std::optional<CounterOf>& counter) const {
    // Read in the same statement: no extra round trip, and the value is the one just before the INSERT. When
    // this INSERT was sent before (in flight when a run stopped, or failed), the value recorded then is the one
    // before it and stays. First in the SET list, so it sees the row as it was (assignments run left to right).
    std::string counter_sql;
    if (counter)
        counter_sql = fmt::format(
            "auto_increment_before = if(statements_done = {0} and (in_flight = {0} or failed_statement = {0}) and "
            "auto_increment_before is not null, auto_increment_before, (select auto_increment from "
            "information_schema.tables where table_schema = {1} and table_name = {2})), ",
            done, counter->schema.empty() ? "database()" : sql_string_literal(counter->schema),
            sql_string_literal(counter->table));
    return fmt::format(
        "update {} set {}statements_done = {}, done_prefix_hash = {}, in_flight = {}, "
        "failed_statement = null, error_errno = null, error_sqlstate = null, error_message = null, "
        "decision = null, updated_at = current_timestamp(6) where created_at = {}",
        quoted_, counter_sql, done, sql_string_literal(prefix_hash),
        in_flight ? std::to_string(*in_flight) : std::string("null"), m.when);
}

std::string ProgressTable::failed(const Migration& m, std::size_t index, const error& e) const {
    std::string message = e.what();
    if (message.size() > 4000) message.resize(4000);
    return fmt::format(
        "update {} set in_flight = null, failed_statement = {}, error_errno = {}, error_sqlstate = {}, "
        "error_message = {}, updated_at = current_timestamp(6) where created_at = {}",
        quoted_, index, e.server_errno(), sql_string_literal(e.sqlstate()), sql_string_literal(message), m.when);
}

std::string ProgressTable::decide(std::int64_t when, Resolution resolution) const {
    // Stored as the words drizzle-free tools and earlier releases read: 'applied', 'retry', or NULL.
    return fmt::format("update {} set decision = {}, updated_at = current_timestamp(6) where created_at = {}", quoted_,
                       resolution == Resolution::none ? std::string("null") : sql_string_literal(to_string(resolution)),
                       when);
}

std::string ProgressTable::remove(const Migration& m) const {
    return fmt::format("delete from {} where created_at = {}", quoted_, m.when);
}

}  // namespace migrate::tracking
