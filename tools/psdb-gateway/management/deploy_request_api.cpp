// /deploy-requests and /deploy-queue: what a request asks of a deploy request; the paced steps are
// in deploy_worker.cpp.
#include "management.hpp"

#include "api_error.hpp"
#include "json_body.hpp"
#include "random_ids.hpp"

#include <algorithm>

namespace gateway::management {

namespace {
using SteadyClock = std::chrono::steady_clock;
}  // namespace

DeployRequest& Management::request_or_404(long long number) {
    auto d = requests_.find(number);
    if (d == requests_.end()) throw not_found();
    return d->second;
}

void Management::schedule(DeployRequest& d) {
    d.updated_at = WallClock::now();
    d.next_step = SteadyClock::now() + std::chrono::milliseconds(config_.deploy_step_ms);
    wake_.notify_all();
}

json Management::operation_json(const Operation& o) const {
    const char* state = o.state == OperationState::pending       ? "pending"
                        : o.state == OperationState::in_progress ? "in_progress"
                                                                 : "complete";
    const int eta =
        o.state == OperationState::complete ? 0 : (100 - o.progress) * config_.deploy_step_ms / 50 / 1000 + 1;
    return {{"id", o.id},
            {"state", state},
            {"keyspace_name", config_.mysql_database},
            {"table_name", o.table},
            {"operation_name", o.name},
            {"ddl_statement", o.ddl},
            {"eta_seconds", eta},
            {"progress_percentage", o.progress},
            {"created_at", rfc3339(o.created_at)},
            {"updated_at", rfc3339(o.updated_at)}};
}

json Management::deployment_json(const DeployRequest& d) const {
    json preceding = json::array();
    if (d.state == DeployState::queued)
        for (const auto& [n, e] : requests_)
            if (&e != &d && e.into_branch == d.into_branch && is_deploying(e.state) &&
                (e.state != DeployState::queued || e.queue_seq < d.queue_seq))
                preceding.push_back(
                    {{"id", e.deployment_id}, {"state", state_name(e.state)}, {"deploy_request_number", e.number}});
    json out = {{"id", d.deployment_id},
                {"state", state_name(d.state)},
                {"deployable", d.deployable},
                {"lint_errors", d.lint_errors},
                {"instant_ddl_eligible", d.instant_ddl_eligible},
                {"instant_ddl", d.instant_ddl},
                {"auto_cutover", d.auto_cutover},
                {"deploy_request_number", d.number},
                {"into_branch", d.into_branch},
                {"preceding_deployments", preceding},
                {"created_at", rfc3339(d.created_at)},
                {"queued_at", time_or_null(d.queued_at)},
                {"started_at", time_or_null(d.started_at)},
                {"finished_at", time_or_null(d.finished_at)},
                {"cutover_at", time_or_null(d.cutover_at)}};
    if (d.error_message) out["error_message"] = *d.error_message;
    return out;
}

json Management::deploy_request_json(const DeployRequest& d) const {
    return {{"id", d.id},
            {"number", d.number},
            {"branch", d.branch},
            {"into_branch", d.into_branch},
            {"state", d.open ? "open" : "closed"},
            {"deployment_state", state_name(d.state)},
            {"approved", d.approved},
            {"notes", d.notes},
            {"html_url", "http://" + address_ + "/" + organization_ + "/" + database_ + "/deploy-requests/" +
                             std::to_string(d.number)},
            {"auto_cutover", d.auto_cutover},
            {"auto_delete_branch", d.auto_delete_branch},
            {"deployment", deployment_json(d)},
            {"created_at", rfc3339(d.created_at)},
            {"updated_at", rfc3339(d.updated_at)},
            {"closed_at", time_or_null(d.closed_at)},
            {"deployed_at", time_or_null(d.deployed_at)}};
}

json Management::list_deploy_requests(const std::string& state, const std::string& branch,
                                      const std::string& into_branch) {
    std::lock_guard lock(mutex_);
    json data = json::array();
    for (auto it = requests_.rbegin(); it != requests_.rend(); ++it) {
        const DeployRequest& d = it->second;
        if (!state.empty() && state != (d.open ? "open" : "closed")) continue;
        if (!branch.empty() && branch != d.branch) continue;
        if (!into_branch.empty() && into_branch != d.into_branch) continue;
        data.push_back(deploy_request_json(d));
    }
    return {{"data", data}};
}

json Management::get_deploy_request(long long number) {
    std::lock_guard lock(mutex_);
    return deploy_request_json(request_or_404(number));
}

json Management::create_deploy_request(const json& body) {
    const std::string branch = string_member(body, "branch");
    std::lock_guard lock(mutex_);
    const std::string into = string_member(body, "into_branch", production_);
    if (branch.empty()) throw invalid("branch: the branch to deploy is required");
    auto found = branches_.find(branch);
    if (found == branches_.end())
        throw invalid("branch " + branch + " does not exist: create it (POST /branches) first");
    const Branch& b = found->second;
    if (b.production)
        throw invalid("branch " + branch +
                      " is the production branch: open a deploy request from a development branch");
    auto target = branches_.find(into);
    if (target == branches_.end()) throw invalid("into_branch " + into + " does not exist");
    if (!target->second.safe_migrations)
        throw invalid("branch " + into + " does not have safe migrations enabled: enable them (POST /branches/" + into +
                      "/safe-migrations) before deploying into it");
    for (const auto& [n, e] : requests_)
        if (e.open && e.branch == branch)
            throw invalid("branch " + branch + " already has an open deploy request #" + std::to_string(n));
    DeployRequest d;
    d.id = random_id(12);
    d.deployment_id = random_id(12);
    d.number = next_number_++;
    d.branch = branch;
    d.into_branch = into;
    d.notes = string_member(body, "notes");
    d.auto_cutover = bool_member(body, "auto_cutover", true);
    d.auto_delete_branch = bool_member(body, "auto_delete_branch", false);
    d.created_at = WallClock::now();
    schedule(d);
    auto& stored = requests_.emplace(d.number, std::move(d)).first->second;
    return deploy_request_json(stored);
}

json Management::close_deploy_request(long long number, const json& body) {
    const std::string state = string_member(body, "state");
    if (state != "closed") throw invalid("state: only \"closed\" can be set");
    std::lock_guard lock(mutex_);
    DeployRequest& d = request_or_404(number);
    if (is_deploying(d.state) || d.state == DeployState::in_progress_revert)
        throw invalid("deploy request #" + std::to_string(number) + " is deploying (" + state_name(d.state) +
                      "): cancel it first");
    if (d.open) close_request(d);
    return deploy_request_json(d);
}

json Management::deploy(long long number, const json& body) {
    const bool instant = bool_member(body, "instant_ddl", false);
    std::lock_guard lock(mutex_);
    DeployRequest& d = request_or_404(number);
    const std::string n = "deploy request #" + std::to_string(number);
    if (!d.open) throw invalid(n + " is closed");
    if (d.state != DeployState::ready)
        throw invalid(n + " cannot be deployed: its deployment is " + state_name(d.state));
    if (!d.deployable) throw invalid(n + " is not deployable: fix its lint errors on branch " + d.branch);
    if (instant && !d.instant_ddl_eligible)
        throw invalid(n +
                      " is not eligible for an instant deploy: only ALTER TABLE … ADD COLUMN changes are; deploy it "
                      "without instant_ddl");
    d.instant_ddl = instant;
    d.state = DeployState::queued;
    d.queued_at = WallClock::now();
    d.queue_seq = next_queue_seq_++;
    schedule(d);
    return deploy_request_json(d);
}

json Management::apply_deploy(long long number) {
    std::lock_guard lock(mutex_);
    DeployRequest& d = request_or_404(number);
    if (d.state != DeployState::pending_cutover)
        throw invalid("deploy request #" + std::to_string(number) +
                      " is not waiting for its cut-over: its deployment is " + state_name(d.state));
    d.state = DeployState::in_progress_cutover;
    schedule(d);
    return deploy_request_json(d);
}

json Management::cancel(long long number) {
    std::lock_guard lock(mutex_);
    DeployRequest& d = request_or_404(number);
    if (d.state != DeployState::queued && d.state != DeployState::in_progress &&
        d.state != DeployState::pending_cutover)
        throw invalid("deploy request #" + std::to_string(number) + " cannot be cancelled: its deployment is " +
                      state_name(d.state));
    d.state = DeployState::in_progress_cancel;
    schedule(d);
    return deploy_request_json(d);
}

json Management::revert(long long number) {
    std::lock_guard lock(mutex_);
    DeployRequest& d = request_or_404(number);
    if (d.state != DeployState::complete_pending_revert)
        throw invalid("deploy request #" + std::to_string(number) + " cannot be reverted: its deployment is " +
                      state_name(d.state) +
                      " (a revert is possible only in the revert window, complete_pending_revert)");
    d.state = DeployState::in_progress_revert;
    schedule(d);
    return deploy_request_json(d);
}

json Management::skip_revert(long long number) {
    std::lock_guard lock(mutex_);
    DeployRequest& d = request_or_404(number);
    if (d.state != DeployState::complete_pending_revert)
        throw invalid("deploy request #" + std::to_string(number) + " has no revert window open: its deployment is " +
                      state_name(d.state));
    finish(d);
    return deploy_request_json(d);
}

json Management::operations(long long number) {
    std::lock_guard lock(mutex_);
    json data = json::array();
    for (const auto& o : request_or_404(number).operations) data.push_back(operation_json(o));
    return {{"data", data}};
}

json Management::deployment(long long number) {
    std::lock_guard lock(mutex_);
    return deployment_json(request_or_404(number));
}

json Management::deploy_queue() {
    std::lock_guard lock(mutex_);
    std::vector<const DeployRequest*> queue;
    for (const auto& [n, d] : requests_)
        if (d.into_branch == production_ && is_deploying(d.state)) queue.push_back(&d);
    std::sort(queue.begin(), queue.end(), [](auto* a, auto* b) { return a->queue_seq < b->queue_seq; });
    json data = json::array();
    for (auto* d : queue) data.push_back(deployment_json(*d));
    return {{"data", data}};
}

}  // namespace gateway::management
