// A database that exists for the length of one `baseline create` / `verify`: created on a server the
// caller names, dropped when done (also on failure).
#pragma once

#include "connect/connection.hpp"

#include <memory>
#include <string>

namespace migrate::baseline {

class ScratchDatabase {
  public:
    // Creates libmigrate_scratch_<random> on the server of `server_url` (its database part is ignored).
    // Throws migrate::error naming the server (redacted) when it cannot.
    explicit ScratchDatabase(const std::string& server_url);
    ~ScratchDatabase();
    ScratchDatabase(const ScratchDatabase&) = delete;
    ScratchDatabase& operator=(const ScratchDatabase&) = delete;

    const std::string& name() const { return name_; }
    const std::string& url() const { return url_; }  // server_url naming the scratch database
    std::unique_ptr<connect::Connection> connect() const;

  private:
    std::unique_ptr<connect::Connection> admin_;
    std::string name_;
    std::string url_;
};

}  // namespace migrate::baseline
