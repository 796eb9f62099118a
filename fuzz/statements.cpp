// The statement splitter (split_statements), the SQL tokenizer (sql::tokenize, sql::significant) and the
// online DDL rules over each statement (plan::ddl_cost, both flavours, with a live table and without).
// Input: a migration file's text.
// Invariants: neither throws; split chunks are the text between "--> statement-breakpoint" markers, in
// order, none blank, each at the line of its first non-blank byte; tokens cover the input in order with only
// whitespace between them, each `text` is the input at its offset, line/column agree with the offset, an
// error token is last and runs to the end; significant() is tokenize() without comments; ddl_cost never
// throws, always gives a reason, and a CREATE TABLE it reports creates a table and changes none.
#include "fuzz_support.hpp"

#include "plan/ddl_cost.hpp"

#include "sql/tokenizer.hpp"

#include <migrate/source.hpp>

#include <algorithm>
#include <cstdint>

namespace {

using migrate::sql::Token;
using migrate::sql::TokenKind;

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

void check_split(std::string_view text) {
    std::vector<migrate::Statement> statements;
    try {
        statements = migrate::split_statements(text);
    } catch (const std::exception& e) {
        fuzz::unexpected(e, "split_statements");
    }
    constexpr std::string_view breakpoint = "--> statement-breakpoint";
    std::vector<std::pair<std::size_t, std::string_view>> chunks;  // begin offset, text
    for (std::size_t begin = 0;;) {
        const auto end = text.find(breakpoint, begin);
        chunks.emplace_back(begin,
                            text.substr(begin, end == std::string_view::npos ? std::string_view::npos : end - begin));
        if (end == std::string_view::npos) break;
        begin = end + breakpoint.size();
    }
    std::size_t k = 0;
    for (std::size_t c = 0; c < chunks.size(); ++c) {
        const auto [begin, body] = chunks[c];
        std::size_t first = 0;
        while (first < body.size() && is_blank(body[first])) ++first;
        if (first == body.size()) continue;  // blank chunks are skipped
        FUZZ_CHECK(k < statements.size(), "a chunk is missing");
        const auto& s = statements[k++];
        FUZZ_CHECK(s.chunk == c && s.sql == body, "chunk text and index");
        const auto before = text.substr(0, begin + first);
        FUZZ_CHECK(s.line == 1 + static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n')),
                   "line of the chunk's first non-blank byte");
    }
    FUZZ_CHECK(k == statements.size(), "more statements than chunks");
}

void check_cost(std::string_view sql) {
    migrate::plan::LiveTable live;
    live.columns["a"] = {"varchar(20)", true, 4};
    live.columns["b"] = {"int(11)", false, 0};
    live.indexed_columns = {"a"};
    const migrate::plan::LiveLookup lookup = [&](const std::string&) { return &live; };
    for (auto flavor : {migrate::Flavor::mysql, migrate::Flavor::mariadb})
        for (const auto* l : {&lookup, static_cast<const migrate::plan::LiveLookup*>(nullptr)}) {
            migrate::plan::DdlCost d;
            try {
                d = l ? migrate::plan::ddl_cost(sql, flavor, *l) : migrate::plan::ddl_cost(sql, flavor);
            } catch (const std::exception& e) {
                fuzz::unexpected(e, "ddl_cost");
            }
            FUZZ_CHECK(!d.reason.empty(), "a cost without a reason");
            FUZZ_CHECK(!d.creates_table || (d.algorithm == migrate::DdlAlgorithm::not_applicable && !d.table.empty()),
                       "a created table is named and changes no existing one");
        }
}

void check_tokens(std::string_view sql, const migrate::sql::Options& options) {
    std::vector<Token> tokens, significant;
    try {
        tokens = migrate::sql::tokenize(sql, options);
        significant = migrate::sql::significant(sql, options);
    } catch (const std::exception& e) {
        fuzz::unexpected(e, "tokenize");
    }
    std::size_t pos = 0, line = 1, line_start = 0;
    auto advance_to = [&](std::size_t offset) {
        for (; pos < offset; ++pos)
            if (sql[pos] == '\n') {
                ++line;
                line_start = pos + 1;
            }
    };
    std::size_t end_of_last = 0;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const Token& t = tokens[i];
        FUZZ_CHECK(t.offset >= end_of_last, "tokens in order, not overlapping");
        for (std::size_t g = end_of_last; g < t.offset; ++g)
            FUZZ_CHECK(is_blank(sql[g]), "only whitespace between tokens");
        FUZZ_CHECK(!t.text.empty(), "empty token");
        FUZZ_CHECK(t.offset + t.text.size() <= sql.size() && t.text.data() == sql.data() + t.offset,
                   "text is the input at offset");
        advance_to(t.offset);
        FUZZ_CHECK(t.line == line && t.column == t.offset - line_start + 1, "line/column of the offset");
        end_of_last = t.offset + t.text.size();
        switch (t.kind) {
            case TokenKind::word:
            case TokenKind::punct: FUZZ_CHECK(t.value == t.text, "word/punct value is its text"); break;
            case TokenKind::comment:
                FUZZ_CHECK(t.text.starts_with("#") || t.text.starts_with("--") || t.text.starts_with("/*"),
                           "comment form");
                FUZZ_CHECK(t.text.find('\n') == std::string_view::npos || t.text.starts_with("/*"),
                           "line comment without newline");
                break;
            case TokenKind::executable_comment:
                FUZZ_CHECK((t.text.starts_with("/*!") || t.text.starts_with("/*M!")) && t.text.ends_with("*/") &&
                               t.text.size() >= 5,
                           "executable comment form");
                FUZZ_CHECK(t.value.size() + 5 <= t.text.size(), "executable comment content inside");
                check_tokens(t.value, options);  // callers look inside
                break;
            case TokenKind::error:
                FUZZ_CHECK(i + 1 == tokens.size() && end_of_last == sql.size(),
                           "an error token is last and runs to the end");
                break;
            case TokenKind::number:
            case TokenKind::string:
            case TokenKind::quoted_identifier: break;
        }
        if (t.kind == TokenKind::number && (t.text.size() < 2 || t.text[1] != '\''))
            FUZZ_CHECK(t.value == t.text, "number value is its text");
    }
    for (std::size_t g = end_of_last; g < sql.size(); ++g) FUZZ_CHECK(is_blank(sql[g]), "trailing input not tokenized");
    std::size_t k = 0;
    for (const Token& t : tokens) {
        if (t.kind == TokenKind::comment) continue;
        FUZZ_CHECK(k < significant.size() && significant[k].offset == t.offset && significant[k].kind == t.kind,
                   "significant() is tokenize() without comments");
        ++k;
    }
    FUZZ_CHECK(k == significant.size(), "significant() has extra tokens");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    check_split(text);
    try {
        for (const auto& s : migrate::split_statements(text)) check_cost(s.sql);
    } catch (const std::exception& e) {
        fuzz::unexpected(e, "split_statements");
    }
    for (const bool backslash : {true, false})
        for (const bool ansi : {false, true}) check_tokens(text, {.backslash_escapes = backslash, .ansi_quotes = ansi});
    return 0;
}
