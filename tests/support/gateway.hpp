// psdb-gateway (tools/psdb-gateway) started for a test, in front of the test server:
//
//   testing::Gateway gw({"--mysql-database", db.name(), "--safe-migrations"});
//   gw.url(db.name())   // http://migrate:migrate-local-pw@127.0.0.1:PORT/<db>
//
// The gateway listens on a free port (--port 0; the port is read from its first stdout line) and takes
// the test server's address and credentials (MIGRATE_TEST_URL) as its backend and as the HTTP Basic
// credentials clients must send, unless `args` sets --user/--password/--mysql-* itself.
// The binary is the one built next to the CLI, or $MIGRATE_GATEWAY_PATH.
//
// The management API (README "Management API"): start it with a service token and address it through
// api_base():
//
//   testing::Gateway gw({"--mysql-database", db.name(), "--service-token", "tid:secret"});
//   gw.api_base()            // http://127.0.0.1:PORT/v1/organizations/local/databases/<db>
//   gw.service_token()       // "tid:secret", the Authorization header's value
#pragma once

#include <string>
#include <vector>

namespace testing {

class Gateway {
  public:
    explicit Gateway(const std::vector<std::string>& args = {});
    ~Gateway();  // SIGTERM, then SIGKILL if it has not exited within 10 s
    Gateway(const Gateway&) = delete;
    Gateway& operator=(const Gateway&) = delete;

    int port() const { return port_; }
    int pid() const { return pid_; }
    // http://HOST:PORT (HOST as the gateway printed it: 127.0.0.1 unless --listen says otherwise)
    std::string base_url() const;
    // http://USER:PASSWORD@127.0.0.1:PORT[/database]: what @planetscale/database and libmigrate take.
    std::string url(const std::string& database = "") const;
    const std::string& user() const { return user_; }
    const std::string& password() const { return password_; }
    // http://HOST:PORT/v1/organizations/ORG/databases/DB (--organization, default local; --database,
    // default --mysql-database).
    std::string api_base() const;
    // --service-token's value ("" when not given).
    const std::string& service_token() const { return service_token_; }
    // Everything the gateway wrote to stderr so far (with --verbose: one line per request).
    std::string log() const;
    // SIGTERM and wait; returns the exit code (128+N if killed by signal N). Idempotent.
    int stop();

  private:
    int pid_ = -1;
    int port_ = 0;
    int exit_code_ = -1;
    std::string host_, user_, password_, err_path_;
    std::string organization_, database_, service_token_;
};

// The psdb-gateway executable the tests use.
std::string gateway_path();

}  // namespace testing
