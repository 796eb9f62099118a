#include "api_routes.hpp"

#include "api_error.hpp"

#include <httplib.h>

#include <chrono>
#include <cstdio>
#include <mutex>
#include <utility>

namespace gateway::management {

namespace {

constexpr const char* database_path_pattern = "/v1/organizations/([^/]+)/databases/([^/]+)";

// Answers the handler's JSON, or 204 for null.
using Handler = std::function<json(const httplib::Request& req, const json& body)>;

void send(httplib::Response& res, int status, const json& body) {
    res.status = status;
    res.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace), "application/json");
}

void send_error(httplib::Response& res, ErrorCode code, const std::string& message) {
    send(res, http_status(code), {{"code", code_name(code)}, {"message", message}});
}

std::mutex log_mutex;

long long number_of(const httplib::Request& req) {
    try {
        return std::stoll(req.matches[3].str());
    } catch (const std::exception&) {
        throw not_found();
    }
}

}  // namespace

void register_routes(httplib::Server& http, Management& m, const Config& config) {
    // Auth, then the database, then injected faults, then the handler; one log line without credentials.
    auto api = [&m, &config](bool scoped, Handler handler) {
        return [&m, &config, scoped, handler = std::move(handler)](const httplib::Request& req,
                                                                   httplib::Response& res) {
            const auto t0 = std::chrono::steady_clock::now();
            try {
                const std::string auth = req.get_header_value("Authorization");
                if (!m.has_service_token())
                    throw ApiError(
                        ErrorCode::unauthorized,
                        "psdb-gateway has no service token configured: start it with --service-token ID:TOKEN "
                        "(or PSDB_GATEWAY_SERVICE_TOKEN) and send Authorization: ID:TOKEN");
                if (auth.empty())
                    throw ApiError(ErrorCode::unauthorized,
                                   "missing Authorization: send the service token as <token-id>:<token>");
                if (!m.service_token_matches(auth))
                    throw ApiError(ErrorCode::unauthorized,
                                   "invalid service token: send Authorization: <token-id>:<token> as configured with "
                                   "--service-token");
                if (scoped && (req.matches[1].str() != m.organization() || req.matches[2].str() != m.database()))
                    throw not_found();
                std::optional<HttpFault> fault;
                if (scoped) fault = m.take_http_fault(req.method, req.path);
                if (fault) {
                    // Answered as injected, without doing anything.
                    if (fault->raw_body) {
                        res.status = fault->status;
                        res.set_content(*fault->raw_body, "text/html");
                    } else {
                        send(res, fault->status, {{"code", fault->code}, {"message", fault->message}});
                    }
                } else {
                    json body = json::object();
                    if (!req.body.empty()) {
                        body = json::parse(req.body, nullptr, false);
                        if (body.is_null()) body = json::object();  // "null": no members, like an empty body
                        if (body.is_discarded() || !body.is_object())
                            throw invalid("the request body is not a JSON object");
                    }
                    const json out = handler(req, body);
                    if (out.is_null())
                        res.status = 204;
                    else
                        send(res, 200, out);
                }
            } catch (const ApiError& e) {
                send_error(res, e.code, e.what());
            } catch (const std::exception& e) {
                send(res, 500, {{"code", "internal"}, {"message", std::string("psdb-gateway: ") + e.what()}});
            }
            if (config.verbose) {
                const double ms =
                    std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
                std::lock_guard lock(log_mutex);
                std::fprintf(stderr, "psdb-gateway: %s %s %d %.3fms\n", req.method.c_str(), req.path.c_str(),
                             res.status, ms);
            }
        };
    };
    const std::string base = database_path_pattern;
    auto b = [&base](const char* rest) { return base + rest; };

    http.Get(b("/branches"), api(true, [&m](auto&, auto&) { return m.list_branches(); }));
    http.Post(b("/branches"), api(true, [&m](auto&, const json& body) { return m.create_branch(body); }));
    http.Get(b("/branches/([^/]+)"),
             api(true, [&m](const httplib::Request& r, auto&) { return m.get_branch(r.matches[3]); }));
    http.Delete(b("/branches/([^/]+)"), api(true, [&m](const httplib::Request& r, auto&) {
                    m.delete_branch(r.matches[3]);
                    return json(nullptr);
                }));
    http.Post(b("/branches/([^/]+)/safe-migrations"),
              api(true, [&m](const httplib::Request& r, auto&) { return m.set_safe_migrations(r.matches[3], true); }));
    http.Delete(b("/branches/([^/]+)/safe-migrations"), api(true, [&m](const httplib::Request& r, auto&) {
                    return m.set_safe_migrations(r.matches[3], false);
                }));
    http.Post(b("/branches/([^/]+)/passwords"), api(true, [&m](const httplib::Request& r, const json& body) {
                  return m.create_password(r.matches[3], body);
              }));
    http.Delete(b("/branches/([^/]+)/passwords/([^/]+)"), api(true, [&m](const httplib::Request& r, auto&) {
                    m.delete_password(r.matches[3], r.matches[4]);
                    return json(nullptr);
                }));

    http.Get(b("/deploy-requests"), api(true, [&m](const httplib::Request& r, auto&) {
                 return m.list_deploy_requests(r.get_param_value("state"), r.get_param_value("branch"),
                                               r.get_param_value("into_branch"));
             }));
    http.Post(b("/deploy-requests"),
              api(true, [&m](auto&, const json& body) { return m.create_deploy_request(body); }));
    http.Get(b("/deploy-requests/([0-9]+)"),
             api(true, [&m](const httplib::Request& r, auto&) { return m.get_deploy_request(number_of(r)); }));
    http.Patch(b("/deploy-requests/([0-9]+)"), api(true, [&m](const httplib::Request& r, const json& body) {
                   return m.close_deploy_request(number_of(r), body);
               }));
    http.Post(b("/deploy-requests/([0-9]+)/deploy"),
              api(true, [&m](const httplib::Request& r, const json& body) { return m.deploy(number_of(r), body); }));
    http.Post(b("/deploy-requests/([0-9]+)/apply-deploy"),
              api(true, [&m](const httplib::Request& r, auto&) { return m.apply_deploy(number_of(r)); }));
    http.Post(b("/deploy-requests/([0-9]+)/cancel"),
              api(true, [&m](const httplib::Request& r, auto&) { return m.cancel(number_of(r)); }));
    http.Post(b("/deploy-requests/([0-9]+)/revert"),
              api(true, [&m](const httplib::Request& r, auto&) { return m.revert(number_of(r)); }));
    http.Post(b("/deploy-requests/([0-9]+)/skip-revert"),
              api(true, [&m](const httplib::Request& r, auto&) { return m.skip_revert(number_of(r)); }));
    http.Get(b("/deploy-requests/([0-9]+)/operations"),
             api(true, [&m](const httplib::Request& r, auto&) { return m.operations(number_of(r)); }));
    http.Get(b("/deploy-requests/([0-9]+)/deployment"),
             api(true, [&m](const httplib::Request& r, auto&) { return m.deployment(number_of(r)); }));
    http.Get(b("/deploy-queue"), api(true, [&m](auto&, auto&) { return m.deploy_queue(); }));

    http.Post("/_gateway/faults", api(false, [&m](auto&, const json& body) {
                  m.add_fault(body);
                  return json::object();
              }));
    http.Delete("/_gateway/faults", api(false, [&m](auto&, auto&) {
                    m.clear_faults();
                    return json::object();
                }));

    // Anything else under /v1: PlanetScale's not_found (after auth, as there).
    auto unknown = api(false, [](auto&, auto&) -> json { throw not_found(); });
    http.Get("/v1/.*", unknown);
    http.Post("/v1/.*", unknown);
    http.Delete("/v1/.*", unknown);
    http.Patch("/v1/.*", unknown);
    http.Put("/v1/.*", unknown);
}

}  // namespace gateway::management
