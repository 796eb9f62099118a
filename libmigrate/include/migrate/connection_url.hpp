// Connection strings: parsing, transport choice, redaction.
//
//   mysql://user:password@host:port/database?ssl-mode=VERIFY_IDENTITY&connect-timeout=10
//   mysql://user@[::1]:3306/db            IPv6 literal
//   mysql://user@%2Frun%2Fmysqld.sock/db  unix socket (percent-encoded path as host), or ?socket=/path
//   https://user:password@host/db         PlanetScale HTTP API
//   loopback-mysql://user@host/db         any other scheme: served by the driver plugin that declares it
// Transport: ?transport=tcp|http wins; http(s):// → http; mysql/mariadb with a host ending in .psdb.cloud
// → http; mysql/mariadb otherwise → tcp; another scheme → the transport its driver declares (settle_transport).
// See docs/connection-strings.md.
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
    std::string scheme;  // mysql, mariadb, http, https, or one a driver plugin declares (lower case)
    std::string user;
    std::string password;  // never printed; see redacted()
    bool has_password = false;
    std::string host;        // without brackets for IPv6
    std::uint16_t port = 0;  // 0 = the transport's default
    std::string socket;      // unix socket path (tcp only)
    std::string database;
    Transport transport = Transport::tcp;
    // False for a scheme libmigrate does not know itself (is_builtin_scheme): until the driver declaring it
    // is found, `transport` and the TLS default (`tls` when the URL asked for none) are placeholders, and the
    // checks that depend on the transport (a unix socket only over tcp) have not been made. settle_transport
    // makes them; Target::open and Connection::open do so with the driver's declared transport.
    bool transport_settled = true;
    TlsMode tls = TlsMode::verify_identity;
    bool tls_given = false;  // the URL asked for a TLS mode (ssl-mode or one of its spellings)
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
// A scheme other than the built-in ones is accepted with the generic shape scheme://user:password@host:port/
// database?params and the same parameters, except `transport` (its driver decides it); the URL is then
// returned with transport_settled false.
MIGRATE_API ConnectionUrl parse_connection_url(std::string_view url);

// mysql, mariadb, http, https: the schemes libmigrate maps to a transport and a driver itself.
MIGRATE_API bool is_builtin_scheme(std::string_view scheme) noexcept;

// Settles a URL parsed with transport_settled false on transport `t` (the one its driver declares): sets the
// TLS default of that transport where the URL asked for no mode (as for mysql:// over it: off for loopback and
// sockets over tcp, verified otherwise; verified over http) and refuses a unix socket over http. A URL already
// settled must have transport `t`. Throws migrate::error(errc::url_invalid).
MIGRATE_API void settle_transport(ConnectionUrl& url, Transport t);

// `url` naming `database` instead of its own (or none); everything else kept as written. Throws like
// parse_connection_url.
MIGRATE_API std::string with_database(std::string_view url, std::string_view database);

// Best-effort redaction of any string that may hold a URL with a password (for echoing bad input).
MIGRATE_API std::string redact_url_text(std::string_view text);

}  // namespace migrate
