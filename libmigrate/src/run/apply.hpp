// Applying a plan: statements in order, then the tracking row, one migration at a time.
#pragma once

#include "../connect/connection.hpp"
#include "../tracking/tracking_table.hpp"

#include <migrate/target.hpp>

namespace migrate::run {

// Applies plan.pending() in order. Throws migrate::error on the first failure (the context names the
// file, statement and line); migrations before it stay applied and recorded.
UpReport apply_pending(connect::Connection& conn, const tracking::TrackingTable& table,
                       const tracking::TableShape& shape, Plan plan, const EventCallback& on_event);

}  // namespace migrate::run
