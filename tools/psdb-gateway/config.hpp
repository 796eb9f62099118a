// psdb-gateway's settings, filled from the command line (main.cpp).
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace gateway {

enum class AuthErrorShape { bare, wrapped };

struct Config {
    std::string listen = "127.0.0.1";
    int port = 3900;  // 0: any free port

    // The MySQL/MariaDB server behind the gateway.
    std::string mysql_host = "127.0.0.1";
    unsigned mysql_port = 3306;
    std::string mysql_socket;                               // wins over host/port when set
    std::string mysql_database;                             // USE'd by every new session; its targetString
    std::optional<std::string> mysql_user, mysql_password;  // default: user/password below

    // Credentials clients must send (HTTP Basic).
    std::string user, password;

    int idle_timeout_seconds = 60;
    // Caps, so a burst of clients cannot use up the server's max_connections (MariaDB's default: 151).
    // Every session holds one backend connection; the backend cap also counts the management API's
    // connection and connections still closing, so it sits a little above the session cap.
    int max_sessions = 64;
    int max_backend_connections = 72;
    std::string tls_cert, tls_key;
    bool safe_migrations = false;
    AuthErrorShape auth_error_shape = AuthErrorShape::bare;
    std::size_t max_rows = 100000;
    int threads = 16;
    bool verbose = false;

    // The management API (management/): /v1/organizations/{organization}/databases/{database}.
    std::string organization = "local";
    std::string database;  // default: mysql_database
    std::string production_branch = "main";
    std::string service_token;  // "ID:TOKEN"; empty: every /v1 request is refused
    int branch_ready_ms = 1000;
    int deploy_step_ms = 500;
    int revert_window_seconds = 60;
    std::string copy_migration_data;  // a table whose rows branches and deploys carry

    // --mysql-user alone means an empty backend password; --mysql-password alone keeps --user.
    std::string backend_user() const { return mysql_user ? *mysql_user : user; }
    std::string backend_password() const {
        return mysql_password ? *mysql_password : mysql_user ? std::string() : password;
    }
};

}  // namespace gateway
