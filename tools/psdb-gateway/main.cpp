// psdb-gateway: the PlanetScale HTTP API (psdb.v1alpha1.Database over Connect JSON) in front of a
// MySQL/MariaDB server, for local development and tests. See README.md.
#include "config.hpp"
#include "server.hpp"

#include <mysql.h>
#include <CLI/CLI.hpp>

#include <pthread.h>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <thread>

int main(int argc, char** argv) {
    gateway::Config c;
    CLI::App app{"psdb-gateway: PlanetScale's HTTP database API over a MySQL/MariaDB server"};
    app.add_option("--listen", c.listen, "address to listen on")->capture_default_str();
    app.add_option("--port", c.port, "port to listen on; 0 picks a free one")
        ->capture_default_str()
        ->check(CLI::Range(0, 65535));
    app.add_option("--mysql-host", c.mysql_host, "MySQL/MariaDB host")->capture_default_str();
    app.add_option("--mysql-port", c.mysql_port, "MySQL/MariaDB port")->capture_default_str();
    app.add_option("--mysql-socket", c.mysql_socket, "unix socket of the server (instead of host/port)");
    app.add_option("--mysql-database", c.mysql_database, "database every new session uses (its targetString)");
    app.add_option("--mysql-user", c.mysql_user, "backend user (default: --user)");
    app.add_option("--mysql-password", c.mysql_password, "backend password (default: --password)")
        ->envname("PSDB_GATEWAY_MYSQL_PASSWORD");
    app.add_option("--user", c.user, "user name clients must send (HTTP Basic)")->required();
    app.add_option("--password", c.password, "password clients must send (HTTP Basic)")
        ->envname("PSDB_GATEWAY_PASSWORD")
        ->required();
    app.add_option("--idle-timeout", c.idle_timeout_seconds,
                   "seconds after which an unused session is closed (later use: not_found); 0 = never")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    app.add_option("--max-sessions", c.max_sessions,
                   "sessions open at once; a new one beyond answers 429 resource_exhausted")
        ->capture_default_str()
        ->check(CLI::Range(1, 100000));
    app.add_option("--max-backend-connections", c.max_backend_connections,
                   "connections to the server at once (sessions, the management API's); keep below its max_connections")
        ->capture_default_str()
        ->check(CLI::Range(1, 100000));
    auto* cert = app.add_option("--tls-cert", c.tls_cert, "PEM certificate: serve HTTPS")->check(CLI::ExistingFile);
    auto* key = app.add_option("--tls-key", c.tls_key, "PEM private key for --tls-cert")->check(CLI::ExistingFile);
    cert->needs(key);
    key->needs(cert);
    app.add_flag("--safe-migrations", c.safe_migrations,
                 "refuse DDL with \"direct DDL is disabled\", as PlanetScale does");
    app.add_option("--auth-error-shape", c.auth_error_shape,
                   "auth failures as bare Connect errors or wrapped in \"error\"")
        ->transform(CLI::CheckedTransformer(std::map<std::string, gateway::AuthErrorShape>{
            {"bare", gateway::AuthErrorShape::bare}, {"wrapped", gateway::AuthErrorShape::wrapped}}))
        ->default_str("bare");
    app.add_option("--max-rows", c.max_rows, "rows a result may have (\"Row count exceeded\" beyond)")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    app.add_option("--threads", c.threads, "HTTP worker threads")->capture_default_str()->check(CLI::Range(1, 1024));
    app.add_flag("--verbose", c.verbose, "one line per request on stderr (never credentials or queries)");
    // The management API (management/, README "Management API").
    app.add_option("--organization", c.organization, "organization name of the management API's paths")
        ->capture_default_str();
    app.add_option("--database", c.database, "database name of the management API's paths (default: --mysql-database)");
    app.add_option("--production-branch", c.production_branch, "name of the production branch (--mysql-database)")
        ->capture_default_str();
    app.add_option("--service-token", c.service_token,
                   "ID:TOKEN the management API requires as Authorization: ID:TOKEN")
        ->envname("PSDB_GATEWAY_SERVICE_TOKEN");
    app.add_option("--branch-ready-ms", c.branch_ready_ms, "milliseconds a new branch answers ready:false")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    app.add_option("--deploy-step-ms", c.deploy_step_ms, "milliseconds between two steps of a deployment")
        ->capture_default_str()
        ->check(CLI::Range(1, 600000));
    app.add_option("--revert-window-seconds", c.revert_window_seconds, "seconds a deployed request can be reverted")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    app.add_option(
        "--copy-migration-data", c.copy_migration_data,
        "table whose rows new branches copy and deploys carry to production (PlanetScale's \"copy migration data\")");
    CLI11_PARSE(app, argc, argv);

    if (!c.service_token.empty()) {
        const auto colon = c.service_token.find(':');
        if (colon == std::string::npos || colon == 0 || colon + 1 == c.service_token.size()) {
            std::cerr << "psdb-gateway: --service-token must be ID:TOKEN, both non-empty\n";
            return 2;
        }
    }
    if (c.production_branch.empty()) {
        std::cerr << "psdb-gateway: --production-branch must be non-empty\n";
        return 2;
    }

    if (c.user.empty() || c.user.find(':') != std::string::npos) {
        std::cerr << "psdb-gateway: --user must be non-empty and contain no ':'\n";
        return 2;
    }
    if (c.password.empty()) {
        std::cerr << "psdb-gateway: --password must be non-empty (clients must send a non-empty password)\n";
        return 2;
    }

    // SIGINT/SIGTERM are taken by one thread (below); every other thread, including httplib's, inherits the mask.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    std::signal(SIGPIPE, SIG_IGN);

    if (mysql_library_init(0, nullptr, nullptr) != 0) {
        std::cerr << "psdb-gateway: mysql_library_init failed\n";
        return 1;
    }
    int rc = 0;
    try {
        gateway::Server server(c);
        const int port = server.bind();
        std::cout << "listening on " << c.listen << ":" << port << std::endl;  // first line; tests read it
        std::thread waiter([&server, stop_signals] {
            int sig = 0;
            sigwait(&stop_signals, &sig);
            if (sig != 0) server.stop();
        });
        if (!server.run()) rc = 1;
        // Stopped some other way than by a signal: release the waiter.
        pthread_kill(waiter.native_handle(), SIGTERM);
        waiter.join();
    } catch (const std::exception& e) {
        std::cerr << "psdb-gateway: " << e.what() << "\n";
        rc = 1;
    }
    mysql_library_end();
    return rc;
}
