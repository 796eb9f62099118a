// A statement larger than the server's max_allowed_packet is cut off by the server, which then drops the
// connection: the client sees "server has gone away" with the statement's completion unknown. Checked
// before a run sends anything, so the refusal names the statement and the fix instead.
#pragma once

#include "../connect/connection.hpp"

#include <migrate/baseline.hpp>
#include <migrate/plan.hpp>

#include <cstdint>
#include <optional>
#include <vector>

namespace migrate::run {

// The largest statement a server with this max_allowed_packet accepts. The packet holds the statement and
// the command byte in front of it (COM_QUERY), and must stay below the limit: on MariaDB 10.11 with
// 16777216, a statement of 16777214 bytes runs and one of 16777215 is refused (1153) and the connection
// dropped.
constexpr std::uint64_t largest_statement(std::uint64_t max_allowed_packet) {
    return max_allowed_packet < 2 ? 0 : max_allowed_packet - 2;
}

// This session's max_allowed_packet (the session value is what the server enforces; MariaDB copies the
// global one at connect time, so the two may differ), or nullopt when the server does not say.
std::optional<std::uint64_t> session_max_allowed_packet(connect::Connection& conn);

// Throws migrate::error(errc::statement_too_large) naming the first statement the run would send (the
// baseline load from where it stopped, then each entry from where it stopped) whose packet exceeds
// `max_packet`: its file, line, size, the limit and the fix. Nothing has run when it throws.
void check_statement_sizes(std::uint64_t max_packet, const Plan& plan, const Baseline* baseline,
                           const std::vector<const PlanEntry*>& entries);

// The above against the server `conn` is connected to; skipped when it does not report the limit.
void check_statement_sizes(connect::Connection& conn, const Plan& plan, const Baseline* baseline,
                           const std::vector<const PlanEntry*>& entries);

}  // namespace migrate::run
