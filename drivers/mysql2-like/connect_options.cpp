#include "connect_options.hpp"

#include <cstring>
#include <string_view>

namespace migrate_mysql2like {
namespace {

// Connector/C keeps timeouts as int milliseconds (seconds * 1000), so larger values would overflow.
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

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'a' && x <= 'z') x = static_cast<char>(x - 'a' + 'A');
        if (y >= 'a' && y <= 'z') y = static_cast<char>(y - 'a' + 'A');
        if (x != y) return false;
    }
    return true;
}

std::optional<std::string> non_empty(const char *value) {
    if (value == nullptr || *value == '\0') return std::nullopt;
    return std::string(value);
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

bool parse_connect_options(const migrate_driver_option *options, std::size_t option_count,
                           ConnectConfig &out, std::string &error) {
    out = ConnectConfig{};
    if (options == nullptr && option_count != 0) {
        error = "option list is NULL but option_count is not 0";
        return false;
    }
    bool have_user = false;

    // Later occurrences of a key override earlier ones. A NULL value counts as "not given".
    for (std::size_t i = 0; i < option_count; ++i) {
        const char *key_c = options[i].key;
        const char *value = options[i].value;
        if (key_c == nullptr) {
            error = "option #" + std::to_string(i) + " has a NULL key";
            return false;
        }
        const std::string_view key(key_c);

        auto bad_number = [&](const char *expected) {
            error = "invalid value for option '" + std::string(key) + "': '" + value + "' (expected " +
                    expected + ")";
            return false;
        };

        if (key == "host") {
            out.host = non_empty(value);
        } else if (key == "port") {
            if (value == nullptr) { out.port = 3306; continue; }
            unsigned long v = 0;
            if (!parse_unsigned(value, 65535, v) || v == 0) return bad_number("an integer from 1 to 65535");
            out.port = static_cast<unsigned int>(v);
        } else if (key == "socket") {
            out.socket = non_empty(value);
        } else if (key == "user") {
            have_user = value != nullptr && *value != '\0';
            out.user = value != nullptr ? value : "";
        } else if (key == "password") {
            // Never echoed anywhere. An empty string is a (valid) empty password.
            if (value == nullptr) out.password.reset();
            else out.password = std::string(value);
        } else if (key == "database") {
            out.database = non_empty(value);
        } else if (key == "ssl-mode") {
            if (value == nullptr) { out.ssl_mode = SslMode::verify_identity; continue; }
            if (iequals(value, "DISABLED")) out.ssl_mode = SslMode::disabled;
            else if (iequals(value, "REQUIRED")) out.ssl_mode = SslMode::required;
            else if (iequals(value, "VERIFY_CA")) out.ssl_mode = SslMode::verify_ca;
            else if (iequals(value, "VERIFY_IDENTITY")) out.ssl_mode = SslMode::verify_identity;
            else {
                error = "invalid value for option 'ssl-mode': '" + std::string(value) +
                        "' (expected DISABLED, REQUIRED, VERIFY_CA or VERIFY_IDENTITY)";
                return false;
            }
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
                return bad_number("a whole number of seconds from 0 to 2147483; 0 = none");
            target = static_cast<unsigned int>(v);
        } else {
            // Name the key only: a misspelled key might carry a secret as its value.
            error = "unknown option '" + std::string(key) + "'";
            return false;
        }
    }

    if (!have_user) {
        error = "missing required option 'user'";
        return false;
    }
    if (!out.host && !out.socket) {
        error = "either option 'host' or option 'socket' is required";
        return false;
    }
    return true;
}

}  // namespace migrate_mysql2like
