#include "options.hpp"

#include <string_view>

namespace migrate_http_planetscale {
namespace {

// httplib waits with poll(), whose timeout is an int of milliseconds.
constexpr unsigned long kMaxTimeoutSeconds = 2147483;

bool parse_unsigned(std::string_view text, unsigned long max, unsigned long &out) {
    if (text.empty() || text.size() > 10) return false;
    unsigned long value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return false;
        value = value * 10 + static_cast<unsigned long>(c - '0');
    }
    if (value > max) return false;
    out = value;
    return true;
}

char ascii_upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }
char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (ascii_upper(a[i]) != ascii_upper(b[i])) return false;
    return true;
}

std::optional<std::string> non_empty(const char *value) {
    if (value == nullptr || *value == '\0') return std::nullopt;
    return std::string(value);
}

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
    for (unsigned char c : h) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                        c == '.' || c == '_' || c == ':';
        if (!ok) return false;
    }
    return true;
}

}  // namespace

const char *ssl_mode_name(SslMode mode) noexcept {
    switch (mode) {
    case SslMode::disabled: return "DISABLED";
    case SslMode::required: return "REQUIRED";
    case SslMode::verify_ca: return "VERIFY_CA";
    case SslMode::verify_identity: return "VERIFY_IDENTITY";
    }
    return "?";
}

std::string HttpConfig::origin() const {
    std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    return std::string(tls ? "https" : "http") + "://" + h + ":" + std::to_string(port);
}

bool parse_options(const migrate_driver_option *options, std::size_t option_count, HttpConfig &out,
                   std::string &error) {
    out = HttpConfig{};
    if (options == nullptr && option_count != 0) {
        error = "option list is NULL but option_count is not 0";
        return false;
    }
    std::optional<std::string> scheme, host, user, password;
    unsigned int port = 0;  // 0 = not given
    bool have_ssl_mode = false;
    SslMode ssl_mode = SslMode::verify_identity;

    // Later occurrences of a key override earlier ones. A NULL value counts as "not given".
    for (std::size_t i = 0; i < option_count; ++i) {
        const char *key_c = options[i].key;
        const char *value = options[i].value;
        if (key_c == nullptr) {
            error = "option #" + std::to_string(i) + " has a NULL key";
            return false;
        }
        const std::string_view key(key_c);

        auto bad_value = [&](const char *expected) {
            error = "invalid value for option '" + std::string(key) + "': '" + value + "' (expected " + expected + ")";
            return false;
        };

        if (key == "scheme") {
            scheme = non_empty(value);
            if (scheme && !valid_scheme(*scheme)) return bad_value("a URL scheme such as https, http, mysql");
        } else if (key == "host") {
            host = non_empty(value);
        } else if (key == "port") {
            if (value == nullptr) { port = 0; continue; }
            unsigned long v = 0;
            if (!parse_unsigned(value, 65535, v) || v == 0) return bad_value("an integer from 1 to 65535");
            port = static_cast<unsigned int>(v);
        } else if (key == "socket") {
            if (value != nullptr && *value != '\0') {
                error = "option 'socket' cannot be used with the http transport (the PlanetScale HTTP API is "
                        "reached over TCP)";
                return false;
            }
        } else if (key == "user") {
            user = non_empty(value);
        } else if (key == "password") {
            // Never echoed anywhere.
            if (value == nullptr) password.reset();
            else password = std::string(value);
        } else if (key == "database") {
            out.database = non_empty(value);
        } else if (key == "ssl-mode") {
            have_ssl_mode = value != nullptr;
            if (value == nullptr) continue;
            if (iequals(value, "DISABLED")) ssl_mode = SslMode::disabled;
            else if (iequals(value, "REQUIRED")) ssl_mode = SslMode::required;
            else if (iequals(value, "VERIFY_CA")) ssl_mode = SslMode::verify_ca;
            else if (iequals(value, "VERIFY_IDENTITY")) ssl_mode = SslMode::verify_identity;
            else return bad_value("DISABLED, REQUIRED, VERIFY_CA or VERIFY_IDENTITY");
        } else if (key == "ssl-ca") {
            out.ssl_ca = non_empty(value);
        } else if (key == "ssl-capath") {
            out.ssl_capath = non_empty(value);
        } else if (key == "ssl-cert") {
            out.ssl_cert = non_empty(value);
        } else if (key == "ssl-key") {
            out.ssl_key = non_empty(value);
        } else if (key == "connect-timeout" || key == "read-timeout" || key == "write-timeout") {
            unsigned int &target = key == "connect-timeout" ? out.connect_timeout
                                   : key == "read-timeout"  ? out.read_timeout
                                                            : out.write_timeout;
            if (value == nullptr) { target = key == "connect-timeout" ? 10u : 0u; continue; }
            unsigned long v = 0;
            if (!parse_unsigned(value, kMaxTimeoutSeconds, v))
                return bad_value("a whole number of seconds from 0 to 2147483; 0 = none");
            target = static_cast<unsigned int>(v);
        } else {
            // Name the key only: a misspelled key might carry a secret as its value.
            error = "unknown option '" + std::string(key) + "'";
            return false;
        }
    }

    // Scheme (reference §3): only "http" means plaintext; anything else (https, mysql, mariadb, …) is https.
    out.scheme = scheme.value_or("https");
    for (char &c : out.scheme) c = ascii_lower(c);
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
        error = "missing required option 'password': the PlanetScale HTTP API refuses an empty password "
                "(https://USER:PASSWORD@host)";
        return false;
    }
    out.password = *password;

    // TLS (reference §3). The core already refuses http + TLS and https + DISABLED; checked again here so
    // that no combination of options can quietly weaken what the URL asked for.
    out.ssl_mode = have_ssl_mode ? ssl_mode : (out.tls ? SslMode::verify_identity : SslMode::disabled);
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

}  // namespace migrate_http_planetscale
