// HTTP Basic credentials, parsed as psdb's ParseWithSecret does.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace gateway {

enum class AuthCheck { ok, missing, malformed, denied };

// `header` is the Authorization header ("" when absent). Scheme exactly "Basic", standard padded
// base64, split at the first ':', username ≥ 1 byte, password non-empty; then compared with the
// configured credentials in constant time.
AuthCheck check_basic_auth(std::string_view header, const std::string& user, const std::string& password);

// The user and password of a well-formed Basic header (the rules above); nullopt when malformed or absent.
std::optional<std::pair<std::string, std::string>> basic_credentials(std::string_view header);

}  // namespace gateway
