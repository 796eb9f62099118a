// What drizzle's one-query-per-chunk rule needs: exactly one statement between breakpoints.
#include "lint_input.hpp"

#include <fmt/format.h>

namespace migrate::lint {

void check_chunk(const File& file, const Chunk& c, Sink& sink) {
    {
        if (c.statements.size() > 1) {
            const auto& second = c.statements[1];
            sink.add("multi-statement-chunk", second, second.tokens.front(),
                     fmt::format("chunk {} holds {} statements; drizzle sends a chunk as one query", c.index + 1,
                                 c.statements.size()));
        }
        if (!c.statements.empty()) return;
        const auto& pos = c.start;
        sink.add("empty-chunk", file.path, pos.line, pos.column,
                 c.has_comment
                     ? fmt::format("chunk {} holds only comments: drizzle sends it as a query that does nothing",
                                   c.index + 1)
                     : fmt::format("chunk {} is empty: drizzle sends it and the server answers 1065 Query "
                                   "was empty (libmigrate skips it)",
                                   c.index + 1));
    }
}

}  // namespace migrate::lint
