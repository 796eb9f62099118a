// A MariaDB server of the test's own, for tests that restart it or change its global settings (the
// shared test server must never be touched that way):
//
//   testing::PrivateServer server;          // initialised and started in a temp dir, on a free port
//   server.url("db")                        // mysql://migrate:migrate-local-pw@127.0.0.1:PORT/db
//   testing::Sql root(server.sql("db"));    // a plain client connection to it
//   server.stop(); server.start();          // shutdown and start again on the same data directory
//
// It is scripts/db with MIGRATE_DB_DIR and MIGRATE_DB_PORT set, so it is provisioned exactly as the
// shared server is (--no-defaults, the 'migrate' account). The destructor stops it and removes its files.
#pragma once

#include "temp_dir.hpp"

#include <string>

namespace testing {

// A TCP port on 127.0.0.1 nothing listens on right now (the kernel's pick for an ephemeral bind).
int free_port();

class PrivateServer {
  public:
    PrivateServer();
    ~PrivateServer();
    PrivateServer(const PrivateServer&) = delete;
    PrivateServer& operator=(const PrivateServer&) = delete;

    int port() const { return port_; }
    // mysql://migrate:migrate-local-pw@127.0.0.1:PORT[/database]
    std::string url(const std::string& database = "") const;
    void start();  // scripts/db up: throws with its output if it fails
    void stop();   // scripts/db down (a clean shutdown): throws with its output if it fails
    void crash();  // SIGKILL to mariadbd, as a power cut would stop it; start() then runs crash recovery

  private:
    void db(const std::string& command);
    TempDir dir_;
    int port_ = 0;
    bool running_ = false;
};

}  // namespace testing
