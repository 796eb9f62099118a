// A live connection through a driver plugin, as RAII and exceptions (migrate::error) on the core side.
#pragma once

#include "driver_loader.hpp"

#include <migrate/connection_url.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migrate::connect {

using Value = std::optional<std::string>;  // nullopt = SQL NULL
using Row = std::vector<Value>;
// A row as the driver hands it over, valid during the callback only (no copy of every value).
using RowView = std::vector<std::optional<std::string_view>>;

class Connection {
  public:
    // Loads the driver for the URL's scheme (settling its transport, see settled_url) and connects.
    // Throws migrate::error.
    static std::unique_ptr<Connection> open(const ConnectionUrl& url);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // Runs one statement; returns affected rows. Throws migrate::error (server_error / connection_lost).
    std::uint64_t execute(std::string_view sql);
    // Runs one query and returns all rows.
    std::vector<Row> query(std::string_view sql);
    // Runs one query and hands each row to `on_row` as it arrives (for large results read on every
    // start: the tracking table).
    void for_each_row(std::string_view sql, const std::function<void(const RowView&)>& on_row);

    const plugins::LoadedDriver& driver() const { return *driver_; }
    std::string server_version() const;

  private:
    Connection(std::shared_ptr<const plugins::LoadedDriver> driver, migrate_driver_conn* conn)
        : driver_(std::move(driver)), conn_(conn) {}
    std::uint64_t run(std::string_view sql, const std::function<void(const RowView&)>* on_row);

    std::shared_ptr<const plugins::LoadedDriver> driver_;  // keeps the plugin loaded while we live
    migrate_driver_conn* conn_;
};

// True when a server version string (SELECT version(), Connection::server_version()) is MariaDB's, e.g.
// "10.11.19-MariaDB-0+deb12u1"; MySQL, Vitess and PlanetScale report MySQL-style versions.
bool is_mariadb(std::string_view server_version);

// The built-in driver conventionally serving a URL whose scheme libmigrate knows: tcp → mysql2-like,
// http → http-planetscale; "" for another scheme (its driver is found by the scheme it declares).
std::string_view conventional_driver(const ConnectionUrl& url);

// Loads the driver serving the URL's scheme (over its transport, once settled): plugins::load_driver_for_scheme.
// Throws migrate::error (driver_not_found, driver_incompatible, driver_broken).
std::shared_ptr<const plugins::LoadedDriver> driver_for(const ConnectionUrl& url);

// The transport a driver declares. Throws migrate::error(driver_incompatible) for one libmigrate does not speak.
Transport declared_transport(const plugins::LoadedDriver& driver);

// `url` settled on its driver's transport (settle_transport): unchanged when already settled, else the
// driver is looked up. Throws migrate::error (driver_*, url_invalid).
ConnectionUrl settled_url(const ConnectionUrl& url);

}  // namespace migrate::connect
