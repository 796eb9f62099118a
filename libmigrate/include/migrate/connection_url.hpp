// Connection strings: parsing, transport choice, redaction.
//
//   mysql://user:password@host:port/database?ssl-mode=VERIFY_IDENTITY&connect-timeout=10
//   mysql://user@[::1]:3306/db            IPv6 literal
//   mysql://user@%2Frun%2Fmysqld.sock/db  unix socket (percent-encoded path as host), or ?socket=/path
//   https://user:password@host/db         PlanetScale HTTP API
// Transport: ?transport=tcp|http wins; http(s):// → http; mysql/mariadb with a host ending in .psdb.cloud
// → http; anything else → tcp. See docs/connection-strings.md.
#pragma once

#include <migrate/export.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace migrate {

enum class Transport { tcp, http };
MIGRATE_API std::string_view to_string(Transport t) noexcept;

enum class TlsMode { disabled, required, verify_ca, verify_identity };
MIGRATE_API std::string_view to_string(TlsMode m) noexcept;

struct MIGRATE_API ConnectionUrl {
    std::string scheme;  // mysql, mariadb, http, https
    std::string user;
    std::string password;  // never printed; see redacted()
    bool has_password = false;
    std::string host;        // without brackets for IPv6
    std::uint16_t port = 0;  // 0 = the transport's default
    std::string socket;      // unix socket path (tcp only)
    std::string database;
    Transport transport = Transport::tcp;
    TlsMode tls = TlsMode::verify_identity;
    std::string tls_ca, tls_capath, tls_cert, tls_key;
    unsigned connect_timeout_s = 10;
    unsigned read_timeout_s = 0;  // 0 = no limit (DDL on a big table may take hours)
    unsigned write_timeout_s = 0;

    // The URL with the password replaced by "***"; safe for logs, errors and JSON.
    std::string redacted() const;
    // host:port or the socket path, for display.
    std::string endpoint() const;
    // Key/value options for the driver (see plugins/include/migrate/driver.h), password included.
    std::vector<std::pair<std::string, std::string>> driver_options() const;
};

// Throws migrate::error(errc::url_invalid) naming what is wrong; the message never contains the password.
MIGRATE_API ConnectionUrl parse_connection_url(std::string_view url);

// `url` naming `database` instead of its own (or none); everything else kept as written. Throws like
// parse_connection_url.
MIGRATE_API std::string with_database(std::string_view url, std::string_view database);

// Best-effort redaction of any string that may hold a URL with a password (for echoing bad input).
MIGRATE_API std::string redact_url_text(std::string_view text);

}  // namespace migrate
