#include "server.hpp"

#include "auth.hpp"
#include "ddl_guard.hpp"
#include "management/api_routes.hpp"

#include <psdb_wire.hpp>

#include <httplib.h>

#include <chrono>
#include <cstdio>
#include <mutex>
#include <optional>
#include <stdexcept>

namespace gateway {

namespace {

constexpr const char* service = "/psdb.v1alpha1.Database/";
constexpr std::size_t max_request_bytes = 64u << 20;

// Connect's code → HTTP status table (connect-go ≥ 1.x).
int connect_status(const std::string& code) {
    static const std::map<std::string, int> table = {{"canceled", 499},
                                                     {"unknown", 500},
                                                     {"invalid_argument", 400},
                                                     {"deadline_exceeded", 504},
                                                     {"not_found", 404},
                                                     {"already_exists", 409},
                                                     {"permission_denied", 403},
                                                     {"resource_exhausted", 429},
                                                     {"failed_precondition", 400},
                                                     {"aborted", 409},
                                                     {"out_of_range", 400},
                                                     {"unimplemented", 501},
                                                     {"internal", 500},
                                                     {"unavailable", 503},
                                                     {"data_loss", 500},
                                                     {"unauthenticated", 401}};
    auto it = table.find(code);
    return it == table.end() ? 500 : it->second;
}

std::string dump(const json& j) {
    // Server texts (error messages quoting binary data) may not be UTF-8: replace rather than fail.
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

void send_json(httplib::Response& res, int status, const json& body) {
    res.status = status;
    res.set_content(dump(body), "application/json");
}

// A Connect error: bare {"code","message"}, or wrapped {"error":{…}} (the shape database-js's tests mock).
void connect_error(httplib::Response& res, const std::string& code, const std::string& message, bool wrapped = false) {
    json e = {{"code", code}, {"message", message}};
    send_json(res, connect_status(code), wrapped ? json{{"error", e}} : e);
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::mutex log_mutex;

}  // namespace

Server::Server(const Config& config)
    : config_(config),
      sessions_(config),
      management_(config, [this](const std::string& branch) { sessions_.end_branch(branch); }) {
    if (!config.tls_cert.empty()) {
        auto tls = std::make_unique<httplib::SSLServer>(config.tls_cert.c_str(), config.tls_key.c_str());
        if (!tls->is_valid()) throw std::runtime_error("cannot load the TLS certificate or key (--tls-cert/--tls-key)");
        http_ = std::move(tls);
    } else {
        http_ = std::make_unique<httplib::Server>();
    }
    const int threads = config.threads;
    http_->new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
    http_->set_payload_max_length(max_request_bytes);
    // httplib writes headers and body separately: without this, Nagle + delayed ACK add ~40 ms per response.
    http_->set_tcp_nodelay(true);
    routes();
}

Server::~Server() = default;

int Server::bind() {
    if (config_.port == 0) {
        const int port = http_->bind_to_any_port(config_.listen);
        if (port <= 0) throw std::runtime_error("cannot listen on " + config_.listen);
        management_.set_address(config_.listen, port);
        return port;
    }
    if (!http_->bind_to_port(config_.listen, config_.port))
        throw std::runtime_error("cannot listen on " + config_.listen + ":" + std::to_string(config_.port));
    management_.set_address(config_.listen, config_.port);
    return config_.port;
}

bool Server::run() { return http_->listen_after_bind(); }

void Server::stop() { http_->stop(); }

void Server::routes() {
    // Everything an RPC has in common: content type, credentials, a JSON object body, one log line.
    using Rpc = std::function<std::string(const json& body, const management::SessionTarget& target,
                                          httplib::Response& res)>;  // returns the session id for the log
    auto rpc = [this](const Rpc& handler) {
        return [this, handler](const httplib::Request& req, httplib::Response& res) {
            const auto t0 = std::chrono::steady_clock::now();
            std::string session_id;
            try {
                const std::string type = req.get_header_value("Content-Type");
                const std::string header = req.get_header_value("Authorization");
                auto auth = check_basic_auth(header, config_.user, config_.password);
                // --user/--password: the production branch; a branch password: its branch.
                management::SessionTarget target = management_.production_target();
                if (auth == AuthCheck::denied) {
                    if (auto creds = basic_credentials(header)) {
                        if (auto t = management_.authenticate(creds->first, creds->second)) {
                            target = *t;
                            auth = AuthCheck::ok;
                        }
                    }
                }
                if (type.rfind("application/json", 0) != 0) {
                    connect_error(res, "invalid_argument", "unsupported content type: use application/json");
                    res.status = 415;
                } else if (auth != AuthCheck::ok) {
                    const char* why = auth == AuthCheck::missing     ? "missing Authorization"
                                      : auth == AuthCheck::malformed ? "malformed Authorization"
                                                                     : "invalid auth credentials";
                    connect_error(res, "unauthenticated", why, config_.auth_error_shape == AuthErrorShape::wrapped);
                } else {
                    json body = req.body.empty() ? json::object() : json::parse(req.body, nullptr, false);
                    if (body.is_discarded() || !body.is_object())
                        connect_error(res, "invalid_argument", "the request body is not a JSON object");
                    else
                        session_id = handler(body, target, res);
                }
            } catch (const std::exception& e) {
                connect_error(res, "internal", std::string("psdb-gateway: ") + e.what());
            }
            if (config_.verbose) {
                std::lock_guard lock(log_mutex);
                std::fprintf(stderr, "psdb-gateway: %s %s %d%s%s %.3fms\n", req.method.c_str(), req.path.c_str(),
                             res.status, session_id.empty() ? "" : " session=", session_id.c_str(),
                             seconds_since(t0) * 1000);
            }
        };
    };

    http_->Post(std::string(service) + "Execute",
                rpc([this](const json& body, const management::SessionTarget& target, httplib::Response& res) {
                    return execute(body, target, res);
                }));
    http_->Post(std::string(service) + "CreateSession",
                rpc([this](const json&, const management::SessionTarget& target, httplib::Response& res) {
                    return create_session(target, res);
                }));
    http_->Post(std::string(service) + "CloseSession",
                rpc([this](const json& body, const management::SessionTarget&, httplib::Response& res) {
                    return close_session(body, res);
                }));
    management::register_routes(*http_, management_, config_);
    http_->Post(".*", [this](const httplib::Request& req, httplib::Response& res) {
        connect_error(res, "unimplemented", req.path + " is not implemented by psdb-gateway");
        if (config_.verbose) {
            std::lock_guard lock(log_mutex);
            std::fprintf(stderr, "psdb-gateway: %s %s %d\n", req.method.c_str(), req.path.c_str(), res.status);
        }
    });
}

// A new session's backend connection failed: the client's credentials were refused (when they are the
// backend's too), or the server is unreachable.
std::string Server::connect_failed(const BackendConnectError& e, httplib::Response& res) {
    const bool client_credentials = !config_.mysql_user && !config_.mysql_password;
    if (client_credentials && e.error.mysql_errno == 1045) {  // ER_ACCESS_DENIED_ERROR
        connect_error(res, "unauthenticated", "invalid auth credentials",
                      config_.auth_error_shape == AuthErrorShape::wrapped);
        return {};
    }
    psdb::RpcError err;
    err.code = "UNAVAILABLE";
    err.message = psdb::vitess_error_message("cannot connect to the database: " + e.error.text, e.error.mysql_errno,
                                             e.error.sqlstate, "");
    send_json(res, 200, {{"error", psdb::encode_error(err)}});
    return {};
}

// A new session would pass --max-sessions or --max-backend-connections: refused at once, before connecting,
// as Connect resource_exhausted: HTTP 429 is retryable, and unlike a 5xx it tells clients nothing ran
// (libmigrate's driver reports 1203, ER_TOO_MANY_USER_CONNECTIONS, as vitess maps RESOURCE_EXHAUSTED).
// Existing sessions keep working.
std::string Server::cap_reached(const SessionCapReached& e, httplib::Response& res) {
    const std::string expire =
        config_.idle_timeout_seconds > 0
            ? "let idle ones expire (--idle-timeout " + std::to_string(config_.idle_timeout_seconds) + " s), "
            : std::string();
    connect_error(res, "resource_exhausted",
                  "psdb-gateway: " + std::to_string(e.cap) +
                      " sessions are open, the limit --max-sessions sets: "
                      "close sessions no longer used (CloseSession), " +
                      expire + "or raise --max-sessions");
    return {};
}

std::string Server::cap_reached(const BackendCapReached& e, httplib::Response& res) {
    connect_error(res, "resource_exhausted",
                  "psdb-gateway: " + std::to_string(e.cap) +
                      " backend connections are open, the limit "
                      "--max-backend-connections sets: close sessions no longer used (CloseSession), or raise "
                      "--max-backend-connections (keeping it below the server's max_connections)");
    return {};
}

std::string Server::execute(const json& body, const management::SessionTarget& target, httplib::Response& res) {
    const auto t0 = std::chrono::steady_clock::now();
    const json* q = nullptr;
    if (auto it = body.find("query"); it != body.end() && !it->is_null()) q = &*it;
    if (q && !q->is_string()) {
        connect_error(res, "invalid_argument", "query: expected a string");
        return {};
    }
    const std::string query = q ? q->get<std::string>() : std::string();
    for (const char* key : {"bindVariables", "bind_variables"}) {
        auto it = body.find(key);
        if (it != body.end() && !it->is_null() && !(it->is_object() && it->empty())) {
            connect_error(res, "unimplemented",
                          "bindVariables are not supported by psdb-gateway: interpolate values into the query");
            return {};
        }
    }

    json wire_session = nullptr;
    if (auto it = body.find("session"); it != body.end()) wire_session = *it;
    std::optional<Lease> lease;
    if (wire_session.is_null()) {
        try {
            lease.emplace(sessions_.create(target.branch, target.database));
        } catch (const BackendConnectError& e) {
            return connect_failed(e, res);
        } catch (const SessionCapReached& e) {
            return cap_reached(e, res);
        } catch (const BackendCapReached& e) {
            return cap_reached(e, res);
        }
    } else {
        auto got = sessions_.acquire(wire_session);
        if (auto* refusal = std::get_if<SessionRefusal>(&got)) {
            connect_error(res, refusal->code, refusal->message);
            return {};
        }
        lease.emplace(std::move(std::get<Lease>(got)));
    }
    Session& s = **lease;

    json response = json::object();
    std::optional<psdb::RpcError> error;
    const bool ddl = is_direct_ddl(query);
    if (ddl && management_.safe_migrations(s.branch)) {
        // What vtgate answers on a safe-migrations branch (vitess schema.ErrDirectDDLDisabled, 1105/HY000).
        error.emplace();
        error->code = "UNKNOWN";
        error->message = psdb::vitess_error_message("direct DDL is disabled", 1105, "HY000", query);
    } else {
        Outcome o = s.backend->execute(query, config_.max_rows);
        s.in_transaction = o.in_transaction;
        if (o.result) {
            if (o.result->insert_id) s.last_insert_id = o.result->insert_id;
            s.row_count = o.result->rows_affected;
            s.found_rows = o.result->rows.size();
            response["result"] = psdb::encode_result(*o.result);
            if (ddl) management_.record_ddl(s.branch, query);  // what a deploy request of this branch replays
        } else {
            const SqlError& e = *o.error;
            error.emplace();
            error->code = o.error_code;
            error->message =
                e.mysql_errno ? psdb::vitess_error_message(e.text, e.mysql_errno, e.sqlstate, query) : e.text;
            if (o.connection_lost) {
                s.in_transaction = false;
                lease->drop("ended (backend connection lost)");
            }
        }
    }
    if (error) response["error"] = psdb::encode_error(*error);
    response["session"] = sessions_.to_wire(s);
    response["timing"] = seconds_since(t0);
    send_json(res, 200, response);
    return s.uuid;
}

std::string Server::create_session(const management::SessionTarget& target, httplib::Response& res) {
    std::optional<Lease> lease;
    try {
        lease.emplace(sessions_.create(target.branch, target.database));
    } catch (const BackendConnectError& e) {
        return connect_failed(e, res);
    } catch (const SessionCapReached& e) {
        return cap_reached(e, res);
    } catch (const BackendCapReached& e) {
        return cap_reached(e, res);
    }
    json response = {{"user", {{"username", target.username}, {"psid", "psdb-gateway"}, {"role", "admin"}}},
                     {"session", sessions_.to_wire(**lease)}};
    if (!target.database.empty()) response["branch"] = target.database;
    send_json(res, 200, response);
    return (*lease)->uuid;
}

std::string Server::close_session(const json& body, httplib::Response& res) {
    auto it = body.find("session");
    if (it != body.end() && !it->is_null()) {
        if (auto refusal = sessions_.close(*it)) {
            connect_error(res, refusal->code, refusal->message);
            return {};
        }
    }
    send_json(res, 200, json::object());
    return {};
}

}  // namespace gateway
