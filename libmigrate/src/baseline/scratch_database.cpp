#include "scratch_database.hpp"

#include <migrate/error.hpp>

#include <fmt/format.h>

#include <random>

namespace migrate::baseline {

ScratchDatabase::ScratchDatabase(const std::string& server_url) {
    ConnectionUrl server = parse_connection_url(with_database(server_url, ""));
    admin_ = connect::Connection::open(server);
    std::random_device random;
    name_ = fmt::format("libmigrate_scratch_{:08x}{:08x}", random(), random());
    try {
        admin_->execute(fmt::format("create database `{}`", name_));
    } catch (const error& e) {
        throw error(
            e.code(),
            fmt::format("cannot create a scratch database on {}: {}. Baselines are built in a scratch database: "
                        "use a scratch server where this user may CREATE and DROP databases (e.g. a local "
                        "MySQL/MariaDB of the same flavour as your targets)",
                        server.redacted(), e.what()),
            [&] {
                auto c = e.context();
                c.fix = remedy::choose_scratch_server;
                return c;
            }());
    }
    url_ = with_database(server_url, name_);
}

ScratchDatabase::~ScratchDatabase() {
    try {
        admin_->execute(fmt::format("drop database if exists `{}`", name_));
    } catch (const error&) {
        // Best effort: the name says what it is, and nothing reads it.
    }
}

std::unique_ptr<connect::Connection> ScratchDatabase::connect() const {
    return connect::Connection::open(parse_connection_url(url_));
}

}  // namespace migrate::baseline
