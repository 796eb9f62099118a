// PlanetScale safe migrations: a production branch refuses direct DDL ("direct DDL is disabled"); schema
// changes reach it through a deploy request. Detect that before anything runs, and say what to do.
#pragma once

#include "../connect/connection.hpp"
#include "../tracking/progress_table.hpp"

#include <migrate/baseline.hpp>
#include <migrate/plan.hpp>

#include <optional>
#include <string>
#include <vector>

namespace migrate::run {

// What to do on a safe-migrations branch, for messages.
std::string deploy_request_advice();

// The first DDL statement a run would send (its migration and index), if any: a baseline load first,
// then the migrations to apply.
struct PendingDdl {
    const Migration* migration = nullptr;
    std::size_t statement = 0;
};
std::optional<PendingDdl> first_ddl(const Plan& plan, const Baseline* baseline,
                                    const std::vector<const PlanEntry*>& entries);

// When the run holds DDL, sends one harmless DDL statement first — `create table if not exists` of the
// progress table, which the run needs anyway — so that a branch refusing DDL says so before any migration
// statement has run. Throws migrate::error(errc::safe_migrations) naming the first pending DDL; nothing ran.
void preflight_ddl(connect::Connection& conn, const tracking::ProgressTable& progress,
                   const std::optional<PendingDdl>& ddl);

}  // namespace migrate::run
