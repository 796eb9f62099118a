// <tracking>_progress: one row per migration a run has started and not finished, written statement by
// statement so a run that dies can be resumed. Keyed by the journal `when` (the migration's identity in
// the tracking table too). The row is deleted in the same transaction that inserts the tracking row.
#pragma once

#include "../connect/connection.hpp"
#include "tracking_table.hpp"

#include <migrate/error.hpp>
#include <migrate/plan.hpp>

#include <map>

namespace migrate::tracking {

// A table whose AUTO_INCREMENT counter a progress mark records; schema "" = the current database.
struct CounterOf {
    std::string schema;
    std::string table;
};

class ProgressTable {
  public:
    explicit ProgressTable(const TrackingTable& tracking);

    const std::string& name() const { return name_; }
    std::string create_statement() const;

    bool exists(connect::Connection& conn) const;
    // Tables created before a column was added lack it; these add what is missing (auto_increment_before).
    bool has_counter_column(connect::Connection& conn) const;
    std::string add_counter_column_statement() const;
    std::map<std::int64_t, Progress> read(connect::Connection& conn) const;

    // Statements; each is one SQL statement for the run to execute where its transaction needs it.
    std::string start(const Migration& m, std::uint64_t connection_id, const std::string& prefix_hash) const;
    std::string resume(const Migration& m, std::uint64_t connection_id) const;  // rebinds hash and connection
    // done statements are 0..done-1 (prefix_hash covers their text); in_flight: the one about to be sent.
    // counter: an INSERT is about to be sent; record its table's AUTO_INCREMENT as it is now, so that a run
    // resuming after the INSERT was rolled back can give back the ids it consumed (InnoDB does not).
    std::string mark(const Migration& m, std::size_t done, std::optional<std::size_t> in_flight,
                     const std::string& prefix_hash, const std::optional<CounterOf>& counter = std::nullopt) const;
    // The counter the last mark with a CounterOf recorded for m; nullopt when none (or no such column).
    std::optional<std::uint64_t> counter_before(connect::Connection& conn, const Migration& m) const;
    std::string failed(const Migration& m, std::size_t index, const error& e) const;
    std::string decide(std::int64_t when, std::string_view decision) const;
    std::string remove(const Migration& m) const;

  private:
    std::string name_;
    std::string quoted_;
};

}  // namespace migrate::tracking
