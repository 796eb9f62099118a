// libmigrate driver kit: C++ helpers shared by the driver plugins (static, linked into each driver by
// migrate_add_driver). Nothing here crosses the C ABI of migrate/driver.h: it parses the option list a
// driver receives and fills the migrate_driver_error it hands back.
//
// Options: parse_options walks a migrate_driver_option list with the rules every driver follows —
// a NULL value counts as "not given", the last occurrence of a key wins, an unknown key is refused with
// a message naming only the key (a misspelt key may carry a secret as its value). It parses the keys
// every driver accepts (host, port, user, password, database, ssl-mode, ssl-ca, ssl-capath, ssl-cert,
// ssl-key, connect-timeout, read-timeout, write-timeout) into CommonOptions; a driver passes its own keys
// (e.g. socket, scheme) through a callback and decides requiredness, defaults that depend on other
// options, and checks across keys itself.
#pragma once

#include <migrate/driver.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace migrate::driver_kit {

// ---------------------------------------------------------------------------------------------
// Options

enum class SslMode { disabled, required, verify_ca, verify_identity };

// "DISABLED", "REQUIRED", "VERIFY_CA" or "VERIFY_IDENTITY".
const char* ssl_mode_name(SslMode mode) noexcept;

// The largest timeout in seconds whose milliseconds still fit an int (Connector/C's timeouts, poll()).
inline constexpr unsigned long max_timeout_seconds = 2147483;

// The common keys, as given. std::nullopt = not given (absent, NULL, or "" where noted).
struct CommonOptions {
    std::optional<std::string> host;      // "" = not given
    std::optional<unsigned int> port;     // 1–65535
    std::optional<std::string> user;      // "" = not given
    std::optional<std::string> password;  // "" is a (given) empty password; never put into a message
    std::optional<std::string> database;  // "" = not given
    std::optional<SslMode> ssl_mode;      // the driver picks the default
    std::optional<std::string> ssl_ca, ssl_capath, ssl_cert, ssl_key;  // "" = not given
    unsigned int connect_timeout = 10;                                 // seconds; 0 = none; at most max_timeout_seconds
    unsigned int read_timeout = 0;
    unsigned int write_timeout = 0;
};

// What a driver's handler made of a key that is not a common one.
enum class OptionResult {
    accepted,  // the driver's own key, value taken
    rejected,  // the driver's own key, value refused: the handler has set the error message
    unknown    // not a key of this driver: parse_options refuses it as unknown
};

// Called for each key that is not a common one; `value` may be NULL (not given).
using DriverOptionHandler = std::function<OptionResult(std::string_view key, const char* value, std::string& error)>;

// Fills `out` (reset first) from the option list. On failure returns false and sets `error` to a message
// naming the offending key: with the value for a bad value (never for the password, which is not
// checked), without it for an unknown key. `driver_option` may be empty (the driver has no keys of its
// own). Throws nothing but std::bad_alloc (and what the handler throws).
bool parse_options(const migrate_driver_option* options, std::size_t option_count, CommonOptions& out,
                   std::string& error, const DriverOptionHandler& driver_option = {});

// "invalid value for option '<key>': '<value>' (expected <expected>)".
std::string invalid_value_message(std::string_view key, std::string_view value, std::string_view expected);

// Plain decimal digits (at most 10 of them), value <= max. Returns false otherwise; `out` is then untouched.
bool parse_unsigned(std::string_view text, unsigned long max, unsigned long& out) noexcept;

// ASCII case-insensitive equality.
bool iequals(std::string_view a, std::string_view b) noexcept;

// std::nullopt for NULL or "", else the text.
std::optional<std::string> non_empty(const char* value);

// ---------------------------------------------------------------------------------------------
// Errors

// Copies at most dst_size-1 bytes, never cutting a UTF-8 sequence in half, and NUL-terminates.
void copy_utf8_truncated(char* dst, std::size_t dst_size, std::string_view src) noexcept;

// The core zeroes the error struct and sets struct_size; only a struct at least as large as the one this
// driver was built with may be written.
bool error_writable(const migrate_driver_error* err) noexcept;

// Fills every field of `err` (if writable) — message and sqlstate cut at a UTF-8 boundary — and returns
// `status`. The message must already be free of secrets.
int report_error(migrate_driver_error* err, int status, std::string_view message, std::uint32_t server_errno = 0,
                 std::string_view sqlstate = {}, bool completion_unknown = false) noexcept;

}  // namespace migrate::driver_kit
