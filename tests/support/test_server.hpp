// The real server the integration tests use (scripts/db starts it), reached with libmysqlclient
// directly, independent of libmigrate's own driver, so it can serve as the oracle.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace testing {

using Value = std::optional<std::string>;
using Rows = std::vector<std::vector<Value>>;

// mysql://user:pass@host:port (no database): $MIGRATE_TEST_URL or the build's default.
std::string server_url();
// server_url() + "/" + database
std::string database_url(const std::string& database);

// What drizzle or a user can observe after migrations ran: the tracking rows, SHOW CREATE TABLE of every
// table and every row of every other table. libmigrate's side tables (<tracking>_progress, _lock) are left
// out: they are not part of the drizzle contract. With exact_tracking = false, tracking rows are compared
// as (hash, created_at) without ids and the tracking table's definition is left out (a transaction killed
// mid-way still consumes an auto-increment id, which drizzle never looks at).
struct Snapshot {
    Rows tracking;
    std::map<std::string, std::string> schema;
    std::map<std::string, Rows> data;
    bool operator==(const Snapshot&) const = default;
};

// A plain client connection (database may be empty) to the test server, or to `server`
// (mysql://user:password@host:port, e.g. a PrivateServer's url()) if given.
class Sql {
  public:
    explicit Sql(const std::string& database = "", const std::string& server = "");
    ~Sql();
    Sql(const Sql&) = delete;
    Sql& operator=(const Sql&) = delete;

    void exec(const std::string& sql);
    Rows rows(const std::string& sql);
    std::string scalar(const std::string& sql);

    std::vector<std::string> tables();            // sorted base tables of the database
    std::map<std::string, std::string> schema();  // table → SHOW CREATE TABLE (AUTO_INCREMENT=n removed)
    Rows tracking_rows(const std::string& table = "__drizzle_migrations");  // (hash, created_at) by id
    std::map<std::string, Rows> data();  // table → all rows, ordered, tracking table excluded
    bool database_exists(const std::string& name);
    Snapshot snapshot(bool exact_tracking = true);

  private:
    void* mysql_;
};

// A database created for one test and dropped afterwards: t_<label>_<pid>_<n>.
class ScratchDatabase {
  public:
    explicit ScratchDatabase(const std::string& label);
    ~ScratchDatabase();
    ScratchDatabase(const ScratchDatabase&) = delete;
    ScratchDatabase& operator=(const ScratchDatabase&) = delete;

    const std::string& name() const { return name_; }
    std::string url() const { return database_url(name_); }
    Sql connect() const { return Sql(name_); }

  private:
    std::string name_;
};

}  // namespace testing
