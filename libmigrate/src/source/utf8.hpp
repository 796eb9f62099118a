// UTF-8 decoding the way Node's Buffer.toString() does it (WHATWG Encoding Standard: each maximal
// invalid subpart becomes one U+FFFD), which is what drizzle hashes and splits.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace migrate::source {

struct Utf8Check {
    std::optional<std::size_t> first_invalid;  // byte offset of the first invalid sequence, if any
};

Utf8Check check_utf8(std::string_view bytes);

// The bytes with every invalid subpart replaced by EF BF BD; identical to the input when valid.
std::string replace_invalid_utf8(std::string_view bytes);

}  // namespace migrate::source
