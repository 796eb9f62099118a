// Parsing of the driver's connection options (migrate_driver_option list) into a plain struct.
// Internal to the http-planetscale driver; nothing here is exported. The common keys are parsed by the
// driver kit (migrate/driver_kit.hpp); `scheme`, `socket` and every check of this transport are here.
#pragma once

#include <migrate/driver.h>
#include <migrate/driver_kit.hpp>

#include <cstddef>
#include <optional>
#include <string>

namespace migrate::drivers::http_planetscale {

using migrate::driver_kit::ssl_mode_name;
using migrate::driver_kit::SslMode;

struct HttpConfig {
    std::string scheme;                   // the URL's scheme as given ("http", "https", "mysql", …)
    bool tls = true;                      // false only for scheme "http"
    std::string host;                     // required; an IPv6 literal comes without brackets
    unsigned int port = 443;              // the URL's port, else 443 (https) / 80 (http)
    std::string user;                     // required, non-empty, no ':'
    std::string password;                 // required, non-empty (psdb rejects an empty one)
    std::optional<std::string> database;  // accepted, never transmitted (the credential picks the branch)
    SslMode ssl_mode = SslMode::verify_identity;
    bool verify_certificate = true;  // the effective decision (see README: TLS)
    std::optional<std::string> ssl_ca, ssl_capath, ssl_cert, ssl_key;
    unsigned int connect_timeout = 10;  // seconds; 0 = none (a large value is used)
    unsigned int read_timeout = 0;
    unsigned int write_timeout = 0;

    // "https://host:port" (IPv6 in brackets): for messages. Carries no credentials.
    std::string origin() const;
};

// Fills `out` from the option list. On failure returns false and sets `error` to a message that
// names the offending key (and its value, except for the password and unknown keys).
bool parse_options(const migrate_driver_option* options, std::size_t option_count, HttpConfig& out, std::string& error);

}  // namespace migrate::drivers::http_planetscale
