// Random identifiers and secrets for branches, passwords and deployments (OpenSSL's RAND_bytes).
#pragma once

#include <string>

namespace gateway::management {

// `n` characters of [a-z0-9].
std::string random_id(std::size_t n);
// SHA-256 of `s` (raw bytes), for constant-time comparisons of secrets of any length.
std::string sha256(const std::string& s);
// True when the two strings are equal, compared through their SHA-256 in constant time.
bool secret_equal(const std::string& a, const std::string& b);

}  // namespace gateway::management
