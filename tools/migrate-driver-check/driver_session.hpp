// The checker's view of a driver: calls through the C table of migrate/driver.h and nothing else, with the
// outcome of each call kept whole (status, every error field, rows as bytes) so the checks can judge it.
#pragma once

#include <migrate/driver.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace migrate::driver_check {

using Options = std::vector<std::pair<std::string, std::string>>;
using Value = std::optional<std::string>;  // nullopt = SQL NULL

// What one open or execute call gave back.
struct Outcome {
    int status = MIGRATE_DRIVER_OK;
    migrate_driver_error error{};
    migrate_driver_result result{};
    bool columns_called = false;
    std::vector<std::string> columns;
    std::vector<std::vector<Value>> rows;

    bool ok() const { return status == MIGRATE_DRIVER_OK; }
    std::string message() const;
    std::string sqlstate() const;
    // "status 2, errno 1146, sqlstate 42S02: <message>" for reports.
    std::string describe() const;
};

// A zeroed error struct with struct_size set, as the core hands it to the driver.
migrate_driver_error fresh_error();

// One connection of the driver under test; closed by the destructor.
class Session {
  public:
    // Opens with `options`; check opened() (and outcome()) before using it.
    Session(const migrate_driver_v1& api, const Options& options);
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    bool opened() const { return conn_ != nullptr; }
    const Outcome& open_outcome() const { return open_; }
    std::string server_version() const;

    // Runs one statement. `stop_after` > 0: the row callback asks to stop after that many rows.
    Outcome execute(std::string_view sql, std::size_t stop_after = 0);

  private:
    const migrate_driver_v1& api_;
    migrate_driver_conn* conn_ = nullptr;
    Outcome open_;
};

// Calls open with `options` and closes what it opened at once.
Outcome open_once(const migrate_driver_v1& api, const Options& options);

}  // namespace migrate::driver_check
