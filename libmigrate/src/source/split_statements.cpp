#include <migrate/source.hpp>

#include <algorithm>

namespace migrate {

namespace {
constexpr std::string_view breakpoint = "--> statement-breakpoint";

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
}  // namespace

// drizzle: query.split("--> statement-breakpoint"), every chunk sent verbatim. We skip chunks that are
// only whitespace: MySQL rejects them (1065 "Query was empty") and drizzle would send them.
std::vector<Statement> split_statements(std::string_view text) {
    std::vector<Statement> out;
    std::size_t begin = 0;
    // Lines counted once, onward from the previous chunk's start (counting from the file's start for every
    // chunk made a file of thousands of chunks quadratic).
    std::size_t counted = 0, line = 1;
    for (std::size_t chunk = 0;; ++chunk) {
        auto end = text.find(breakpoint, begin);
        auto body = text.substr(begin, end == std::string_view::npos ? std::string_view::npos : end - begin);
        std::size_t first = 0;
        while (first < body.size() && is_blank(body[first])) ++first;
        if (first < body.size()) {
            const std::size_t at = begin + first;
            line += static_cast<std::size_t>(std::count(text.begin() + static_cast<std::ptrdiff_t>(counted),
                                                        text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
            counted = at;
            out.push_back({body, chunk, line});
        }
        if (end == std::string_view::npos) break;
        begin = end + breakpoint.size();
    }
    return out;
}

}  // namespace migrate
