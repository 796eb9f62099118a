#include "planetscale_api.hpp"

#include <fmt/format.h>
#include <httplib.h>

#include <thread>

namespace migrate::deploy {
namespace {

using nlohmann::json;

std::string text(const json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return "";
    if (it->is_string()) return it->get<std::string>();
    return it->dump();
}

bool flag(const json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_boolean() && it->get<bool>();
}

std::int64_t number(const json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end()) return 0;
    if (it->is_number()) return it->get<std::int64_t>();
    if (it->is_string()) {
        try {
            return std::stoll(it->get<std::string>());
        } catch (const std::exception&) {}
    }
    return 0;
}

Branch to_branch(const json& j) {
    return {text(j, "name"), text(j, "parent_branch"), flag(j, "ready"), flag(j, "production"),
            flag(j, "safe_migrations")};
}

DeployRequest to_deploy_request(const json& j) {
    DeployRequest d;
    d.number = static_cast<std::uint64_t>(number(j, "number"));
    d.branch = text(j, "branch");
    d.into_branch = text(j, "into_branch");
    d.state = text(j, "state");
    d.deployment_state = text(j, "deployment_state");
    d.html_url = text(j, "html_url");
    d.notes = text(j, "notes");
    d.created_at = text(j, "created_at");
    if (auto it = j.find("deployment"); it != j.end() && it->is_object()) {
        const json& dep = *it;
        if (auto s = text(dep, "state"); !s.empty()) d.deployment_state = s;
        d.deployable = flag(dep, "deployable");
        d.instant_ddl_eligible = flag(dep, "instant_ddl_eligible");
        d.error_message = text(dep, "error_message");
        if (auto l = dep.find("lint_errors"); l != dep.end() && l->is_array())
            for (const auto& e : *l)
                d.lint_errors.push_back({text(e, "table_name"), text(e, "lint_error"), text(e, "error_description")});
    }
    return d;
}

// scheme://host[:port] and the path prefix of an API base URL such as https://api.planetscale.com/v1.
std::pair<std::string, std::string> split_base(const std::string& url) {
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string::npos ||
        (url.compare(0, scheme_end, "https") != 0 && url.compare(0, scheme_end, "http") != 0))
        throw error(
            errc::config_invalid,
            fmt::format("the PlanetScale API URL \"{}\" is not an http(s) URL such as https://api.planetscale.com/v1",
                        url));
    const auto path_start = url.find('/', scheme_end + 3);
    if (path_start == std::string::npos) return {url, ""};
    std::string path = url.substr(path_start);
    while (!path.empty() && path.back() == '/') path.pop_back();
    return {url.substr(0, path_start), path};
}

bool transient_status(int status) { return status == 0 || status == 429 || status >= 500; }

}  // namespace

bool is_transient(const error& e) {
    return e.code() == errc::platform_api &&
           (transient_status(static_cast<int>(e.context().http_status)) || e.context().api_code == "retry");
}

struct PlanetScaleClient::Http {
    std::string origin;
    std::string prefix;  // /v1/organizations/{org}/databases/{db}
    httplib::Client client;
    explicit Http(const std::string& o) : origin(o), client(o) {}
};

PlanetScaleClient::PlanetScaleClient(PlanetScaleApi api) : api_(std::move(api)) {
    for (auto [value, what] :
         {std::pair{&api_.organization, "organization"}, std::pair{&api_.database, "database"},
          std::pair{&api_.production_branch, "production branch"},
          std::pair{&api_.service_token_id, "service token id"}, std::pair{&api_.service_token, "service token"}})
        if (value->empty())
            throw error(errc::config_invalid,
                        fmt::format("deploy requests need the PlanetScale {}, and none is configured", what));
    auto [origin, path] = split_base(api_.url);
    http_ = std::make_unique<Http>(origin);
    http_->prefix = fmt::format("{}/organizations/{}/databases/{}", path, api_.organization, api_.database);
    http_->client.set_connection_timeout(10);
    http_->client.set_read_timeout(60);
    http_->client.set_write_timeout(60);
    // TLS: the server's certificate is verified against the system's CAs (cpp-httplib's default).
    http_->client.enable_server_certificate_verification(true);
}

PlanetScaleClient::~PlanetScaleClient() = default;

json PlanetScaleClient::call(const std::string& method, const std::string& path, const json* body,
                             bool not_found_is_null) {
    const std::string target = http_->prefix + path;
    const httplib::Headers headers = {{"Authorization", api_.service_token_id + ":" + api_.service_token},
                                      {"Accept", "application/json"}};
    const bool retried = method == "GET" || method == "DELETE";
    std::chrono::milliseconds pause{500};
    for (int attempt = 1;; ++attempt) {
        httplib::Result r{nullptr, httplib::Error::Unknown};
        const std::string payload = body ? body->dump() : "{}";
        if (method == "GET")
            r = http_->client.Get(target.c_str(), headers);
        else if (method == "DELETE")
            r = http_->client.Delete(target.c_str(), headers);
        else if (method == "PATCH")
            r = http_->client.Patch(target.c_str(), headers, payload, "application/json");
        else if (method == "PUT")
            r = http_->client.Put(target.c_str(), headers, payload, "application/json");
        else
            r = http_->client.Post(target.c_str(), headers, payload, "application/json");

        int status = r ? r->status : 0;
        std::string code, message;
        json answer;
        if (r) {
            try {
                answer = r->body.empty() ? json::object() : json::parse(r->body);
            } catch (const json::exception&) {
                answer = json();
            }
            if (status >= 200 && status < 300) {
                if (!answer.is_discarded() && (answer.is_object() || answer.is_array())) return answer;
                if (r->body.empty()) return json::object();
                message = "the answer is not JSON";
            } else if (status == 404 && not_found_is_null) {
                return json();
            } else if (answer.is_object()) {
                code = text(answer, "code");
                message = text(answer, "message");
            } else {
                // Proxies and outages answer HTML or text: reported, not parsed (the first line, shortened).
                std::string first = r->body.substr(0, r->body.find('\n')).substr(0, 200);
                message = first.empty() ? "an empty answer" : "a non-JSON answer: " + first;
            }
        } else {
            message = httplib::to_string(r.error());
        }
        const bool transient = transient_status(status) || code == "retry";
        if (transient && retried && attempt < 6) {
            std::this_thread::sleep_for(pause);
            pause = std::min(pause * 2, std::chrono::milliseconds(8000));
            continue;
        }
        std::string advice;
        if (status == 401 || code == "unauthorized" || code == "unauthenticated")
            advice = " Check the service token id and token (the token is not shown).";
        else if (status == 403 || code == "permission" || code == "forbidden")
            advice = " The service token lacks a permission this step needs (docs/planetscale.md lists them).";
        else if (transient)
            advice = " PlanetScale's API is unavailable or busy: run again later; the run resumes where it stopped.";
        throw error(errc::platform_api,
                    fmt::format("PlanetScale API {} {} {}: {}{}{}", method, path,
                                status ? fmt::format("answered HTTP {}", status) : std::string("failed"),
                                code.empty() ? "" : code + ": ", message, advice),
                    {.http_status = static_cast<std::uint32_t>(status), .api_code = code});
    }
}

std::optional<Branch> PlanetScaleClient::find_branch(const std::string& name) {
    auto j = call("GET", "/branches/" + name, nullptr, true);
    if (j.is_null()) return std::nullopt;
    return to_branch(j);
}

Branch PlanetScaleClient::create_branch(const std::string& name, const std::string& parent) {
    json body = {{"name", name}, {"parent_branch", parent}};
    return to_branch(call("POST", "/branches", &body));
}

void PlanetScaleClient::delete_branch(const std::string& name) { call("DELETE", "/branches/" + name, nullptr, true); }

Password PlanetScaleClient::create_password(const std::string& branch, const std::string& name,
                                            std::chrono::seconds ttl) {
    json body = {{"name", name}, {"role", "admin"}, {"ttl", ttl.count()}};
    auto j = call("POST", "/branches/" + branch + "/passwords", &body);
    return {text(j, "id"), text(j, "username"), text(j, "plain_text"), text(j, "access_host_url")};
}

void PlanetScaleClient::delete_password(const std::string& branch, const std::string& id) {
    call("DELETE", "/branches/" + branch + "/passwords/" + id, nullptr, true);
}

std::vector<DeployRequest> PlanetScaleClient::deploy_requests_from(const std::string& branch) {
    auto j = call("GET", "/deploy-requests?branch=" + branch + "&into_branch=" + api_.production_branch);
    std::vector<DeployRequest> out;
    if (auto it = j.find("data"); it != j.end() && it->is_array())
        for (const auto& d : *it)
            if (text(d, "branch") == branch) out.push_back(to_deploy_request(d));
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.number > b.number; });
    return out;
}

std::vector<DeployRequest> PlanetScaleClient::open_deploy_requests() {
    auto out = deploy_requests_into("open");
    std::erase_if(out, [](const DeployRequest& d) { return d.state != "open"; });
    return out;
}

std::vector<DeployRequest> PlanetScaleClient::deploy_requests_into(const std::string& state) {
    auto j = call("GET", "/deploy-requests?" + (state.empty() ? "" : "state=" + state + "&") +
                             "into_branch=" + api_.production_branch);
    std::vector<DeployRequest> out;
    if (auto it = j.find("data"); it != j.end() && it->is_array())
        for (const auto& d : *it)
            if (text(d, "into_branch").empty() || text(d, "into_branch") == api_.production_branch)
                out.push_back(to_deploy_request(d));
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.number > b.number; });
    return out;
}

DeployRequest PlanetScaleClient::create_deploy_request(const std::string& branch, const std::string& into,
                                                       const std::string& notes, bool auto_cutover,
                                                       bool auto_delete_branch) {
    json body = {{"branch", branch},
                 {"into_branch", into},
                 {"notes", notes},
                 {"auto_cutover", auto_cutover},
                 {"auto_delete_branch", auto_delete_branch}};
    return to_deploy_request(call("POST", "/deploy-requests", &body));
}

DeployRequest PlanetScaleClient::deploy_request(std::uint64_t n) {
    return to_deploy_request(call("GET", fmt::format("/deploy-requests/{}", n)));
}

std::vector<Operation> PlanetScaleClient::operations(std::uint64_t n) {
    auto j = call("GET", fmt::format("/deploy-requests/{}/operations", n));
    std::vector<Operation> out;
    const json* list = j.is_array() ? &j : nullptr;
    if (auto it = j.find("data"); !list && it != j.end() && it->is_array()) list = &*it;
    if (list)
        for (const auto& o : *list)
            out.push_back({text(o, "table_name"), text(o, "state"), text(o, "operation_name"),
                           static_cast<int>(number(o, "progress_percentage")), number(o, "eta_seconds")});
    return out;
}

void PlanetScaleClient::deploy(std::uint64_t n, bool instant) {
    json body = {{"instant_ddl", instant}};
    call("POST", fmt::format("/deploy-requests/{}/deploy", n), &body);
}
void PlanetScaleClient::apply_cutover(std::uint64_t n) {
    call("POST", fmt::format("/deploy-requests/{}/apply-deploy", n));
}
void PlanetScaleClient::skip_revert(std::uint64_t n) {
    call("POST", fmt::format("/deploy-requests/{}/skip-revert", n));
}
void PlanetScaleClient::revert(std::uint64_t n) { call("POST", fmt::format("/deploy-requests/{}/revert", n)); }
void PlanetScaleClient::close(std::uint64_t n) {
    json body = {{"state", "closed"}};
    call("PATCH", fmt::format("/deploy-requests/{}", n), &body);
}

}  // namespace migrate::deploy
