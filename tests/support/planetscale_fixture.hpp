// A PlanetScale of its own for a test: a production branch (a scratch database) behind psdb-gateway with safe
// migrations on, its management API (service token below) and fast deploys, plus the CLI arguments that
// point `migrate up` at it.
//
//   testing::PlanetScale ps("label");
//   run_cli(ps.up(folder), testing::planetscale_token_env);
//   ps.deploy_requests()          // what the API lists
#pragma once

#include "gateway.hpp"
#include "test_server.hpp"

#include <httplib.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace testing {

using nlohmann::json;

inline constexpr const char* token_id = "lm-token-id";
inline constexpr const char* token = "lm-secret-service-token-0123456789";

// A production branch (a scratch database) behind a gateway with safe migrations on and fast deploys.
struct PlanetScale {
    explicit PlanetScale(const std::string& label, std::vector<std::string> extra = {})
        : production(label), gateway(args(production.name(), std::move(extra))) {}

    // `extra` flags (with their values) win over the defaults of the same name.
    static std::vector<std::string> with_defaults(std::vector<std::string> a,
                                                  const std::vector<std::pair<std::string, std::string>>& defaults) {
        for (const auto& [flag, value] : defaults)
            if (std::find(a.begin(), a.end(), flag) == a.end()) a.insert(a.end(), {flag, value});
        return a;
    }

    static std::vector<std::string> args(const std::string& database, std::vector<std::string> extra) {
        std::vector<std::string> a{"--mysql-database",
                                   database,
                                   "--safe-migrations",
                                   "--organization",
                                   "acme",
                                   "--database",
                                   "app",
                                   "--service-token",
                                   std::string(token_id) + ":" + token};
        a.insert(a.end(), extra.begin(), extra.end());
        return with_defaults(
            a, {{"--branch-ready-ms", "100"}, {"--deploy-step-ms", "100"}, {"--revert-window-seconds", "3"}});
    }

    // The target's arguments for any command (url, folder, where the API is).
    std::vector<std::string> target(const std::filesystem::path& dir) const {
        return {"--url", gateway.url(production.name()), "--dir", dir.string(),        "--planetscale-org",
                "acme",  "--planetscale-database",       "app",   "--planetscale-api", gateway.base_url() + "/v1"};
    }

    // `migrate up` for the target, polling fast.
    std::vector<std::string> up(const std::filesystem::path& dir, std::vector<std::string> extra = {}) const {
        std::vector<std::string> a{"up"};
        const auto t = target(dir);
        a.insert(a.end(), t.begin(), t.end());
        a.insert(a.end(), extra.begin(), extra.end());
        return with_defaults(a, {{"--deploy-poll-ms", "50"}, {"--deploy-timeout", "120"}});
    }

    // The management API, as a person (or a test) uses it.
    json api(const std::string& method, const std::string& path, const json& body = json::object()) const {
        httplib::Client c(gateway.base_url());
        const httplib::Headers h{{"Authorization", std::string(token_id) + ":" + token}};
        const std::string full = path.rfind("/_gateway", 0) == 0 ? path : "/v1/organizations/acme/databases/app" + path;
        httplib::Result r{nullptr, httplib::Error::Unknown};
        if (method == "GET")
            r = c.Get(full.c_str(), h);
        else if (method == "DELETE")
            r = c.Delete(full.c_str(), h);
        else if (method == "PATCH")
            r = c.Patch(full.c_str(), h, body.dump(), "application/json");
        else
            r = c.Post(full.c_str(), h, body.dump(), "application/json");
        REQUIRE(r);
        INFO(method << " " << full << " → " << r->status << " " << r->body);
        REQUIRE(r->status < 300);
        return r->body.empty() ? json::object() : json::parse(r->body);
    }

    std::vector<json> deploy_requests() const {
        const json list = api("GET", "/deploy-requests");  // kept: a range-for over a temporary's member dangles
        return list["data"].get<std::vector<json>>();
    }

    ScratchDatabase production;
    Gateway gateway;
};

inline const std::map<std::string, std::string> planetscale_token_env = {
    {"PLANETSCALE_SERVICE_TOKEN_ID", token_id}, {"PLANETSCALE_SERVICE_TOKEN", token}, {"DATABASE_URL", ""}};

}  // namespace testing
