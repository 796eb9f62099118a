#include "text_position.hpp"

#include <migrate/source.hpp>

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
    for (std::size_t chunk = 0;; ++chunk) {
        auto end = text.find(breakpoint, begin);
        auto body = text.substr(begin, end == std::string_view::npos ? std::string_view::npos : end - begin);
        std::size_t first = 0;
        while (first < body.size() && is_blank(body[first])) ++first;
        if (first < body.size())
            out.push_back({std::string(body), chunk, source::position_of(text, begin + first).line});
        if (end == std::string_view::npos) break;
        begin = end + breakpoint.size();
    }
    return out;
}

}  // namespace migrate
