// PlanetScale's management API (branches, passwords, deploy requests): the calls the deploy-request
// workflow makes, typed. Auth is a service token ("Authorization: <id>:<token>"), never printed: errors
// name the method, path and PlanetScale's code and message only.
#pragma once

#include <migrate/deploy_requests.hpp>
#include <migrate/error.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace migrate::deploy {

struct Branch {
    std::string name;
    std::string parent_branch;
    bool ready = false;
    bool production = false;
    bool safe_migrations = false;
};

struct Password {
    std::string id;
    std::string username;
    std::string plain_text;       // a secret
    std::string access_host_url;  // HOST[:PORT] of the branch's SQL API
};

struct LintError {
    std::string table;
    std::string code;         // e.g. NO_UNIQUE_KEY
    std::string description;  // PlanetScale's words, reported verbatim
};

struct DeployRequest {
    std::uint64_t number = 0;
    std::string branch;
    std::string into_branch;
    std::string state;             // "open" or "closed"
    std::string deployment_state;  // pending, ready, no_changes, queued, in_progress, pending_cutover, …
    bool deployable = false;
    bool instant_ddl_eligible = false;
    std::vector<LintError> lint_errors;
    std::string error_message;  // the deployment's, when it failed
    std::string html_url;
    std::string notes;
    std::string created_at;
};

struct Operation {
    std::string table;
    std::string state;
    std::string operation;
    int progress_percent = 0;
    std::int64_t eta_seconds = 0;
};

// The client throws migrate::error(errc::platform_api) for a refusal or failure of the API, with the HTTP
// status and PlanetScale's code in the context. Transient: trying again later may succeed (no answer,
// HTTP 429 or 5xx, PlanetScale's code `retry`).
bool is_transient(const error& e);

class PlanetScaleClient {
  public:
    explicit PlanetScaleClient(PlanetScaleApi api);
    ~PlanetScaleClient();
    PlanetScaleClient(const PlanetScaleClient&) = delete;
    PlanetScaleClient& operator=(const PlanetScaleClient&) = delete;

    const PlanetScaleApi& api() const { return api_; }

    std::optional<Branch> find_branch(const std::string& name);  // nullopt: no such branch
    Branch create_branch(const std::string& name, const std::string& parent);
    void delete_branch(const std::string& name);  // gone already: fine
    Password create_password(const std::string& branch, const std::string& name, std::chrono::seconds ttl);
    void delete_password(const std::string& branch, const std::string& id);  // gone already: fine

    std::vector<DeployRequest> deploy_requests_from(const std::string& branch);  // newest first
    std::vector<DeployRequest> open_deploy_requests();                           // into the production branch
    // Into the production branch, in `state` ("open", "closed"; "": any), newest first.
    std::vector<DeployRequest> deploy_requests_into(const std::string& state = "");
    DeployRequest create_deploy_request(const std::string& branch, const std::string& into, const std::string& notes,
                                        bool auto_cutover, bool auto_delete_branch);
    DeployRequest deploy_request(std::uint64_t number);
    std::vector<Operation> operations(std::uint64_t number);
    void deploy(std::uint64_t number, bool instant);
    void apply_cutover(std::uint64_t number);
    void skip_revert(std::uint64_t number);
    void revert(std::uint64_t number);
    void close(std::uint64_t number);

  private:
    // One request; GET and DELETE are retried while the failure is transient (bounded); a POST is not
    // (the caller reads the state again and decides). Throws migrate::error(errc::platform_api).
    nlohmann::json call(const std::string& method, const std::string& path, const nlohmann::json* body = nullptr,
                        bool not_found_is_null = false);

    PlanetScaleApi api_;
    struct Http;
    std::unique_ptr<Http> http_;
};

}  // namespace migrate::deploy
