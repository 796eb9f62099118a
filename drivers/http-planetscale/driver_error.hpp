// The driver's error value, and its translation into the C ABI's migrate_driver_error.
// Internal to the http-planetscale driver.
#pragma once

#include <migrate/driver.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace migrate::drivers::http_planetscale {

struct DriverError {
    int status = MIGRATE_DRIVER_OK;
    std::uint32_t server_errno = 0;
    std::string sqlstate;             // five characters or empty
    bool completion_unknown = false;  // the request may have reached the server
    std::string message;
};

inline DriverError make_error(int status, std::string message, bool completion_unknown = false) {
    DriverError e;
    e.status = status;
    e.message = std::move(message);
    e.completion_unknown = completion_unknown;
    return e;
}

// Strings that must never appear in a message (password, "user:password", its base64), replaced by
// "***": anywhere when at least anywhere_length bytes long, else where they stand alone (see .cpp).
// Empty strings are ignored.
class Redactor {
  public:
    static constexpr std::size_t anywhere_length = 6;
    Redactor() = default;
    explicit Redactor(std::vector<std::string> secrets);
    std::string apply(std::string text) const;

  private:
    std::vector<std::string> secrets_;  // longest first, so a longer secret is replaced whole
};

// Text from the network (an HTTP body, a server message) made fit for a one-line UTF-8 message: at most
// `max_bytes` bytes, control characters as spaces, invalid UTF-8 as '?', whitespace runs collapsed.
std::string printable_excerpt(std::string_view text, std::size_t max_bytes);

// True if `text` is well-formed UTF-8 (no overlongs, no surrogates).
bool is_valid_utf8(std::string_view text);

// Writes `e` (message redacted) into `err` when the caller's struct is at least as large as ours (through
// the driver kit's report_error, which cuts at UTF-8 boundaries). Returns e.status.
int report(migrate_driver_error* err, const DriverError& e, const Redactor* redactor) noexcept;

// Writes a plain error without server errno. Returns status.
int report(migrate_driver_error* err, int status, std::string_view message, bool completion_unknown = false) noexcept;

}  // namespace migrate::drivers::http_planetscale
