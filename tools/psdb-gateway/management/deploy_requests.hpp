// Deploy requests and their deployment: the model and its JSON. The transitions are in deploy_worker.cpp
// (paced ones) and management.cpp (the ones a request asks for).
#pragma once

#include "ddl_statement.hpp"
#include "times.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace gateway::management {

enum class DeployState {
    pending,
    ready,
    no_changes,
    queued,
    in_progress,
    pending_cutover,
    in_progress_cutover,
    complete_pending_revert,
    complete,
    in_progress_revert,
    complete_revert,
    in_progress_cancel,
    complete_cancel,
    error,
    complete_error
};
const char* state_name(DeployState s);
// Queued or between the start of the replay and the end of the cut-over: holds the queue.
bool is_deploying(DeployState s);

enum class OperationState { pending, in_progress, complete };

struct Operation {
    std::string id, table;
    const char* name = "ALTER";  // CREATE, ALTER or DROP
    std::string ddl;             // the statements on this table, in order
    OperationState state = OperationState::pending;
    int progress = 0;
    WallTime created_at, updated_at;
};

// A table as production had it before the replay, to revert to.
struct TableBefore {
    bool existed = false;
    std::string create_sql;            // SHOW CREATE TABLE
    std::vector<std::string> columns;  // in order
    std::string aside;                 // when the log drops it: the name it was renamed to instead
};

struct DeployRequest {
    std::string id, branch, into_branch, notes;
    long long number = 0;
    bool open = true, approved = false, auto_cutover = true, auto_delete_branch = false;
    WallTime created_at, updated_at;
    std::optional<WallTime> closed_at, deployed_at;

    // The deployment.
    std::string deployment_id;
    DeployState state = DeployState::pending;
    bool deployable = false, instant_ddl_eligible = false, instant_ddl = false;
    nlohmann::json lint_errors = nlohmann::json::array();
    std::optional<WallTime> queued_at, started_at, finished_at, cutover_at;
    std::optional<std::string> error_message;
    std::vector<std::string> statements;  // the branch's DDL log when it was linted
    std::vector<Operation> operations;

    // The worker's bookkeeping.
    std::chrono::steady_clock::time_point next_step;
    std::chrono::steady_clock::time_point revert_deadline;
    long long queue_seq = 0;  // order in the deploy queue
    bool replayed = false;
    std::map<std::string, TableBefore> before;  // by table name
};

// One operation per table the statements touch, in the order first touched.
std::vector<Operation> operations_of(const std::vector<std::string>& statements);

}  // namespace gateway::management
