// Byte offset → 1-based line and column, for messages that point into a file.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string_view>

namespace migrate::source {

struct TextPosition {
    std::size_t line = 1;
    std::size_t column = 1;  // in bytes
};

inline TextPosition position_of(std::string_view text, std::size_t offset) {
    offset = std::min(offset, text.size());
    auto before = text.substr(0, offset);
    TextPosition pos;
    pos.line = 1 + static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n'));
    auto last_nl = before.rfind('\n');
    pos.column = offset - (last_nl == std::string_view::npos ? 0 : last_nl + 1) + 1;
    return pos;
}

}  // namespace migrate::source
