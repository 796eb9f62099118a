// PlanetScale's management API (branches, passwords, deploy requests) over one MariaDB server, and
// what the SQL API asks of it: which branch a credential opens, a branch's database and DDL policy,
// and the record of the DDL a branch ran. One mutex guards all of it; one worker thread paces deploys.
// The API is split by resource: branch_api.cpp, password_api.cpp, deploy_request_api.cpp.
#pragma once

#include "../config.hpp"
#include "branches.hpp"
#include "deploy_requests.hpp"
#include "faults.hpp"
#include "passwords.hpp"

#include <nlohmann/json.hpp>

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace gateway::management {

using json = nlohmann::json;

// Where a SQL session runs.
struct SessionTarget {
    std::string branch, database;
    std::string username;  // the credential's user, for CreateSession's answer
};

class Management {
  public:
    // `end_sessions(branch)` ends the SQL sessions of a deleted branch.
    Management(const Config& config, std::function<void(const std::string&)> end_sessions);
    ~Management();  // stops the worker
    Management(const Management&) = delete;
    Management& operator=(const Management&) = delete;

    // The address clients reach the gateway at (after bind): access_host_url and html_url use it.
    void set_address(const std::string& host, int port);
    const std::string& organization() const { return organization_; }
    const std::string& database() const { return database_; }
    bool has_service_token() const { return !service_token_.empty(); }
    bool service_token_matches(const std::string& header) const;

    // The SQL API's side.
    std::optional<SessionTarget> authenticate(const std::string& username, const std::string& password);
    SessionTarget production_target() const;
    // Whether DDL is refused on `branch` (a deleted branch: true, nothing may change through it).
    bool safe_migrations(const std::string& branch);
    bool branch_exists(const std::string& branch);
    void record_ddl(const std::string& branch, const std::string& sql);

    // The management API; each throws ApiError. Paths are relative to the database's base path.
    json list_branches();
    json get_branch(const std::string& name);
    json create_branch(const json& body);
    void delete_branch(const std::string& name);
    json set_safe_migrations(const std::string& name, bool on);
    json create_password(const std::string& branch, const json& body);
    void delete_password(const std::string& branch, const std::string& id);

    json list_deploy_requests(const std::string& state, const std::string& branch, const std::string& into_branch);
    json get_deploy_request(long long number);
    json create_deploy_request(const json& body);
    json close_deploy_request(long long number, const json& body);
    json deploy(long long number, const json& body);
    json apply_deploy(long long number);
    json cancel(long long number);
    json revert(long long number);
    json skip_revert(long long number);
    json operations(long long number);
    json deployment(long long number);
    json deploy_queue();

    void add_fault(const json& body);
    void clear_faults();
    std::optional<HttpFault> take_http_fault(const std::string& method, const std::string& path);

  private:
    // Callers hold mutex_.
    Branch& branch_or_404(const std::string& name);
    DeployRequest& request_or_404(long long number);
    json branch_json(const Branch& b) const;
    json deploy_request_json(const DeployRequest& d) const;
    json deployment_json(const DeployRequest& d) const;
    json operation_json(const Operation& o) const;
    void drop_branch(const std::string& name);  // database, passwords, sessions, log
    void schedule(DeployRequest& d);            // next step one --deploy-step-ms from now

    // deploy_worker.cpp
    void worker_loop();
    void advance(DeployRequest& d);
    void lint(DeployRequest& d);
    void start_replay(DeployRequest& d);
    void cut_over(DeployRequest& d);
    void undo(DeployRequest& d);
    void finish(DeployRequest& d);
    void close_request(DeployRequest& d);
    void fail(DeployRequest& d, DeployState state, const std::string& message);
    bool queue_blocked(const DeployRequest& d) const;
    AdminSql& admin();

    const Config& config_;
    std::function<void(const std::string&)> end_sessions_;
    std::string organization_, database_, production_, service_token_, address_;
    std::mutex mutex_;
    std::map<std::string, Branch> branches_;
    std::map<std::string, Password> passwords_;  // by id
    std::map<long long, DeployRequest> requests_;
    long long next_number_ = 1, next_queue_seq_ = 1;
    Faults faults_;
    std::unique_ptr<AdminSql> admin_;  // the worker's connection, opened on first use

    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread worker_;
};

}  // namespace gateway::management
