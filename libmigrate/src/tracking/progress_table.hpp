// <tracking>_progress: one row per migration a run has started and not finished, written statement by
// statement so a run that dies can be resumed. Keyed by the journal `when` (the migration's identity in
// the tracking table too). The row is deleted in the same transaction that inserts the tracking row.
#pragma once

#include "../connect/connection.hpp"
#include "tracking_table.hpp"

#include <migrate/error.hpp>
#include <migrate/plan.hpp>

#include <map>
#include <string_view>

namespace migrate {
struct Baseline;
}

namespace migrate::tracking {

// One row of the progress table: the partial run the plan shows, and what only the runner needs.
struct ProgressRow {
    PartialRun run;                              // run.done_statements_edited is set by partial_runs()
    std::string hash;                            // the file's hash when the run started it
    std::string done_prefix_hash;                // statements_prefix_hash of the done statements
    std::optional<std::uint64_t> connection_id;  // the work connection of the run that stopped
};

// The chain that identifies the text of a migration's first statements: what a partial run has executed.
// next_prefix_hash extends it by one statement; statements_prefix_hash covers statements 0..count-1.
std::string next_prefix_hash(const std::string& prefix, std::string_view sql);
std::string statements_prefix_hash(const Migration& m, std::size_t count);

// The partial runs of `rows` as the plan shows them, each marked done_statements_edited when the file (or the
// baseline snapshot, under the baseline's key) no longer starts with the statements the run executed.
std::map<std::int64_t, PartialRun> partial_runs(const std::map<std::int64_t, ProgressRow>& rows, const Source& source,
                                                const Baseline* baseline);

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
    std::map<std::int64_t, ProgressRow> read(connect::Connection& conn) const;

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
    std::string decide(std::int64_t when, Resolution resolution) const;
    std::string remove(const Migration& m) const;

  private:
    std::string name_;
    std::string quoted_;
};

}  // namespace migrate::tracking
