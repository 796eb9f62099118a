// The HTTP side: Connect unary JSON routes of psdb.v1alpha1.Database over the session table.
#pragma once

#include "config.hpp"
#include "management/management.hpp"
#include "sessions.hpp"

#include <memory>
#include <string>

namespace httplib {
class Server;
struct Response;
}  // namespace httplib

namespace gateway {

class Server {
  public:
    explicit Server(const Config& config);  // throws std::runtime_error (e.g. unreadable TLS files)
    ~Server();
    // Binds --listen/--port; returns the port (the chosen one for --port 0). Throws on failure.
    int bind();
    // Serves until stop(). Returns false if the server failed.
    bool run();
    void stop();  // thread-safe

  private:
    void routes();
    // The RPCs; each returns the session id for the log line ("" if none).
    std::string execute(const json& body, const management::SessionTarget& target, httplib::Response& res);
    std::string create_session(const management::SessionTarget& target, httplib::Response& res);
    std::string close_session(const json& body, httplib::Response& res);
    std::string connect_failed(const BackendConnectError& e, httplib::Response& res);
    std::string cap_reached(const SessionCapReached& e, httplib::Response& res);
    std::string cap_reached(const BackendCapReached& e, httplib::Response& res);

    const Config& config_;
    SessionTable sessions_;
    management::Management management_;
    std::unique_ptr<httplib::Server> http_;
};

}  // namespace gateway
