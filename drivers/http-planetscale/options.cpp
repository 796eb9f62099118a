#include "options.hpp"

#include <string_view>

namespace migrate::drivers::http_planetscale {
namespace {

namespace kit = migrate::driver_kit;

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// A URL scheme: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) (RFC 3986).
bool valid_scheme(std::string_view s) {
    if (s.empty()) return false;
    const auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
    if (!alpha(s[0])) return false;
    for (char c : s)
        if (!alpha(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.') return false;
    return true;
}

// The host goes into the Host header, the TLS SNI and the name check: letters, digits, '-', '.', '_'
// and ':' (IPv6 literals) only. This also rules out header injection through CR/LF.
bool valid_host(std::string_view h) {
    if (h.empty()) return false;
    for (const char c : h) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                        c == '.' || c == '_' || c == ':';
        if (!ok) return false;
    }
    return true;
}

}  // namespace

std::string HttpConfig::origin() const {
    std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    return std::string(tls ? "https" : "http") + "://" + h + ":" + std::to_string(port);
}

bool parse_options(const migrate_driver_option* options, std::size_t option_count, HttpConfig& out,
                   std::string& error) {
    out = HttpConfig{};
    std::optional<std::string> scheme;
    kit::CommonOptions common;
    const auto driver_option = [&](std::string_view key, const char* value, std::string& message) {
        if (key == "scheme") {
            scheme = kit::non_empty(value);
            if (scheme && !valid_scheme(*scheme)) {
                message = kit::invalid_value_message(key, value, "a URL scheme such as https, http, mysql");
                return kit::OptionResult::rejected;
            }
            return kit::OptionResult::accepted;
        }
        if (key == "socket") {
            if (value != nullptr && *value != '\0') {
                message =
                    "option 'socket' cannot be used with the http transport (the PlanetScale HTTP API is "
                    "reached over TCP)";
                return kit::OptionResult::rejected;
            }
            return kit::OptionResult::accepted;
        }
        return kit::OptionResult::unknown;
    };
    if (!kit::parse_options(options, option_count, common, error, driver_option)) return false;
    const std::optional<std::string>&host = common.host, &user = common.user, &password = common.password;
    const unsigned int port = common.port.value_or(0u);  // 0 = not given
    out.database = common.database;
    out.ssl_ca = common.ssl_ca;
    out.ssl_capath = common.ssl_capath;
    out.ssl_cert = common.ssl_cert;
    out.ssl_key = common.ssl_key;
    out.connect_timeout = common.connect_timeout;
    out.read_timeout = common.read_timeout;
    out.write_timeout = common.write_timeout;

    // Scheme: only "http" means plaintext; anything else (https, mysql, mariadb, …) is https.
    out.scheme = scheme.value_or("https");
    for (char& c : out.scheme) c = ascii_lower(c);
    out.tls = out.scheme != "http";

    if (!host) {
        error = "missing required option 'host'";
        return false;
    }
    if (!valid_host(*host)) {
        error = "invalid value for option 'host': '" + *host +
                "' (expected a host name or IP address: letters, digits, '-', '.', '_', ':'; use the xn-- form for "
                "international names)";
        return false;
    }
    out.host = *host;
    out.port = port != 0 ? port : (out.tls ? 443u : 80u);

    if (!user) {
        error = "missing required option 'user' (the PlanetScale HTTP API needs user name and password)";
        return false;
    }
    if (user->find(':') != std::string::npos) {
        error = "invalid value for option 'user': HTTP Basic authentication cannot carry a ':' in the user name";
        return false;
    }
    out.user = *user;
    if (!password || password->empty()) {
        error =
            "missing required option 'password': the PlanetScale HTTP API refuses an empty password "
            "(https://USER:PASSWORD@host)";
        return false;
    }
    out.password = *password;

    // TLS. The core already refuses http + TLS and https + DISABLED; checked again here so
    // that no combination of options can quietly weaken what the URL asked for.
    out.ssl_mode = common.ssl_mode.value_or(out.tls ? SslMode::verify_identity : SslMode::disabled);
    if (!out.tls && out.ssl_mode != SslMode::disabled) {
        error = std::string("ssl-mode=") + ssl_mode_name(out.ssl_mode) +
                " needs TLS, but the URL says http:// (plaintext); use https:// for TLS";
        return false;
    }
    if (out.tls && out.ssl_mode == SslMode::disabled) {
        error = "ssl-mode=DISABLED needs an http:// URL: with the http transport, scheme '" + out.scheme +
                "' means https; write http://… to send credentials and statements in plaintext";
        return false;
    }
    if (out.tls) {
        if (out.ssl_cert.has_value() != out.ssl_key.has_value()) {
            error = out.ssl_cert ? "option 'ssl-cert' needs option 'ssl-key' (the client certificate's private key)"
                                 : "option 'ssl-key' needs option 'ssl-cert' (the client certificate)";
            return false;
        }
        // REQUIRED alone encrypts without checking who answers. Given a CA, it verifies (as MySQL's
        // clients do for REQUIRED + ssl-ca); httplib always checks the host name as well.
        out.verify_certificate = out.ssl_mode != SslMode::required || out.ssl_ca || out.ssl_capath;
    } else {
        // Plaintext: certificate options are ignored (as by the mysql2-like driver under DISABLED).
        out.verify_certificate = false;
        out.ssl_ca.reset();
        out.ssl_capath.reset();
        out.ssl_cert.reset();
        out.ssl_key.reset();
    }
    return true;
}

}  // namespace migrate::drivers::http_planetscale
