// Parsing of the driver's connection options (migrate_driver_option list) into a plain struct.
// Internal to the mysql2-like driver; nothing here is exported. The common keys are parsed by the
// driver kit (migrate/driver_kit.hpp); `socket`, the defaults and the required keys are this driver's.
#pragma once

#include <migrate/driver.h>
#include <migrate/driver_kit.hpp>

#include <cstddef>
#include <optional>
#include <string>

namespace migrate::drivers::mysql2_like {

using migrate::driver_kit::ssl_mode_name;
using migrate::driver_kit::SslMode;

struct ConnectConfig {
    std::optional<std::string> host;  // absent or "" = not given
    unsigned int port = 3306;
    std::optional<std::string> socket;    // when set, host/port are not used
    std::string user;                     // required, non-empty
    std::optional<std::string> password;  // absent = connect without a password
    std::optional<std::string> database;  // absent or "" = no default database
    SslMode ssl_mode = SslMode::verify_identity;
    std::optional<std::string> ssl_ca, ssl_capath, ssl_cert, ssl_key;
    unsigned int connect_timeout = 10;  // seconds; 0 = none
    unsigned int read_timeout = 0;
    unsigned int write_timeout = 0;
};

// Fills `out` from the option list. On failure returns false and sets `error` to a message that
// names the offending key (and value, except for the password). Never throws std::exception other
// than std::bad_alloc.
bool parse_connect_options(const migrate_driver_option* options, std::size_t option_count, ConnectConfig& out,
                           std::string& error);

}  // namespace migrate::drivers::mysql2_like
