#include "management.hpp"

#include "api_error.hpp"
#include "random_ids.hpp"

#include <openssl/crypto.h>

#include <algorithm>

namespace gateway::management {

namespace {

using SteadyClock = std::chrono::steady_clock;

std::string string_member(const json& body, const char* key, const std::string& fallback = "") {
    auto it = body.find(key);
    if (it == body.end() || it->is_null()) return fallback;
    if (!it->is_string()) throw invalid(std::string(key) + ": expected a string");
    return it->get<std::string>();
}

bool bool_member(const json& body, const char* key, bool fallback) {
    auto it = body.find(key);
    if (it == body.end() || it->is_null()) return fallback;
    if (!it->is_boolean()) throw invalid(std::string(key) + ": expected true or false");
    return it->get<bool>();
}

}  // namespace

Management::Management(const Config& config, std::function<void(const std::string&)> end_sessions)
    : config_(config),
      end_sessions_(std::move(end_sessions)),
      organization_(config.organization),
      database_(config.database.empty() ? config.mysql_database : config.database),
      production_(config.production_branch),
      service_token_(config.service_token) {
    Branch prod;
    prod.id = random_id(12);
    prod.name = production_;
    prod.database = config.mysql_database;
    prod.production = true;
    prod.safe_migrations = config.safe_migrations;
    prod.created_at = prod.updated_at = WallClock::now();
    prod.ready_at = SteadyClock::now();
    branches_.emplace(prod.name, std::move(prod));
    worker_ = std::thread([this] { worker_loop(); });
}

Management::~Management() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    worker_.join();
}

void Management::set_address(const std::string& host, int port) {
    std::lock_guard lock(mutex_);
    address_ = host + ":" + std::to_string(port);
}

bool Management::service_token_matches(const std::string& header) const {
    return !service_token_.empty() && secret_equal(header, service_token_);
}

// ---- the SQL API's side

std::optional<SessionTarget> Management::authenticate(const std::string& username, const std::string& password) {
    const std::string digest = sha256(password);
    std::lock_guard lock(mutex_);
    for (const auto& [id, p] : passwords_) {
        if (p.username != username) continue;
        if (CRYPTO_memcmp(p.secret_digest.data(), digest.data(), digest.size()) != 0 || p.expired(WallClock::now())) return std::nullopt;
        auto b = branches_.find(p.branch);
        if (b == branches_.end()) return std::nullopt;
        return SessionTarget{b->second.name, b->second.database, p.username};
    }
    return std::nullopt;
}

SessionTarget Management::production_target() const { return {production_, config_.mysql_database, config_.user}; }

bool Management::safe_migrations(const std::string& branch) {
    std::lock_guard lock(mutex_);
    auto b = branches_.find(branch);
    return b == branches_.end() || b->second.safe_migrations;
}

bool Management::branch_exists(const std::string& branch) {
    std::lock_guard lock(mutex_);
    return branches_.count(branch) != 0;
}

void Management::record_ddl(const std::string& branch, const std::string& sql) {
    std::lock_guard lock(mutex_);
    auto b = branches_.find(branch);
    if (b != branches_.end() && !b->second.production) b->second.ddl_log.push_back(sql);
}

// ---- branches

Branch& Management::branch_or_404(const std::string& name) {
    auto b = branches_.find(name);
    if (b == branches_.end()) throw not_found();
    return b->second;
}

json Management::branch_json(const Branch& b) const {
    return {{"id", b.id},
            {"name", b.name},
            {"parent_branch", b.parent.empty() ? json(nullptr) : json(b.parent)},
            {"ready", SteadyClock::now() >= b.ready_at},
            {"production", b.production},
            {"safe_migrations", b.safe_migrations},
            {"html_url", "http://" + address_ + "/" + organization_ + "/" + database_ + "/" + b.name},
            {"created_at", rfc3339(b.created_at)},
            {"updated_at", rfc3339(b.updated_at)}};
}

json Management::list_branches() {
    std::lock_guard lock(mutex_);
    json data = json::array();
    for (const auto& [name, b] : branches_) data.push_back(branch_json(b));
    return {{"data", data}};
}

json Management::get_branch(const std::string& name) {
    std::lock_guard lock(mutex_);
    return branch_json(branch_or_404(name));
}

json Management::create_branch(const json& body) {
    const std::string name = string_member(body, "name"), parent = string_member(body, "parent_branch", production_);
    if (!valid_branch_name(name))
        throw invalid("branch name \"" + name + "\" is invalid: use 1-64 lowercase letters, digits and '-', not starting with '-'");
    std::lock_guard lock(mutex_);
    if (branches_.count(name)) throw invalid("branch " + name + " already exists");
    auto p = branches_.find(parent);
    if (p == branches_.end()) throw invalid("parent branch " + parent + " does not exist");
    Branch b;
    b.id = random_id(12);
    b.name = name;
    b.parent = parent;
    b.database = branch_database(config_.mysql_database, name);
    b.created_at = b.updated_at = WallClock::now();
    try {
        create_branch_database(admin(), p->second.database, b.database, config_.copy_migration_data);
    } catch (const SqlFailure& e) {
        admin_.reset();
        throw invalid("cannot create branch " + name + ": " + e.what());
    }
    // Counted from the end of the copy, so the answer to the POST is never already ready.
    b.ready_at = SteadyClock::now() + std::chrono::milliseconds(config_.branch_ready_ms);
    const json out = branch_json(b);
    branches_.emplace(name, std::move(b));
    return out;
}

void Management::drop_branch(const std::string& name) {
    auto b = branches_.find(name);
    if (b == branches_.end() || b->second.production) return;
    const std::string database = b->second.database;
    branches_.erase(b);
    for (auto it = passwords_.begin(); it != passwords_.end();) it = it->second.branch == name ? passwords_.erase(it) : std::next(it);
    end_sessions_(name);
    try {
        admin().exec("DROP DATABASE IF EXISTS " + ident(database));
    } catch (const SqlFailure&) {
        admin_.reset();  // the branch is gone from the API; its database is left behind
    }
}

void Management::delete_branch(const std::string& name) {
    std::lock_guard lock(mutex_);
    if (branch_or_404(name).production) throw invalid("branch " + name + " is the production branch and cannot be deleted");
    drop_branch(name);
}

json Management::set_safe_migrations(const std::string& name, bool on) {
    std::lock_guard lock(mutex_);
    Branch& b = branch_or_404(name);
    b.safe_migrations = on;
    b.updated_at = WallClock::now();
    return branch_json(b);
}

// ---- passwords

json Management::create_password(const std::string& branch, const json& body) {
    const std::string name = string_member(body, "name", "password");
    const std::string role_text = string_member(body, "role", "admin");
    const auto role = role_from(role_text);
    if (!role) throw invalid("role \"" + role_text + "\" is invalid: use reader, writer, readwriter or admin");
    std::optional<long long> ttl;
    if (auto it = body.find("ttl"); it != body.end() && !it->is_null()) {
        if (!it->is_number_integer() || it->get<long long>() < 0) throw invalid("ttl: expected seconds (a non-negative integer)");
        ttl = it->get<long long>();
    }
    std::lock_guard lock(mutex_);
    const Branch& b = branch_or_404(branch);
    auto [p, plain] = new_password(branch, name, *role, ttl);
    json out = {{"id", p.id},
                {"name", p.name},
                {"username", p.username},
                {"plain_text", plain},
                {"access_host_url", address_},
                {"role", role_name(p.role)},
                {"ttl_seconds", p.ttl_seconds ? json(*p.ttl_seconds) : json(nullptr)},
                {"expires_at", time_or_null(p.expires_at)},
                {"database_branch", {{"name", b.name}, {"id", b.id}, {"production", b.production}}},
                {"created_at", rfc3339(p.created_at)}};
    passwords_.emplace(p.id, std::move(p));
    return out;
}

void Management::delete_password(const std::string& branch, const std::string& id) {
    std::lock_guard lock(mutex_);
    branch_or_404(branch);
    auto p = passwords_.find(id);
    if (p == passwords_.end() || p->second.branch != branch) throw not_found();
    passwords_.erase(p);
}

// ---- deploy requests

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
    const char* state = o.state == OperationState::pending ? "pending" : o.state == OperationState::in_progress ? "in_progress" : "complete";
    const int eta = o.state == OperationState::complete ? 0 : (100 - o.progress) * config_.deploy_step_ms / 50 / 1000 + 1;
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
            if (&e != &d && e.into_branch == d.into_branch && is_deploying(e.state) && (e.state != DeployState::queued || e.queue_seq < d.queue_seq))
                preceding.push_back({{"id", e.deployment_id}, {"state", state_name(e.state)}, {"deploy_request_number", e.number}});
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
            {"html_url", "http://" + address_ + "/" + organization_ + "/" + database_ + "/deploy-requests/" + std::to_string(d.number)},
            {"auto_cutover", d.auto_cutover},
            {"auto_delete_branch", d.auto_delete_branch},
            {"deployment", deployment_json(d)},
            {"created_at", rfc3339(d.created_at)},
            {"updated_at", rfc3339(d.updated_at)},
            {"closed_at", time_or_null(d.closed_at)},
            {"deployed_at", time_or_null(d.deployed_at)}};
}

json Management::list_deploy_requests(const std::string& state, const std::string& branch, const std::string& into_branch) {
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
    if (found == branches_.end()) throw invalid("branch " + branch + " does not exist: create it (POST /branches) first");
    const Branch& b = found->second;
    if (b.production) throw invalid("branch " + branch + " is the production branch: open a deploy request from a development branch");
    auto target = branches_.find(into);
    if (target == branches_.end()) throw invalid("into_branch " + into + " does not exist");
    if (!target->second.safe_migrations)
        throw invalid("branch " + into + " does not have safe migrations enabled: enable them (POST /branches/" + into +
                      "/safe-migrations) before deploying into it");
    for (const auto& [n, e] : requests_)
        if (e.open && e.branch == branch) throw invalid("branch " + branch + " already has an open deploy request #" + std::to_string(n));
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
        throw invalid("deploy request #" + std::to_string(number) + " is deploying (" + state_name(d.state) + "): cancel it first");
    if (d.open) close_request(d);
    return deploy_request_json(d);
}

json Management::deploy(long long number, const json& body) {
    const bool instant = bool_member(body, "instant_ddl", false);
    std::lock_guard lock(mutex_);
    DeployRequest& d = request_or_404(number);
    const std::string n = "deploy request #" + std::to_string(number);
    if (!d.open) throw invalid(n + " is closed");
    if (d.state != DeployState::ready) throw invalid(n + " cannot be deployed: its deployment is " + state_name(d.state));
    if (!d.deployable) throw invalid(n + " is not deployable: fix its lint errors on branch " + d.branch);
    if (instant && !d.instant_ddl_eligible)
        throw invalid(n + " is not eligible for an instant deploy: only ALTER TABLE … ADD COLUMN changes are; deploy it without instant_ddl");
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
        throw invalid("deploy request #" + std::to_string(number) + " is not waiting for its cut-over: its deployment is " + state_name(d.state));
    d.state = DeployState::in_progress_cutover;
    schedule(d);
    return deploy_request_json(d);
}

json Management::cancel(long long number) {
    std::lock_guard lock(mutex_);
    DeployRequest& d = request_or_404(number);
    if (d.state != DeployState::queued && d.state != DeployState::in_progress && d.state != DeployState::pending_cutover)
        throw invalid("deploy request #" + std::to_string(number) + " cannot be cancelled: its deployment is " + state_name(d.state));
    d.state = DeployState::in_progress_cancel;
    schedule(d);
    return deploy_request_json(d);
}

json Management::revert(long long number) {
    std::lock_guard lock(mutex_);
    DeployRequest& d = request_or_404(number);
    if (d.state != DeployState::complete_pending_revert)
        throw invalid("deploy request #" + std::to_string(number) + " cannot be reverted: its deployment is " + state_name(d.state) +
                      " (a revert is possible only in the revert window, complete_pending_revert)");
    d.state = DeployState::in_progress_revert;
    schedule(d);
    return deploy_request_json(d);
}

json Management::skip_revert(long long number) {
    std::lock_guard lock(mutex_);
    DeployRequest& d = request_or_404(number);
    if (d.state != DeployState::complete_pending_revert)
        throw invalid("deploy request #" + std::to_string(number) + " has no revert window open: its deployment is " + state_name(d.state));
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

// ---- faults

void Management::add_fault(const json& body) {
    std::lock_guard lock(mutex_);
    faults_.add(body);
}

void Management::clear_faults() {
    std::lock_guard lock(mutex_);
    faults_ = Faults{};
}

std::optional<HttpFault> Management::take_http_fault(const std::string& method, const std::string& path) {
    std::lock_guard lock(mutex_);
    return faults_.take_http(method, path);
}

}  // namespace gateway::management
