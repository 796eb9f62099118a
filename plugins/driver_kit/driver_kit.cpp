#include <migrate/driver_kit.hpp>

#include <cstring>

namespace migrate::driver_kit {
namespace {

char ascii_upper(char c) noexcept { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

// The common key `key` with `value` into `out`. Returns OptionResult::unknown for any other key.
OptionResult parse_common_option(std::string_view key, const char* value, CommonOptions& out, std::string& error) {
    const auto bad_value = [&](std::string_view expected) {
        error = invalid_value_message(key, value, expected);
        return OptionResult::rejected;
    };

    if (key == "host") {
        out.host = non_empty(value);
    } else if (key == "port") {
        if (value == nullptr) {
            out.port.reset();
            return OptionResult::accepted;
        }
        unsigned long v = 0;
        if (!parse_unsigned(value, 65535, v) || v == 0) return bad_value("an integer from 1 to 65535");
        out.port = static_cast<unsigned int>(v);
    } else if (key == "user") {
        out.user = non_empty(value);
    } else if (key == "password") {
        // Never echoed anywhere. An empty string is a (valid) empty password.
        if (value == nullptr)
            out.password.reset();
        else
            out.password = std::string(value);
    } else if (key == "database") {
        out.database = non_empty(value);
    } else if (key == "ssl-mode") {
        if (value == nullptr) {
            out.ssl_mode.reset();
            return OptionResult::accepted;
        }
        if (iequals(value, "DISABLED"))
            out.ssl_mode = SslMode::disabled;
        else if (iequals(value, "REQUIRED"))
            out.ssl_mode = SslMode::required;
        else if (iequals(value, "VERIFY_CA"))
            out.ssl_mode = SslMode::verify_ca;
        else if (iequals(value, "VERIFY_IDENTITY"))
            out.ssl_mode = SslMode::verify_identity;
        else
            return bad_value("DISABLED, REQUIRED, VERIFY_CA or VERIFY_IDENTITY");
    } else if (key == "ssl-ca") {
        out.ssl_ca = non_empty(value);
    } else if (key == "ssl-capath") {
        out.ssl_capath = non_empty(value);
    } else if (key == "ssl-cert") {
        out.ssl_cert = non_empty(value);
    } else if (key == "ssl-key") {
        out.ssl_key = non_empty(value);
    } else if (key == "connect-timeout" || key == "read-timeout" || key == "write-timeout") {
        unsigned int& target = key == "connect-timeout" ? out.connect_timeout
                               : key == "read-timeout"  ? out.read_timeout
                                                        : out.write_timeout;
        if (value == nullptr) {
            target = key == "connect-timeout" ? CommonOptions{}.connect_timeout : 0u;
            return OptionResult::accepted;
        }
        unsigned long v = 0;
        if (!parse_unsigned(value, max_timeout_seconds, v))
            return bad_value("a whole number of seconds from 0 to 2147483; 0 = none");
        target = static_cast<unsigned int>(v);
    } else {
        return OptionResult::unknown;
    }
    return OptionResult::accepted;
}

}  // namespace

const char* ssl_mode_name(SslMode mode) noexcept {
    switch (mode) {
        case SslMode::disabled: return "DISABLED";
        case SslMode::required: return "REQUIRED";
        case SslMode::verify_ca: return "VERIFY_CA";
        case SslMode::verify_identity: return "VERIFY_IDENTITY";
    }
    return "?";
}

bool parse_options(const migrate_driver_option* options, std::size_t option_count, CommonOptions& out,
                   std::string& error, const DriverOptionHandler& driver_option) {
    out = CommonOptions{};
    if (options == nullptr && option_count != 0) {
        error = "option list is NULL but option_count is not 0";
        return false;
    }
    // Later occurrences of a key override earlier ones. A NULL value counts as "not given".
    for (std::size_t i = 0; i < option_count; ++i) {
        const char* key_c = options[i].key;
        const char* value = options[i].value;
        if (key_c == nullptr) {
            error = "option #" + std::to_string(i) + " has a NULL key";
            return false;
        }
        const std::string_view key(key_c);

        OptionResult result = parse_common_option(key, value, out, error);
        if (result == OptionResult::unknown && driver_option) result = driver_option(key, value, error);
        if (result == OptionResult::rejected) return false;
        if (result == OptionResult::unknown) {
            // Name the key only: a misspelled key might carry a secret as its value.
            error = "unknown option '" + std::string(key) + "'";
            return false;
        }
    }
    return true;
}

std::string invalid_value_message(std::string_view key, std::string_view value, std::string_view expected) {
    std::string text = "invalid value for option '";
    text.append(key).append("': '").append(value).append("' (expected ").append(expected).append(")");
    return text;
}

bool parse_unsigned(std::string_view text, unsigned long max, unsigned long& out) noexcept {
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

bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (ascii_upper(a[i]) != ascii_upper(b[i])) return false;
    return true;
}

std::optional<std::string> non_empty(const char* value) {
    if (value == nullptr || *value == '\0') return std::nullopt;
    return std::string(value);
}

void copy_utf8_truncated(char* dst, std::size_t dst_size, std::string_view src) noexcept {
    if (dst_size == 0) return;
    std::size_t n = src.size();
    if (n > dst_size - 1) {
        n = dst_size - 1;
        // Step back over continuation bytes (10xxxxxx) so the cut lands on a character boundary.
        while (n > 0 && (static_cast<unsigned char>(src[n]) & 0xC0) == 0x80) --n;
    }
    if (n > 0) std::memcpy(dst, src.data(), n);
    dst[n] = '\0';
}

bool error_writable(const migrate_driver_error* err) noexcept {
    return err != nullptr && err->struct_size >= sizeof(migrate_driver_error);
}

int report_error(migrate_driver_error* err, int status, std::string_view message, std::uint32_t server_errno,
                 std::string_view sqlstate, bool completion_unknown) noexcept {
    if (error_writable(err)) {
        err->server_errno = server_errno;
        copy_utf8_truncated(err->sqlstate, sizeof err->sqlstate, sqlstate);
        err->completion_unknown = completion_unknown ? 1 : 0;
        copy_utf8_truncated(err->message, sizeof err->message, message);
    }
    return status;
}

}  // namespace migrate::driver_kit
