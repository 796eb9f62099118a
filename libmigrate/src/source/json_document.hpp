// One reader of the strict-JSON files a user writes or keeps (migrate.json, baseline.json,
// meta/_journal.json, drizzle-kit's snapshots): nlohmann's parser, and on failure where it stopped
// (line, column) and why, for each caller to word in its own error.
#pragma once

#include "text_position.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace migrate::source {

struct JsonSyntaxError {
    TextPosition position;  // of the byte the parser stopped at: line 1, column 1 for an empty text
    std::string reason;     // nlohmann's message without its "[json.exception.parse_error.101] " tag
};

template <class Json>
struct JsonDocument {
    Json value;  // null when `error` is set
    std::optional<JsonSyntaxError> error;

    explicit operator bool() const { return !error; }
};

// The text as JSON: one value, nothing but whitespace around it, no comments, no trailing commas.
JsonDocument<nlohmann::json> read_json(std::string_view text);
// The same keeping objects' keys in the text's order (migrate.json's targets).
JsonDocument<nlohmann::ordered_json> read_ordered_json(std::string_view text);

// The error nlohmann reports with `what` at `byte` (json::parse_error::byte, or the position a SAX
// parser's parse_error receives): for readers that drive nlohmann themselves.
JsonSyntaxError json_syntax_error(std::string_view text, std::size_t byte, std::string_view what);

}  // namespace migrate::source
