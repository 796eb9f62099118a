#include "faults.hpp"

#include "api_error.hpp"
#include "json_body.hpp"

namespace gateway::management {

void Faults::add(const nlohmann::json& body) {
    const std::string kind = string_member(body, "kind", "");
    if (kind == "http") {
        HttpFault f;
        f.path_contains = string_member(body, "path_contains", "");
        f.method = string_member(body, "method", "");
        f.code = string_member(body, "code", f.code);
        f.message = string_member(body, "message", f.message);
        if (body.contains("raw_body") && !body["raw_body"].is_null()) f.raw_body = string_member(body, "raw_body", "");
        if (body.contains("status")) {
            if (!body["status"].is_number_integer()) throw invalid("status: expected an HTTP status number");
            f.status = body["status"].get<int>();
            if (f.status < 100 || f.status > 599) throw invalid("status: expected an HTTP status (100-599)");
        }
        if (body.contains("times")) {
            if (!body["times"].is_number_integer() || body["times"].get<int>() < 1)
                throw invalid("times: expected a positive number");
            f.times = body["times"].get<int>();
        }
        http.push_back(std::move(f));
        return;
    }
    if (kind == "deployment") {
        if (!body.contains("number") || !body["number"].is_number_integer())
            throw invalid("number: expected a deploy request number");
        DeploymentFault f;
        const std::string at = string_member(body, "at", "in_progress"), state = string_member(body, "state", "error");
        if (at == "in_progress")
            f.at = DeployState::in_progress;
        else if (at == "in_progress_cutover")
            f.at = DeployState::in_progress_cutover;
        else
            throw invalid("at: expected \"in_progress\" or \"in_progress_cutover\"");
        if (state == "error")
            f.becomes = DeployState::error;
        else if (state == "complete_error")
            f.becomes = DeployState::complete_error;
        else
            throw invalid("state: expected \"error\" or \"complete_error\"");
        deployments[body["number"].get<long long>()] = f;
        return;
    }
    throw invalid("kind: expected \"http\" or \"deployment\"");
}

std::optional<HttpFault> Faults::take_http(const std::string& method, const std::string& path) {
    for (auto it = http.begin(); it != http.end(); ++it) {
        if (!it->method.empty() && it->method != method) continue;
        if (path.find(it->path_contains) == std::string::npos) continue;
        HttpFault f = *it;
        if (--it->times <= 0) http.erase(it);
        return f;
    }
    return std::nullopt;
}

}  // namespace gateway::management
