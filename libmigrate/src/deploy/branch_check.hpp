// Before a deploy request is opened from an existing branch (a shared `ci-test`, a per-PR branch where the
// migrations were authored and applied): the branch must be production plus exactly the pending
// migrations, or the deploy request would carry more (a hand-made change, another PR's migration) or less
// than what the run records on production afterwards. Internal.
#pragma once

#include "../connect/connection.hpp"
#include "../plan/table_facts.hpp"
#include "../tracking/tracking_table.hpp"

#include <string>
#include <vector>

namespace migrate::deploy {

// What an existing branch must record besides production's rows.
struct PendingMigrations {
    const tracking::TrackingTable* table = nullptr;
    std::vector<const Migration*> migrations;  // the run's pending migrations, in order
};

// Throws deploy_request_failed, naming every difference and what to do, unless
//  - the branch's tracking rows are production's plus one per pending migration (same created_at and hash);
//  - each schema statement of `carried` is in effect on the branch (run/statement_probe);
//  - every table whose definition differs between the two (or that only one has) is one those statements
//    change; libmigrate's own tables aside.
void check_existing_branch(connect::Connection& branch, connect::Connection& production,
                           const PendingMigrations& pending, const std::vector<plan::StatementRef>& carried,
                           const std::string& branch_name, const std::string& production_branch);

}  // namespace migrate::deploy
