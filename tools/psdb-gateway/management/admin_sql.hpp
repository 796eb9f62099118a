// The management API's own backend connection: schema copies, deploy replays, lint queries.
#pragma once

#include "../backend.hpp"
#include "../config.hpp"

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace gateway::management {

// A statement the server refused; the text is the server's message (no credentials in it).
struct SqlFailure : std::runtime_error {
    using std::runtime_error::runtime_error;
};

using SqlRows = std::vector<psdb::Row>;

class AdminSql {
  public:
    explicit AdminSql(const Config& config);  // throws SqlFailure when the server refuses the connection
    void exec(const std::string& sql);
    SqlRows rows(const std::string& sql);
    // The first column of the first row, "" when there is none.
    std::string scalar(const std::string& sql);

  private:
    std::unique_ptr<Backend> backend_;
};

// `name` as a quoted identifier.
std::string ident(const std::string& name);
// `s` as a quoted string literal.
std::string literal(const std::string& s);

}  // namespace gateway::management
