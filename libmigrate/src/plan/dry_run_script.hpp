// A dry run's output: the SQL `up` would send, as a script the mysql and mariadb clients run (Target::dry_run).
// Pure: it writes what the preview and the tracking table's state say, and asks no server.
#pragma once

#include "../tracking/progress_table.hpp"
#include "../tracking/tracking_table.hpp"

#include <migrate/target.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace migrate::plan {

struct DryRunInput {
    const UpPreview& preview;  // without a refusal
    const Source& source;
    const tracking::TrackingTable& table;
    const tracking::ProgressTable& progress;
    tracking::TableShape shape;                   // the tracking table as it is now (exists: false when missing)
    std::vector<std::string> table_upgrade;       // drizzle 1.0's upgrade of a 0.x table, when due
    std::vector<const Migration*> with_progress;  // those a stopped run left a progress row for (the baseline's
                                                  // snapshot for its own); `up` removes each when it records it
    std::string made_at;                          // UTC time for the header
};

void write_dry_run_script(const DryRunInput& in, const std::function<void(std::string_view)>& write);

// The client's statement delimiter for `sql`: ";" unless the text holds a ';' of its own before its end
// (a procedure or trigger body, BEGIN … END), which the client would otherwise split at; then a delimiter
// the text does not contain, set around it with the client's DELIMITER command.
std::string client_delimiter(std::string_view sql);

}  // namespace migrate::plan
