// Applying a plan under the lock, statement by statement, with progress recorded so that a run that
// dies at any point can be resumed without running any statement twice (docs/safety.md).
#pragma once

#include "../connect/connection.hpp"
#include "../plan/table_facts.hpp"
#include "../tracking/progress_table.hpp"
#include "../tracking/tracking_table.hpp"
#include "lock.hpp"

#include <migrate/target.hpp>

namespace migrate::run {

// Statements that reach the database another way than on the run's connection: a PlanetScale production
// branch with safe migrations takes DDL only through deploy requests (deploy/deployer.hpp). The runner
// marks such a statement in flight, has the carrier make sure it is on the database, and marks it done.
class StatementCarrier {
  public:
    virtual ~StatementCarrier() = default;
    virtual bool carries(const Migration& m, std::size_t index) const = 0;
    // Blocks until the statement (with the rest of its deploy request) is on the database, following or
    // finishing what an earlier run started; returns at once when it already is. Says how in its own events.
    virtual void carry(const Migration& m, std::size_t index) = 0;
};

struct RunContext {
    connect::Connection& conn;
    const tracking::TrackingTable& table;
    const tracking::ProgressTable& progress;
    tracking::TableShape shape;
    const MigrationLock& lock;
    const LockWaits& lock_waits;
    const EventCallback& on_event;
    const std::atomic<bool>* cancel;
    StatementCarrier* carrier = nullptr;  // null: every statement is sent on `conn`
};

// Applies plan.to_apply() (up to position `last`, when given): loads `baseline` first when the plan starts
// from it (its snapshot statements like a migration's, then one tracking row per covered migration), resumes
// a half-applied migration, then the rest in journal order. Throws migrate::error on the first failure (the
// context names file, statement and line).
UpReport apply_plan(RunContext& ctx, Plan plan, const UpOptions& options, const Baseline* baseline = nullptr,
                    std::optional<std::size_t> last = std::nullopt);

// What a run applies: plan.to_apply(), up to position `last` when given.
std::vector<const PlanEntry*> entries_to_run(const Plan& plan, bool allow_out_of_order,
                                             std::optional<std::size_t> last);

// The statements a run sends, in order: the baseline load (when given) from where an earlier run stopped it,
// then each entry from where an earlier run stopped it.
std::vector<plan::StatementRef> statements_to_send(const Plan& plan, const Baseline* baseline,
                                                   const std::vector<const PlanEntry*>& entries);

}  // namespace migrate::run
