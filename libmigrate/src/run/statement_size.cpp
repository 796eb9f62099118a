#include "statement_size.hpp"

#include "apply.hpp"

#include <migrate/error.hpp>

#include <fmt/format.h>

#include <charconv>

namespace migrate::run {

std::optional<std::uint64_t> session_max_allowed_packet(connect::Connection& conn) {
    try {
        const auto rows = conn.query("select @@session.max_allowed_packet");
        if (rows.empty() || rows[0].empty() || !rows[0][0]) return std::nullopt;
        const std::string& text = *rows[0][0];
        std::uint64_t value = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (ec != std::errc() || end != text.data() + text.size() || value == 0) return std::nullopt;
        return value;
    } catch (const error& e) {
        // A proxy that does not expose the variable (the statement then meets the real limit, if any);
        // a lost connection is not that, and is the run's problem to report.
        if (e.code() != errc::server_error) throw;
        return std::nullopt;
    }
}

namespace {

void check_statement(std::uint64_t max_packet, const Migration& m, std::size_t i) {
    const Statement& s = m.statements[i];
    const std::uint64_t largest = largest_statement(max_packet);
    if (s.sql.size() <= largest) return;
    throw error(
        errc::statement_too_large,
        fmt::format("{}:{}: statement {} of {} of migration {} is {} bytes, and the server accepts at most "
                    "{} bytes per statement (max_allowed_packet = {}): the server would drop the "
                    "connection part-way through it. Nothing was run. Raise max_allowed_packet on the "
                    "server to at least {} (SET GLOBAL max_allowed_packet = {}, or in its configuration; "
                    "new connections pick it up), or split the statement into smaller ones (e.g. fewer "
                    "rows per INSERT, each chunk ending in --> statement-breakpoint)",
                    m.file.string(), s.line, i + 1, m.statements.size(), m.tag, s.sql.size(), largest, max_packet,
                    s.sql.size() + 2, s.sql.size() + 2),
        {.file = m.file.string(), .line = s.line, .statement = i, .statements = m.statements.size(), .tag = m.tag});
}

}  // namespace

void check_statement_sizes(std::uint64_t max_packet, const Plan& plan, const Baseline* baseline,
                           const std::vector<const PlanEntry*>& entries) {
    for (const auto& ref : statements_to_send(plan, baseline, entries))
        check_statement(max_packet, *ref.migration, ref.index);
}

void check_statement_sizes(connect::Connection& conn, const Plan& plan, const Baseline* baseline,
                           const std::vector<const PlanEntry*>& entries) {
    // Most runs hold only small statements: ask the server only when one could be too large for any
    // setting (MySQL's and MariaDB's minimum max_allowed_packet is 1 KiB).
    std::size_t largest = 0;
    for (const auto& ref : statements_to_send(plan, baseline, entries))
        largest = std::max(largest, ref.migration->statements[ref.index].sql.size());
    if (largest <= largest_statement(1024)) return;
    if (const auto limit = session_max_allowed_packet(conn)) check_statement_sizes(*limit, plan, baseline, entries);
}

}  // namespace migrate::run
