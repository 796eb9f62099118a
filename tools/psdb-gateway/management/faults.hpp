// Failure injection for tests (POST /_gateway/faults): canned HTTP errors for the next N matching
// requests, and deployments that end in a chosen error state.
#pragma once

#include "deploy_requests.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace gateway::management {

struct HttpFault {
    std::string path_contains, method;  // method "" = any
    int status = 503;
    std::string code = "retry", message = "injected fault";
    std::optional<std::string> raw_body;
    int times = 1;
};

struct DeploymentFault {
    DeployState at = DeployState::in_progress;  // in_progress or in_progress_cutover
    DeployState becomes = DeployState::error;   // error or complete_error
};

struct Faults {
    std::vector<HttpFault> http;
    std::map<long long, DeploymentFault> deployments;  // by deploy request number

    // Adds the fault a POST body describes; throws ApiError(invalid) naming what is wrong.
    void add(const nlohmann::json& body);
    // The fault answering this request, consuming one of its times.
    std::optional<HttpFault> take_http(const std::string& method, const std::string& path);
};

}  // namespace gateway::management
